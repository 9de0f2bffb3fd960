/**
 * Dates as members read and secretaries type them: Vietnamese, on Vietnam's clock (UTC+7, no summer
 * time) whatever the phone's own zone is.
 */
const ZONE = 'Asia/Ho_Chi_Minh';
const OFFSET = '+07:00';

const DAY = new Intl.DateTimeFormat('vi-VN', { timeZone: ZONE, weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric' });
const TIME = new Intl.DateTimeFormat('vi-VN', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hour12: false });
const SHORT = new Intl.DateTimeFormat('vi-VN', { timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });

export function formatDay(iso: string): string {
  return DAY.format(new Date(iso));
}

export function formatTime(iso: string): string {
  return TIME.format(new Date(iso));
}

export function formatDate(iso: string): string {
  return SHORT.format(new Date(iso));
}

/** `2026-12-05` and `19:30` typed on the branch's clock, as the API's aware timestamp; null if malformed. */
export function localToIso(date: string, time: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return null;
  const iso = `${date}T${time}:00${OFFSET}`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

/** Today on the branch's clock, as `YYYY-MM-DD` (for date inputs' defaults and minimums). */
export function localToday(now: number): string {
  return new Date(now + 7 * 3600_000).toISOString().slice(0, 10);
}

/** Whole days from `now` until `iso` (negative once past), counted on the branch's calendar. */
export function daysUntil(iso: string, now: number): number {
  const day = (ms: number) => Math.floor((ms + 7 * 3600_000) / 86_400_000);
  return day(Date.parse(iso)) - day(now);
}
