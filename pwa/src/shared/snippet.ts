/**
 * Search snippets as parts to render as text nodes, the matched ones inside <mark>: never as HTML.
 * The server sends `snippet_html` (escaped text with <mark> around hits); offline, the same parts
 * are cut from the stored text here, with the same folding the server uses.
 */
import { fold, words } from './folding';
import { decodeEntities } from './html-text';

export interface SnippetPart {
  readonly text: string;
  readonly marked: boolean;
}

const MARK = /<(\/?)mark\s*>/gi;

/**
 * The parts of a server snippet. Only <mark> and </mark> are read as markup; anything else that
 * looks like a tag (the server never sends one) stays literal text, so it cannot become an element.
 */
export function parseMarkedSnippet(html: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let marked = false;
  let position = 0;
  const push = (raw: string): void => {
    const text = decodeEntities(raw);
    if (text !== '') parts.push({ text, marked });
  };
  for (const match of html.matchAll(MARK)) {
    push(html.slice(position, match.index));
    marked = match[1] !== '/';
    position = match.index + match[0].length;
  }
  push(html.slice(position));
  return parts;
}

const ELLIPSIS = '…';
const WORD = /[\p{L}\p{N}]+/gu;

interface Hit {
  readonly start: number;
  readonly end: number;
}

/** Where the query's words occur in `folded`: whole words, the last query word also as a word prefix. */
function findHits(folded: string, terms: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  const last = terms.length - 1;
  for (const match of folded.matchAll(WORD)) {
    const word = match[0];
    const start = match.index;
    for (const [index, term] of terms.entries()) {
      if (word === term) hits.push({ start, end: start + word.length });
      else if (index === last && word.startsWith(term)) hits.push({ start, end: start + term.length });
      else continue;
      break;
    }
  }
  return hits;
}

function cutBefore(text: string, at: number): number {
  if (at <= 0) return 0;
  const space = text.lastIndexOf(' ', at);
  return space < 0 ? 0 : space + 1;
}

function cutAfter(text: string, at: number): number {
  if (at >= text.length) return text.length;
  const space = text.indexOf(' ', at);
  return space < 0 ? text.length : space;
}

/**
 * About `width` characters of `text` around the first place one of the query's words occurs, the
 * words marked; the beginning of the text when none does. `text` is plain text (see htmlToText).
 */
export function localSnippet(text: string, query: string, width = 160): SnippetPart[] {
  const original = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  const folded = fold(original); // same length as `original`, so offsets carry over
  const hits = findHits(folded, words(query));
  const first = hits[0];
  const centre = first ? Math.max(0, first.start - Math.floor(width / 3)) : 0;
  const start = cutBefore(original, centre);
  const end = cutAfter(original, start + width);
  const parts: SnippetPart[] = [];
  if (start > 0) parts.push({ text: ELLIPSIS, marked: false });
  let position = start;
  for (const hit of hits) {
    if (hit.start < position || hit.end > end) continue;
    if (hit.start > position) parts.push({ text: original.slice(position, hit.start), marked: false });
    parts.push({ text: original.slice(hit.start, hit.end), marked: true });
    position = hit.end;
  }
  if (end > position) parts.push({ text: original.slice(position, end), marked: false });
  if (end < original.length) parts.push({ text: ELLIPSIS, marked: false });
  return parts;
}
