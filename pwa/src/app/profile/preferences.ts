/** Notification preferences as the form shows them, and back (pure; tested). */
import type { Schemas } from '../../shared/api';

export type Preferences = Schemas['NotificationPreferences'];
export type PreferencesUpdate = Schemas['NotificationPreferencesUpdate'];

/** The categories a member may mute, in the order the form lists them (the server's category names). */
export const CATEGORIES = ['notice', 'meeting', 'study', 'feedback'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface PreferencesForm {
  /** Categories the member wants pushed (the form asks "receive", the API stores "muted"). */
  readonly receive: ReadonlySet<string>;
  readonly quiet: boolean;
  readonly quietStart: string;
  readonly quietEnd: string;
  readonly digest: boolean;
}

const DEFAULT_START = '22:00';
const DEFAULT_END = '06:00';

export function toForm(preferences: Preferences): PreferencesForm {
  const muted = new Set(preferences.muted_categories);
  return {
    receive: new Set(CATEGORIES.filter((category) => !muted.has(category))),
    quiet: preferences.quiet_hours !== null,
    quietStart: preferences.quiet_hours?.start ?? DEFAULT_START,
    quietEnd: preferences.quiet_hours?.end ?? DEFAULT_END,
    digest: preferences.daily_digest,
  };
}

/**
 * The PUT body. Categories muted on the server that this form does not list stay muted (a newer
 * server may know more); returns an error key instead when the quiet hours make no sense.
 */
export function toUpdate(form: PreferencesForm, before: Preferences): PreferencesUpdate | 'quietSame' | 'quietInvalid' {
  const time = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
  if (form.quiet) {
    if (!time.test(form.quietStart) || !time.test(form.quietEnd)) return 'quietInvalid';
    if (form.quietStart === form.quietEnd) return 'quietSame';
  }
  const listed = new Set<string>(CATEGORIES);
  const unlisted = before.muted_categories.filter((category) => !listed.has(category));
  return {
    muted_categories: [...unlisted, ...CATEGORIES.filter((category) => !form.receive.has(category))],
    quiet_hours: form.quiet ? { start: form.quietStart, end: form.quietEnd } : null,
    daily_digest: form.digest,
  };
}

/** A short, readable name for a device from its user agent ("Android · Chrome"), or null. */
export function deviceName(userAgent: string): string | null {
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(userAgent)
      ? 'iPhone'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(userAgent)
          ? 'Mac'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /SamsungBrowser/.test(userAgent)
      ? 'Samsung Internet'
      : /Firefox\//.test(userAgent)
        ? 'Firefox'
        : /Chrome\/|Chromium\//.test(userAgent)
          ? 'Chrome'
          : /Safari\//.test(userAgent)
            ? 'Safari'
            : null;
  const parts = [system, browser].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(' · ') : null;
}
