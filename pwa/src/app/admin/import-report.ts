/** The member import's report as the screen shows it: the counts, and one table row per rejected line. */
import type { Schemas } from '../../shared/api';
import type { MessageKey } from '../i18n';

export type ImportReport = Schemas['ImportReport'];

export interface ErrorRow {
  readonly key: string;
  /** The file's line number as the spreadsheet shows it, or '' for the file as a whole. */
  readonly line: string;
  readonly card: string;
  /** The column name, or '' when the whole row was refused. */
  readonly field: string;
  readonly message: string;
}

export interface ReportView {
  readonly counts: ReadonlyArray<readonly [MessageKey, number]>;
  readonly rows: readonly ErrorRow[];
  /** Nothing would be refused: the real import may follow this dry run. */
  readonly clean: boolean;
}

/** The report names columns by their English alias; the admin's file has the national export's headers (docs/import.md). */
const HEADERS: Readonly<Record<string, string>> = {
  card_number: 'so_the',
  full_name: 'ho_ten',
  date_of_birth: 'ngay_sinh',
  gender: 'gioi_tinh',
  phone: 'dien_thoai',
  email: 'email',
  citizen_id: 'so_cccd',
  joined_on: 'ngay_vao_dang',
  official_on: 'ngay_chinh_thuc',
  branch_code: 'ma_chi_bo',
  position: 'chuc_vu',
  status: 'trang_thai',
};

/** The column as the file's header names it, or the field itself when it is not a known column. */
export function columnName(field: string | null): string {
  if (!field) return '';
  return HEADERS[field] ?? field;
}

export function reportView(report: ImportReport): ReportView {
  const rows = [...report.errors]
    .sort((a, b) => a.line - b.line || (a.field ?? '').localeCompare(b.field ?? ''))
    .map((error, index) => ({
      key: `${error.line}-${index}`,
      line: error.line > 0 ? String(error.line) : '',
      card: error.card_number ?? '',
      field: columnName(error.field),
      message: error.message,
    }));
  return {
    counts: [
      ['import.total', report.rows_total],
      ['import.inserted', report.inserted],
      ['import.updated', report.updated],
      ['import.unchanged', report.unchanged],
      ['import.rejected', report.rejected],
    ],
    rows,
    clean: report.rejected === 0 && report.errors.length === 0,
  };
}

/** What the server takes as the file name: its own name, cut to the 200 characters the route allows. */
export function uploadName(name: string): string {
  return (name.trim() || 'upload.csv').slice(0, 200);
}
