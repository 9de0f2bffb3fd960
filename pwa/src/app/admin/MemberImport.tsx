import { useState } from 'preact/hooks';
import { csrfHeaders } from '../../shared/csrf';
import { parseProblem } from '../../shared/problem';
import { Alert } from '../components/Alert';
import { Page } from '../components/Page';
import { describeError } from '../errors';
import { t } from '../i18n';
import { canImportMembers } from '../roles';
import { StaffGate } from './Gate';
import { reportView, uploadName, type ImportReport } from './import-report';

/** ImportMembers takes the file itself as the body (text/csv), its name and the dry-run switch in the query. */
async function sendFile(file: File, dryRun: boolean): Promise<ImportReport> {
  const query = new URLSearchParams({ file_name: uploadName(file.name), dry_run: String(dryRun) });
  const response = await fetch(`/api/v1/members/import?${query.toString()}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'text/csv', Accept: 'application/json, application/problem+json', ...csrfHeaders('POST', document.cookie, null) },
    body: file,
  });
  if (!response.ok) throw parseProblem(response.status, response.headers.get('Content-Type'), await response.text().catch(() => ''));
  return (await response.json()) as ImportReport;
}

function Report({ report, dryRun }: { readonly report: ImportReport; readonly dryRun: boolean }) {
  const view = reportView(report);
  return (
    <section class="group" aria-labelledby="import-report">
      <h2 id="import-report">{t(dryRun ? 'import.dryRunReport' : 'import.doneReport')}</h2>
      <dl class="facts">
        {view.counts.map(([label, count]) => (
          <div key={label}>
            <dt>{t(label)}</dt>
            <dd>{count}</dd>
          </div>
        ))}
      </dl>
      {view.rows.length > 0 && (
        <div class="table-scroll">
          <table class="data-table">
            <caption>{t('import.errors', { count: view.rows.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('import.line')}</th>
                <th scope="col">{t('import.card')}</th>
                <th scope="col">{t('import.field')}</th>
                <th scope="col">{t('import.message')}</th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((row) => (
                <tr key={row.key}>
                  <td>{row.line || '—'}</td>
                  <td>{row.card || '—'}</td>
                  <td>{row.field || t('import.wholeRow')}</td>
                  <td class="wide">{row.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ImportForm() {
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<{ report: ImportReport; dryRun: boolean; file: File } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  function send(dryRun: boolean): void {
    if (!file) {
      setError(t('import.needFile'));
      return;
    }
    setBusy(true);
    setError('');
    sendFile(file, dryRun)
      .then((report) => setResult({ report, dryRun, file }))
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  }

  // The real import is offered only after a clean dry run of this very file.
  const confirmable = result !== null && result.dryRun && result.file === file && reportView(result.report).clean;
  return (
    <Page heading={t('import.title')}>
      <p>{t('import.intro')}</p>
      <form class="form" noValidate onSubmit={(event) => { event.preventDefault(); send(true); }}>
        <div class="field">
          <label for="import-file">{t('import.file')}</label>
          <p class="field-hint">{t('import.fileHint')}</p>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(event) => {
              setFile(event.currentTarget.files?.[0] ?? null);
              setResult(null);
            }}
          />
        </div>
        <Alert message={error} />
        <button type="submit" class="button" disabled={busy}>
          {busy ? t('import.sending') : t('import.check')}
        </button>
      </form>
      {result && <Report report={result.report} dryRun={result.dryRun} />}
      {result?.dryRun && !confirmable && <p class="notice">{t('import.fixFirst')}</p>}
      {confirmable && (
        <button type="button" class="button" disabled={busy} onClick={() => send(false)}>
          {t('import.confirm')}
        </button>
      )}
    </Page>
  );
}

/** An admin loads the member list exported from the national database: a dry run first, then the import. */
export function MemberImportScreen() {
  return (
    <StaffGate heading={t('import.title')} allowed={canImportMembers} forbidden="import.forbidden">
      <ImportForm />
    </StaffGate>
  );
}
