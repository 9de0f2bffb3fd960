/** Secretary views of a study program (a chunk of their own): reflections to review, the branch's progress. */
import { useState } from 'preact/hooks';
import { call, type Schemas } from '../../shared/api';
import { Page } from '../components/Page';
import { t } from '../i18n';
import { links } from '../router';
import { formatDate } from '../life/dates';
import { explain, QUIET, Said, useFresh, Waiting, type WriteState } from '../life/ui';
import { submitWrite } from '../life/writes';

type Reflection = Schemas['Reflection'];

function ReviewOne({ reflection, reload }: { readonly reflection: Reflection; readonly reload: () => void }) {
  const [comment, setComment] = useState('');
  const [said, setSaid] = useState<WriteState>(QUIET);
  const [busy, setBusy] = useState(false);
  async function decide(decision: 'accept' | 'return'): Promise<void> {
    setBusy(true);
    setSaid(QUIET);
    try {
      const result = await submitWrite('post', '/api/v1/study/reflections/{reflection_id}/review', {
        path: { reflection_id: reflection.id },
        body: { decision, comment: comment.trim() },
        kind: 'reflectionReview',
        ref: reflection.id,
        label: `${t('review.title')}: ${reflection.member_name}`,
      });
      setSaid(result.state === 'sent' ? { tone: 'ok', text: t('life.saved') } : { tone: 'wait', text: t('life.queued') });
      reload();
    } catch (failure) {
      setSaid({ tone: 'error', text: explain(failure) });
    } finally {
      setBusy(false);
    }
  }
  const field = `review-${reflection.id}`;
  return (
    <li class="card">
      <span class="card-title-plain">{reflection.member_name}</span>
      <span class="card-text">
        {t('review.version', { version: reflection.version, date: formatDate(reflection.submitted_at) })} ·{' '}
        {t(`reflection.status.${reflection.status}`)}
      </span>
      <p class="plain-text">{reflection.body}</p>
      {reflection.file && (
        <a href={`/api/v1/study/reflections/${encodeURIComponent(reflection.id)}/file`} download>
          {t('review.file', { name: reflection.file.name })}
        </a>
      )}
      {reflection.review_comment && <p class="plain-text">{t('review.comment', { comment: reflection.review_comment })}</p>}
      {reflection.status === 'submitted' && (
        <>
          <div class="field">
            <label for={field}>{t('review.commentLabel')}</label>
            <textarea id={field} rows={2} maxLength={5000} value={comment} onInput={(event) => setComment(event.currentTarget.value)} />
          </div>
          <div class="card-row">
            <button type="button" class="button button-small" disabled={busy} onClick={() => void decide('accept')}>
              {t('review.accept')}
            </button>
            <button type="button" class="button button-small button-secondary" disabled={busy} onClick={() => void decide('return')}>
              {t('review.return')}
            </button>
          </div>
        </>
      )}
      <Said tone={said.tone}>{said.text}</Said>
    </li>
  );
}

function Report({ programId }: { readonly programId: string }) {
  const { data, error, loading, reload } = useFresh(`study.report.${programId}`, () =>
    call('get', '/api/v1/study/programs/{program_id}/report', { path: { program_id: programId }, query: { format: 'json' } }),
  );
  if (!data) return <Waiting loading={loading} error={error} onRetry={reload} />;
  const report = data.value;
  const rows = [report.total, ...report.communes, ...report.branches];
  return (
    <section class="panel" aria-labelledby="report-title">
      <h2 id="report-title">{t('report.title')}</h2>
      <ul class="cards">
        {rows.map((row, index) => (
          <li key={`${row.unit_id ?? 'total'}-${index}`} class="card">
            <span class="card-title-plain">{row.unit_id === null ? t('report.total') : row.name}</span>
            <span class="card-text">{t('report.line', { done: row.completed, assigned: row.assigned, percent: Math.round(row.completion_percent), overdue: row.overdue })}</span>
          </li>
        ))}
      </ul>
      {report.members.length > 0 && (
        <ul class="plain-list">
          {report.members.map((member) => (
            <li key={member.member_id}>
              {member.full_name}: {member.completed ? t('study.completed') : member.overdue ? t('study.overdue') : t('report.inProgress')}
              {member.best_score_percent !== null && ` · ${t('quiz.best', { score: Math.round(member.best_score_percent) })}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function StudyReviewScreen({ programId }: { readonly programId: string }) {
  const { data, error, loading, reload } = useFresh(`study.reflections.${programId}`, () =>
    call('get', '/api/v1/study/programs/{program_id}/reflections', { path: { program_id: programId } }),
  );
  return (
    <Page
      heading={t('review.title')}
      before={
        <p class="crumb">
          <a href={links.studyProgram(programId)}>{t('quiz.back')}</a>
        </p>
      }
    >
      <h2>{t('review.reflections')}</h2>
      {!data ? (
        <Waiting loading={loading} error={error} onRetry={reload} />
      ) : data.value.length === 0 ? (
        <p>{t('review.none')}</p>
      ) : (
        <ul class="cards">
          {data.value.map((reflection) => (
            <ReviewOne key={reflection.id} reflection={reflection} reload={reload} />
          ))}
        </ul>
      )}
      <Report programId={programId} />
    </Page>
  );
}
