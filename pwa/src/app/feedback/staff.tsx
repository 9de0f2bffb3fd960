/** Secretary and officer views of feedback (a chunk of its own): the inbox, answering, the status. */
import { useState } from 'preact/hooks';
import { call, type Schemas } from '../../shared/api';
import { Page } from '../components/Page';
import { t } from '../i18n';
import { newIdempotencyKey } from '../offline-queue';
import { links, paths } from '../router';
import { formatDate } from '../life/dates';
import { explain, QUIET, Said, useFresh, Waiting, type WriteState } from '../life/ui';
import { submitWrite } from '../life/writes';
import { excerpt, MAX_BODY } from './draft';
import { PublishFaq } from './faq-publish';

type Thread = Schemas['FeedbackThread'];
type Status = Thread['status'];
const FILTERS: readonly (Status | '')[] = ['', 'new', 'acknowledged', 'answered', 'closed'];

export function StaffTools({ thread, reload }: { readonly thread: Thread; readonly reload: () => void }) {
  const [answer, setAnswer] = useState('');
  const [said, setSaid] = useState<WriteState>(QUIET);
  const [busy, setBusy] = useState(false);
  const label = (what: string) => `${what}: ${excerpt(thread.title, thread.body, 40)}`;
  async function act(run: () => Promise<{ state: 'sent' | 'queued' }>, after?: () => void): Promise<void> {
    setBusy(true);
    setSaid(QUIET);
    try {
      const result = await run();
      setSaid(result.state === 'sent' ? { tone: 'ok', text: t('life.saved') } : { tone: 'wait', text: t('life.queued') });
      after?.();
      reload();
    } catch (failure) {
      setSaid({ tone: 'error', text: explain(failure) });
    } finally {
      setBusy(false);
    }
  }
  const path = { thread_id: thread.id };
  const setStatus = (status: 'acknowledged' | 'closed', what: string) =>
    act(() => submitWrite('post', '/api/v1/feedback/{thread_id}/status', { path, body: { status }, kind: 'feedbackStatus', ref: thread.id, label: label(what) }));
  return (
    <section class="panel" aria-labelledby="staff-title">
      <h2 id="staff-title">{t('fbInbox.answerTitle')}</h2>
      {thread.overdue && <p class="notice">{t('fbInbox.overdue', { date: formatDate(thread.answer_due_at) })}</p>}
      {thread.status !== 'closed' && !thread.locked && (
        <form
          class="form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (!answer.trim()) return;
            void act(
              () =>
                submitWrite('post', '/api/v1/feedback/{thread_id}/replies', {
                  path,
                  body: { id: newIdempotencyKey(), body: answer.trim() },
                  kind: 'feedbackReply',
                  ref: thread.id,
                  label: label(t('fbInbox.answer')),
                }),
              () => setAnswer(''),
            );
          }}
        >
          <div class="field">
            <label for="staff-answer">{t('fbInbox.answer')}</label>
            <textarea id="staff-answer" rows={6} maxLength={MAX_BODY} value={answer} onInput={(event) => setAnswer(event.currentTarget.value)} />
          </div>
          <button type="submit" class="button" disabled={busy || !answer.trim()}>
            {t('fbInbox.sendAnswer')}
          </button>
        </form>
      )}
      <div class="actions">
        {thread.status === 'new' && (
          <button type="button" class="button button-secondary" disabled={busy} onClick={() => void setStatus('acknowledged', t('fbInbox.acknowledge'))}>
            {t('fbInbox.acknowledge')}
          </button>
        )}
        {thread.status !== 'closed' && (
          <button type="button" class="button button-quiet" disabled={busy} onClick={() => void setStatus('closed', t('thread.close'))}>
            {t('thread.close')}
          </button>
        )}
      </div>
      <Said tone={said.tone}>{said.text}</Said>
      <PublishFaq thread={thread} />
    </section>
  );
}

export function FeedbackInboxScreen() {
  const [status, setStatus] = useState<Status | ''>('');
  const { data, error, loading, reload } = useFresh(
    `feedback.inbox.${status}`,
    () => call('get', '/api/v1/feedback/inbox', { query: { status: status || undefined } }),
    [status],
  );
  return (
    <Page
      heading={t('fbInbox.title')}
      before={
        <p class="crumb">
          <a href={paths.feedback}>{t('feedback.back')}</a>
        </p>
      }
    >
      <div class="field">
        <label for="inbox-status">{t('fbInbox.filter')}</label>
        <select id="inbox-status" value={status} onChange={(event) => setStatus(event.currentTarget.value as Status | '')}>
          {FILTERS.map((value) => (
            <option key={value} value={value}>
              {value ? t(`feedback.status.${value}`) : t('fbInbox.all')}
            </option>
          ))}
        </select>
      </div>
      {!data ? (
        <Waiting loading={loading} error={error} onRetry={reload} />
      ) : data.value.items.length === 0 ? (
        <p>{t('fbInbox.none')}</p>
      ) : (
        <ul class="cards">
          {data.value.items.map((item) => (
            <li key={item.id}>
              <a class="card" href={links.feedbackThread(item.id)}>
                <span class="card-title">{excerpt(item.title, item.excerpt)}</span>
                <span class="card-text">
                  {item.author_name ?? t('thread.anonymous')} · {t(`feedback.kind.${item.kind}`)} · {formatDate(item.created_at)}
                </span>
                <span class={item.status === 'new' || item.overdue ? 'badge badge-todo' : 'badge'}>
                  {item.overdue ? t('fbInbox.late') : t(`feedback.status.${item.status}`)}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
