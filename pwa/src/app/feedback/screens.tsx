/** The member's feedback: write (kept as a draft, queued offline), my threads, one thread, the FAQ. */
import { useEffect, useState } from 'preact/hooks';
import { call, type Schemas } from '../../shared/api';
import { Alert } from '../components/Alert';
import { Page } from '../components/Page';
import { t } from '../i18n';
import { router } from '../navigation';
import { newIdempotencyKey } from '../offline-queue';
import { links, paths } from '../router';
import { appDb } from '../storage';
import { formatDate } from '../life/dates';
import { lazyScreen as lazy } from '../components/Lazy';
import { explain, FEEDBACK_STAFF, holdsRole, pendingWrites, QUIET, Said, StaleNote, useFresh, Waiting, type WriteState } from '../life/ui';
import { submitWrite } from '../life/writes';
import { ModerationNotice, ReportAction } from './Report';
import {
  CATEGORIES,
  checkDraft,
  clearDraft,
  emptyDraft,
  excerpt,
  feedbackRequest,
  KINDS,
  LEVELS,
  loadDraft,
  MAX_BODY,
  saveDraft,
  type Draft,
} from './draft';

export const FEEDBACK_KIND = 'feedback';
type Thread = Schemas['FeedbackThread'];

const StaffTools = lazy(() => import('./staff').then((module) => module.StaffTools));

function StatusBadge({ status }: { readonly status: Thread['status'] }) {
  return <span class={status === 'answered' || status === 'closed' ? 'badge badge-done' : 'badge'}>{t(`feedback.status.${status}`)}</span>;
}

export function FeedbackScreen() {
  const { data, error, loading, reload } = useFresh('feedback.mine', () => call('get', '/api/v1/feedback/mine'));
  const waiting = pendingWrites(FEEDBACK_KIND);
  return (
    <Page heading={t('feedback.title')}>
      <p>
        <a class="button" href={paths.feedbackNew}>
          {t('feedback.new')}
        </a>
      </p>
      <p class="card-row">
        <a class="card" href={paths.faq}>
          <span class="card-title">{t('faq.title')}</span>
        </a>
        {holdsRole(...FEEDBACK_STAFF) && (
          <a class="card" href={paths.feedbackInbox}>
            <span class="card-title">{t('fbInbox.title')}</span>
          </a>
        )}
      </p>
      <h2>{t('feedback.mine')}</h2>
      {waiting.length > 0 && (
        <ul class="cards" aria-label={t('feedback.pendingList')}>
          {waiting.map((write) => {
            const body = write.body as Schemas['FeedbackCreate'];
            return (
              <li key={write.key} class="card card-pending">
                <span class="card-title-plain">{excerpt(body.title ?? '', body.body)}</span>
                <span class="badge">{t('life.pending')}</span>
              </li>
            );
          })}
        </ul>
      )}
      {!data ? (
        <Waiting loading={loading} error={error} onRetry={reload} />
      ) : (
        <>
          <StaleNote savedAt={data.savedAt} />
          {data.value.items.length === 0 && waiting.length === 0 ? (
            <p>{t('feedback.none')}</p>
          ) : (
            <ul class="cards">
              {data.value.items.map((item) => (
                <li key={item.id}>
                  <a class="card" href={links.feedbackThread(item.id)}>
                    <span class="card-title">{excerpt(item.title, item.excerpt)}</span>
                    <span class="card-text">
                      {t(`feedback.kind.${item.kind}`)} · {formatDate(item.created_at)} · {t('feedback.replies', { count: item.reply_count })}
                    </span>
                    <StatusBadge status={item.status} />
                  </a>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Page>
  );
}

function Choice<T extends string>({ name, legend, values, value, label, onChange }: {
  readonly name: string;
  readonly legend: string;
  readonly values: readonly T[];
  readonly value: T;
  readonly label: (value: T) => string;
  readonly onChange: (value: T) => void;
}) {
  return (
    <fieldset class="choices">
      <legend>{legend}</legend>
      {values.map((option) => (
        <label key={option} class="choice">
          <input type="radio" name={name} value={option} checked={value === option} onChange={() => onChange(option)} />
          <span>{label(option)}</span>
        </label>
      ))}
    </fieldset>
  );
}

export function NewFeedbackScreen() {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    appDb()
      .then(loadDraft)
      .catch(() => null)
      .then((stored) => current && setDraft(stored ?? emptyDraft(newIdempotencyKey(), Date.now())));
    return () => {
      current = false;
    };
  }, []);

  function change(patch: Partial<Draft>): void {
    if (!draft) return;
    const next = { ...draft, ...patch, updatedAt: Date.now() };
    setDraft(next);
    void appDb()
      .then((db) => saveDraft(db, next))
      .catch(() => undefined);
  }

  async function send(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!draft || busy) return;
    const problem = checkDraft(draft);
    if (problem) {
      setError(t(`feedback.problem.${problem}`));
      document.getElementById(problem.startsWith('title') ? 'feedback-title' : 'feedback-body')?.focus();
      return;
    }
    setBusy(true);
    setError('');
    try {
      const request = feedbackRequest(draft);
      const result = await submitWrite('post', '/api/v1/feedback', {
        body: request,
        kind: FEEDBACK_KIND,
        ref: draft.id,
        label: `${t('feedback.one')}: ${excerpt(request.title ?? '', request.body, 40)}`,
      });
      await appDb()
        .then((db) => clearDraft(db, draft.id))
        .catch(() => undefined);
      router.navigate(result.state === 'sent' ? links.feedbackThread(result.answer.id) : paths.feedback);
    } catch (failure) {
      setError(explain(failure));
      setBusy(false);
    }
  }

  const back = (
    <p class="crumb">
      <a href={paths.feedback}>{t('feedback.back')}</a>
    </p>
  );
  if (!draft) {
    return (
      <Page heading={t('feedback.new')} before={back}>
        <Waiting loading error={null} />
      </Page>
    );
  }
  return (
    <Page heading={t('feedback.new')} before={back}>
      <p class="note">{t('feedback.draftNote')}</p>
      <form class="form" noValidate onSubmit={(event) => void send(event)}>
        <Choice name="kind" legend={t('feedback.kindLabel')} values={KINDS} value={draft.kind} label={(v) => t(`feedback.kind.${v}`)} onChange={(kind) => change({ kind })} />
        <Choice name="level" legend={t('feedback.levelLabel')} values={LEVELS} value={draft.level} label={(v) => t(`feedback.level.${v}`)} onChange={(level) => change({ level })} />
        <div class="field">
          <label for="feedback-category">{t('feedback.categoryLabel')}</label>
          <select
            id="feedback-category"
            value={draft.category}
            onChange={(event) => change({ category: event.currentTarget.value as Draft['category'] })}
          >
            {CATEGORIES.map((category) => (
              <option key={category} value={category}>
                {t(`feedback.category.${category}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="feedback-title">{t('feedback.titleLabel')}</label>
          <input id="feedback-title" maxLength={200} value={draft.title} onInput={(event) => change({ title: event.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="feedback-body">{t('feedback.bodyLabel')}</label>
          <textarea
            id="feedback-body"
            rows={7}
            maxLength={MAX_BODY}
            required
            value={draft.body}
            onInput={(event) => change({ body: event.currentTarget.value })}
          />
          <p class="field-hint">{t('feedback.bodyCount', { count: draft.body.length, max: MAX_BODY })}</p>
        </div>
        <label class="choice">
          <input type="checkbox" checked={draft.anonymous} onChange={(event) => change({ anonymous: event.currentTarget.checked })} />
          <span>{t('feedback.anonymous')}</span>
        </label>
        <p class="field-hint">{t('feedback.anonymousHint')}</p>
        <label class="choice">
          <input type="checkbox" checked={draft.faqConsent} onChange={(event) => change({ faqConsent: event.currentTarget.checked })} />
          <span>{t('feedback.faqConsent')}</span>
        </label>
        <button type="submit" class="button" disabled={busy}>
          {busy ? t('feedback.sending') : t('feedback.send')}
        </button>
        <Alert message={error} />
      </form>
    </Page>
  );
}

/** One text by its author, as text (never HTML): members' words keep their "1." and "*". */
function Words({ text }: { readonly text: string }) {
  return <p class="plain-text">{text}</p>;
}

function useAct(thread: Thread, reload: () => void) {
  const [said, setSaid] = useState<WriteState>(QUIET);
  const [busy, setBusy] = useState(false);
  async function act(run: () => Promise<{ state: 'sent' | 'queued' }>): Promise<boolean> {
    setBusy(true);
    setSaid(QUIET);
    try {
      const result = await run();
      setSaid(result.state === 'sent' ? { tone: 'ok', text: t('life.saved') } : { tone: 'wait', text: t('life.queued') });
      reload();
      return true;
    } catch (failure) {
      setSaid({ tone: 'error', text: explain(failure) });
      return false;
    } finally {
      setBusy(false);
    }
  }
  const label = (what: string) => `${what}: ${excerpt(thread.title, thread.body, 40)}`;
  return { said, busy, act, label };
}

function AskerTools({ thread, reload }: { readonly thread: Thread; readonly reload: () => void }) {
  const { said, busy, act, label } = useAct(thread, reload);
  const [reply, setReply] = useState('');
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const path = { thread_id: thread.id };
  const canReopen = thread.status === 'closed' && thread.reopen_until !== null && Date.parse(thread.reopen_until) > Date.now();
  const canRate = (thread.status === 'answered' || thread.status === 'closed') && thread.rating === null;
  return (
    <section class="panel" aria-labelledby="asker-title">
      <h2 id="asker-title">{t('thread.yourActions')}</h2>
      {thread.status !== 'closed' && !thread.locked && (
        <form
          class="form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (!reply.trim()) return;
            void act(() =>
              submitWrite('post', '/api/v1/feedback/{thread_id}/replies', {
                path,
                body: { id: newIdempotencyKey(), body: reply.trim() },
                kind: 'feedbackReply',
                ref: thread.id,
                label: label(t('thread.reply')),
              }),
            ).then((ok) => ok && setReply(''));
          }}
        >
          <div class="field">
            <label for="asker-reply">{t('thread.addMore')}</label>
            <textarea id="asker-reply" rows={3} maxLength={MAX_BODY} value={reply} onInput={(event) => setReply(event.currentTarget.value)} />
          </div>
          <button type="submit" class="button button-secondary" disabled={busy || !reply.trim()}>
            {t('thread.send')}
          </button>
        </form>
      )}
      {canRate && (
        <form
          class="form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (rating < 1) return;
            void act(() =>
              submitWrite('post', '/api/v1/feedback/{thread_id}/rating', {
                path,
                body: { rating, comment: comment.trim() },
                kind: 'feedbackRating',
                ref: thread.id,
                label: label(t('thread.rate')),
              }),
            );
          }}
        >
          <fieldset class="choices stars">
            <legend>{t('thread.rate')}</legend>
            {[1, 2, 3, 4, 5].map((value) => (
              <label key={value} class="choice">
                <input type="radio" name="rating" checked={rating === value} onChange={() => setRating(value)} />
                <span>{t(`thread.star.${value as 1 | 2 | 3 | 4 | 5}`)}</span>
              </label>
            ))}
          </fieldset>
          <div class="field">
            <label for="rating-comment">{t('thread.ratingComment')}</label>
            <textarea id="rating-comment" rows={2} maxLength={1000} value={comment} onInput={(event) => setComment(event.currentTarget.value)} />
          </div>
          <button type="submit" class="button button-secondary" disabled={busy || rating < 1}>
            {t('thread.sendRating')}
          </button>
        </form>
      )}
      {thread.rating !== null && <p>{t('thread.rated', { rating: thread.rating })}</p>}
      {canReopen && (
        <form
          class="form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void act(() =>
              submitWrite('post', '/api/v1/feedback/{thread_id}/reopen', {
                path,
                body: { body: reply.trim() },
                kind: 'feedbackReopen',
                ref: thread.id,
                label: label(t('thread.reopen')),
              }),
            );
          }}
        >
          <div class="field">
            <label for="reopen-body">{t('thread.reopenWhy')}</label>
            <textarea id="reopen-body" rows={3} maxLength={MAX_BODY} value={reply} onInput={(event) => setReply(event.currentTarget.value)} />
            <p class="field-hint">{t('thread.reopenUntil', { date: formatDate(thread.reopen_until ?? '') })}</p>
          </div>
          <button type="submit" class="button button-secondary" disabled={busy}>
            {t('thread.reopen')}
          </button>
        </form>
      )}
      <label class="choice">
        <input
          type="checkbox"
          checked={thread.faq_consent}
          disabled={busy}
          onChange={(event) => {
            const consent = event.currentTarget.checked;
            void act(() =>
              submitWrite('put', '/api/v1/feedback/{thread_id}/faq-consent', {
                path,
                body: { consent },
                kind: 'faqConsent',
                ref: thread.id,
                label: label(t('feedback.faqConsent')),
              }),
            );
          }}
        />
        <span>{t('feedback.faqConsent')}</span>
      </label>
      {thread.status !== 'closed' && (
        <button
          type="button"
          class="button button-quiet"
          disabled={busy}
          onClick={() =>
            void act(() =>
              submitWrite('post', '/api/v1/feedback/{thread_id}/status', {
                path,
                body: { status: 'closed' },
                kind: 'feedbackStatus',
                ref: thread.id,
                label: label(t('thread.close')),
              }),
            )
          }
        >
          {t('thread.close')}
        </button>
      )}
      <Said tone={said.tone}>{said.text}</Said>
    </section>
  );
}

export function FeedbackThreadScreen({ threadId }: { readonly threadId: string }) {
  const { data, error, loading, reload } = useFresh(`feedback.${threadId}`, () =>
    call('get', '/api/v1/feedback/{thread_id}', { path: { thread_id: threadId } }),
  );
  const back = (
    <p class="crumb">
      <a href={paths.feedback}>{t('feedback.back')}</a>
    </p>
  );
  if (!data) {
    return (
      <Page heading={t('feedback.one')} before={back}>
        <Waiting loading={loading} error={error} onRetry={reload} />
      </Page>
    );
  }
  const thread = data.value;
  return (
    <Page heading={thread.title || t(`feedback.kind.${thread.kind}`)} title={t('feedback.one')} before={back}>
      <StaleNote savedAt={data.savedAt} />
      <p>
        <StatusBadge status={thread.status} />
      </p>
      <dl class="facts">
        <div>
          <dt>{t('thread.to')}</dt>
          <dd>{thread.unit_name}</dd>
        </div>
        <div>
          <dt>{t('thread.sentOn')}</dt>
          <dd>{formatDate(thread.created_at)}</dd>
        </div>
        <div>
          <dt>{t('thread.from')}</dt>
          <dd>{thread.author?.full_name ?? t('thread.anonymous')}</dd>
        </div>
      </dl>
      {thread.hidden && !thread.body ? <p class="notice">{t('thread.hidden')}</p> : <Words text={thread.body} />}
      {thread.moderation &&
        (thread.mine ? (
          <ModerationNotice note={thread.moderation} label={excerpt(thread.title, thread.body, 40)} />
        ) : (
          <p class="notice">{t('thread.moderated', { reason: thread.moderation.message || thread.moderation.reason })}</p>
        ))}
      {!thread.mine && !thread.hidden && <ReportAction kind="thread" id={thread.id} label={excerpt(thread.title, thread.body, 40)} />}
      <h2>{t('thread.replies')}</h2>
      {thread.replies.length === 0 ? (
        <p>{t('thread.noReplies')}</p>
      ) : (
        <ol class="replies">
          {thread.replies.map((reply) => (
            <li key={reply.id} class={reply.by_asker ? 'reply reply-asker' : 'reply'}>
              <p class="reply-who">
                <strong>{reply.mine ? t('thread.you') : (reply.author_name ?? t('thread.anonymous'))}</strong> · {formatDate(reply.created_at)}
              </p>
              {reply.hidden && !reply.body ? <p class="note">{t('thread.hidden')}</p> : <Words text={reply.body} />}
              {reply.moderation && reply.mine && <ModerationNotice note={reply.moderation} label={excerpt('', reply.body, 40)} />}
              {!reply.mine && !reply.hidden && <ReportAction kind="reply" id={reply.id} label={excerpt('', reply.body, 40)} />}
            </li>
          ))}
        </ol>
      )}
      {thread.mine && <AskerTools thread={thread} reload={reload} />}
      {thread.responsible && !thread.mine && <StaffTools thread={thread} reload={reload} />}
    </Page>
  );
}

export function FaqScreen() {
  const { data, error, loading, reload } = useFresh('faq', () => call('get', '/api/v1/faq'));
  return (
    <Page
      heading={t('faq.title')}
      before={
        <p class="crumb">
          <a href={paths.feedback}>{t('feedback.back')}</a>
        </p>
      }
    >
      {!data ? (
        <Waiting loading={loading} error={error} onRetry={reload} />
      ) : data.value.items.length === 0 ? (
        <p>{t('faq.none')}</p>
      ) : (
        <>
          <StaleNote savedAt={data.savedAt} />
          <ul class="plain-list">
            {data.value.items.map((entry) => (
              <li key={entry.id}>
                <details class="panel">
                  <summary>{entry.question}</summary>
                  <p class="card-meta">
                    {entry.unit_name} · {t(`feedback.category.${entry.category}`)}
                  </p>
                  {/* Answers are officers' Markdown, sanitized by the server like the handbook. */}
                  <div class="reader" dangerouslySetInnerHTML={{ __html: entry.answer_html }} />
                  {entry.moderation && entry.mine && <ModerationNotice note={entry.moderation} label={entry.question.slice(0, 40)} />}
                  {!entry.mine && !entry.hidden && <ReportAction kind="faq" id={entry.id} label={entry.question.slice(0, 40)} />}
                </details>
              </li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}
