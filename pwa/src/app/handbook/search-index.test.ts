import { describe, expect, it } from 'vitest';
import { buildSectionIndex, INDEX_SLICE, type IndexedSection } from './search-index';

const SECTIONS: IndexedSection[] = [
  {
    id: 's1',
    documentId: 'd1',
    documentTitle: 'Điều lệ Đảng',
    title: 'Nhiệm vụ của đảng viên',
    text: 'Đảng viên chấp hành nghiêm chỉnh Cương lĩnh chính trị, Điều lệ Đảng, nghị quyết, chỉ thị của Đảng.',
  },
  {
    id: 's2',
    documentId: 'd2',
    documentTitle: 'Nghị quyết 57-NQ/TW',
    title: 'Khoa học, công nghệ',
    text: 'Đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia.',
  },
  {
    id: 's3',
    documentId: 'd3',
    documentTitle: 'Hướng dẫn',
    title: 'Sinh hoạt chi bộ',
    text: 'Chi bộ sinh hoạt định kỳ mỗi tháng một lần.',
  },
];

const index = await buildSectionIndex(SECTIONS);
const ids = (query: string) => index.search(query).map((hit) => hit.sectionId);

describe('the offline search index', () => {
  it('finds accented text from an unaccented query', () => {
    expect(ids('nghi quyet')).toEqual(expect.arrayContaining(['s1', 's2']));
    expect(ids('dang vien')).toEqual(['s1']);
    expect(ids('chuyen doi so')).toEqual(['s2']);
  });

  it('finds the same with accents, capitals or decomposed input', () => {
    expect(ids('ĐẢNG VIÊN')).toEqual(['s1']);
    expect(ids('đảng viên'.normalize('NFD'))).toEqual(['s1']);
  });

  it('needs every word, and takes the last one as a prefix', () => {
    expect(ids('chi bo sinh')).toEqual(['s3']);
    expect(ids('chi bo khoa')).toEqual([]);
    expect(ids('57 nq')).toEqual(['s2']);
  });

  it('gives a highlighted snippet and where the hit belongs', () => {
    const [hit] = index.search('dot pha');
    expect(hit).toMatchObject({ sectionId: 's2', documentId: 'd2', documentTitle: 'Nghị quyết 57-NQ/TW', title: 'Khoa học, công nghệ' });
    expect(hit?.parts.filter((part) => part.marked).map((part) => part.text)).toEqual(['Đột', 'phá', 'phá']); // «phát» starts with the last word
  });

  it('finds nothing for nothing', () => {
    expect(ids('')).toEqual([]);
    expect(ids('   ')).toEqual([]);
    expect(ids('xyzzy')).toEqual([]);
  });
});

describe('buildSectionIndex in slices', () => {
  it('gives the main thread back between slices and finds every section, diacritics folded', async () => {
    const many: IndexedSection[] = Array.from({ length: INDEX_SLICE * 3 + 1 }, (_, at) => ({
      id: `m${at}`,
      documentId: 'd9',
      documentTitle: 'Quy định',
      title: `Điều ${at}`,
      text: at === INDEX_SLICE * 3 ? 'Đảng viên sinh hoạt Đảng ở chi bộ nơi cư trú.' : `Nội dung điều ${at}.`,
    }));
    let pauses = 0;
    const built = await buildSectionIndex(many, async () => {
      pauses += 1;
    });
    expect(pauses).toBe(4);
    expect(built.search('dang vien sinh hoat').map((hit) => hit.sectionId)).toEqual([`m${INDEX_SLICE * 3}`]);
    expect(built.search('dieu', 200)).toHaveLength(many.length);
  });
});
