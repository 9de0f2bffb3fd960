/** "Báo cáo vi phạm" under a reply, an FAQ entry or a thread; the hidden-content note with its appeal. */
import { signal } from '@preact/signals';
import { useState } from 'preact/hooks';
import type { Schemas } from '../../shared/api';
import { t } from '../i18n';
import { explain, pendingWrites, QUIET, Said, type WriteState } from '../life/ui';
import { submitWrite } from '../life/writes';
import { outboxState } from '../outbox';
import { appDb, onLocalDataCleared } from '../storage';
import {
  APPEAL_KIND,
  appealRequest,
  appealState,
  asReported,
  isReported,
  itemRef,
  MAX_APPEAL,
  MAX_DETAILS,
  REASONS,
  REPORT_KIND,
  reportRequest,
  REPORTS_KEY,
  RETRACT_KIND,
  withoutReport,
  withReport,
  type ItemKind,
  type Reason,
  type Reported,
} from './report';

const reported = signal<Reported | null>(null);
onLocalDataCleared(() => {
  reported.value = null;
});

function loadReported(): void {
  if (reported.value !== null) return;
  reported.value = {};
  void appDb()
    .then((db) => db.get('meta', REPORTS_KEY))
    .then((stored) => {
      reported.value = { ...asReported(stored), ...reported.value };
    })
    .catch(() => undefined);
}

function remember(next: Reported): void {
  reported.value = next;
  void appDb()
    .then((db) => db.put('meta', next, REPORTS_KEY))
    .catch(() => undefined);
}

/** A small disclosure: closed it is one line; open, a reason, a few words and a button. */
export function ReportAction({ kind, id, label }: { readonly kind: ItemKind; readonly id: string; readonly label: string }) {
  loadReported();
  const ref = itemRef(kind, id);
  const [reason, setReason] = useState<Reason | ''>('');
  const [details, setDetails] = useState('');
  const [said, setSaid] = useState<WriteState>(QUIET);
  const [busy, setBusy] = useState(false);
  const done = isReported(reported.value ?? {}, outboxState.value.pending, ref);
  const base = `report-${kind}-${id}`;
  const path = { item_kind: kind, item_id: id };

  async function send(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const checked = reportRequest(reason, details);
    if (!checked.ok) {
      setSaid({ tone: 'error', text: t(checked.problem) });
      document.getElementById(checked.problem === 'flag.needReason' ? `${base}-reason` : `${base}-details`)?.focus();
      return;
    }
    setBusy(true);
    setSaid(QUIET);
    try {
      const result = await submitWrite('post', '/api/v1/moderation/items/{item_kind}/{item_id}/report', {
        path,
        body: checked.value,
        kind: REPORT_KIND,
        ref,
        label: `${t('flag.title')}: ${label}`,
      });
      remember(withReport(reported.value ?? {}, ref, checked.value.reason));
      setSaid(result.state === 'sent' ? { tone: 'ok', text: t('flag.sent') } : { tone: 'wait', text: t('life.queued') });
      setDetails('');
    } catch (failure) {
      setSaid({ tone: 'error', text: explain(failure) });
    } finally {
      setBusy(false);
    }
  }

  async function retract(): Promise<void> {
    setBusy(true);
    setSaid(QUIET);
    try {
      const result = await submitWrite('delete', '/api/v1/moderation/items/{item_kind}/{item_id}/report', {
        path,
        kind: RETRACT_KIND,
        ref,
        label: `${t('flag.retract')}: ${label}`,
      });
      remember(withoutReport(reported.value ?? {}, ref));
      setSaid(result.state === 'sent' ? { tone: 'ok', text: t('flag.retracted') } : { tone: 'wait', text: t('life.queued') });
    } catch (failure) {
      setSaid({ tone: 'error', text: explain(failure) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <details class="report">
      <summary>{done ? t('flag.done') : t('flag.title')}</summary>
      {done ? (
        <div class="form">
          <p class="field-hint">{t('flag.doneHint')}</p>
          <button type="button" class="button button-quiet" disabled={busy} onClick={() => void retract()}>
            {t('flag.retract')}
          </button>
        </div>
      ) : (
        <form class="form" noValidate onSubmit={(event) => void send(event)}>
          <div class="field">
            <label for={`${base}-reason`}>{t('flag.reason')}</label>
            <select id={`${base}-reason`} value={reason} onChange={(event) => setReason(event.currentTarget.value as Reason | '')}>
              <option value="">{t('flag.pick')}</option>
              {REASONS.map((value) => (
                <option key={value} value={value}>
                  {t(`flag.reason.${value}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for={`${base}-details`}>{t('flag.details')}</label>
            <textarea id={`${base}-details`} rows={2} maxLength={MAX_DETAILS} value={details} onInput={(event) => setDetails(event.currentTarget.value)} />
          </div>
          <button type="submit" class="button button-secondary" disabled={busy}>
            {t('flag.send')}
          </button>
        </form>
      )}
      <Said tone={said.tone}>{said.text}</Said>
    </details>
  );
}

type Note = Schemas['ModerationNote'];

/** For the author: it was hidden, the moderator's message as the API gives it, and one appeal. */
export function ModerationNotice({ note, label }: { readonly note: Note; readonly label: string }) {
  const [text, setText] = useState('');
  const [said, setSaid] = useState<WriteState>(QUIET);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const waiting = pendingWrites(APPEAL_KIND, note.case_id).length > 0;
  const state = sent || waiting ? 'appeal.pending' : appealState(note);
  const id = `appeal-${note.case_id}`;

  async function send(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const checked = appealRequest(text);
    if (!checked.ok) {
      setSaid({ tone: 'error', text: t(checked.problem) });
      document.getElementById(id)?.focus();
      return;
    }
    setBusy(true);
    setSaid(QUIET);
    try {
      const result = await submitWrite('post', '/api/v1/moderation/cases/{case_id}/appeal', {
        path: { case_id: note.case_id },
        body: checked.value,
        kind: APPEAL_KIND,
        ref: note.case_id,
        label: `${t('appeal.title')}: ${label}`,
      });
      setSent(true);
      setSaid(result.state === 'sent' ? { tone: 'ok', text: t('appeal.sent') } : { tone: 'wait', text: t('life.queued') });
    } catch (failure) {
      setSaid({ tone: 'error', text: explain(failure) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="notice moderation-note" role="note">
      <p>
        <strong>{t('appeal.hidden')}</strong>
      </p>
      <p class="plain-text">{t('appeal.message', { message: note.message || note.reason })}</p>
      {state && <p>{t(state)}</p>}
      {note.can_appeal && !state && (
        <form class="form" noValidate onSubmit={(event) => void send(event)}>
          <div class="field">
            <label for={id}>{t('appeal.text')}</label>
            <textarea id={id} rows={3} maxLength={MAX_APPEAL} value={text} onInput={(event) => setText(event.currentTarget.value)} />
            <p class="field-hint">{t('appeal.once')}</p>
          </div>
          <button type="submit" class="button button-secondary" disabled={busy}>
            {t('appeal.send')}
          </button>
        </form>
      )}
      <Said tone={said.tone}>{said.text}</Said>
    </div>
  );
}
