import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from './html-text';
import { localSnippet, parseMarkedSnippet, type SnippetPart } from './snippet';

const marked = (parts: readonly SnippetPart[]) => parts.filter((part) => part.marked).map((part) => part.text);
const whole = (parts: readonly SnippetPart[]) => parts.map((part) => part.text).join('');

describe('parseMarkedSnippet', () => {
  it('reads the marks the server puts around hits', () => {
    expect(parseMarkedSnippet('…về <mark>Nghị</mark> <mark>quyết</mark> số 57…')).toEqual([
      { text: '…về ', marked: false },
      { text: 'Nghị', marked: true },
      { text: ' ', marked: false },
      { text: 'quyết', marked: true },
      { text: ' số 57…', marked: false },
    ]);
  });

  it('decodes what the server escaped, and the result stays text', () => {
    expect(parseMarkedSnippet('a &lt;b&gt; &amp; &quot;c&quot; &#x27;d&#39; <mark>&lt;e&gt;</mark>')).toEqual([
      { text: 'a <b> & "c" \'d\' ', marked: false },
      { text: '<e>', marked: true },
    ]);
  });

  it('never turns other tags into elements: they stay literal text', () => {
    const parts = parseMarkedSnippet('<img src=x onerror=alert(1)><mark>x</mark><script>y</script>');
    expect(parts).toEqual([
      { text: '<img src=x onerror=alert(1)>', marked: false },
      { text: 'x', marked: true },
      { text: '<script>y</script>', marked: false },
    ]);
  });

  it('accepts upper-case marks and an unclosed mark', () => {
    expect(parseMarkedSnippet('<MARK>a</MARK>b<mark>c')).toEqual([
      { text: 'a', marked: true },
      { text: 'b', marked: false },
      { text: 'c', marked: true },
    ]);
  });
});

describe('decodeEntities and htmlToText', () => {
  it('decodes named and numeric references, and leaves unknown ones', () => {
    expect(decodeEntities('&amp;lt; &#273; &#x110; &nbsp;&bogus; &#0; &#xD800;')).toBe('&lt; đ Đ \u00a0&bogus; \ufffd \ufffd');
  });

  it('turns sanitized HTML into lines of text', () => {
    const html = '<h2>Điều 1</h2><p>Đảng viên <strong>phải</strong> &amp; nên</p><ul><li>một</li><li>hai</li></ul><table><tr><td>a</td><td>b</td></tr></table>';
    expect(htmlToText(html)).toBe('Điều 1\nĐảng viên phải & nên\nmột\nhai\na b');
  });
});

describe('localSnippet', () => {
  const text =
    'Chương I. Những quy định chung. ' +
    'Đảng viên có nhiệm vụ tuyệt đối trung thành với mục đích lý tưởng cách mạng của Đảng, chấp hành nghiêm chỉnh Cương lĩnh chính trị, Điều lệ Đảng, nghị quyết, chỉ thị của Đảng, pháp luật của Nhà nước.';

  it('marks the words of an unaccented query in the accented text', () => {
    const parts = localSnippet(text, 'nghi quyet');
    expect(marked(parts)).toEqual(['nghị', 'quyết']);
  });

  it('matches the last word as a prefix, the others whole', () => {
    expect(marked(localSnippet('Đảng viên và đảng bộ', 'dang vi'))).toEqual(['Đảng', 'vi', 'đảng']);
    expect(marked(localSnippet('Đảng viên và đảng bộ', 'dan vien'))).toEqual(['viên']);
  });

  it('cuts a window around the first hit, between words, with ellipses', () => {
    const parts = localSnippet(text, 'phap luat', 60);
    const shown = whole(parts);
    expect(shown.startsWith('…')).toBe(true);
    expect(shown).toContain('pháp luật');
    expect(shown.length).toBeLessThan(90);
    expect(marked(parts)).toEqual(['pháp', 'luật']);
  });

  it('shows the beginning when nothing matches', () => {
    const parts = localSnippet(text, 'xyz qwerty', 40);
    expect(whole(parts).startsWith('Chương I.')).toBe(true);
    expect(marked(parts)).toEqual([]);
  });
});
