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

export function reportView(report: ImportReport): ReportView {
  const rows = [...report.errors]
    .sort((a, b) => a.line - b.line || (a.field ?? '').localeCompare(b.field ?? ''))
    .map((error, index) => ({
      key: `${error.line}-${index}`,
      line: error.line > 0 ? String(error.line) : '',
      card: error.card_number ?? '',
      field: error.field ?? '',
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
