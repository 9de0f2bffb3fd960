import { useState } from 'preact/hooks';
import { call, type Schemas } from '../../shared/api';
import { Alert } from '../components/Alert';
import { LoadFailure } from '../components/LoadFailure';
import { Page } from '../components/Page';
import { useLoad } from '../components/useLoad';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { t, type MessageKey } from '../i18n';
import { links, paths } from '../router';
import { SecretaryGate } from './Gate';

type ManagedNotice = Schemas['ManagedNotice'];

const STATES: Readonly<Record<ManagedNotice['state'], MessageKey>> = {
  scheduled: 'secretary.state.scheduled',
  published: 'secretary.state.published',
  expired: 'secretary.state.expired',
  withdrawn: 'secretary.state.withdrawn',
};

function List() {
  const first = useLoad(() => call('get', '/api/v1/notices/managed', { query: { limit: 20 } }), []);
  const [older, setOlder] = useState<{ items: ManagedNotice[]; next: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const items = [...(first.data?.items ?? []), ...(older?.items ?? [])];
  const next = older ? older.next : (first.data?.next_cursor ?? null);

  function more(): void {
    if (!next) return;
    setBusy(true);
    call('get', '/api/v1/notices/managed', { query: { limit: 20, after: next } })
      .then((page) => setOlder({ items: [...(older?.items ?? []), ...page.items], next: page.next_cursor }))
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  }

  return (
    <Page heading={t('secretary.title')}>
      <a class="button" href={paths.secretaryNew}>
        {t('secretary.new')}
      </a>
      <div class="group">
        {first.data === undefined && (first.loading ? <p class="loading" role="status">{t('app.loading')}</p> : <LoadFailure error={first.error} />)}
        {first.data && items.length === 0 && <p>{t('secretary.empty')}</p>}
        {items.length > 0 && (
          <ul class="cards">
            {items.map((notice) => (
              <li key={notice.id}>
                <a class="card" href={links.secretaryNotice(notice.id)}>
                  <span class="feed-flags">
                    <span class={notice.state === 'published' ? 'badge badge-done' : 'badge badge-todo'}>{t(STATES[notice.state])}</span>
                    {notice.pinned && <span class="badge badge-pin">{t('notices.pinned')}</span>}
                    {notice.requires_acknowledgement && <span class="badge badge-pin">{t('notices.needsAck')}</span>}
                  </span>
                  <span class="card-title">{notice.title}</span>
                  <span class="card-meta">{t('notices.from', { unit: notice.unit_name, time: formatDateTime(Date.parse(notice.publish_at)) })}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
        {next && (
          <button type="button" class="button button-secondary" disabled={busy} onClick={more}>
            {busy ? t('notices.loadingMore') : t('secretary.more')}
          </button>
        )}
        <Alert message={error} />
      </div>
    </Page>
  );
}

/** The notices I may manage: scheduled, live, expired and withdrawn, newest first. */
export function ManagedNotices() {
  return (
    <SecretaryGate heading={t('secretary.title')}>
      <List />
    </SecretaryGate>
  );
}
