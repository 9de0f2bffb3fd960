/** Searching the handbook kept on the phone, for when the server cannot be asked. */
import { htmlToText } from '../../shared/html-text';
import { appDb, onLocalDataCleared } from '../storage';
import { slices, yieldToMain } from '../idle';
import type { IndexedSection, LocalHit, SectionIndex } from './search-index';
import { readAllSections, readDocuments } from './store';
import { contentVersion } from './sync';

export type { LocalHit } from './search-index';

let built: { version: number; index: Promise<SectionIndex> } | null = null;

async function build(): Promise<SectionIndex> {
  const [{ buildSectionIndex, INDEX_SLICE }, db] = await Promise.all([import('./search-index'), appDb()]);
  const [documents, sections] = await Promise.all([readDocuments(db), readAllSections(db)]);
  const titles = new Map(documents.map((document) => [document.id, document.title]));
  const indexed: IndexedSection[] = [];
  // Turning every section's HTML into text is work of the same size as indexing it: sliced alike.
  for (const slice of slices(sections, INDEX_SLICE)) {
    for (const section of slice) {
      const documentTitle = titles.get(section.document_id);
      if (documentTitle === undefined) continue;
      indexed.push({
        id: section.id,
        documentId: section.document_id,
        documentTitle,
        title: section.title,
        text: htmlToText(section.body_html),
      });
    }
    await yieldToMain();
  }
  return buildSectionIndex(indexed);
}

/** Search the stored sections; the index is built on first use and again after the handbook changed. */
export async function searchOffline(query: string, limit = 20): Promise<LocalHit[]> {
  const version = contentVersion.peek();
  if (!built || built.version !== version) built = { version, index: build() };
  try {
    return (await built.index).search(query, limit);
  } catch (error) {
    built = null;
    throw error;
  }
}

onLocalDataCleared(() => {
  built = null;
});
