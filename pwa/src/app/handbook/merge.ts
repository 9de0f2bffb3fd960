/**
 * The delta sync's one decision, kept free of IndexedDB and the network so it can be tested alone:
 * given what the phone holds, the manifest and the changes since the last cursor, what to write,
 * what to delete, and which sections are still missing their current text.
 *
 * The manifest (asked first) lists everything the member may keep, with each section's content hash;
 * the changes (asked second, so newer) carry the texts written since the cursor. Newer wins; the hashes
 * find whatever the phone lacks whatever happened before (a lost answer, a move to another branch).
 */
import type { OfflineChanges, OfflineDocument, OfflineManifest, OfflineSection } from '../../shared/handbook-types';

/** What the phone holds: its documents, and each stored section's content hash. */
export interface LocalIndex {
  readonly documentIds: Iterable<string>;
  readonly sectionHashes: ReadonlyMap<string, string>;
}

export interface MergePlan {
  /** Every document to keep, as the server now lists it (written over the stored ones). */
  readonly documents: OfflineDocument[];
  readonly deleteDocuments: string[];
  readonly putSections: OfflineSection[];
  readonly deleteSections: string[];
  /** Sections listed by a document whose current text the phone has not got: fetch them one by one. */
  readonly missing: string[];
  /** Where the next sync starts. */
  readonly cursor: string;
}

export function planMerge(local: LocalIndex, manifest: OfflineManifest, changes: OfflineChanges): MergePlan {
  const removedDocuments = new Set(changes.removed_documents);
  const removedSections = new Set(changes.removed_sections);

  const documents = new Map<string, OfflineDocument>();
  for (const document of manifest.documents) documents.set(document.id, document);
  for (const document of changes.documents) documents.set(document.id, document);
  for (const id of removedDocuments) documents.delete(id);

  // The sections the documents list are the ones to keep, each with the text hash it should have.
  const wanted = new Map<string, string>();
  const kept: OfflineDocument[] = [];
  for (const document of documents.values()) {
    const sections = document.sections.filter((ref) => !removedSections.has(ref.id));
    for (const ref of sections) wanted.set(ref.id, ref.content_hash);
    kept.push(sections.length === document.sections.length ? document : { ...document, sections });
  }

  // A section in the changes is at least as new as the manifest's hash for it: take its text.
  const putSections = changes.sections.filter((section) => wanted.has(section.id));
  const arriving = new Set(putSections.map((section) => section.id));
  const missing: string[] = [];
  for (const [id, hash] of wanted) {
    if (!arriving.has(id) && local.sectionHashes.get(id) !== hash) missing.push(id);
  }

  const deleteDocuments = [...local.documentIds].filter((id) => !documents.has(id));
  const deleteSections = [...local.sectionHashes.keys()].filter((id) => !wanted.has(id));
  return { documents: kept, deleteDocuments, putSections, deleteSections, missing, cursor: changes.cursor };
}
