/** The content editor's logic: the diff's lines by kind, a text-only preview of Markdown, and slugs. */
import { ApiError } from '../../shared/problem';

export type DiffKind = 'added' | 'removed' | 'hunk' | 'file' | 'same';

export interface DiffLine {
  readonly kind: DiffKind;
  readonly text: string;
}

/** Each line of a unified diff with what it is: file headers, hunk headers, added, removed or unchanged lines. */
export function classifyDiff(diff: string): DiffLine[] {
  const lines = diff.replace(/\r\n?/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  let inHunk = false;
  return lines.map((text) => {
    // The file headers come before the first hunk and look like a removed and an added line; inside a
    // hunk, a line "--- x" is a removed line "-- x".
    if (!inHunk && (text.startsWith('---') || text.startsWith('+++'))) return { kind: 'file', text };
    if (text.startsWith('@@')) {
      inHunk = true;
      return { kind: 'hunk', text };
    }
    if (text.startsWith('+')) return { kind: 'added', text };
    if (text.startsWith('-')) return { kind: 'removed', text };
    return { kind: 'same', text };
  });
}

export type PreviewKind = 'heading' | 'item' | 'quote' | 'paragraph';

export interface PreviewBlock {
  readonly kind: PreviewKind;
  readonly text: string;
}

const EMPHASIS = /(\*\*|__|\*|_|`)(\S(?:.*?\S)?)\1/g;
const LINK = /!?\[([^\]]*)\]\([^)]*\)/g;

function inline(text: string): string {
  return text.replace(LINK, '$1').replace(EMPHASIS, '$2').replace(/\s+/g, ' ').trim();
}

/**
 * A rough preview of Markdown as plain text blocks: headings, list items, quotes and paragraphs, with the
 * inline marks taken off. Never HTML: what the editor types is shown as text; the server renders the real thing.
 */
export function previewBlocks(markdown: string): PreviewBlock[] {
  const blocks: PreviewBlock[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    const text = inline(paragraph.join(' '));
    if (text) blocks.push({ kind: 'paragraph', text });
    paragraph = [];
  };
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    const item = /^(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
    const quote = /^>\s?(.*)$/.exec(line);
    if (!line) flush();
    else if (heading) {
      flush();
      blocks.push({ kind: 'heading', text: inline(heading[1] ?? '') });
    } else if (item) {
      flush();
      blocks.push({ kind: 'item', text: inline(item[1] ?? '') });
    } else if (quote) {
      flush();
      blocks.push({ kind: 'quote', text: inline(quote[1] ?? '') });
    } else paragraph.push(line);
  }
  flush();
  return blocks;
}

/** Someone saved the section (or document) since this copy was loaded: the server answers 409. */
export function isStale(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409;
}

/** A URL-safe slug from a Vietnamese title: diacritics folded, đ as d, words joined by hyphens. */
export function slugify(title: string): string {
  return title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 80)
    .replace(/^-+|-+$/g, '');
}
