/** The "post a notice" form's values turned into a NoticeCreate, checked in Vietnamese first (pure; tested). */
import type { Schemas } from '../../shared/api';
import type { MessageKey } from '../i18n';

export type NoticeCreate = Schemas['NoticeCreate'];

export interface NoticeDraft {
  readonly title: string;
  readonly body: string;
  readonly category: string;
  readonly pinned: boolean;
  readonly requiresAck: boolean;
  /** yyyy-mm-dd from a date input, or '' for none. */
  readonly expiresOn: string;
}

const CATEGORIES = new Set(['general', 'meeting', 'study', 'urgent']);

/** The end of that day in Vietnam (UTC+7, no daylight saving): a notice "until the 15th" lasts the 15th. */
export function endOfDayInVietnam(date: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  // 2026-02-30 rolls over to March: not a real date.
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
  return new Date(Date.UTC(year, month - 1, day, 23 - 7, 59, 59));
}

export function buildNotice(
  draft: NoticeDraft,
  id: string,
  now: Date,
): { readonly notice: NoticeCreate } | { readonly errors: Readonly<Record<string, MessageKey>> } {
  const errors: Record<string, MessageKey> = {};
  const title = draft.title.trim().normalize('NFC');
  const body = draft.body.trim().normalize('NFC');
  if (!title) errors.title = 'form.required';
  if (!body) errors.body = 'form.required';
  let expires: Date | null = null;
  if (draft.expiresOn) {
    expires = endOfDayInVietnam(draft.expiresOn);
    if (expires === null || expires.getTime() <= now.getTime()) errors.expires_on = 'secretary.expiresPast';
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    notice: {
      id,
      title,
      body,
      category: (CATEGORIES.has(draft.category) ? draft.category : 'general') as NonNullable<NoticeCreate['category']>,
      pinned: draft.pinned,
      requires_acknowledgement: draft.requiresAck,
      ...(expires !== null && { expires_at: expires.toISOString() }),
    },
  };
}
