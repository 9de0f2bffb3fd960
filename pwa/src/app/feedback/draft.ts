/**
 * The feedback being written, kept in IndexedDB at every keystroke: nothing typed is lost when the
 * phone closes the app, runs out of battery or reloads without signal. The draft's id is made when
 * writing starts and sent as CreateFeedback's `id`, so even a draft sent twice makes one thread.
 */
import type { Schemas } from '../../shared/api';
import type { AppDatabase } from '../storage';

export type FeedbackCreate = Schemas['FeedbackCreate'];
export type Kind = NonNullable<FeedbackCreate['kind']>;
export type Level = NonNullable<FeedbackCreate['level']>;
export type Category = NonNullable<FeedbackCreate['category']>;

export const KINDS: readonly Kind[] = ['question', 'suggestion', 'petition'];
export const LEVELS: readonly Level[] = ['branch', 'commune', 'province'];
export const CATEGORIES: readonly Category[] = ['general', 'party_building', 'policy', 'livelihood', 'app'];
export const MAX_BODY = 5000;
export const MAX_TITLE = 200;

export interface Draft {
  readonly id: string;
  readonly kind: Kind;
  readonly level: Level;
  readonly category: Category;
  readonly title: string;
  readonly body: string;
  readonly anonymous: boolean;
  readonly faqConsent: boolean;
  readonly updatedAt: number;
}

export const DRAFT_KEY = 'feedback.draft';

export function emptyDraft(id: string, now: number): Draft {
  return { id, kind: 'suggestion', level: 'branch', category: 'general', title: '', body: '', anonymous: false, faqConsent: false, updatedAt: now };
}

/** A stored draft, checked field by field (an older app version may have written something else). */
export function asDraft(stored: unknown): Draft | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const s = stored as Record<string, unknown>;
  if (typeof s.id !== 'string' || typeof s.body !== 'string' || typeof s.title !== 'string') return null;
  const pick = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
    allowed.includes(value as T) ? (value as T) : fallback;
  return {
    id: s.id,
    kind: pick(s.kind, KINDS, 'suggestion'),
    level: pick(s.level, LEVELS, 'branch'),
    category: pick(s.category, CATEGORIES, 'general'),
    title: s.title,
    body: s.body,
    anonymous: s.anonymous === true,
    faqConsent: s.faqConsent === true,
    updatedAt: typeof s.updatedAt === 'number' ? s.updatedAt : 0,
  };
}

/** Nothing worth keeping: no words typed. */
export function isBlank(draft: Draft): boolean {
  return !draft.body.trim() && !draft.title.trim();
}

export async function loadDraft(db: AppDatabase): Promise<Draft | null> {
  return asDraft(await db.get('meta', DRAFT_KEY));
}

/** Keep the draft; a blank one is removed instead, so "Góp ý" does not offer to resume nothing. */
export async function saveDraft(db: AppDatabase, draft: Draft): Promise<void> {
  if (isBlank(draft)) await db.delete('meta', DRAFT_KEY);
  else await db.put('meta', draft, DRAFT_KEY);
}

/** Forget the draft once it is in the outbox; only the same draft (by id), not a newer one from another tab. */
export async function clearDraft(db: AppDatabase, id: string): Promise<void> {
  const tx = db.transaction('meta', 'readwrite');
  const stored = asDraft(await tx.store.get(DRAFT_KEY));
  if (stored?.id === id) await tx.store.delete(DRAFT_KEY);
  await tx.done;
}

export type DraftProblem = 'bodyMissing' | 'bodyTooLong' | 'titleTooLong';

/** What stops sending, checked here in Vietnamese before the server would say it in its own words. */
export function checkDraft(draft: Draft): DraftProblem | null {
  const body = draft.body.trim();
  if (!body) return 'bodyMissing';
  if (body.length > MAX_BODY) return 'bodyTooLong';
  if (draft.title.trim().length > MAX_TITLE) return 'titleTooLong';
  return null;
}

/** The CreateFeedback body for a draft that passed checkDraft. */
export function feedbackRequest(draft: Draft): FeedbackCreate {
  return {
    id: draft.id,
    body: draft.body.trim(),
    title: draft.title.trim(),
    kind: draft.kind,
    level: draft.level,
    category: draft.category,
    anonymous: draft.anonymous,
    faq_consent: draft.faqConsent,
  };
}

/** A short line for lists (pending writes, the outbox): the title, else the start of the text. */
export function excerpt(title: string, body: string, length = 80): string {
  const text = (title.trim() || body.trim()).replace(/\s+/g, ' ');
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
