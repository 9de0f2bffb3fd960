/** Searching the handbook kept on the phone, for when the server cannot be asked. */
import { htmlToText } from '../../shared/html-text';
import { appDb, onLocalDataCleared } from '../storage';
import type { LocalHit, SectionIndex } from './search-index';
import { readAllSections, readDocuments } from './store';
import { contentVersion } from './sync';

export type { LocalHit } from './search-index';

let built: { version: number; index: Promise<SectionIndex> } | null = null;

async function build(): Promise<SectionIndex> {
  const [{ buildSectionIndex }, db] = await Promise.all([import('./search-index'), appDb()]);
  const [documents, sections] = await Promise.all([readDocuments(db), readAllSections(db)]);
  const titles = new Map(documents.map((document) => [document.id, document.title]));
  return buildSectionIndex(
    sections
      .filter((section) => titles.has(section.document_id))
      .map((section) => ({
        id: section.id,
        documentId: section.document_id,
        documentTitle: titles.get(section.document_id) ?? '',
        title: section.title,
        text: htmlToText(section.body_html),
      })),
  );
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
