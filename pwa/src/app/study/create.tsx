/**
 * A committee (officer or admin) assigns a study program to a unit of its scope: title, what to study,
 * the due day, the handbook documents to read, an optional quiz and an optional reflection. A chunk of
 * its own, opened from the study screen by those who may; sent through the outbox with its key.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { call, type Schemas } from '../../shared/api';
import { Alert } from '../components/Alert';
import { LoadFailure } from '../components/LoadFailure';
import { useLoad } from '../components/useLoad';
import { t, type MessageKey } from '../i18n';
import { localToday } from '../life/dates';
import { DocumentChoices } from '../life/DocumentChoices';
import { explain, QUIET, Said, type WriteState } from '../life/ui';
import { submitWrite } from '../life/writes';
import { blankQuestion, buildProgram, emptyDraft, markCorrect, type ProgramDraft, type ProgramErrors, type QuestionDraft } from './program-form';

type Unit = Schemas['OrgUnit'];
export const CREATE_KIND = 'studyProgramCreate';

function FieldError({ id, error }: { readonly id: string; readonly error: MessageKey | undefined }) {
  return error ? (
    <p class="field-error" id={`${id}-error`}>
      {t(error)}
    </p>
  ) : null;
}

const invalid = (id: string, error: MessageKey | undefined) =>
  error ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${id}-error` } : {};

/** One level of the tree: the roots of the caller's scopes, or the units under `parent`. */
function UnitLevel({
  parent,
  chosen,
  onChoose,
  error,
}: {
  readonly parent: Unit | null;
  readonly chosen: Unit | null;
  readonly onChoose: (unit: Unit | null) => void;
  readonly error?: MessageKey | undefined;
}) {
  const units = useLoad(() => call('get', '/api/v1/org/units', { query: { parent_id: parent?.id } }), [parent?.id]);
  const id = `program-unit-${parent?.id ?? 'root'}`;
  if (units.data === undefined) {
    return units.loading ? (
      <p class="loading" role="status">
        {t('app.loading')}
      </p>
    ) : (
      <LoadFailure error={units.error} />
    );
  }
  if (parent && units.data.length === 0) return null;
  const list = units.data;
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{parent ? t('newProgram.below', { name: parent.name }) : t('newProgram.unit')}</label>
      <select
        id={id}
        value={chosen ? String(chosen.id) : ''}
        {...invalid(id, error)}
        onChange={(event) => onChoose(list.find((unit) => String(unit.id) === event.currentTarget.value) ?? null)}
      >
        <option value="">{parent ? t('newProgram.wholeUnit', { name: parent.name }) : t('newProgram.chooseUnit')}</option>
        {list.map((unit) => (
          <option key={unit.id} value={String(unit.id)}>
            {unit.name}
          </option>
        ))}
      </select>
      <FieldError id={id} error={error} />
    </div>
  );
}

/** Down the tree one select at a time; the program goes to the deepest unit chosen (all members under it). */
function UnitPicker({ onChange, error }: { readonly onChange: (unit: Unit | null) => void; readonly error: MessageKey | undefined }) {
  const [path, setPath] = useState<readonly Unit[]>([]);
  function choose(level: number, unit: Unit | null): void {
    const next = unit ? [...path.slice(0, level), unit] : path.slice(0, level);
    setPath(next);
    onChange(next.at(-1) ?? null);
  }
  return (
    <fieldset class="choices">
      <legend>{t('newProgram.unitLegend')}</legend>
      {[null, ...path].map((parent, level) => (
        <UnitLevel key={parent?.id ?? 'root'} parent={parent} chosen={path[level] ?? null} onChoose={(unit) => choose(level, unit)} error={level === 0 ? error : undefined} />
      ))}
    </fieldset>
  );
}

function QuestionEditor({
  index,
  question,
  error,
  onChange,
  onRemove,
}: {
  readonly index: number;
  readonly question: QuestionDraft;
  readonly error: MessageKey | undefined;
  readonly onChange: (question: QuestionDraft) => void;
  readonly onRemove: (() => void) | null;
}) {
  const id = `question-${index}`;
  const number = index + 1;
  return (
    <fieldset class="choices question" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{t('newProgram.question', { number })}</legend>
      <div class="field">
        <label for={`${id}-text`}>{t('newProgram.questionText')}</label>
        <textarea id={`${id}-text`} rows={2} maxLength={2000} value={question.text} {...invalid(id, error)} onInput={(event) => onChange({ ...question, text: event.currentTarget.value })} />
      </div>
      <label class="choice">
        <input
          type="checkbox"
          checked={question.kind === 'multiple'}
          onChange={(event) => {
            const kind = event.currentTarget.checked ? 'multiple' : 'single';
            // Back to single choice: keep only the first option marked right.
            const first = question.options.findIndex((option) => option.correct);
            onChange(kind === 'single' ? markCorrect({ ...question, kind }, Math.max(first, 0), true) : { ...question, kind });
          }}
        />
        <span>{t('newProgram.multiple')}</span>
      </label>
      {question.options.map((option, at) => (
        <div key={at} class="field">
          <label for={`${id}-option-${at}`}>{t('newProgram.option', { letter: String.fromCharCode(65 + at) })}</label>
          <div class="field-row">
            <input
              id={`${id}-option-${at}`}
              type="text"
              maxLength={1000}
              value={option.text}
              onInput={(event) => onChange({ ...question, options: question.options.map((item, i) => (i === at ? { ...item, text: event.currentTarget.value } : item)) })}
            />
          </div>
          <label class="choice">
            <input
              type={question.kind === 'single' ? 'radio' : 'checkbox'}
              name={`${id}-right`}
              checked={option.correct}
              onChange={(event) => onChange(markCorrect(question, at, event.currentTarget.checked))}
            />
            <span>{t('newProgram.right', { letter: String.fromCharCode(65 + at) })}</span>
          </label>
        </div>
      ))}
      <div class="card-row">
        {question.options.length < 10 && (
          <button type="button" class="button button-small button-quiet" onClick={() => onChange({ ...question, options: [...question.options, { text: '', correct: false }] })}>
            {t('newProgram.addOption')}
          </button>
        )}
        {onRemove && (
          <button type="button" class="button button-small button-quiet" aria-label={t('newProgram.removeQuestionLabel', { number })} onClick={onRemove}>
            {t('newProgram.removeQuestion')}
          </button>
        )}
      </div>
      <FieldError id={id} error={error} />
    </fieldset>
  );
}

function Quiz({ draft, errors, change }: { readonly draft: ProgramDraft; readonly errors: ProgramErrors; readonly change: (part: Partial<ProgramDraft>) => void }) {
  const setQuestion = (index: number, question: QuestionDraft) => change({ questions: draft.questions.map((item, at) => (at === index ? question : item)) });
  return (
    <>
      <div class="field">
        <label for="program-pass">{t('newProgram.passPercent')}</label>
        <input id="program-pass" type="number" inputMode="numeric" min={0} max={100} value={draft.passPercent} {...invalid('program-pass', errors.passPercent)} onInput={(event) => change({ passPercent: event.currentTarget.value })} />
        <FieldError id="program-pass" error={errors.passPercent} />
      </div>
      <div class="field">
        <label for="program-attempts">{t('newProgram.maxAttempts')}</label>
        <input id="program-attempts" type="number" inputMode="numeric" min={1} max={100} value={draft.maxAttempts} {...invalid('program-attempts', errors.maxAttempts)} onInput={(event) => change({ maxAttempts: event.currentTarget.value })} />
        <FieldError id="program-attempts" error={errors.maxAttempts} />
      </div>
      {draft.questions.map((question, index) => (
        <QuestionEditor
          key={index}
          index={index}
          question={question}
          error={errors[`questions.${index}`]}
          onChange={(next) => setQuestion(index, next)}
          onRemove={draft.questions.length > 1 ? () => change({ questions: draft.questions.filter((_, at) => at !== index) }) : null}
        />
      ))}
      <FieldError id="program-questions" error={errors.questions} />
      {draft.questions.length < 100 && (
        <button type="button" class="button button-secondary" onClick={() => change({ questions: [...draft.questions, blankQuestion()] })}>
          {t('newProgram.addQuestion')}
        </button>
      )}
    </>
  );
}

/** The form; `onCreated` is told when the program reached the server (or waits in the outbox). */
export function CreateProgram({ onCreated }: { readonly onCreated: () => void }) {
  const [draft, setDraft] = useState<ProgramDraft>(() => emptyDraft());
  const [errors, setErrors] = useState<ProgramErrors>({});
  const [said, setSaid] = useState<WriteState>(QUIET);
  const [busy, setBusy] = useState(false);
  const [round, setRound] = useState(0);
  const change = (part: Partial<ProgramDraft>) => setDraft((current) => ({ ...current, ...part }));
  const formRef = useRef<HTMLFormElement>(null);
  // Once the errors are on screen: the cursor to the first field marked, in the order the officer sees them.
  useEffect(() => {
    (formRef.current?.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
  }, [errors]);

  async function submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const checked = buildProgram(draft, Date.now());
    if (!checked.ok) {
      setErrors(checked.errors);
      setSaid(QUIET);
      return;
    }
    setErrors({});
    setBusy(true);
    setSaid(QUIET);
    try {
      const result = await submitWrite('post', '/api/v1/study/programs', {
        body: checked.value,
        kind: CREATE_KIND,
        ref: checked.value.title,
        label: `${t('newProgram.title')}: ${checked.value.title}`,
      });
      setSaid(result.state === 'sent' ? { tone: 'ok', text: t('newProgram.created', { title: checked.value.title }) } : { tone: 'wait', text: t('life.queued') });
      setDraft(emptyDraft());
      setRound(round + 1); // a fresh unit picker too
      onCreated();
    } catch (failure) {
      setSaid({ tone: 'error', text: explain(failure) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} class="form" noValidate onSubmit={(event) => void submit(event)}>
      <UnitPicker key={round} onChange={(unit) => change({ unitId: unit?.id ?? null })} error={errors.unit} />
      <div class={errors.title ? 'field field-invalid' : 'field'}>
        <label for="program-title">{t('newProgram.fieldTitle')}</label>
        <input id="program-title" type="text" maxLength={300} value={draft.title} {...invalid('program-title', errors.title)} onInput={(event) => change({ title: event.currentTarget.value })} />
        <FieldError id="program-title" error={errors.title} />
      </div>
      <div class="field">
        <label for="program-description">{t('newProgram.description')}</label>
        <textarea id="program-description" rows={4} maxLength={20000} value={draft.description} onInput={(event) => change({ description: event.currentTarget.value })} />
        <FieldError id="program-description" error={errors.description} />
      </div>
      <div class={errors.dueDate ? 'field field-invalid' : 'field'}>
        <label for="program-due">{t('newProgram.due')}</label>
        <p class="field-hint" id="program-due-hint">
          {t('newProgram.dueHint')}
        </p>
        <input
          id="program-due"
          type="date"
          min={localToday(Date.now())}
          value={draft.dueDate}
          aria-invalid={errors.dueDate ? 'true' : undefined}
          aria-describedby={errors.dueDate ? 'program-due-hint program-due-error' : 'program-due-hint'}
          onInput={(event) => change({ dueDate: event.currentTarget.value })}
        />
        <FieldError id="program-due" error={errors.dueDate} />
      </div>
      <DocumentChoices id="program-materials" legend={t('newProgram.materials')} chosen={draft.materials} onChange={(materials) => change({ materials })} error={errors.materials && t(errors.materials)} />
      <label class="choice">
        <input type="checkbox" checked={draft.quiz} onChange={(event) => change({ quiz: event.currentTarget.checked })} />
        <span>{t('newProgram.withQuiz')}</span>
      </label>
      {draft.quiz && <Quiz draft={draft} errors={errors} change={change} />}
      <label class="choice">
        <input type="checkbox" checked={draft.reflectionRequired} onChange={(event) => change({ reflectionRequired: event.currentTarget.checked })} />
        <span>{t('newProgram.withReflection')}</span>
      </label>
      {draft.reflectionRequired && (
        <div class="field">
          <label for="program-prompt">{t('newProgram.prompt')}</label>
          <textarea id="program-prompt" rows={3} maxLength={5000} value={draft.reflectionPrompt} onInput={(event) => change({ reflectionPrompt: event.currentTarget.value })} />
          <FieldError id="program-prompt" error={errors.reflectionPrompt} />
        </div>
      )}
      <Alert message={errors.form ? t(errors.form) : Object.keys(errors).length > 0 ? t('newProgram.fixAbove') : ''} />
      <button type="submit" class="button" disabled={busy}>
        {t('newProgram.submit')}
      </button>
      <Said tone={said.tone}>{said.text}</Said>
    </form>
  );
}
