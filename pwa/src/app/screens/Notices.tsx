import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../components/Alert';
import { LoadFailure } from '../components/LoadFailure';
import { Page } from '../components/Page';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { NoticeCard } from '../notices/NoticeCard';
import { feedOffline, loadMoreNotices, noticeFeed, refreshNotices } from '../notices/store';

/** The notices feed: pinned first, newest first, kept on the phone for reading with no signal. */
export function Notices() {
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [more, setMore] = useState<'idle' | 'busy'>('idle');
  const [moreError, setMoreError] = useState('');

  function load(): void {
    setLoading(true);
    setError(null);
    refreshNotices()
      .catch((failure: unknown) => setError(failure))
      .finally(() => setLoading(false));
  }
  useEffect(load, []);

  function showMore(): void {
    setMore('busy');
    setMoreError('');
    loadMoreNotices()
      .catch((failure: unknown) => setMoreError(describeError(failure)))
      .finally(() => setMore('idle'));
  }

  const feed = noticeFeed.value;
  return (
    <Page heading={t('notices.title')}>
      {feedOffline.value && feed && (
        <p class="notice" role="status">
          {t('notices.offline')} {t('notices.savedAt', { time: formatDateTime(feed.savedAt) })}
        </p>
      )}
      {!feed && loading && (
        <p class="loading" role="status">
          {t('app.loading')}
        </p>
      )}
      {error !== null && !loading && <LoadFailure error={error} onRetry={load} />}
      {feed && (
        <>
          {feed.unread > 0 && <p role="status">{t('notices.unreadCount', { count: feed.unread > 99 ? '99+' : feed.unread })}</p>}
          {feed.items.length === 0 ? (
            <p>{t('notices.empty')}</p>
          ) : (
            <ul class="cards">
              {feed.items.map((notice) => (
                <li key={notice.id}>
                  <NoticeCard notice={notice} />
                </li>
              ))}
            </ul>
          )}
          {feed.nextCursor && !feedOffline.value && (
            <button type="button" class="button button-secondary" disabled={more === 'busy'} onClick={showMore}>
              {more === 'busy' ? t('notices.loadingMore') : t('notices.more')}
            </button>
          )}
          <Alert message={moreError} />
        </>
      )}
    </Page>
  );
}
