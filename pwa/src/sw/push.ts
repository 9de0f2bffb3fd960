/**
 * The 'push' event: ALWAYS show a notification, inside waitUntil (a push shown without one costs the
 * site its push permission in some browsers), then report it shown and tell open pages to refresh
 * their unread counts.
 */
import type { Message } from '../shared/messages';
import { workerHost, type PushHost } from './host';
import { notificationOptions, parsePushPayload, GENERIC } from './push-payload';
import { reportEvent } from './report';

/** Show what the push says (or the generic notification), then report; resolves once all is done. */
export async function showPush(data: { text(): string } | null, host: PushHost): Promise<void> {
  let raw: string | null = null;
  try {
    raw = data?.text() ?? null;
  } catch {
    raw = null; // undecodable bytes: the generic notification below
  }
  const payload = parsePushPayload(raw);
  try {
    await host.showNotification(payload.title, notificationOptions(payload));
  } catch {
    // Options an old browser refuses (renotify without tag, ...): show the plainest one rather than none.
    await host.showNotification(payload.title || GENERIC.title, { body: payload.body });
  }
  const pages = host.windows().then((windows) => {
    const message: Message = { type: 'PUSH_RECEIVED' };
    for (const page of windows) page.postMessage(message);
  });
  await Promise.allSettled([reportEvent(host.fetch, payload.id, payload.receipt, 'shown'), pages]);
}

export function onPush(event: PushEvent): void {
  event.waitUntil(showPush(event.data, workerHost()));
}
