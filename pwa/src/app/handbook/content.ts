/**
 * What the handbook screens show, read from the copy kept on the phone, and from the server only when
 * the phone has not got it yet (before the first sync ends). Sync keeps the copy fresh in the
 * background; screens read again when it changes.
 */
import { api } from '../../shared/api';
import type { DocumentKind, OfflineSection } from '../../shared/handbook-types';
import { appDb, type AppDatabase } from '../storage';
import { rememberServerAcks } from './acknowledge';
import { offlineCopy, readDocument, readDocuments, readSection } from './store';

export interface DocumentItem {
  readonly id: string;
  readonly kind: DocumentKind;
  readonly title: string;
  readonly summary: string;
  readonly position: number;
}

export interface SectionItem {
  readonly id: string;
  readonly title: string;
  readonly requiresAck: boolean;
  readonly ackHash: string;
}

export interface DocumentView extends DocumentItem {
  readonly sections: readonly SectionItem[];
}

export interface SectionView {
  readonly section: OfflineSection;
  readonly documentTitle: string;
  readonly previous: SectionItem | null;
  readonly next: SectionItem | null;
}

async function localDb(): Promise<AppDatabase | null> {
  try {
    return await appDb();
  } catch {
    return null; // no IndexedDB (old private mode): straight to the server
  }
}

const item = ({ id, kind, title, summary, position }: DocumentItem): DocumentItem => ({ id, kind, title, summary, position });

export async function loadDocuments(): Promise<DocumentItem[]> {
  const db = await localDb();
  const stored = db ? await readDocuments(db) : [];
  if (stored.length > 0) return stored.map(item);
  return (await api.listDocuments()).filter((document) => document.status === 'published').map(item);
}

export async function loadDocument(id: string): Promise<DocumentView> {
  const db = await localDb();
  const stored = db ? await readDocument(db, id) : null;
  if (stored) {
    const sections = stored.sections.map((s) => ({ id: s.id, title: s.title, requiresAck: s.requires_ack, ackHash: s.ack_hash }));
    return { ...item(stored.document), sections };
  }
  const document = await api.getDocument(id);
  const summaries = [...(document.sections ?? [])].sort((a, b) => a.position - b.position);
  void rememberServerAcks(summaries).catch(() => undefined);
  const sections = summaries.map((s) => ({ id: s.id, title: s.title, requiresAck: s.requires_ack, ackHash: s.ack_hash }));
  return { ...item(document), sections };
}

export async function loadSection(sectionId: string): Promise<SectionView> {
  const db = await localDb();
  let section = db ? await readSection(db, sectionId) : undefined;
  if (!section) {
    section = offlineCopy(await api.getSection(sectionId));
    // Keep what was fetched: the next sync checks it against the hashes like any other section.
    if (db) await db.put('sections', section).catch(() => undefined);
  }
  const document = await loadDocument(section.document_id).catch(() => null);
  const at = document?.sections.findIndex((s) => s.id === sectionId) ?? -1;
  return {
    section,
    documentTitle: document?.title ?? '',
    previous: at > 0 ? (document?.sections[at - 1] ?? null) : null,
    next: at >= 0 ? (document?.sections[at + 1] ?? null) : null,
  };
}
