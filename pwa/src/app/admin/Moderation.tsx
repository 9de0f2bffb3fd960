import { useState } from 'preact/hooks';
import { call } from '../../shared/api';
import { Alert } from '../components/Alert';
import { LoadFailure } from '../components/LoadFailure';
import { Page } from '../components/Page';
import { useLoad } from '../components/useLoad';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { t, type MessageKey } from '../i18n';
import { canModerate } from '../roles';
import { Loading, StaffGate } from './Gate';
import { actionsFor, MAX_DAYS, needsForm, REASONS, reasonSummary, toRequest, unitsOf, type Action, type QueueItem } from './moderation';

const KINDS: Readonly<Record<QueueItem['item_kind'], MessageKey>> = {
  thread: 'moderation.kind.thread',
  reply: 'moderation.kind.reply',
  faq: 'moderation.kind.faq',
};

const ACTIONS: Readonly<Record<Action, MessageKey>> = {
  hide: 'moderation.action.hide',
  restore: 'moderation.action.restore',
  lock: 'moderation.action.lock',
  unlock: 'moderation.action.unlock',
  restrict: 'moderation.action.restrict',
  dismiss: 'moderation.action.dismiss',
};

/** The form under an item for hiding (reason, message to the author) or restricting (reason, days). */
function ActionForm({ id, action, busy, onSend, onCancel }: {
  /** Tells this item's fields from another's (several forms may be open at once). */
  readonly id: string;
  readonly action: Action;
  readonly busy: boolean;
  readonly onSend: (form: { reason: string; message: string; days: string }) => void;
  readonly onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState('');
  const [days, setDays] = useState('7');
  return (
    <form
      class="form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSend({ reason, message, days });
      }}
    >
      <div class="field">
        <label for={`reason-${id}`}>{t('moderation.fieldReason')}</label>
        <div class="field-row">
          <input id={`reason-${id}`} type="text" maxLength={500} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
        </div>
      </div>
      {needsForm(action) && (
        <div class="field">
          <label for={`message-${id}`}>{t('moderation.fieldMessage')}</label>
          <p class="field-hint">{t(action === 'hide' ? 'moderation.messageHint' : 'moderation.restrictHint')}</p>
          <textarea id={`message-${id}`} rows={3} maxLength={2000} value={message} onInput={(event) => setMessage(event.currentTarget.value)} />
        </div>
      )}
      {action === 'restrict' && (
        <div class="field">
          <label for={`days-${id}`}>{t('moderation.fieldDays')}</label>
          <div class="field-row">
            <input id={`days-${id}`} type="number" inputMode="numeric" min={1} max={MAX_DAYS} value={days} onInput={(event) => setDays(event.currentTarget.value)} />
          </div>
        </div>
      )}
      <div class="card-row">
        <button type="submit" class="button" disabled={busy}>
          {t(ACTIONS[action])}
        </button>
        <button type="button" class="button button-secondary" onClick={onCancel}>
          {t('moderation.cancel')}
        </button>
      </div>
    </form>
  );
}

function Item({ item, onDone }: { readonly item: QueueItem; readonly onDone: (message: string) => void }) {
  const [open, setOpen] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');

  function act(action: Action, form = { reason: '', message: '', days: '' }): void {
    const request = toRequest(action, form);
    if ('error' in request) {
      setError(t(request.error));
      return;
    }
    setBusy(true);
    setError('');
    call('post', '/api/v1/moderation/items/{item_kind}/{item_id}/actions', {
      path: { item_kind: item.item_kind, item_id: item.item_id },
      body: request.body,
    })
      .then(() => onDone(t('moderation.done', { action: t(ACTIONS[action]) })))
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  }

  function decide(decision: 'uphold' | 'overturn'): void {
    if (!item.appeal) return;
    setBusy(true);
    setError('');
    call('post', '/api/v1/moderation/cases/{case_id}/decision', { path: { case_id: item.appeal.case_id }, body: { decision, note: note.trim() } })
      .then(() => onDone(t(decision === 'uphold' ? 'moderation.upheld' : 'moderation.overturned')))
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  }

  const reasons = reasonSummary(item.reasons, (reason) => t(REASONS[reason]));
  return (
    <li class="card moderation-item">
      <span class="feed-flags">
        <span class="badge badge-todo">{t(KINDS[item.item_kind])}</span>
        {item.hidden && <span class="badge badge-pin">{t('moderation.hidden')}</span>}
        {item.locked && <span class="badge badge-pin">{t('moderation.locked')}</span>}
        {item.appeal && <span class="badge badge-pin">{t('moderation.appealed')}</span>}
      </span>
      {/* What a member wrote is shown as text, never as markup. */}
      <p class="plain-text">{item.text}</p>
      <span class="card-meta">
        {t('moderation.meta', { unit: item.unit_name, time: formatDateTime(Date.parse(item.waiting_since)) })}
      </span>
      {item.report_count > 0 && <span class="card-meta">{t('moderation.reports', { count: item.report_count, reasons })}</span>}
      {item.appeal && (
        <div class="group">
          <h3>{t('moderation.appealTitle')}</h3>
          <p class="plain-text">{item.appeal.text}</p>
          <span class="card-meta">{formatDateTime(Date.parse(item.appeal.appealed_at))}</span>
          {item.appeal.hidden_by_you ? (
            <p class="notice">{t('moderation.notYourAppeal')}</p>
          ) : (
            <>
              <div class="field">
                <label for={`note-${item.item_id}`}>{t('moderation.fieldNote')}</label>
                <textarea id={`note-${item.item_id}`} rows={2} maxLength={2000} value={note} onInput={(event) => setNote(event.currentTarget.value)} />
              </div>
              <div class="card-row">
                <button type="button" class="button button-secondary" disabled={busy} onClick={() => decide('uphold')}>
                  {t('moderation.uphold')}
                </button>
                <button type="button" class="button button-secondary" disabled={busy} onClick={() => decide('overturn')}>
                  {t('moderation.overturn')}
                </button>
              </div>
            </>
          )}
        </div>
      )}
      {open ? (
        <ActionForm id={item.item_id} action={open} busy={busy} onSend={(form) => act(open, form)} onCancel={() => setOpen(null)} />
      ) : (
        <div class="card-row">
          {actionsFor(item).map((action) => (
            <button
              key={action}
              type="button"
              class="button button-small button-secondary"
              disabled={busy}
              onClick={() => (needsForm(action) ? setOpen(action) : act(action))}
            >
              {t(ACTIONS[action])}
            </button>
          ))}
        </div>
      )}
      <Alert message={error} />
    </li>
  );
}

function Queue() {
  const [version, setVersion] = useState(0);
  const [done, setDone] = useState('');
  const [unit, setUnit] = useState('');
  const queue = useLoad(() => call('get', '/api/v1/moderation/queue', { query: { limit: 100 } }), [version]);
  const units = unitsOf(queue.data ?? []);
  const shown = (queue.data ?? []).filter((item) => unit === '' || String(item.unit_id) === unit);
  return (
    <Page heading={t('moderation.title')}>
      <p>{t('moderation.intro')}</p>
      {done && <p class="notice" role="status">{done}</p>}
      {queue.data === undefined && (queue.loading ? <Loading /> : <LoadFailure error={queue.error} />)}
      {queue.data?.length === 0 && <p>{t('moderation.empty')}</p>}
      {units.length > 1 && (
        <div class="field">
          <label for="moderation-unit">{t('moderation.unit')}</label>
          <select id="moderation-unit" value={unit} onChange={(event) => setUnit(event.currentTarget.value)}>
            <option value="">{t('moderation.allUnits', { count: queue.data?.length ?? 0 })}</option>
            {units.map((entry) => (
              <option key={entry.id} value={String(entry.id)}>
                {entry.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {shown.length > 0 && (
        <ul class="cards">
          {shown.map((item) => (
            <Item
              key={`${item.item_kind}-${item.item_id}-${version}`}
              item={item}
              onDone={(message) => {
                setDone(message);
                setVersion(version + 1);
              }}
            />
          ))}
        </ul>
      )}
    </Page>
  );
}

/** Reported items and pending appeals under the moderator's units, oldest first, with what to do about each. */
export function ModerationScreen() {
  return (
    <StaffGate heading={t('moderation.title')} allowed={canModerate} forbidden="moderation.forbidden">
      <Queue />
    </StaffGate>
  );
}
