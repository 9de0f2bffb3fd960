/** The handbook kept in IndexedDB: what sync writes and what the screens read when offline (or always). */
import type { OfflineDocument, OfflineSection } from '../../shared/handbook-types';
import { slices, yieldToMain } from '../idle';
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

/**
 * Sections written per transaction. A first download is the whole handbook: one transaction for all of
 * it was one long stretch of main-thread work (each put clones its section there) and held the screens'
 * own reads until it committed. Small ones are short tasks, with the main thread given back between.
 */
export const WRITE_BATCH = 20;

/**
 * Write a merge plan in small transactions, the cursor last; true when anything a reader sees changed.
 * A sync cut short (tab closed, sign-out) leaves the old cursor, and the next one finds by the hashes
 * whatever it had not written. `pause` runs between transactions (tests pass their own).
 */
export async function applyPlan(db: AppDatabase, plan: MergePlan, pause: () => Promise<void> = yieldToMain): Promise<boolean> {
  let changed = plan.putSections.length > 0 || plan.deleteSections.length > 0 || plan.deleteDocuments.length > 0;
  for (const slice of slices(plan.putSections, WRITE_BATCH)) {
    const tx = db.transaction('sections', 'readwrite');
    await Promise.all([...slice.map((section) => tx.store.put(section)), tx.done]);
    await pause();
  }
  for (const slice of slices(plan.deleteSections, WRITE_BATCH * 5)) {
    const tx = db.transaction('sections', 'readwrite');
    await Promise.all([...slice.map((id) => tx.store.delete(id)), tx.done]);
    await pause();
  }
  // Documents are few and small: compared and written in one transaction, with the cursor.
  const tx = db.transaction(['documents', 'meta'], 'readwrite');
  const documents = tx.objectStore('documents');
  const stored = await Promise.all(plan.documents.map((document) => documents.get(document.id)));
  const writes: Promise<unknown>[] = [];
  plan.documents.forEach((document, at) => {
    const before = stored[at];
    if (before && JSON.stringify(before) === JSON.stringify(document)) return;
    changed = true;
    writes.push(documents.put(document));
  });
  for (const id of plan.deleteDocuments) writes.push(documents.delete(id));
  writes.push(tx.objectStore('meta').put(plan.cursor, CURSOR_KEY));
  await Promise.all([...writes, tx.done]);
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
