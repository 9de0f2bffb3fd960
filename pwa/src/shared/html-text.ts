/**
 * Plain text from the server's HTML, for the offline search index, local snippets and search
 * snippets. Nothing here is ever put into the page as HTML: the output is text, shown as text nodes.
 */

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

const ENTITY = /&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi;

function codePoint(value: number): string {
  // Out of range or a surrogate: what a browser shows for it, the replacement character.
  return value > 0 && value <= 0x10ffff && (value < 0xd800 || value > 0xdfff) ? String.fromCodePoint(value) : '\ufffd';
}

/** Decode character references: the named ones an HTML escaper writes, and all numeric ones. */
export function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, name: string) => {
    if (name[0] === '#') {
      const hex = name[1] === 'x' || name[1] === 'X';
      return codePoint(parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10));
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

// Elements after which a reader pauses: their end becomes a line break in the text.
const BLOCK_END = /<\/(p|h[1-6]|li|tr|blockquote|pre|table|ul|ol)\s*>|<br\s*\/?>|<hr\s*\/?>/gi;
const CELL_END = /<\/t[dh]\s*>/gi;
const TAG = /<[^>]*>/g;

/** The text of sanitized HTML: tags dropped, blocks on lines of their own, entities decoded. */
export function htmlToText(html: string): string {
  const text = decodeEntities(html.replace(BLOCK_END, '\n').replace(CELL_END, ' ').replace(TAG, ''));
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}
