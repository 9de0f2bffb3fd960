import { describe, expect, it } from 'vitest';
import { columnName, reportView, uploadName, type ImportReport } from './import-report';

const base: ImportReport = { batch_id: null, rows_total: 3, inserted: 2, updated: 1, unchanged: 0, rejected: 0, errors: [] };

describe('reportView', () => {
  it('is clean when no row was refused, with the counts in order', () => {
    const view = reportView(base);
    expect(view.clean).toBe(true);
    expect(view.rows).toEqual([]);
    expect(view.counts).toEqual([
      ['import.total', 3],
      ['import.inserted', 2],
      ['import.updated', 1],
      ['import.unchanged', 0],
      ['import.rejected', 0],
    ]);
  });

  it('lists the errors by line, with blanks for a missing field or card and for the file as a whole', () => {
    const view = reportView({
      ...base,
      rejected: 2,
      errors: [
        { line: 9, card_number: '123', field: 'phone', code: 'invalid', message: 'Số điện thoại sai.' },
        { line: 4, card_number: null, field: null, code: 'duplicate', message: 'Trùng số thẻ.' },
        { line: 0, card_number: null, field: null, code: 'header', message: 'Thiếu cột.' },
      ],
    });
    expect(view.clean).toBe(false);
    expect(view.rows.map((row) => [row.line, row.card, row.field, row.message])).toEqual([
      ['', '', '', 'Thiếu cột.'],
      ['4', '', '', 'Trùng số thẻ.'],
      ['9', '123', 'dien_thoai', 'Số điện thoại sai.'],
    ]);
  });

  it('is not clean when errors come without a rejected count', () => {
    expect(reportView({ ...base, errors: [{ line: 2, card_number: null, field: 'x', code: 'c', message: 'm' }] }).clean).toBe(false);
  });
});

describe('columnName', () => {
  it('names a column by the header in the national export, and keeps an unknown field as it is', () => {
    expect(columnName('card_number')).toBe('so_the');
    expect(columnName('branch_code')).toBe('ma_chi_bo');
    expect(columnName('file')).toBe('file');
    expect(columnName(null)).toBe('');
  });
});

describe('uploadName', () => {
  it('keeps the name, cut to 200 characters, and names a nameless file', () => {
    expect(uploadName('dang-vien.csv')).toBe('dang-vien.csv');
    expect(uploadName('a'.repeat(300))).toHaveLength(200);
    expect(uploadName('  ')).toBe('upload.csv');
  });
});
