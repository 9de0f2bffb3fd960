/**
 * Vietnamese diacritic folding for search on the phone, the same rule the server uses
 * (api/search/folding.py): `nghi quyet` finds «nghị quyết», `dang vien` finds «Đảng viên».
 *
 * Each character is folded on its own (NFD, combining marks stripped, đ/Đ -> d, lower-cased), and a
 * character that would not fold to exactly one character is kept as it is. So the folded text is as
 * long as the NFC-normalised original, and a match found in the folded text sits at the same offsets
 * in the original: that is where a local snippet is cut and highlighted.
 */

const COMBINING_MARKS = /\p{M}/gu;
// Đ/đ have no decomposition to strip; the Icelandic eth and the African D stand in for them in old fonts.
const D_LIKE = /[ĐđÐðƉɖ]/;
const PLAIN = /^[\x20-\x40\x5b-\x7f]*$/; // ASCII without capitals: nothing to fold

const known = new Map<string, string>();
const KNOWN_LIMIT = 10_000;

function foldChar(char: string): string {
  const cached = known.get(char);
  if (cached !== undefined) return cached;
  const base = char.normalize('NFD').replace(COMBINING_MARKS, '');
  let folded = char;
  if (base.length === 1 && D_LIKE.test(base)) folded = 'd';
  else if (base.length === 1 && base.toLowerCase().length === 1) folded = base.toLowerCase();
  else if (char.toLowerCase().length === 1) folded = char.toLowerCase();
  // Hostile input can cost time but never grow memory without bound.
  if (known.size < KNOWN_LIMIT) known.set(char, folded);
  return folded;
}

/** Lower-case `text` and strip its diacritics, one output character per character of its NFC form. */
export function fold(text: string): string {
  const nfc = text.normalize('NFC');
  if (PLAIN.test(nfc)) return nfc;
  let out = '';
  // for..of walks code points, so an emoji (two UTF-16 units) folds to itself, keeping offsets in step.
  for (const char of nfc) out += char.length === 1 ? foldChar(char) : char;
  return out;
}

const NOT_WORD = /[^\p{L}\p{N}]+/u;

/** The folded words of `text`: runs of letters and digits, everything else separates them. */
export function words(text: string): string[] {
  return fold(text)
    .split(NOT_WORD)
    .filter((word) => word !== '');
}
