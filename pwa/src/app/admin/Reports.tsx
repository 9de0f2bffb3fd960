import { useState } from 'preact/hooks';
import { api, call } from '../../shared/api';
import { Alert } from '../components/Alert';
import { LoadFailure } from '../components/LoadFailure';
import { Page } from '../components/Page';
import { useLoad } from '../components/useLoad';
import { formatDate } from '../life/dates';
import { t } from '../i18n';
import { canReadReports } from '../roles';
import { links } from '../router';
import { Loading, StaffGate } from './Gate';
import { ackView, studyCsvUrl } from './reports';
import { loadPrograms, useOlderPrograms } from '../study/programs';

function StudyReports() {
  const programs = useLoad(() => loadPrograms(), []);
  const pages = useOlderPrograms(programs.data);
  return (
    <section class="group" aria-labelledby="reports-study">
      <h2 id="reports-study">{t('reports.study')}</h2>
      {programs.data === undefined && (programs.loading ? <Loading /> : <LoadFailure error={programs.error} />)}
      {programs.data && pages.items.length === 0 && <p>{t('reports.noPrograms')}</p>}
      <ul class="cards">
        {pages.items.map((program) => (
          <li key={program.id} class="card">
            <span class="card-title">{program.title}</span>
            <span class="card-meta">{t('reports.due', { unit: program.unit_name, date: formatDate(program.due_at) })}</span>
            <span class="card-row">
              <a class="button button-small button-secondary" href={links.studyReview(program.id)}>
                {t('reports.open')}
              </a>
              <a class="button button-small button-secondary" href={studyCsvUrl(program.id)} download>
                {t('reports.csv')}
              </a>
            </span>
          </li>
        ))}
      </ul>
      {pages.next && (
        <button type="button" class="button button-secondary" disabled={pages.busy} onClick={pages.more}>
          {pages.busy ? t('notices.loadingMore') : t('secretary.more')}
        </button>
      )}
      <Alert message={pages.error} />
    </section>
  );
}

function AckReport({ documentId }: { readonly documentId: string }) {
  const report = useLoad(
    () => call('get', '/api/v1/documents/{document_id}/acknowledgements', { path: { document_id: documentId } }),
    [documentId],
  );
  if (report.data === undefined) return report.loading ? <Loading /> : <LoadFailure error={report.error} />;
  const view = ackView(report.data);
  return (
    <div class="group">
      <p>
        <strong>{t('reports.ackTotal', { done: view.total.acknowledged, members: view.total.members, percent: view.total.percent })}</strong>
      </p>
      {view.branches.length > 0 && (
        <div class="table-scroll">
          <table class="data-table">
            <caption>{t('reports.byBranch')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reports.branch')}</th>
                <th scope="col">{t('reports.acknowledged')}</th>
                <th scope="col">%</th>
              </tr>
            </thead>
            <tbody>
              {view.branches.map((branch) => (
                <tr key={branch.branch_id}>
                  <td class="wide">{branch.branch_name}</td>
                  <td>
                    {branch.acknowledged}/{branch.members}
                  </td>
                  <td>{Math.round(branch.percent)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view.pending.length > 0 && (
        <>
          <h3>{t('reports.pending', { count: view.pending.length })}</h3>
          <ul class="plain-list">
            {view.pending.map((name, index) => (
              <li key={`${name}-${index}`}>{name}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function AckReports() {
  const documents = useLoad(() => api.listDocuments(), []);
  const [chosen, setChosen] = useState('');
  const needing = (documents.data ?? []).filter((document) => document.requires_ack && document.status === 'published');
  return (
    <section class="group" aria-labelledby="reports-ack">
      <h2 id="reports-ack">{t('reports.ack')}</h2>
      {documents.data === undefined && (documents.loading ? <Loading /> : <LoadFailure error={documents.error} />)}
      {documents.data && needing.length === 0 && <p>{t('reports.noAckDocuments')}</p>}
      {needing.length > 0 && (
        <div class="field">
          <label for="reports-document">{t('reports.document')}</label>
          <select id="reports-document" value={chosen} onChange={(event) => setChosen(event.currentTarget.value)}>
            <option value="">{t('reports.chooseDocument')}</option>
            {needing.map((document) => (
              <option key={document.id} value={document.id}>
                {document.title}
              </option>
            ))}
          </select>
        </div>
      )}
      {chosen && <AckReport key={chosen} documentId={chosen} />}
    </section>
  );
}

/** Study progress (with its CSV export) and who has acknowledged the documents that ask for it, within the caller's units. */
export function ReportsScreen() {
  return (
    <StaffGate heading={t('reports.title')} allowed={canReadReports} forbidden="reports.forbidden">
      <Page heading={t('reports.title')}>
        <StudyReports />
        <AckReports />
      </Page>
    </StaffGate>
  );
}
