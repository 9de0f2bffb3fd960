/**
 * The offline search index: MiniSearch over the stored sections, folding Vietnamese the way the
 * server does, so `nghi quyet` finds «nghị quyết» with no signal too. Loaded on demand (a separate
 * chunk, precached with the shell) and built at the first offline search, not when the handbook is
 * stored: most searches go to the server.
 */
import MiniSearch from 'minisearch';
import { fold, words } from '../../shared/folding';
import { localSnippet, type SnippetPart } from '../../shared/snippet';
import { slices, yieldToMain } from '../idle';

export interface IndexedSection {
  readonly id: string;
  readonly documentId: string;
  readonly documentTitle: string;
  readonly title: string;
  /** Plain text of the section (htmlToText of its body). */
  readonly text: string;
}

export interface LocalHit {
  readonly sectionId: string;
  readonly documentId: string;
  readonly documentTitle: string;
  readonly title: string;
  readonly parts: SnippetPart[];
}

export interface SectionIndex {
  search(query: string, limit?: number): LocalHit[];
}

/** Sections indexed per slice of main-thread work (a few milliseconds each on a cheap phone). */
export const INDEX_SLICE = 25;

/**
 * Index the sections a slice at a time, giving the main thread back between slices: the whole
 * handbook at once held a cheap phone for the first offline search. `pause` is for tests.
 */
export async function buildSectionIndex(
  sections: readonly IndexedSection[],
  pause: () => Promise<void> = yieldToMain,
): Promise<SectionIndex> {
  const index = new MiniSearch<IndexedSection>({
    fields: ['title', 'text', 'documentTitle'],
    // Words are split after folding, as the server does: "57-NQ/TW" is 57, nq, tw.
    tokenize: (text) => words(text),
    processTerm: (term) => fold(term) || null,
    searchOptions: {
      combineWith: 'AND',
      // The last word may still be being typed; the others are whole words.
      prefix: (_term, position, terms) => position === terms.length - 1,
      boost: { title: 3, documentTitle: 1.5 },
    },
  });
  for (const slice of slices(sections, INDEX_SLICE)) {
    index.addAll(slice);
    await pause();
  }
  const byId = new Map(sections.map((section) => [section.id, section]));

  return {
    search(query, limit = 20) {
      const hits: LocalHit[] = [];
      for (const result of index.search(query)) {
        const section = byId.get(String(result.id));
        if (!section) continue;
        hits.push({
          sectionId: section.id,
          documentId: section.documentId,
          documentTitle: section.documentTitle,
          title: section.title,
          parts: localSnippet(section.text, query),
        });
        if (hits.length >= limit) break;
      }
      return hits;
    },
  };
}
