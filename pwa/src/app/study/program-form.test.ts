import { describe, expect, it } from 'vitest';
import { blankQuestion, buildProgram, emptyDraft, markCorrect, type ProgramDraft } from './program-form';

const NOW = Date.parse('2026-12-01T03:00:00Z'); // 10:00 in Vietnam

const draft = (part: Partial<ProgramDraft> = {}): ProgramDraft => ({
  ...emptyDraft(7),
  title: ' Học tập Nghị quyết Đại hội ',
  dueDate: '2026-12-15',
  materials: ['d1', 'd2'],
  ...part,
});

const question = {
  text: 'Chi bộ sinh hoạt thường kỳ bao lâu một lần?',
  kind: 'single' as const,
  options: [
    { text: 'Mỗi tháng một lần', correct: true },
    { text: 'Mỗi năm một lần', correct: false },
    { text: '  ', correct: false },
  ],
};

describe('buildProgram', () => {
  it('builds the body: due at the end of the day in Vietnam, no quiz, no reflection', () => {
    expect(buildProgram(draft({ reflectionPrompt: 'bỏ qua khi không yêu cầu' }), NOW)).toEqual({
      ok: true,
      value: {
        unit_id: 7,
        title: 'Học tập Nghị quyết Đại hội',
        description: '',
        due_at: '2026-12-15T23:59:00+07:00',
        materials: ['d1', 'd2'],
        quiz: null,
        reflection_required: false,
        reflection_prompt: '',
      },
    });
  });

  it('carries the quiz with its blank options dropped, and the reflection prompt', () => {
    const result = buildProgram(draft({ quiz: true, passPercent: '75', maxAttempts: '2', questions: [question], reflectionRequired: true, reflectionPrompt: ' Liên hệ bản thân ' }), NOW);
    expect(result.ok && result.value.quiz).toEqual({
      pass_percent: 75,
      max_attempts: 2,
      questions: [{ text: question.text, kind: 'single', options: [question.options[0], question.options[1]] }],
    });
    expect(result.ok && [result.value.reflection_required, result.value.reflection_prompt]).toEqual([true, 'Liên hệ bản thân']);
  });

  it('names what is missing: unit, title, due day', () => {
    expect(buildProgram(draft({ unitId: null, title: ' ', dueDate: '' }), NOW)).toEqual({
      ok: false,
      errors: { unit: 'newProgram.needUnit', title: 'newProgram.needTitle', dueDate: 'newProgram.needDue' },
    });
  });

  it('refuses a due day already over, but takes today (due at 23:59)', () => {
    expect(buildProgram(draft({ dueDate: '2026-11-30' }), NOW)).toMatchObject({ ok: false, errors: { dueDate: 'newProgram.duePast' } });
    expect(buildProgram(draft({ dueDate: '2026-12-01' }), NOW).ok).toBe(true);
  });

  it('wants something to do', () => {
    expect(buildProgram(draft({ materials: [] }), NOW)).toEqual({ ok: false, errors: { form: 'newProgram.needSomething' } });
    expect(buildProgram(draft({ materials: [], reflectionRequired: true }), NOW).ok).toBe(true);
  });

  it('checks each question by its kind, and the quiz settings', () => {
    const noRight = { ...question, options: question.options.map((option) => ({ ...option, correct: false })) };
    const twoRight = { ...question, options: question.options.map((option) => ({ ...option, correct: true })) };
    const oneOption = { ...question, options: [question.options[0]!] };
    const result = buildProgram(
      draft({ quiz: true, passPercent: '101', maxAttempts: '0', questions: [noRight, twoRight, { ...twoRight, kind: 'multiple' }, oneOption, blankQuestion()] }),
      NOW,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        passPercent: 'newProgram.badPercent',
        maxAttempts: 'newProgram.badAttempts',
        'questions.0': 'newProgram.needOneRight',
        'questions.1': 'newProgram.needOneRight',
        'questions.3': 'newProgram.needOptions',
        'questions.4': 'newProgram.needQuestion',
      },
    });
    expect(buildProgram(draft({ quiz: true, questions: [] }), NOW)).toMatchObject({ ok: false, errors: { questions: 'newProgram.badQuestionCount' } });
  });
});

describe('markCorrect', () => {
  it('keeps one right option in a single-choice question, any number in a multiple one', () => {
    const single = markCorrect(question, 1, true);
    expect(single.options.map((option) => option.correct)).toEqual([false, true, false]);
    const multiple = markCorrect({ ...question, kind: 'multiple' }, 1, true);
    expect(multiple.options.map((option) => option.correct)).toEqual([true, true, false]);
    expect(markCorrect(multiple, 0, false).options.map((option) => option.correct)).toEqual([false, true, false]);
  });
});
