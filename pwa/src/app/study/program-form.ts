/**
 * A committee's new study program as CreateStudyProgram wants it: materials, an optional quiz and an
 * optional reflection, for one unit of its scope (every member under it), due at the end of a day on
 * the branch's clock. Checked here with the server's own rules, so the officer reads why in Vietnamese.
 */
import type { Schemas } from '../../shared/api';
import type { MessageKey } from '../i18n';
import { localToIso } from '../life/dates';

export type ProgramCreate = Schemas['StudyProgramCreate'];

export interface OptionDraft {
  readonly text: string;
  readonly correct: boolean;
}

export interface QuestionDraft {
  readonly text: string;
  readonly kind: 'single' | 'multiple';
  readonly options: readonly OptionDraft[];
}

export interface ProgramDraft {
  readonly unitId: number | null;
  readonly title: string;
  readonly description: string;
  /** `YYYY-MM-DD`: due at 23:59 that day in Vietnam. */
  readonly dueDate: string;
  readonly materials: readonly string[];
  readonly quiz: boolean;
  readonly passPercent: string;
  readonly maxAttempts: string;
  readonly questions: readonly QuestionDraft[];
  readonly reflectionRequired: boolean;
  readonly reflectionPrompt: string;
}

/** Error keys by field: `unit`, `title`, ..., `questions.2` for the third question, `form` for the whole. */
export type ProgramErrors = Readonly<Record<string, MessageKey>>;
export type Checked = { readonly ok: true; readonly value: ProgramCreate } | { readonly ok: false; readonly errors: ProgramErrors };

export const blankQuestion = (): QuestionDraft => ({
  text: '',
  kind: 'single',
  options: [
    { text: '', correct: true },
    { text: '', correct: false },
  ],
});

export const emptyDraft = (unitId: number | null = null): ProgramDraft => ({
  unitId,
  title: '',
  description: '',
  dueDate: '',
  materials: [],
  quiz: false,
  passPercent: '80',
  maxAttempts: '3',
  questions: [blankQuestion()],
  reflectionRequired: false,
  reflectionPrompt: '',
});

/** One option marked right: a single-choice question has exactly one, so choosing one clears the others. */
export function markCorrect(question: QuestionDraft, index: number, correct: boolean): QuestionDraft {
  const options = question.options.map((option, at) =>
    at === index ? { ...option, correct } : question.kind === 'single' && correct ? { ...option, correct: false } : option,
  );
  return { ...question, options };
}

function wholeNumber(text: string, low: number, high: number): number | null {
  const value = Number(text);
  return text.trim() !== '' && Number.isInteger(value) && value >= low && value <= high ? value : null;
}

function checkQuestion(question: QuestionDraft): { readonly value?: Schemas['QuestionCreate']; readonly error?: MessageKey } {
  const text = question.text.trim();
  // Rows left empty are dropped (the form offers spare ones); what is left must make a question.
  const options = question.options.map((option) => ({ text: option.text.trim(), correct: option.correct })).filter((option) => option.text);
  const right = options.filter((option) => option.correct).length;
  if (!text) return { error: 'newProgram.needQuestion' };
  if (text.length > 2000 || options.some((option) => option.text.length > 1000)) return { error: 'edit.tooLong' };
  if (options.length < 2 || options.length > 10) return { error: 'newProgram.needOptions' };
  if (question.kind === 'single' ? right !== 1 : right < 1) {
    return { error: question.kind === 'single' ? 'newProgram.needOneRight' : 'newProgram.needSomeRight' };
  }
  return { value: { text, kind: question.kind, options } };
}

/** The CreateStudyProgram body, or what to fix. `now` decides whether the due day is already past. */
export function buildProgram(draft: ProgramDraft, now: number): Checked {
  const errors: Record<string, MessageKey> = {};
  const title = draft.title.trim();
  const description = draft.description.trim();
  const prompt = draft.reflectionPrompt.trim();
  const dueAt = localToIso(draft.dueDate.trim(), '23:59');
  if (draft.unitId === null) errors.unit = 'newProgram.needUnit';
  if (!title) errors.title = 'newProgram.needTitle';
  else if (title.length > 300) errors.title = 'edit.tooLong';
  if (description.length > 20_000) errors.description = 'edit.tooLong';
  if (!dueAt) errors.dueDate = 'newProgram.needDue';
  else if (Date.parse(dueAt) <= now) errors.dueDate = 'newProgram.duePast';
  if (draft.materials.length > 50 || new Set(draft.materials).size !== draft.materials.length) errors.materials = 'newProgram.badMaterials';
  if (prompt.length > 5000) errors.reflectionPrompt = 'edit.tooLong';

  let quiz: Schemas['QuizCreate'] | null = null;
  if (draft.quiz) {
    const passPercent = wholeNumber(draft.passPercent, 0, 100);
    const maxAttempts = wholeNumber(draft.maxAttempts, 1, 100);
    if (passPercent === null) errors.passPercent = 'newProgram.badPercent';
    if (maxAttempts === null) errors.maxAttempts = 'newProgram.badAttempts';
    if (draft.questions.length < 1 || draft.questions.length > 100) errors.questions = 'newProgram.badQuestionCount';
    const questions: Schemas['QuestionCreate'][] = [];
    draft.questions.forEach((question, index) => {
      const checked = checkQuestion(question);
      if (checked.error) errors[`questions.${index}`] = checked.error;
      else if (checked.value) questions.push(checked.value);
    });
    if (passPercent !== null && maxAttempts !== null) quiz = { pass_percent: passPercent, max_attempts: maxAttempts, questions };
  }
  // A program must give the members something to do.
  if (draft.materials.length === 0 && !draft.quiz && !draft.reflectionRequired) errors.form = 'newProgram.needSomething';
  if (Object.keys(errors).length > 0 || draft.unitId === null || !dueAt) return { ok: false, errors };

  return {
    ok: true,
    value: {
      unit_id: draft.unitId,
      title,
      description,
      due_at: dueAt,
      materials: [...draft.materials],
      quiz,
      reflection_required: draft.reflectionRequired,
      reflection_prompt: draft.reflectionRequired ? prompt : '',
    },
  };
}
