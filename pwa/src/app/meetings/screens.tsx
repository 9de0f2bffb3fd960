/** The member's meetings: the schedule, one meeting (RSVP, absence, agenda, materials, minutes), check-in. */
import { useState } from 'preact/hooks';
import { call, type Schemas } from '../../shared/api';
import { Alert } from '../components/Alert';
import { Page } from '../components/Page';
import { t } from '../i18n';
import { newIdempotencyKey } from '../offline-queue';
import { links, paths } from '../router';
import { formatDay, formatTime } from '../life/dates';
import { explain, holdsRole, LEADERS, pendingWrites, QUIET, Said, StaleNote, useFresh, Waiting, type WriteState } from '../life/ui';
import { submitWrite } from '../life/writes';
import { checkInWindow } from './check-in';

type Summary = Schemas['MeetingSummary'];
type Meeting = Schemas['Meeting'];

export const RSVP_KIND = 'rsvp';
export const ABSENCE_KIND = 'absence';
export const CHECK_IN_KIND = 'checkIn';

/** One meeting, kept on the phone under one key for every screen that shows it (member's and secretary's). */
export function useMeeting(id: string) {
  return useFresh(`meeting.${id}`, () => call('get', '/api/v1/meetings/{meeting_id}', { path: { meeting_id: id } }));
}

/** The member's answer as the phone knows it: the latest one still waiting wins over the server's. */
export function currentRsvp(meeting: Pick<Meeting, 'id' | 'my_rsvp'>): Meeting['my_rsvp'] {
  const waiting = pendingWrites(RSVP_KIND, meeting.id);
  const last = waiting[waiting.length - 1];
  return last ? (last.body as Schemas['RsvpRequest']).response : meeting.my_rsvp;
}

function When({ meeting }: { readonly meeting: Pick<Summary, 'starts_at' | 'ends_at'> }) {
  return (
    <>
      <span class="card-text">{formatDay(meeting.starts_at)}</span>
      <span class="card-text">{t('meetings.time', { start: formatTime(meeting.starts_at), end: formatTime(meeting.ends_at) })}</span>
    </>
  );
}

function SummaryBadges({ meeting }: { readonly meeting: Summary }) {
  if (meeting.status === 'cancelled') return <span class="badge badge-todo">{t('meetings.cancelled')}</span>;
  if (meeting.checked_in || pendingWrites(CHECK_IN_KIND, meeting.id).length > 0) {
    return <span class="badge badge-done">{t('meetings.checkedIn')}</span>;
  }
  const rsvp = currentRsvp(meeting);
  if (meeting.my_absence_status) return <span class="badge">{t(`absence.${meeting.my_absence_status}`)}</span>;
  if (rsvp) return <span class="badge badge-done">{t(`rsvp.${rsvp}`)}</span>;
  return <span class="badge badge-todo">{t('meetings.noAnswer')}</span>;
}

export function MeetingsScreen() {
  const [when, setWhen] = useState<'upcoming' | 'past'>('upcoming');
  const { data, error, loading, reload } = useFresh(`meetings.${when}`, () => call('get', '/api/v1/meetings', { query: { when, include_cancelled: true } }), [when]);
  return (
    <Page heading={t('meetings.title')}>
      <p class="card-row">
        <a class="card" href={paths.study}>
          <span class="card-title">{t('study.title')}</span>
          <span class="card-text">{t('meetings.toStudy')}</span>
        </a>
        {holdsRole(...LEADERS) && (
          <a class="card" href={paths.meetingsManage}>
            <span class="card-title">{t('manage.title')}</span>
            <span class="card-text">{t('meetings.toManage')}</span>
          </a>
        )}
      </p>
      <div class="segments" role="group" aria-label={t('meetings.which')}>
        {(['upcoming', 'past'] as const).map((value) => (
          <button key={value} type="button" class="button button-quiet" aria-pressed={when === value} onClick={() => setWhen(value)}>
            {t(`meetings.${value}`)}
          </button>
        ))}
      </div>
      {!data ? (
        <Waiting loading={loading} error={error} onRetry={reload} />
      ) : (
        <>
          <StaleNote savedAt={data.savedAt} />
          {data.value.items.length === 0 ? (
            <p>{t(when === 'upcoming' ? 'meetings.noneUpcoming' : 'meetings.nonePast')}</p>
          ) : (
            <ul class="cards">
              {data.value.items.map((meeting) => (
                <li key={meeting.id}>
                  <a class="card" href={links.meeting(meeting.id)}>
                    <span class="card-title">{meeting.title}</span>
                    <When meeting={meeting} />
                    {meeting.place && <span class="card-text">{t('meetings.placeShort', { place: meeting.place })}</span>}
                    <SummaryBadges meeting={meeting} />
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

function RsvpPanel({ meeting }: { readonly meeting: Meeting }) {
  const [said, setSaid] = useState<WriteState>(QUIET);
  const current = currentRsvp(meeting);
  async function answer(response: 'attending' | 'not_attending'): Promise<void> {
    setSaid(QUIET);
    try {
      const result = await submitWrite('post', '/api/v1/meetings/{meeting_id}/rsvp', {
        path: { meeting_id: meeting.id },
        body: { rsvp_id: newIdempotencyKey(), response, answered_at: new Date().toISOString() },
        kind: RSVP_KIND,
        ref: meeting.id,
        label: `${t(`rsvp.${response}`)}: ${meeting.title}`,
      });
      setSaid(result.state === 'sent' ? { tone: 'ok', text: t('rsvp.saved') } : { tone: 'wait', text: t('life.queued') });
    } catch (failure) {
      setSaid({ tone: 'error', text: explain(failure) });
    }
  }
  return (
    <section class="panel" aria-labelledby="rsvp-title">
      <h2 id="rsvp-title">{t('rsvp.title')}</h2>
      <div class="actions">
        {(['attending', 'not_attending'] as const).map((response) => (
          <button
            key={response}
            type="button"
            class={current === response ? 'button' : 'button button-secondary'}
            aria-pressed={current === response}
            onClick={() => void answer(response)}
          >
            {t(`rsvp.choose.${response}`)}
          </button>
        ))}
      </div>
      <Said tone={said.tone}>{said.text}</Said>
    </section>
  );
}

function AbsencePanel({ meeting }: { readonly meeting: Meeting }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const waiting = pendingWrites(ABSENCE_KIND, meeting.id)[0];
  const absence = meeting.my_absence;
  if (absence || waiting) {
    const status = absence?.status;
    return (
      <section class="panel" aria-labelledby="absence-title">
        <h2 id="absence-title">{t('absence.title')}</h2>
        <p>
          <span class={status === 'approved' ? 'badge badge-done' : 'badge'}>{status ? t(`absence.${status}`) : t('life.pending')}</span>
        </p>
        <p class="plain-text">{absence?.reason ?? (waiting?.body as Schemas['AbsenceRequest'] | undefined)?.reason}</p>
        {absence?.decision_note && <p class="plain-text">{t('absence.note', { note: absence.decision_note })}</p>}
      </section>
    );
  }
  async function send(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!reason.trim()) {
      setError(t('absence.needReason'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      await submitWrite('post', '/api/v1/meetings/{meeting_id}/absences', {
        path: { meeting_id: meeting.id },
        body: { absence_id: newIdempotencyKey(), reason: reason.trim() },
        kind: ABSENCE_KIND,
        ref: meeting.id,
        label: `${t('absence.title')}: ${meeting.title}`,
      });
    } catch (failure) {
      setError(explain(failure));
    } finally {
      setBusy(false);
    }
  }
  return (
    <details class="panel">
      <summary>{t('absence.title')}</summary>
      <form class="form" onSubmit={(event) => void send(event)} noValidate>
        <div class="field">
          <label for="absence-reason">{t('absence.reason')}</label>
          <textarea id="absence-reason" rows={3} maxLength={1000} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
        </div>
        <button type="submit" class="button" disabled={busy}>
          {t('absence.send')}
        </button>
        <Alert message={error} />
      </form>
    </details>
  );
}

function CheckInPanel({ meeting }: { readonly meeting: Meeting }) {
  const waiting = pendingWrites(CHECK_IN_KIND, meeting.id).length > 0;
  if (meeting.checked_in) return <p class="said said-ok">{t('checkIn.done')}</p>;
  if (waiting) return <p class="said said-wait">{t('checkIn.waiting')}</p>;
  if (meeting.status === 'cancelled') return null;
  const window = checkInWindow(meeting, Date.now());
  if (window === 'before') return <p class="note">{t('checkIn.opensAt', { time: formatTime(meeting.check_in_opens_at), day: formatDay(meeting.check_in_opens_at) })}</p>;
  if (window === 'after') return null;
  return (
    <a class="button" href={links.meetingCheckIn(meeting.id)}>
      {t('checkIn.open')}
    </a>
  );
}

export function MeetingScreen({ meetingId }: { readonly meetingId: string }) {
  const { data, error, loading, reload } = useMeeting(meetingId);
  const back = (
    <p class="crumb">
      <a href={paths.meetings}>{t('meetings.back')}</a>
    </p>
  );
  if (!data) {
    return (
      <Page heading={t('meetings.title')} before={back}>
        <Waiting loading={loading} error={error} onRetry={reload} />
      </Page>
    );
  }
  const meeting = data.value;
  return (
    <Page heading={meeting.title} before={back}>
      <StaleNote savedAt={data.savedAt} />
      {meeting.status === 'cancelled' && (
        <p class="notice">{meeting.cancel_reason ? t('meetings.cancelledBecause', { reason: meeting.cancel_reason }) : t('meetings.cancelled')}</p>
      )}
      <dl class="facts">
        <div>
          <dt>{t('meetings.day')}</dt>
          <dd>{formatDay(meeting.starts_at)}</dd>
        </div>
        <div>
          <dt>{t('meetings.hours')}</dt>
          <dd>{t('meetings.time', { start: formatTime(meeting.starts_at), end: formatTime(meeting.ends_at) })}</dd>
        </div>
        {meeting.place && (
          <div>
            <dt>{t('meetings.place')}</dt>
            <dd>{meeting.place}</dd>
          </div>
        )}
        <div>
          <dt>{t('home.branch')}</dt>
          <dd>{meeting.branch_name}</dd>
        </div>
      </dl>
      <CheckInPanel meeting={meeting} />
      {meeting.status === 'scheduled' && Date.parse(meeting.ends_at) > Date.now() && (
        <>
          <RsvpPanel meeting={meeting} />
          <AbsencePanel meeting={meeting} />
        </>
      )}
      {meeting.agenda_html && (
        <section class="panel" aria-labelledby="agenda-title">
          <h2 id="agenda-title">{t('meetings.agenda')}</h2>
          {/* Sanitized by the server, as the handbook's sections are. */}
          <div class="reader" dangerouslySetInnerHTML={{ __html: meeting.agenda_html }} />
        </section>
      )}
      {meeting.materials.length > 0 && (
        <section class="panel" aria-labelledby="materials-title">
          <h2 id="materials-title">{t('meetings.materials')}</h2>
          <ul class="cards">
            {meeting.materials.map((material) => (
              <li key={material.document_id}>
                <a class="card" href={links.document(material.document_id)}>
                  <span class="card-title">{material.title}</span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {meeting.minutes_html && (
        <section class="panel" aria-labelledby="minutes-title">
          <h2 id="minutes-title">{t('meetings.minutes')}</h2>
          <div class="reader" dangerouslySetInnerHTML={{ __html: meeting.minutes_html }} />
        </section>
      )}
      {meeting.can_manage && (
        <p>
          <a class="button button-secondary" href={links.meetingRoll(meeting.id)}>
            {t('manage.meeting')}
          </a>
        </p>
      )}
    </Page>
  );
}
