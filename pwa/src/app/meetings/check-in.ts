/**
 * Check-in by the code on the secretary's phone (decision 16). The member's phone records the code
 * and the moment it was seen; the server accepts it later if the code was valid at that moment. So
 * the time is taken when the sixth digit is typed (or the QR read), not when the write is finally sent.
 */
import type { Schemas } from '../../shared/api';

export const CODE_DIGITS = 6;
const QR_PREFIX = 'ehb-checkin:1:';

/** What the member typed, as the server's six digits: spaces and dashes dropped, full-width digits made plain. */
export function normaliseCode(typed: string): string {
  return typed
    .replace(/[\uFF10-\uFF19]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xff10 + 48))
    .replace(/[\s\-.]/g, '');
}

export function isCode(code: string): boolean {
  return /^[0-9]{6}$/.test(code);
}

/** The meeting and code in a check-in QR (`ehb-checkin:1:<meeting id>:<code>`), or null if it is not one. */
export function parseCheckInQr(text: string): { readonly meetingId: string; readonly code: string } | null {
  if (!text.startsWith(QR_PREFIX)) return null;
  const [meetingId = '', code = ''] = text.slice(QR_PREFIX.length).split(':');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(meetingId) || !isCode(code)) return null;
  return { meetingId: meetingId.toLowerCase(), code };
}

/** A code seen on the secretary's phone, and when: what the phone keeps until it can send it. */
export interface SeenCode {
  readonly code: string;
  readonly seenAt: number;
}

/** Remember the moment the code became complete; typing more or fewer digits forgets it. */
export function noteTyping(previous: SeenCode | null, typed: string, now: number): SeenCode | null {
  const code = normaliseCode(typed);
  if (!isCode(code)) return null;
  return previous?.code === code ? previous : { code, seenAt: now };
}

/** The CheckIn body: one id per check-in, so that a replay counts once. */
export function checkInRequest(seen: SeenCode, checkInId: string): Schemas['CheckInRequest'] {
  return { check_in_id: checkInId, code: seen.code, observed_at: new Date(seen.seenAt).toISOString() };
}

export type CheckInWindow = 'before' | 'open' | 'after';

/** Whether codes are shown now: from 30 minutes before the start to 30 minutes after the end. */
export function checkInWindow(meeting: Pick<Schemas['Meeting'], 'check_in_opens_at' | 'check_in_closes_at'>, now: number): CheckInWindow {
  if (now < Date.parse(meeting.check_in_opens_at)) return 'before';
  return now > Date.parse(meeting.check_in_closes_at) ? 'after' : 'open';
}

type Summary = Pick<Schemas['MeetingSummary'], 'starts_at' | 'ends_at' | 'status'>;

/** The next meeting not yet over and not cancelled (one under way counts), from a list in any order. */
export function nextMeeting<T extends Summary>(items: readonly T[], now: number): T | null {
  let best: T | null = null;
  for (const item of items) {
    if (item.status === 'cancelled' || Date.parse(item.ends_at) < now) continue;
    if (!best || Date.parse(item.starts_at) < Date.parse(best.starts_at)) best = item;
  }
  return best;
}
