/**
 * Study progress as facts with ids made on the phone (decision 11): "opened the program", "read this
 * material". An event is made once, when the member acts, and its id travels with it through the
 * outbox, so a replay (or the same write sent from two tabs) counts once on the server.
 */
import type { Schemas } from '../../shared/api';
import type { QueuedWrite } from '../storage';

export const PROGRESS_KIND = 'studyProgress';
export type ProgressEvent = Schemas['ProgressEventIn'];
type Program = Pick<Schemas['StudyProgram'], 'id' | 'progress'>;

export function progressEvent(kind: ProgressEvent['kind'], now: number, newId: () => string, documentId?: string): ProgressEvent {
  return {
    event_id: newId(),
    kind,
    ...(documentId !== undefined && { document_id: documentId }),
    occurred_at: new Date(now).toISOString(),
  };
}

function eventsOf(write: QueuedWrite, programId: string): readonly ProgressEvent[] {
  if (write.kind !== PROGRESS_KIND || write.ref !== programId) return [];
  return (write.body as Schemas['ProgressRequest']).events;
}

/** Materials read as the phone knows it: the server's list and reads still waiting in the outbox. */
export function materialsRead(program: Program, pending: readonly QueuedWrite[]): ReadonlySet<string> {
  const read = new Set(program.progress?.materials_read ?? []);
  for (const write of pending) for (const event of eventsOf(write, program.id)) if (event.kind === 'read' && event.document_id) read.add(event.document_id);
  return read;
}

/** Whether to record "opened": assigned, not opened per the server, and no "opened" already waiting. */
export function needsOpened(program: Program, pending: readonly QueuedWrite[]): boolean {
  if (!program.progress || program.progress.opened) return false;
  return !pending.some((write) => eventsOf(write, program.id).some((event) => event.kind === 'opened'));
}

/** Quiz answers as the API takes them, and the questions still without an answer (in order). */
export function quizAnswers(
  questions: readonly Pick<Schemas['QuizQuestion'], 'id'>[],
  chosen: ReadonlyMap<string, ReadonlySet<string>>,
): { readonly answers: Schemas['AnswerIn'][]; readonly unanswered: readonly number[] } {
  const answers: Schemas['AnswerIn'][] = [];
  const unanswered: number[] = [];
  questions.forEach((question, index) => {
    const options = [...(chosen.get(question.id) ?? [])];
    if (options.length === 0) unanswered.push(index + 1);
    answers.push({ question_id: question.id, option_ids: options });
  });
  return { answers, unanswered };
}

/** A new choice: one option for a single-answer question, toggled for a multiple one. */
export function choose(
  chosen: ReadonlyMap<string, ReadonlySet<string>>,
  question: Pick<Schemas['QuizQuestion'], 'id' | 'kind'>,
  optionId: string,
  on: boolean,
): Map<string, ReadonlySet<string>> {
  const next = new Map(chosen);
  if (question.kind === 'single') {
    next.set(question.id, new Set(on ? [optionId] : []));
  } else {
    const options = new Set(chosen.get(question.id) ?? []);
    if (on) options.add(optionId);
    else options.delete(optionId);
    next.set(question.id, options);
  }
  return next;
}
