/**
 * Secretary views of meetings (a chunk of their own, never loaded by plain members): schedule a
 * meeting or the monthly template, the rotating check-in code with its QR, the roll, absence
 * decisions, minutes, and the quality report of Guidance 42-HD/BTCTW.
 */
import { useEffect, useState } from 'preact/hooks';
import { encode } from 'uqr';
import { call, type Schemas } from '../../shared/api';
import { Alert } from '../components/Alert';
import { Page } from '../components/Page';
import { t } from '../i18n';
import { newIdempotencyKey } from '../offline-queue';
import { links, paths } from '../router';
import { formatDate, formatDay, formatTime, localToday, localToIso } from '../life/dates';
import { explain, QUIET, Said, useFresh, Waiting, type WriteState } from '../life/ui';
import { submitWrite, type Submitted } from '../life/writes';
import { MeetingChanges } from './edit-meeting';
import { useMeeting } from './screens';
import { base32Decode, codeAt, qrPayload, stepOf } from './totp';

type Band = NonNullable<Schemas['AttendanceCount']['band']>;

function useAction() {
  const [said, setSaid] = useState<WriteState>(QUIET);
  const [busy, setBusy] = useState(false);
  async function act<T>(run: () => Promise<Submitted<T>>, after?: (answer: T | null) => void): Promise<void> {
    setBusy(true);
    setSaid(QUIET);
    try {
      const result = await run();
      setSaid(result.state === 'sent' ? { tone: 'ok', text: t('life.saved') } : { tone: 'wait', text: t('life.queued') });
      after?.(result.state === 'sent' ? result.answer : null);
    } catch (failure) {
      setSaid({ tone: 'error', text: explain(failure) });
    } finally {
      setBusy(false);
    }
  }
  return { said, busy, act };
}

function values(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  new FormData(form).forEach((value, key) => {
    out[key] = typeof value === 'string' ? value.trim() : '';
  });
  return out;
}

function TextField({ name, label, type = 'text', value, required = false, ...rest }: {
  readonly name: string;
  readonly label: string;
  readonly type?: 'text' | 'date' | 'time' | 'number';
  readonly value?: string;
  readonly required?: boolean;
  readonly min?: string | number;
  readonly max?: string | number;
}) {
  return (
    <div class="field">
      <label for={`m-${name}`}>{label}</label>
      {/* Uncontrolled: what the secretary types stays through re-renders; the form is read on submit. */}
      <input id={`m-${name}`} name={name} type={type as 'text'} defaultValue={value} required={required} {...rest} />
    </div>
  );
}

function CreateMeeting() {
  const { said, busy, act } = useAction();
  const [error, setError] = useState('');
  return (
    <details class="panel">
      <summary>{t('manage.newMeeting')}</summary>
      <form
        class="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const v = values(form);
          const startsAt = localToIso(v.date ?? '', v.time ?? '');
          if (!v.title || !startsAt) {
            setError(t('manage.needTitleTime'));
            return;
          }
          setError('');
          const id = newIdempotencyKey();
          void act(
            () =>
              submitWrite('post', '/api/v1/meetings', {
                body: { id, title: v.title ?? '', starts_at: startsAt, duration_minutes: Number(v.duration) || 120, place: v.place ?? '', agenda_md: v.agenda ?? '' },
                kind: 'meetingCreate',
                ref: id,
                label: `${t('manage.newMeeting')}: ${v.title}`,
              }),
            () => form.reset(),
          );
        }}
      >
        <TextField name="title" label={t('manage.meetingTitle')} required />
        <TextField name="date" type="date" label={t('manage.date')} min={localToday(Date.now())} required />
        <TextField name="time" type="time" label={t('manage.time')} value="19:30" required />
        <TextField name="duration" type="number" label={t('manage.duration')} value="120" min={15} max={720} />
        <TextField name="place" label={t('meetings.place')} />
        <div class="field">
          <label for="m-agenda">{t('meetings.agenda')}</label>
          <textarea id="m-agenda" name="agenda" rows={4} maxLength={20000} />
        </div>
        <button type="submit" class="button" disabled={busy}>
          {t('manage.create')}
        </button>
        <Alert message={error} />
        <Said tone={said.tone}>{said.text}</Said>
      </form>
    </details>
  );
}

function Templates() {
  const { data, error, loading, reload } = useFresh('meetings.templates', () => call('get', '/api/v1/meetings/templates'));
  const { said, busy, act } = useAction();
  return (
    <section class="panel" aria-labelledby="templates-title">
      <h2 id="templates-title">{t('manage.templates')}</h2>
      {!data ? (
        <Waiting loading={loading} error={error} onRetry={reload} />
      ) : data.value.length === 0 ? (
        <p>{t('manage.noTemplates')}</p>
      ) : (
        <ul class="cards">
          {data.value.map((template) => (
            <li key={template.id} class="card">
              <span class="card-title-plain">{template.title}</span>
              <span class="card-text">{t('manage.templateRule', { day: template.day_of_month, time: template.local_time })}</span>
              {!template.active && <span class="badge">{t('manage.stopped')}</span>}
              {template.upcoming[0] && <span class="card-text">{t('manage.nextOne', { day: formatDay(template.upcoming[0].starts_at) })}</span>}
              <TemplateActions template={template} onChanged={reload} />
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>{t('manage.newTemplate')}</summary>
        <form
          class="form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const v = values(event.currentTarget);
            const day = Number(v.day);
            if (!(day >= 1 && day <= 31) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(v.time ?? '')) return;
            void act(
              () =>
                submitWrite('post', '/api/v1/meetings/templates', {
                  body: { day_of_month: day, local_time: v.time ?? '', place: v.place ?? '', duration_minutes: Number(v.duration) || 120, agenda_md: v.agenda ?? '' },
                  kind: 'templateCreate',
                  ref: String(day),
                  label: t('manage.newTemplate'),
                }),
              reload,
            );
          }}
        >
          <TextField name="day" type="number" label={t('manage.dayOfMonth')} value="5" min={1} max={31} required />
          <TextField name="time" type="time" label={t('manage.time')} value="19:30" required />
          <TextField name="duration" type="number" label={t('manage.duration')} value="120" min={15} max={720} />
          <TextField name="place" label={t('meetings.place')} />
          <div class="field">
            <label for="m-template-agenda">{t('meetings.agenda')}</label>
            <textarea id="m-template-agenda" name="agenda" rows={4} maxLength={20000} />
          </div>
          <button type="submit" class="button" disabled={busy}>
            {t('manage.createTemplate')}
          </button>
        </form>
      </details>
      <Said tone={said.tone}>{said.text}</Said>
    </section>
  );
}

/** Online only: stopping a template or making its meetings now is a secretary's desk task, not a field one. */
async function sent<T>(answer: Promise<T>): Promise<Submitted<T>> {
  return { state: 'sent', answer: await answer };
}

function TemplateActions({ template, onChanged }: { readonly template: Schemas['MeetingTemplate']; readonly onChanged: () => void }) {
  const { said, busy, act } = useAction();
  const path = { template_id: template.id };
  return (
    <>
      <div class="actions">
        <button
          type="button"
          class="button button-secondary"
          disabled={busy}
          onClick={() => void act(() => sent(call('put', '/api/v1/meetings/templates/{template_id}', { path, body: { active: !template.active } })), onChanged)}
        >
          {template.active ? t('manage.stopTemplate') : t('manage.resumeTemplate')}
        </button>
        {template.active && (
          <button
            type="button"
            class="button button-secondary"
            disabled={busy}
            onClick={() => void act(() => sent(call('post', '/api/v1/meetings/templates/{template_id}/materialise', { path })), onChanged)}
          >
            {t('manage.materialise', { months: template.months_ahead })}
          </button>
        )}
      </div>
      <Said tone={said.tone}>{said.text}</Said>
    </>
  );
}

function bandText(band: Band | null): string {
  return band ? t(`band.${band}`) : t('band.none');
}

function Quality() {
  const { data, error, loading, reload } = useFresh('meetings.quality', () => call('get', '/api/v1/meetings/quality'));
  return (
    <section class="panel" aria-labelledby="quality-title">
      <h2 id="quality-title">{t('quality.title')}</h2>
      {!data ? (
        <Waiting loading={loading} error={error} onRetry={reload} />
      ) : (
        <>
          <p class="note">{t('quality.period', { since: formatDate(data.value.since), until: formatDate(data.value.until) })}</p>
          <ul class="cards">
            {data.value.branches.map((branch) => (
              <li key={branch.branch_id} class="card">
                <span class="card-title-plain">{branch.name}</span>
                <span class="card-text">{t('quality.counts', { meetings: branch.meetings, materials: branch.materials_on_time, minutes: branch.minutes_on_time })}</span>
                <span class="card-text">
                  {t('quality.attendance', { percent: branch.average_attendance_percent === null ? '–' : Math.round(branch.average_attendance_percent) })} · {bandText(branch.band)}
                </span>
              </li>
            ))}
          </ul>
          {data.value.meetings.length > 0 && (
            <ul class="plain-list">
              {data.value.meetings.map((meeting) => (
                <li key={meeting.meeting_id}>
                  <a href={links.meetingRoll(meeting.meeting_id)}>{meeting.title}</a> · {formatDate(meeting.starts_at)} ·{' '}
                  {meeting.materials_on_time ? t('quality.materialsOk') : t('quality.materialsLate')} ·{' '}
                  {meeting.minutes_on_time ? t('quality.minutesOk') : t('quality.minutesLate')}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

export function MeetingsManageScreen() {
  return (
    <Page
      heading={t('manage.title')}
      before={
        <p class="crumb">
          <a href={paths.meetings}>{t('meetings.back')}</a>
        </p>
      }
    >
      <CreateMeeting />
      <Templates />
      <Quality />
    </Page>
  );
}

/** The QR as an SVG path drawn here from the encoder's matrix (no markup from elsewhere enters the page). */
function QrCode({ text }: { readonly text: string }) {
  const { data } = encode(text, { ecc: 'M', border: 2 });
  let d = '';
  data.forEach((row, y) => row.forEach((dark, x) => {
    if (dark) d += `M${x} ${y}h1v1h-1z`;
  }));
  const size = data.length;
  return (
    <svg class="qr" viewBox={`0 0 ${size} ${size}`} role="img" aria-label={t('code.qrLabel')} shape-rendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}

/** The code of this moment, computed on the phone from the meeting's secret: it keeps going offline. */
function CodePanel({ meetingId }: { readonly meetingId: string }) {
  const { data, error, loading, reload } = useFresh(`meeting.code.${meetingId}`, () =>
    call('get', '/api/v1/meetings/{meeting_id}/check-in-code', { path: { meeting_id: meetingId } }),
  );
  const [now, setNow] = useState(Date.now());
  const [code, setCode] = useState<string | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const answer = data?.value;
  const step = answer ? stepOf(now, answer.step_seconds) : 0;
  const open = answer ? now >= Date.parse(answer.window_opens_at) && now <= Date.parse(answer.window_closes_at) : false;
  useEffect(() => {
    if (!answer || !open) return;
    const secret = base32Decode(answer.secret);
    if (!secret) return;
    let current = true;
    void codeAt(secret, step, answer.digits).then((value) => current && setCode(value));
    return () => {
      current = false;
    };
  }, [answer?.secret, step, open]);
  if (!answer) return <Waiting loading={loading} error={error} onRetry={reload} />;
  if (!open) {
    return <p class="notice">{t('code.closed', { from: formatTime(answer.window_opens_at), until: formatTime(answer.window_closes_at), day: formatDay(answer.window_opens_at) })}</p>;
  }
  const left = answer.step_seconds - (Math.floor(now / 1000) % answer.step_seconds);
  return (
    <section class="panel code-panel" aria-labelledby="code-title">
      <h2 id="code-title">{t('code.title')}</h2>
      <p class="code-digits" aria-live="polite">
        {code ? `${code.slice(0, 3)} ${code.slice(3)}` : '––– –––'}
      </p>
      <p class="code-left">{t('code.left', { seconds: left })}</p>
      <progress class="code-bar" max={answer.step_seconds} value={left} aria-hidden="true" />
      {code && <QrCode text={qrPayload(answer.meeting_id, code)} />}
      <p class="note">{t('code.note')}</p>
    </section>
  );
}

function Roll({ meetingId }: { readonly meetingId: string }) {
  const { data, error, loading, reload } = useFresh(`meeting.roll.${meetingId}`, () =>
    call('get', '/api/v1/meetings/{meeting_id}/attendance', { path: { meeting_id: meetingId } }),
  );
  const { said, busy, act } = useAction();
  if (!data) return <Waiting loading={loading} error={error} onRetry={reload} />;
  const roll = data.value;
  const mark = (member: Schemas['AttendanceRow'], present: boolean | null) =>
    act(
      () =>
        submitWrite('post', '/api/v1/meetings/{meeting_id}/attendance', {
          path: { meeting_id: meetingId },
          body: { marks: [{ member_id: member.member_id, present }] },
          kind: 'attendance',
          ref: meetingId,
          label: `${t('roll.title')}: ${member.full_name}`,
        }),
      reload,
    );
  const decide = (member: Schemas['AttendanceRow'], decision: 'approve' | 'refuse') =>
    member.absence_id &&
    act(
      () =>
        submitWrite('post', '/api/v1/meetings/absences/{absence_id}/decision', {
          path: { absence_id: member.absence_id ?? '' },
          body: { decision, note: '' },
          kind: 'absenceDecision',
          ref: member.absence_id ?? '',
          label: `${t('absence.title')}: ${member.full_name}`,
        }),
      reload,
    );
  const count = roll.count;
  return (
    <section class="panel" aria-labelledby="roll-title">
      <h2 id="roll-title">{t('roll.title')}</h2>
      <p class="lead">
        {t('roll.counts', { present: count.present, expected: count.expected, excused: count.excused })}
        {count.attendance_percent !== null && ` · ${Math.round(count.attendance_percent)}% · ${bandText(count.band)}`}
      </p>
      <ul class="cards">
        {roll.members.map((member) => (
          <li key={member.member_id} class="card">
            <span class="card-title-plain">{member.full_name}</span>
            <span class="card-text">
              {member.present ? t('roll.present') : t('roll.absent')}
              {member.checked_in_at && ` · ${t('roll.byCode', { time: formatTime(member.checked_in_at) })}`}
              {member.rsvp && ` · ${t(`rsvp.${member.rsvp}`)}`}
            </span>
            {member.absence_status && (
              <span class="card-text plain-text">
                {t(`absence.${member.absence_status}`)}: {member.absence_reason}
              </span>
            )}
            <div class="card-row">
              {member.absence_status === 'requested' && (
                <>
                  <button type="button" class="button button-small" disabled={busy} onClick={() => void decide(member, 'approve')}>
                    {t('absence.approve')}
                  </button>
                  <button type="button" class="button button-small button-secondary" disabled={busy} onClick={() => void decide(member, 'refuse')}>
                    {t('absence.refuse')}
                  </button>
                </>
              )}
              <button
                type="button"
                class="button button-small button-secondary"
                aria-label={t(member.present ? 'roll.markAbsentLabel' : 'roll.markPresentLabel', { name: member.full_name })}
                disabled={busy}
                onClick={() => void mark(member, !member.present)}
              >
                {member.present ? t('roll.markAbsent') : t('roll.markPresent')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      <Said tone={said.tone}>{said.text}</Said>
    </section>
  );
}

function Minutes({ meeting }: { readonly meeting: Schemas['Meeting'] }) {
  const [text, setText] = useState(meeting.minutes_md ?? '');
  const { said, busy, act } = useAction();
  if (Date.parse(meeting.starts_at) > Date.now()) return null;
  return (
    <section class="panel" aria-labelledby="minutes-form-title">
      <h2 id="minutes-form-title">{t('meetings.minutes')}</h2>
      <form
        class="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!text.trim()) return;
          void act(() =>
            submitWrite('post', '/api/v1/meetings/{meeting_id}/minutes', {
              path: { meeting_id: meeting.id },
              body: { minutes_md: text },
              kind: 'minutes',
              ref: meeting.id,
              label: `${t('meetings.minutes')}: ${meeting.title}`,
            }),
          );
        }}
      >
        <div class="field">
          <label for="minutes-text">{t('minutes.text')}</label>
          <textarea id="minutes-text" rows={10} maxLength={100000} value={text} onInput={(event) => setText(event.currentTarget.value)} />
        </div>
        <button type="submit" class="button" disabled={busy || !text.trim()}>
          {meeting.minutes_published_at ? t('minutes.update') : t('minutes.publish')}
        </button>
        <Said tone={said.tone}>{said.text}</Said>
      </form>
    </section>
  );
}

export function MeetingRollScreen({ meetingId }: { readonly meetingId: string }) {
  const { data, error, loading, reload } = useMeeting(meetingId);
  const back = (
    <p class="crumb">
      <a href={links.meeting(meetingId)}>{t('checkIn.back')}</a>
    </p>
  );
  if (!data) {
    return (
      <Page heading={t('manage.meeting')} before={back}>
        <Waiting loading={loading} error={error} onRetry={reload} />
      </Page>
    );
  }
  return (
    <Page heading={data.value.title} title={t('manage.meeting')} before={back}>
      <p class="lead">{formatDay(data.value.starts_at)}, {formatTime(data.value.starts_at)}</p>
      <MeetingChanges meeting={data.value} reload={reload} />
      <CodePanel meetingId={meetingId} />
      <Roll meetingId={meetingId} />
      <Minutes meeting={data.value} />
    </Page>
  );
}
