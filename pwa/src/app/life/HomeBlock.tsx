/**
 * Home: the next branch meeting and the study due soonest, from the same phone-kept answers as the
 * Meetings and Study screens (so it shows without signal too). Part of the member shell: it stays small.
 */
import { call } from '../../shared/api';
import { CardsPlaceholder } from '../components/CardsPlaceholder';
import { useLoad } from '../components/useLoad';
import { t } from '../i18n';
import { nextMeeting } from '../meetings/check-in';
import { outboxState } from '../outbox';
import { links, paths } from '../router';
import { readThrough } from './cache';
import { formatDay, formatTime } from './dates';
import { dueText } from './due';
import { asProgramPage, loadPrograms } from '../study/programs';

async function loadBlock() {
  const [meetings, programs] = await Promise.allSettled([
    readThrough('meetings.upcoming', () => call('get', '/api/v1/meetings', { query: { when: 'upcoming', include_cancelled: true } })),
    readThrough('study.programs', () => loadPrograms()),
  ]);
  const now = Date.now();
  const meeting = meetings.status === 'fulfilled' ? nextMeeting(meetings.value.value.items, now) : null;
  const study =
    programs.status === 'fulfilled'
      ? asProgramPage(programs.value.value)
          .items.filter((program) => program.progress && !program.progress.completed)
          .sort((a, b) => Date.parse(a.due_at) - Date.parse(b.due_at))
      : [];
  return { meeting, study, failed: meetings.status === 'rejected' && programs.status === 'rejected' };
}

export function BranchLifeBlock() {
  const { data } = useLoad(loadBlock, [outboxState.value.sent]);
  if (!data) {
    return (
      <section class="group" aria-labelledby="life-title" aria-busy="true">
        <h2 id="life-title">{t('homeLife.title')}</h2>
        <CardsPlaceholder count={2} />
      </section>
    );
  }
  if (data.failed) return null;
  const { meeting, study } = data;
  const first = study[0];
  return (
    <section class="group" aria-labelledby="life-title">
      <h2 id="life-title">{t('homeLife.title')}</h2>
      <ul class="cards">
        <li>
          {meeting ? (
            <a class="card" href={links.meeting(meeting.id)}>
              <span class="card-meta">{t('homeLife.nextMeeting')}</span>
              <span class="card-title">{meeting.title}</span>
              <span class="card-text">
                {formatDay(meeting.starts_at)}, {formatTime(meeting.starts_at)}
                {meeting.place && ` · ${meeting.place}`}
              </span>
              {meeting.status === 'cancelled' && <span class="badge badge-todo">{t('meetings.cancelled')}</span>}
            </a>
          ) : (
            <a class="card" href={paths.meetings}>
              <span class="card-title">{t('homeLife.noMeeting')}</span>
            </a>
          )}
        </li>
        <li>
          {first ? (
            <a class="card" href={links.studyProgram(first.id)}>
              <span class="card-meta">{t('homeLife.studyDue', { count: study.length })}</span>
              <span class="card-title">{first.title}</span>
              <span class="card-text">{dueText(first.due_at, Date.now())}</span>
              {first.progress?.overdue && <span class="badge badge-todo">{t('study.overdue')}</span>}
            </a>
          ) : (
            <a class="card" href={paths.study}>
              <span class="card-title">{t('homeLife.noStudy')}</span>
            </a>
          )}
        </li>
      </ul>
    </section>
  );
}
