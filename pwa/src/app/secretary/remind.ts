/**
 * RemindNotice: at most once a day per notice and scope, so a second tap answers 429 with
 * Retry-After. The member sees when reminding is possible again, not an error.
 */
import { buildUrl, request, type Schemas } from '../../shared/api';
import { parseProblem } from '../../shared/problem';

export type Reminder = Schemas['Reminder'];
export type RemindOutcome = { readonly sent: Reminder } | { readonly retryAt: number | null };

/** When Retry-After (seconds, or an HTTP date) says to come back, as epoch ms; null if it says nothing usable. */
export function retryAt(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return now + Number(text) * 1000;
  // An HTTP date names its day and month; Date.parse would take "-5" for a year.
  if (!/^[A-Za-z]{3}, /.test(text)) return null;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(date, now);
}

export async function remind(noticeId: string, now: () => number = Date.now): Promise<RemindOutcome> {
  const response = await request('POST', buildUrl('/api/v1/notices/{notice_id}/remind', { notice_id: noticeId }, undefined));
  if (response.status === 429) return { retryAt: retryAt(response.headers.get('Retry-After'), now()) };
  const text = await response.text().catch(() => '');
  if (!response.ok) throw parseProblem(response.status, response.headers.get('Content-Type'), text);
  return { sent: JSON.parse(text) as Reminder };
}
