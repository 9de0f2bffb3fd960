import { useEffect, useState } from 'preact/hooks';
import { safeAppPath } from '../../shared/app-url';
import { Alert } from '../components/Alert';
import { LoadFailure } from '../components/LoadFailure';
import { Page } from '../components/Page';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import {
  inboxUnread,
  listNotifications,
  markAllLocally,
  markAllNotificationsRead,
  markNotificationRead,
  markReadLocally,
  type Notification,
} from '../notifications/inbox';

interface InboxState {
  readonly items: readonly Notification[];
  readonly next: string | null;
}

/** The notifications inbox: newest first, unread marked, each one leading to what it is about. */
export function Inbox() {
  const [state, setState] = useState<InboxState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState('');

  function load(): void {
    setError(null);
    listNotifications()
      .then((page) => setState({ items: page.items, next: page.next }))
      .catch((failure: unknown) => setError(failure));
  }
  useEffect(load, []);

  function more(): void {
    if (!state?.next) return;
    setBusy(true);
    listNotifications(state.next)
      .then((page) => setState({ items: [...state.items, ...page.items.filter((item) => !state.items.some((shown) => shown.id === item.id))], next: page.next }))
      .catch((failure: unknown) => setActionError(describeError(failure)))
      .finally(() => setBusy(false));
  }

  function read(item: Notification): void {
    if (!state || item.read_at !== null) return;
    const marked = markReadLocally(state.items, item.id, inboxUnread.value ?? 0, new Date().toISOString());
    setState({ ...state, items: marked.items });
    inboxUnread.value = marked.unread;
    markNotificationRead(item.id).catch(() => undefined); // read again next time it is opened
  }

  function readAll(): void {
    if (!state) return;
    setBusy(true);
    setActionError('');
    markAllNotificationsRead()
      .then(() => setState({ ...state, items: markAllLocally(state.items, new Date().toISOString()) }))
      .catch((failure: unknown) => setActionError(describeError(failure)))
      .finally(() => setBusy(false));
  }

  const unread = inboxUnread.value ?? 0;
  return (
    <Page heading={t('inbox.title')}>
      {!state && !error && (
        <p class="loading" role="status">
          {t('app.loading')}
        </p>
      )}
      {error !== null && <LoadFailure error={error} onRetry={load} />}
      {state && (
        <>
          <p role="status">{unread > 0 ? t('inbox.unread', { count: unread > 99 ? '99+' : unread }) : t('inbox.allRead')}</p>
          {unread > 0 && (
            <button type="button" class="button button-secondary" disabled={busy} onClick={readAll}>
              {busy ? t('inbox.marking') : t('inbox.markAll')}
            </button>
          )}
          <Alert message={actionError} />
          {state.items.length === 0 ? (
            <p>{t('inbox.empty')}</p>
          ) : (
            <ul class="cards inbox-list">
              {state.items.map((item) => (
                <li key={item.id}>
                  <a
                    class={item.read_at === null ? 'card feed-card feed-unread' : 'card feed-card'}
                    href={safeAppPath(item.url, location.origin)}
                    onClick={() => read(item)}
                  >
                    {item.read_at === null && (
                      <span class="feed-flags">
                        <span class="badge badge-todo">{t('inbox.new')}</span>
                      </span>
                    )}
                    <span class="card-title">{item.title}</span>
                    {item.body && <span class="card-text">{item.body}</span>}
                    <span class="card-meta">{formatDateTime(Date.parse(item.created_at))}</span>
                  </a>
                </li>
              ))}
            </ul>
          )}
          {state.next && (
            <button type="button" class="button button-secondary" disabled={busy} onClick={more}>
              {t('inbox.more')}
            </button>
          )}
        </>
      )}
    </Page>
  );
}
