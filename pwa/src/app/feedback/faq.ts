/**
 * Publishing a good answer as an FAQ entry (PublishFaq): only an answered thread whose asker agreed,
 * and never with the asker's name in it. The server refuses the same things; checking here first lets
 * the officer fix the text where they typed it, in Vietnamese.
 */
import type { Schemas } from '../../shared/api';
import type { MessageKey } from '../i18n';

type Thread = Schemas['FeedbackThread'];
export type FaqPublish = Schemas['FaqPublish'];

export const MAX_QUESTION = 1000;
export const MAX_ANSWER = 10_000;

/** Why the thread cannot become an FAQ entry yet, or null when it can. */
export function faqBlocker(thread: Thread): MessageKey | null {
  if (thread.answered_at === null || (thread.status !== 'answered' && thread.status !== 'closed')) return 'faqPublish.notAnswered';
  if (!thread.faq_consent) return 'faqPublish.noConsent';
  if (thread.hidden) return 'faqPublish.hidden';
  return null;
}

/** The form's first text: the member's question, and the last answer the staff gave. */
export function faqDefaults(thread: Thread): { readonly question: string; readonly answer: string } {
  const question = (thread.title ? `${thread.title}\n\n${thread.body}` : thread.body).slice(0, MAX_QUESTION);
  const answers = thread.replies.filter((reply) => !reply.by_asker && !reply.hidden);
  return { question, answer: answers.at(-1)?.body ?? '' };
}

/** Whether `text` names the asker (as the server compares: the full name, case folded). */
export function namesAsker(text: string, name: string | null | undefined): boolean {
  const folded = name?.normalize('NFC').trim().toLocaleLowerCase('vi');
  return Boolean(folded) && text.normalize('NFC').toLocaleLowerCase('vi').includes(folded ?? '');
}

export type FaqErrors = Readonly<Partial<Record<'question' | 'answer', MessageKey>>>;

/** The PublishFaq body, or the errors to show by field. */
export function faqPublish(thread: Thread, question: string, answer: string): { readonly ok: true; readonly value: FaqPublish } | { readonly ok: false; readonly errors: FaqErrors } {
  const q = question.trim();
  const a = answer.trim();
  const name = thread.author?.full_name;
  const errors: Partial<Record<'question' | 'answer', MessageKey>> = {};
  if (!q) errors.question = 'faqPublish.needQuestion';
  else if (q.length > MAX_QUESTION) errors.question = 'edit.tooLong';
  else if (namesAsker(q, name)) errors.question = 'faqPublish.hasName';
  if (!a) errors.answer = 'faqPublish.needAnswer';
  else if (a.length > MAX_ANSWER) errors.answer = 'edit.tooLong';
  else if (namesAsker(a, name)) errors.answer = 'faqPublish.hasName';
  if (errors.question || errors.answer) return { ok: false, errors };
  return { ok: true, value: { thread_id: thread.id, question: q, answer_md: a } };
}
