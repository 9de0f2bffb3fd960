/**
 * The secretary changes a scheduled meeting (title, day and time, length, place, agenda, materials)
 * or cancels it with a reason. Part of the secretary's meeting chunk (manage.tsx); both writes go
 * through the outbox, so a secretary with no signal can still move or cancel the meeting.
 */
import { useState } from 'preact/hooks';
import type { Schemas } from '../../shared/api';
import { Alert } from '../components/Alert';
import { t, type MessageKey } from '../i18n';
import { DocumentChoices } from '../life/DocumentChoices';
import { explain, pendingWrites, QUIET, Said, type WriteState } from '../life/ui';
import { submitWrite } from '../life/writes';
import { cancelRequest, fieldsOf, meetingUpdate, movesMeeting, type FieldErrors, type MeetingFields } from './edit';

type Meeting = Schemas['Meeting'];
export const UPDATE_KIND = 'meetingUpdate';
export const CANCEL_KIND = 'meetingCancel';

function Input({
  name,
  label,
  value,
  error,
  onInput,
  type = 'text',
  ...rest
}: {
  readonly name: keyof MeetingFields;
  readonly label: string;
  readonly value: string;
  readonly error: MessageKey | undefined;
  readonly onInput: (value: string) => void;
  readonly type?: 'text' | 'date' | 'time' | 'number';
  readonly min?: number;
  readonly max?: number;
  readonly maxLength?: number;
}) {
  const id = `edit-${name}`;
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type as 'text'}
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
        {...rest}
      />
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {t(error)}
        </p>
      )}
    </div>
  );
}

function useWrite() {
  const [said, setSaid] = useState<WriteState>(QUIET);
  const [busy, setBusy] = useState(false);
  async function run(write: () => Promise<{ readonly state: 'sent' | 'queued' }>, sentText: string, after: () => void): Promise<void> {
    setBusy(true);
    setSaid(QUIET);
    try {
      const result = await write();
      setSaid(result.state === 'sent' ? { tone: 'ok', text: sentText } : { tone: 'wait', text: t('life.queued') });
      after();
    } catch (failure) {
      setSaid({ tone: 'error', text: explain(failure) });
    } finally {
      setBusy(false);
    }
  }
  return { said, busy, run };
}

/** Focus the first field the secretary must fix, in the order they see them. */
function focusFirst(form: HTMLFormElement, errors: FieldErrors): void {
  const names = Object.keys(errors);
  for (const element of Array.from(form.elements)) {
    const name = (element as HTMLInputElement).name;
    if (names.includes(name) || (names.includes('materials') && name === 'edit-materials-document')) {
      (element as HTMLElement).focus();
      return;
    }
  }
}

function EditForm({ meeting, onSaved }: { readonly meeting: Meeting; readonly onSaved: () => void }) {
  const [fields, setFields] = useState<MeetingFields>(() => fieldsOf(meeting));
  const [errors, setErrors] = useState<FieldErrors>({});
  const { said, busy, run } = useWrite();
  const change = (part: Partial<MeetingFields>) => setFields({ ...fields, ...part });
  function submit(event: SubmitEvent): void {
    event.preventDefault();
    const checked = meetingUpdate(meeting, fields);
    if (!checked.ok) {
      setErrors(checked.errors);
      focusFirst(event.currentTarget as HTMLFormElement, checked.errors);
      return;
    }
    setErrors({});
    const update = checked.value;
    void run(
      () =>
        submitWrite('put', '/api/v1/meetings/{meeting_id}', {
          path: { meeting_id: meeting.id },
          body: update,
          kind: UPDATE_KIND,
          ref: meeting.id,
          label: `${t('edit.title')}: ${meeting.title}`,
        }),
      t(movesMeeting(update) ? 'edit.savedMoved' : 'edit.saved'),
      onSaved,
    );
  }
  return (
    <form class="form" noValidate onSubmit={submit}>
      <Input name="title" label={t('manage.meetingTitle')} value={fields.title} error={errors.title} maxLength={300} onInput={(title) => change({ title })} />
      <Input name="date" type="date" label={t('manage.date')} value={fields.date} error={errors.date} onInput={(date) => change({ date })} />
      <Input name="time" type="time" label={t('manage.time')} value={fields.time} error={errors.date ? undefined : errors.time} onInput={(time) => change({ time })} />
      <Input name="duration" type="number" label={t('manage.duration')} value={fields.duration} error={errors.duration} min={15} max={720} onInput={(duration) => change({ duration })} />
      <Input name="place" label={t('meetings.place')} value={fields.place} error={errors.place} maxLength={300} onInput={(place) => change({ place })} />
      <div class={errors.agenda ? 'field field-invalid' : 'field'}>
        <label for="edit-agenda">{t('meetings.agenda')}</label>
        <p class="field-hint" id="edit-agenda-hint">
          {t('edit.agendaHint')}
        </p>
        <textarea
          id="edit-agenda"
          name="agenda"
          rows={6}
          maxLength={20000}
          value={fields.agenda}
          aria-describedby="edit-agenda-hint"
          onInput={(event) => change({ agenda: event.currentTarget.value })}
        />
        {errors.agenda && <p class="field-error">{t(errors.agenda)}</p>}
      </div>
      <DocumentChoices
        id="edit-materials"
        legend={t('edit.materials')}
        chosen={fields.materials}
        known={meeting.materials.map((material) => ({ id: material.document_id, title: material.title }))}
        onChange={(materials) => change({ materials })}
        error={errors.materials && t(errors.materials)}
      />
      <p class="field-hint">{t('edit.notifyHint')}</p>
      <Alert message={errors.form ? t(errors.form) : ''} />
      <button type="submit" class="button" disabled={busy}>
        {t('edit.save')}
      </button>
      <Said tone={said.tone}>{said.text}</Said>
    </form>
  );
}

function CancelForm({ meeting, onCancelled }: { readonly meeting: Meeting; readonly onCancelled: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<MessageKey | null>(null);
  const [confirming, setConfirming] = useState(false);
  const { said, busy, run } = useWrite();
  function ask(event: SubmitEvent): void {
    event.preventDefault();
    const checked = cancelRequest(reason);
    if (!checked.ok) {
      setError(checked.errors.form ?? 'edit.needReason');
      (event.currentTarget as HTMLFormElement).querySelector('textarea')?.focus();
      return;
    }
    setError(null);
    setConfirming(true);
  }
  function cancel(): void {
    const checked = cancelRequest(reason);
    if (!checked.ok) return;
    setConfirming(false);
    void run(
      () =>
        submitWrite('post', '/api/v1/meetings/{meeting_id}/cancel', {
          path: { meeting_id: meeting.id },
          body: checked.value,
          kind: CANCEL_KIND,
          ref: meeting.id,
          label: `${t('edit.cancelTitle')}: ${meeting.title}`,
        }),
      t('edit.cancelled'),
      onCancelled,
    );
  }
  return (
    <form class="form" noValidate onSubmit={ask}>
      <div class={error ? 'field field-invalid' : 'field'}>
        <label for="cancel-reason">{t('edit.reason')}</label>
        <p class="field-hint" id="cancel-reason-hint">
          {t('edit.reasonHint')}
        </p>
        <textarea
          id="cancel-reason"
          rows={3}
          maxLength={1000}
          value={reason}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'cancel-reason-hint cancel-reason-error' : 'cancel-reason-hint'}
          onInput={(event) => {
            setReason(event.currentTarget.value);
            setConfirming(false);
          }}
        />
        {error && (
          <p class="field-error" id="cancel-reason-error">
            {t(error)}
          </p>
        )}
      </div>
      {confirming ? (
        <div class="notice" role="alert">
          <p>{t('edit.cancelConfirm')}</p>
          <div class="actions">
            <button type="button" class="button" disabled={busy} onClick={cancel}>
              {t('edit.cancelYes')}
            </button>
            <button type="button" class="button button-secondary" onClick={() => setConfirming(false)}>
              {t('edit.cancelNo')}
            </button>
          </div>
        </div>
      ) : (
        <button type="submit" class="button button-secondary" disabled={busy}>
          {t('edit.cancelAsk')}
        </button>
      )}
      <Said tone={said.tone}>{said.text}</Said>
    </form>
  );
}

/** Change or cancel: only while the meeting is scheduled (the server refuses it afterwards). */
export function MeetingChanges({ meeting, reload }: { readonly meeting: Meeting; readonly reload: () => void }) {
  const cancelWaiting = pendingWrites(CANCEL_KIND, meeting.id).length > 0;
  if (meeting.status === 'cancelled') {
    return <p class="notice">{meeting.cancel_reason ? t('meetings.cancelledBecause', { reason: meeting.cancel_reason }) : t('meetings.cancelled')}</p>;
  }
  if (meeting.status !== 'scheduled') return null;
  if (cancelWaiting) return <p class="said said-wait">{t('edit.cancelWaiting')}</p>;
  return (
    <>
      <details class="panel">
        <summary>{t('edit.title')}</summary>
        <EditForm meeting={meeting} onSaved={reload} />
      </details>
      <details class="panel">
        <summary>{t('edit.cancelTitle')}</summary>
        <CancelForm meeting={meeting} onCancelled={reload} />
      </details>
    </>
  );
}
