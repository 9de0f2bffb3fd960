/** The handbook kept in IndexedDB: what sync writes and what the screens read when offline (or always). */
import type { OfflineDocument, OfflineSection } from '../../shared/handbook-types';
import type { AppDatabase } from '../storage';
import type { LocalIndex, MergePlan } from './merge';

export const CURSOR_KEY = 'sync.cursor';
export const SYNCED_AT_KEY = 'sync.at';

/** Which documents and section texts (by hash) the phone holds. */
export async function localIndex(db: AppDatabase): Promise<LocalIndex> {
  const documentIds = await db.getAllKeys('documents');
  const sectionHashes = new Map<string, string>();
  let cursor = await db.transaction('sections').store.index('byHash').openKeyCursor();
  while (cursor) {
    sectionHashes.set(cursor.primaryKey, cursor.key);
    cursor = await cursor.continue();
  }
  return { documentIds, sectionHashes };
}

/** Write a merge plan in one transaction, cursor included; true when anything a reader sees changed. */
export async function applyPlan(db: AppDatabase, plan: MergePlan): Promise<boolean> {
  const tx = db.transaction(['documents', 'sections', 'meta'], 'readwrite');
  const documents = tx.objectStore('documents');
  const sections = tx.objectStore('sections');
  let changed = plan.putSections.length > 0 || plan.deleteSections.length > 0 || plan.deleteDocuments.length > 0;
  for (const document of plan.documents) {
    const stored = await documents.get(document.id);
    if (!stored || JSON.stringify(stored) !== JSON.stringify(document)) {
      changed = true;
      await documents.put(document);
    }
  }
  for (const id of plan.deleteDocuments) await documents.delete(id);
  for (const section of plan.putSections) await sections.put(section);
  for (const id of plan.deleteSections) await sections.delete(id);
  await tx.objectStore('meta').put(plan.cursor, CURSOR_KEY);
  await tx.done;
  return changed;
}

/** Keep only the fields an offline copy has (GetSection's answer has more). */
export function offlineCopy(section: OfflineSection): OfflineSection {
  const { id, document_id, position, title, body_html, content_hash, revision, requires_ack, ack_hash } = section;
  return { id, document_id, position, title, body_html, content_hash, revision, requires_ack, ack_hash };
}

export async function putSection(db: AppDatabase, section: OfflineSection): Promise<void> {
  await db.put('sections', offlineCopy(section));
}

export function readDocuments(db: AppDatabase): Promise<OfflineDocument[]> {
  return db.getAll('documents');
}

export async function readDocument(
  db: AppDatabase,
  id: string,
): Promise<{ document: OfflineDocument; sections: OfflineSection[] } | null> {
  const document = await db.get('documents', id);
  if (!document) return null;
  const byId = new Map((await db.getAllFromIndex('sections', 'byDocument', id)).map((s) => [s.id, s]));
  // The document's list gives the order; a section whose text has not arrived yet is left out.
  const sections = document.sections.map((ref) => byId.get(ref.id)).filter((s): s is OfflineSection => !!s);
  return { document, sections };
}

export async function readSection(db: AppDatabase, id: string): Promise<OfflineSection | undefined> {
  return db.get('sections', id);
}

export function readAllSections(db: AppDatabase): Promise<OfflineSection[]> {
  return db.getAll('sections');
}
