/**
 * Telling the server what became of a push: "shown" once it is on screen, "clicked" when tapped
 * (ReportNotificationEvent). No cookie and no CSRF token: the receipt the push carried is an HMAC
 * the server checks. Failures are ignored: the report is for the funnel figures, never for the member.
 */
import type { components, paths } from '../shared/api-types';

type EventBody = components['schemas']['NotificationEvent'];
export type PushEvent = EventBody['event'];

/** ReportNotificationEvent; `satisfies` breaks the build if the route is renamed. */
const REPORT_PATH = '/api/v1/notifications/{notification_id}/events' satisfies keyof paths;

const REPORT_TIMEOUT_MS = 10_000;

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export function reportPath(id: number): string {
  return REPORT_PATH.replace('{notification_id}', String(id));
}

/** POST the event; resolves in any case (and within REPORT_TIMEOUT_MS), so a waitUntil never hangs on it. */
export async function reportEvent(fetcher: Fetch, id: number | null, receipt: string | null, event: PushEvent): Promise<void> {
  if (id === null || receipt === null) return;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REPORT_TIMEOUT_MS);
  try {
    // A plain fetch: the worker has no API client (and no CSRF token to give one); the answer is 204.
    const body: EventBody = { event, receipt };
    await fetcher(reportPath(id), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      keepalive: true,
      signal: controller.signal,
    });
  } catch {
    // Offline, or the server is away: the push was still shown (or opened); nothing to do.
  } finally {
    clearTimeout(timer);
  }
}
