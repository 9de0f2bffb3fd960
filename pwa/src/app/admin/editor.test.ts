import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/problem';
import { classifyDiff, isStale, previewBlocks, slugify } from './editor';

describe('classifyDiff', () => {
  it('tells file headers, hunks, added, removed and unchanged lines apart', () => {
    const diff = '--- revision 1\n+++ revision 2\n@@ -1,2 +1,2 @@\n Điều 1.\n-Cũ\n+Mới\n';
    expect(classifyDiff(diff).map((line) => line.kind)).toEqual(['file', 'file', 'hunk', 'same', 'removed', 'added']);
  });

  it('keeps lines inside a hunk that start with dashes or pluses as removed or added, and handles CRLF', () => {
    expect(classifyDiff('--- a\r\n+++ b\r\n@@ -1 +1 @@\r\n--- gạch\r\n+++ cộng\r\n')).toEqual([
      { kind: 'file', text: '--- a' },
      { kind: 'file', text: '+++ b' },
      { kind: 'hunk', text: '@@ -1 +1 @@' },
      { kind: 'removed', text: '--- gạch' },
      { kind: 'added', text: '+++ cộng' },
    ]);
    expect(classifyDiff('')).toEqual([]);
  });
});

describe('previewBlocks', () => {
  it('turns headings, list items, quotes and paragraphs into text blocks without marks', () => {
    const md = '## Điều 1\n\nĐảng viên **phải** gương mẫu\nvà [đọc kỹ](https://x.vn).\n\n- Một\n1. Hai\n> Trích dẫn';
    expect(previewBlocks(md)).toEqual([
      { kind: 'heading', text: 'Điều 1' },
      { kind: 'paragraph', text: 'Đảng viên phải gương mẫu và đọc kỹ.' },
      { kind: 'item', text: 'Một' },
      { kind: 'item', text: 'Hai' },
      { kind: 'quote', text: 'Trích dẫn' },
    ]);
  });

  it('keeps markup as text: nothing is interpreted as HTML', () => {
    expect(previewBlocks('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'paragraph', text: '<img src=x onerror=alert(1)>' }]);
  });
});

describe('isStale', () => {
  it('is true for a 409 only', () => {
    expect(isStale(new ApiError(409, null))).toBe(true);
    expect(isStale(new ApiError(422, null))).toBe(false);
    expect(isStale(new Error('x'))).toBe(false);
  });
});

describe('slugify', () => {
  it('folds Vietnamese to a URL-safe slug', () => {
    expect(slugify('Điều lệ Đảng: Chương 1 ')).toBe('dieu-le-dang-chuong-1');
  });
});
