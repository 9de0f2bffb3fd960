import { describe, expect, it } from 'vitest';
import { fold, words } from './folding';

describe('fold', () => {
  it('strips Vietnamese tone and vowel marks and lower-cases', () => {
    expect(fold('Nghị quyết')).toBe('nghi quyet');
    expect(fold('ĐẢNG VIÊN')).toBe('dang vien');
    expect(fold('Điều lệ Đảng Cộng sản Việt Nam')).toBe('dieu le dang cong san viet nam');
    expect(fold('ư ơ ă â ê ô ỳ ỹ ỵ')).toBe('u o a a e o y y y');
  });

  it('folds đ and the letters old fonts put in its place to d', () => {
    expect(fold('đ Đ ð Ð')).toBe('d d d d');
  });

  it('treats decomposed input (NFD, as some keyboards type it) like composed', () => {
    const decomposed = 'Nghị quyết'.normalize('NFD');
    expect(decomposed.length).toBeGreaterThan('Nghị quyết'.length);
    expect(fold(decomposed)).toBe('nghi quyet');
  });

  it('keeps one character per character, so offsets carry over to the original', () => {
    for (const text of ['Đảng viên', 'Chi bộ “Khu phố 3” – 57‑NQ/TW', 'x😀y', 'ﬁ İ ß 中文']) {
      expect(fold(text)).toHaveLength(text.normalize('NFC').length);
    }
  });

  it('leaves plain ASCII and other scripts alone', () => {
    expect(fold('57-nq/tw 2024')).toBe('57-nq/tw 2024');
    expect(fold('中文')).toBe('中文');
  });
});

describe('words', () => {
  it('splits folded text on anything that is not a letter or digit', () => {
    expect(words('Nghị quyết, 57-NQ/TW')).toEqual(['nghi', 'quyet', '57', 'nq', 'tw']);
    expect(words('  …  ')).toEqual([]);
  });

  it('makes a query match the text it folds to', () => {
    expect(words('nghi quyet')).toEqual(words('nghị quyết'));
    expect(words('dang vien')).toEqual(words('đảng viên'));
    expect(words('DANG VIEN')).toEqual(words('Đảng Viên'));
  });
});
