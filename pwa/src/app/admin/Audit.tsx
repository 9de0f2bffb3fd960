import { useEffect, useState } from 'preact/hooks';
import { call } from '../../shared/api';
import { LoadFailure } from '../components/LoadFailure';
import { Page } from '../components/Page';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { canAdminister } from '../roles';
import { Loading, StaffGate } from './Gate';
import { actionLabel, appendPage, AUDIT_ACTIONS, detailLines, type AuditEvent } from './members';

const PAGE_SIZE = 50;

function AuditList() {
  const [action, setAction] = useState('');
  const [items, setItems] = useState<AuditEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [started, setStarted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  function load(after: string | null, filter: string): void {
    setBusy(true);
    setFailure(null);
    const cursor = after === null ? undefined : Number(after);
    call('get', '/api/v1/audit', { query: { limit: PAGE_SIZE, after: cursor, action: filter || undefined } })
      .then((page) => {
        setItems((previous) => (after === null ? page.items : appendPage(previous, page.items)));
        setNext(page.next_cursor);
        setStarted(true);
      })
      .catch((error: unknown) => setFailure(error))
      .finally(() => setBusy(false));
  }

  useEffect(() => load(null, action), [action]);

  return (
    <Page heading={t('audit.title')}>
      <p>{t('audit.intro')}</p>
      <div class="field">
        <label for="audit-action">{t('audit.filter')}</label>
        <div class="field-row">
          <select id="audit-action" value={action} onChange={(event) => setAction(event.currentTarget.value)}>
            <option value="">{t('audit.all')}</option>
            {AUDIT_ACTIONS.map((name) => (
              <option key={name} value={name}>
                {t(`audit.action.${name}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {!started && busy && <Loading />}
      {failure !== null && <LoadFailure error={failure} onRetry={() => load(started ? next : null, action)} />}
      {started && items.length === 0 && <p>{t('audit.none')}</p>}
      <ul class="cards">
        {items.map((event) => {
          const label = actionLabel(event.action);
          return (
            <li key={event.id} class="card">
              <span class="card-title-plain">{label ? t(label) : event.action}</span>
              <span class="card-meta">{formatDateTime(Date.parse(event.at))}</span>
              <span class="card-text">
                {t('audit.who', { actor: event.actor_name ?? t('audit.system'), target: event.target })}
              </span>
              {detailLines(event.details).map((line) => (
                <span key={line} class="card-meta">
                  {line}
                </span>
              ))}
            </li>
          );
        })}
      </ul>
      {next !== null && (
        <button type="button" class="button button-secondary" disabled={busy} onClick={() => load(next, action)}>
          {busy ? t('app.loading') : t('audit.more')}
        </button>
      )}
    </Page>
  );
}

/** The audit log in the admin's scope, newest first, a page at a time. */
export function AuditScreen() {
  return (
    <StaffGate heading={t('audit.title')} allowed={canAdminister} forbidden="audit.forbidden">
      <AuditList />
    </StaffGate>
  );
}
