import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../components/Alert';
import { LoadFailure } from '../components/LoadFailure';
import { Page } from '../components/Page';
import { useLoad } from '../components/useLoad';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { acknowledgeNotice, ackState, loadNotice, markNoticeRead, noticeWrites, type Notice } from '../notices/store';
import { outboxState } from '../outbox';

const BACK = (
  <p class="crumb">
    <a href="/notices">{t('notice.back')}</a>
  </p>
);

/** "Tôi đã đọc và nắm được": queued in the outbox, so it counts even when tapped with no signal. */
function NoticeAck({ notice }: { readonly notice: Notice }) {
  const [busy, setBusy] = useState(false);
  const [acked, setAcked] = useState(false);
  const [error, setError] = useState('');
  // Re-read the state when a queued write settles (pending -> done).
  void noticeWrites.value;
  void outboxState.value.pending;
  const state = ackState(notice, acked);

  function confirm(): void {
    setBusy(true);
    setError('');
    acknowledgeNotice(notice)
      .then(() => setAcked(true))
      .catch(() => setError(t('error.generic')))
      .finally(() => setBusy(false));
  }

  return (
    <section class="ack" aria-labelledby="notice-ack-title">
      <h2 id="notice-ack-title">{t('notice.ackTitle')}</h2>
      <div role="status">
        {state === 'done' && <p class="ack-done">{t('notice.ackDone')}</p>}
        {state === 'pending' && <p class="ack-done">{t('notice.ackPending')}</p>}
      </div>
      {state === 'none' && (
        <>
          <p>{t('notice.ackPrompt')}</p>
          <button type="button" class="button" disabled={busy} onClick={confirm}>
            {busy ? t('notice.ackSending') : t('notice.ackButton')}
          </button>
        </>
      )}
      <Alert message={error} />
    </section>
  );
}

export function NoticeScreen({ noticeId }: { readonly noticeId: string }) {
  const { data, error, loading } = useLoad(() => loadNotice(noticeId), [noticeId]);
  const notice = data?.notice;

  // Opening it is reading it: recorded once, through the outbox.
  useEffect(() => {
    if (notice && notice.state === 'published') void markNoticeRead(notice).catch(() => undefined);
  }, [notice?.id]);

  if (!notice) {
    return (
      <Page heading={loading ? t('app.loading') : t('notices.title')} before={BACK}>
        {loading ? (
          <p class="loading" role="status">
            {t('app.loading')}
          </p>
        ) : (
          <LoadFailure error={error} />
        )}
      </Page>
    );
  }

  return (
    <Page heading={notice.title} before={BACK}>
      {data.kept && (
        <p class="notice" role="status">
          {t('notice.kept')}
        </p>
      )}
      {notice.state === 'withdrawn' && <p class="notice">{t('notice.withdrawn')}</p>}
      <p class="card-meta">
        {notice.unit_name}
        <br />
        {t('notice.by', { author: notice.author_name })}
        <br />
        {t('notice.published', { time: formatDateTime(Date.parse(notice.publish_at)) })}
        {notice.expires_at && (
          <>
            <br />
            {t('notice.expires', { time: formatDateTime(Date.parse(notice.expires_at)) })}
          </>
        )}
      </p>
      <div
        class="reader"
        // Rendered from Markdown and sanitized on the server with the handbook's allow-list (no scripts,
        // no style attributes; api/handbook/rendering.py), and the CSP forbids inline script anyway.
        dangerouslySetInnerHTML={{ __html: notice.body_html }}
      />
      {notice.attachments.length > 0 && (
        <section class="group" aria-labelledby="notice-files">
          <h2 id="notice-files">{t('notice.attachments')}</h2>
          <ul class="plain-list">
            {notice.attachments.map((file) => (
              <li key={file.id}>
                <a href={`/api/v1/attachments/${encodeURIComponent(file.id)}`} download={file.file_name}>
                  {file.file_name}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {notice.requires_acknowledgement && notice.state === 'published' && <NoticeAck notice={notice} />}
      {notice.can_manage && (
        <p class="group">
          <a class="button button-secondary" href={`/secretary/notices/${encodeURIComponent(notice.id)}`}>
            {t('notice.manage')}
          </a>
        </p>
      )}
    </Page>
  );
}
