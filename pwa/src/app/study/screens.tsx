/** The member's study: programs assigned, one program (materials, quiz, reflection), the quiz. */
import { useEffect, useState } from 'preact/hooks';
import { call, type Schemas } from '../../shared/api';
import { csrfHeaders } from '../../shared/csrf';
import { Alert } from '../components/Alert';
import { lazyScreen } from '../components/Lazy';
import { Page } from '../components/Page';
import { t } from '../i18n';
import { newIdempotencyKey } from '../offline-queue';
import { outboxState } from '../outbox';
import { links, paths } from '../router';
import { dueText } from '../life/due';
import { explain, holdsRole, pendingWrites, QUIET, Said, StaleNote, useFresh, Waiting, type WriteState } from '../life/ui';
import { submitWrite } from '../life/writes';
import { choose, materialsRead, needsOpened, progressEvent, PROGRESS_KIND, quizAnswers } from './progress';
import { asProgramPage, loadPrograms, useOlderPrograms } from './programs';

type Program = Schemas['StudyProgram'];
export const REFLECTION_KIND = 'reflection';
export const QUIZ_KIND = 'quizAttempt';

/** Only committees assign programs (api/study/service.py MANAGERS): their form is a chunk of its own. */
const CreateProgram = lazyScreen(() => import('./create').then((m) => m.CreateProgram));
const STUDY_MANAGERS = ['officer', 'admin'] as const;

function NewProgram({ onCreated }: { readonly onCreated: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <details class="panel" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{t('newProgram.title')}</summary>
      {open && <CreateProgram onCreated={onCreated} />}
    </details>
  );
}

function record(program: Program, events: Schemas['ProgressEventIn'][], what: string) {
  return submitWrite('post', '/api/v1/study/programs/{program_id}/progress', {
    path: { program_id: program.id },
    body: { events },
    kind: PROGRESS_KIND,
    ref: program.id,
    label: `${what}: ${program.title}`,
  });
}

export function StudyScreen() {
  const { data, error, loading, reload } = useFresh('study.programs', () => loadPrograms());
  // A list kept by an app from before the paging is an array: read it as one last page.
  const first = data && asProgramPage(data.value);
  const pages = useOlderPrograms(first);
  const now = Date.now();
  return (
    <Page heading={t('study.title')}>
      {holdsRole(...STUDY_MANAGERS) && <NewProgram onCreated={reload} />}
      {!data ? (
        <Waiting loading={loading} error={error} onRetry={reload} />
      ) : (
        <>
          <StaleNote savedAt={data.savedAt} />
          {pages.items.length === 0 ? (
            <p>{t('study.none')}</p>
          ) : (
            <ul class="cards">
              {pages.items.map((program) => {
                const progress = program.progress;
                return (
                  <li key={program.id}>
                    <a class="card" href={links.studyProgram(program.id)}>
                      <span class="card-title">{program.title}</span>
                      <span class="card-text">{dueText(program.due_at, now)}</span>
                      {progress && (
                        <span class="card-text">{t('study.readCount', { read: materialsRead(program, outboxState.value.pending).size, total: progress.materials_total })}</span>
                      )}
                      {progress?.completed ? (
                        <span class="badge badge-done">{t('study.completed')}</span>
                      ) : progress?.overdue ? (
                        <span class="badge badge-todo">{t('study.overdue')}</span>
                      ) : null}
                    </a>
                  </li>
                );
              })}
            </ul>
          )}
          {pages.next && (
            <button type="button" class="button button-secondary" disabled={pages.busy} onClick={pages.more}>
              {pages.busy ? t('notices.loadingMore') : t('secretary.more')}
            </button>
          )}
          <Alert message={pages.error} />
        </>
      )}
    </Page>
  );
}

function Materials({ program }: { readonly program: Program }) {
  const [said, setSaid] = useState<WriteState>(QUIET);
  const read = materialsRead(program, outboxState.value.pending);
  async function markRead(documentId: string, title: string): Promise<void> {
    try {
      const result = await record(program, [progressEvent('read', Date.now(), newIdempotencyKey, documentId)], t('study.markRead'));
      setSaid(result.state === 'sent' ? { tone: 'ok', text: t('study.readSaved', { title }) } : { tone: 'wait', text: t('life.queued') });
    } catch (failure) {
      setSaid({ tone: 'error', text: explain(failure) });
    }
  }
  return (
    <section class="panel" aria-labelledby="materials-title">
      <h2 id="materials-title">{t('study.materials')}</h2>
      <ol class="cards">
        {program.materials.map((material) => {
          const done = read.has(material.document_id);
          return (
            <li key={material.document_id} class="card">
              <a class="card-title" href={links.document(material.document_id)}>
                {material.title}
              </a>
              {done ? (
                <span class="badge badge-done">{t('study.read')}</span>
              ) : (
                program.progress && (
                  <button type="button" class="button button-secondary button-small" onClick={() => void markRead(material.document_id, material.title)}>
                    {t('study.markRead')}
                  </button>
                )
              )}
            </li>
          );
        })}
      </ol>
      <Said tone={said.tone}>{said.text}</Said>
    </section>
  );
}

async function uploadFile(reflectionId: string, file: File): Promise<void> {
  const url = `/api/v1/study/reflections/${encodeURIComponent(reflectionId)}/file?file_name=${encodeURIComponent(file.name.slice(0, 200))}`;
  const response = await fetch(url, {
    method: 'PUT',
    credentials: 'same-origin',
    headers: { 'Content-Type': file.type || 'application/octet-stream', ...csrfHeaders('PUT', document.cookie, null) },
    body: file,
  });
  if (!response.ok) {
    const { parseProblem } = await import('../../shared/problem');
    throw parseProblem(response.status, response.headers.get('Content-Type'), await response.text().catch(() => ''));
  }
}

function ReflectionPanel({ program }: { readonly program: Program }) {
  const [body, setBody] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [said, setSaid] = useState<WriteState>(QUIET);
  const [busy, setBusy] = useState(false);
  const status = program.progress?.reflection_status ?? null;
  const waiting = pendingWrites(REFLECTION_KIND, program.id).length > 0;
  async function send(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!body.trim()) {
      setSaid({ tone: 'error', text: t('reflection.needBody') });
      return;
    }
    setBusy(true);
    setSaid(QUIET);
    try {
      const result = await submitWrite('post', '/api/v1/study/programs/{program_id}/reflections', {
        path: { program_id: program.id },
        body: { reflection_id: newIdempotencyKey(), body: body.trim() },
        kind: REFLECTION_KIND,
        ref: program.id,
        label: `${t('reflection.title')}: ${program.title}`,
      });
      if (result.state === 'queued') {
        setSaid({ tone: 'wait', text: file ? t('reflection.queuedNoFile') : t('life.queued') });
      } else {
        if (file) await uploadFile(result.answer.id, file);
        setSaid({ tone: 'ok', text: t('reflection.sent') });
      }
      setBody('');
      setFile(null);
    } catch (failure) {
      setSaid({ tone: 'error', text: explain(failure) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="panel" aria-labelledby="reflection-title">
      <h2 id="reflection-title">{t('reflection.title')}</h2>
      {program.reflection_prompt && <p class="plain-text">{program.reflection_prompt}</p>}
      {status && <p><span class={status === 'accepted' ? 'badge badge-done' : 'badge'}>{t(`reflection.status.${status}`)}</span></p>}
      {waiting && <p class="said said-wait">{t('life.queued')}</p>}
      {status !== 'accepted' && !waiting && (
        <form class="form" noValidate onSubmit={(event) => void send(event)}>
          <div class="field">
            <label for="reflection-body">{status === 'returned' ? t('reflection.again') : t('reflection.body')}</label>
            <textarea id="reflection-body" rows={8} maxLength={20000} value={body} onInput={(event) => setBody(event.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="reflection-file">{t('reflection.file')}</label>
            <p class="field-hint">{t('reflection.fileHint')}</p>
            <input
              id="reflection-file"
              type="file"
              accept="application/pdf,image/jpeg,image/png,image/webp"
              onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)}
            />
          </div>
          <button type="submit" class="button" disabled={busy}>
            {busy ? t('feedback.sending') : t('reflection.send')}
          </button>
        </form>
      )}
      <Said tone={said.tone}>{said.text}</Said>
    </section>
  );
}

export function StudyProgramScreen({ programId }: { readonly programId: string }) {
  const { data, error, loading, reload } = useFresh(`study.${programId}`, () =>
    call('get', '/api/v1/study/programs/{program_id}', { path: { program_id: programId } }),
  );
  const program = data?.value;
  // Opening an assigned program is a fact of its own (it makes the program "started").
  useEffect(() => {
    if (program && needsOpened(program, outboxState.value.pending)) {
      void record(program, [progressEvent('opened', Date.now(), newIdempotencyKey)], t('study.opened')).catch(() => undefined);
    }
  }, [program?.id, program?.progress?.opened]);
  const back = (
    <p class="crumb">
      <a href={paths.study}>{t('study.back')}</a>
    </p>
  );
  if (!data || !program) {
    return (
      <Page heading={t('study.title')} before={back}>
        <Waiting loading={loading} error={error} onRetry={reload} />
      </Page>
    );
  }
  const progress = program.progress;
  return (
    <Page heading={program.title} before={back}>
      <StaleNote savedAt={data.savedAt} />
      <dl class="facts">
        <div>
          <dt>{t('study.due')}</dt>
          <dd>{dueText(program.due_at, Date.now())}</dd>
        </div>
        <div>
          <dt>{t('study.from')}</dt>
          <dd>{program.unit_name}</dd>
        </div>
      </dl>
      {progress?.completed && <p class="said said-ok">{t('study.completedLong')}</p>}
      {program.description && <p class="plain-text">{program.description}</p>}
      {program.materials.length > 0 && <Materials program={program} />}
      {program.quiz && (
        <section class="panel" aria-labelledby="quiz-title">
          <h2 id="quiz-title">{t('quiz.title')}</h2>
          <p>{t('quiz.summary', { count: program.quiz.question_count, pass: program.quiz.pass_percent, attempts: program.quiz.max_attempts })}</p>
          {progress && progress.best_score_percent !== null && (
            <p>
              {t('quiz.best', { score: Math.round(progress.best_score_percent) })}{' '}
              <span class={progress.quiz_passed ? 'badge badge-done' : 'badge badge-todo'}>{progress.quiz_passed ? t('quiz.passed') : t('quiz.failed')}</span>
            </p>
          )}
          {progress && !progress.quiz_passed && progress.attempts_used < program.quiz.max_attempts && (
            <a class="button" href={links.studyQuiz(program.id)}>
              {t('quiz.start')}
            </a>
          )}
        </section>
      )}
      {program.reflection_required && progress && <ReflectionPanel program={program} />}
      {program.can_manage && (
        <p>
          <a class="button button-secondary" href={links.studyReview(program.id)}>
            {t('review.title')}
          </a>
        </p>
      )}
    </Page>
  );
}

export function QuizScreen({ programId }: { readonly programId: string }) {
  const { data, error, loading, reload } = useFresh(`study.quiz.${programId}`, () =>
    call('get', '/api/v1/study/programs/{program_id}/quiz', { path: { program_id: programId } }),
  );
  const [chosen, setChosen] = useState<ReadonlyMap<string, ReadonlySet<string>>>(new Map());
  // One id per attempt, made when the attempt starts: a replay of the same answers is the same attempt.
  const [attemptId, setAttemptId] = useState(newIdempotencyKey);
  const [result, setResult] = useState<Schemas['QuizResult'] | null>(null);
  const [said, setSaid] = useState<WriteState>(QUIET);
  const [error2, setError2] = useState('');
  const [busy, setBusy] = useState(false);
  const back = (
    <p class="crumb">
      <a href={links.studyProgram(programId)}>{t('quiz.back')}</a>
    </p>
  );
  if (!data) {
    return (
      <Page heading={t('quiz.title')} before={back}>
        <Waiting loading={loading} error={error} onRetry={reload} />
      </Page>
    );
  }
  const quiz = data.value;
  async function send(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const { answers, unanswered } = quizAnswers(quiz.questions, chosen);
    if (unanswered.length > 0) {
      setError2(t('quiz.unanswered', { numbers: unanswered.join(', ') }));
      return;
    }
    setError2('');
    setBusy(true);
    try {
      const sent = await submitWrite('post', '/api/v1/study/programs/{program_id}/quiz/attempts', {
        path: { program_id: programId },
        body: { attempt_id: attemptId, answers },
        kind: QUIZ_KIND,
        ref: programId,
        label: t('quiz.title'),
      });
      if (sent.state === 'sent') setResult(sent.answer);
      else setSaid({ tone: 'wait', text: t('quiz.queued') });
    } catch (failure) {
      setError2(explain(failure));
    } finally {
      setBusy(false);
    }
  }
  if (result) {
    return (
      <Page heading={t('quiz.resultTitle')} before={back}>
        <p class={result.passed ? 'said said-ok big' : 'said said-error big'} role="status">
          {result.passed ? t('quiz.passedLong') : t('quiz.failedLong')}
        </p>
        <dl class="facts">
          <div>
            <dt>{t('quiz.score')}</dt>
            <dd>{t('quiz.scoreValue', { score: Math.round(result.score_percent), correct: result.correct, total: result.total })}</dd>
          </div>
          <div>
            <dt>{t('quiz.attemptsLeft')}</dt>
            <dd>{result.attempts_left}</dd>
          </div>
        </dl>
        <div class="actions">
          {!result.passed && result.attempts_left > 0 && (
            <button
              type="button"
              class="button"
              onClick={() => {
                setResult(null);
                setChosen(new Map());
                setAttemptId(newIdempotencyKey());
                reload();
              }}
            >
              {t('quiz.again')}
            </button>
          )}
          <a class="button button-secondary" href={links.studyProgram(programId)}>
            {t('quiz.back')}
          </a>
        </div>
      </Page>
    );
  }
  if (quiz.attempts_left <= 0 && !quiz.passed) {
    return (
      <Page heading={t('quiz.title')} before={back}>
        <p>{t('quiz.noAttempts')}</p>
      </Page>
    );
  }
  return (
    <Page heading={t('quiz.title')} before={back}>
      <p>{t('quiz.intro', { pass: quiz.pass_percent, left: quiz.attempts_left })}</p>
      <form class="form" noValidate onSubmit={(event) => void send(event)}>
        {quiz.questions.map((question, index) => (
          <fieldset key={question.id} class="choices question">
            <legend>
              {t('quiz.question', { number: index + 1 })} {question.text}
              {question.kind === 'multiple' && <span class="field-hint"> {t('quiz.multiple')}</span>}
            </legend>
            {question.options.map((option) => (
              <label key={option.id} class="choice">
                <input
                  type={question.kind === 'single' ? 'radio' : 'checkbox'}
                  name={`q-${question.id}`}
                  checked={chosen.get(question.id)?.has(option.id) ?? false}
                  onChange={(event) => setChosen(choose(chosen, question, option.id, event.currentTarget.checked))}
                />
                <span>{option.text}</span>
              </label>
            ))}
          </fieldset>
        ))}
        <button type="submit" class="button" disabled={busy}>
          {busy ? t('feedback.sending') : t('quiz.submit')}
        </button>
        <Alert message={error2} />
        <Said tone={said.tone}>{said.text}</Said>
      </form>
    </Page>
  );
}
