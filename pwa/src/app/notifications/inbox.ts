/**
 * The notification inbox and its unread count (the badge on the app bar and home). The count is asked
 * for when the app opens, when it comes back to the front, and when the service worker says a push
 * arrived; reading one lowers it at once, without waiting for the server.
 */
import { signal } from '@preact/signals';
import { call, type Schemas } from '../../shared/api';
import { onLocalDataCleared } from '../storage';

export type Notification = Schemas['Notification'];
export type NotificationPage = Schemas['NotificationPage'];

/** Unread notifications; null until first known. */
export const inboxUnread = signal<number | null>(null);

/** The inbox after one notification is read: marked, and the count lowered once. */
export function markReadLocally(items: readonly Notification[], id: number, unread: number, now: string): { items: Notification[]; unread: number } {
  let lowered = unread;
  const marked = items.map((item) => {
    if (item.id !== id || item.read_at !== null) return item;
    lowered = Math.max(0, lowered - 1);
    return { ...item, read_at: now };
  });
  return { items: marked, unread: lowered };
}

/** The inbox after "mark all read". */
export function markAllLocally(items: readonly Notification[], now: string): Notification[] {
  return items.map((item) => (item.read_at === null ? { ...item, read_at: now } : item));
}

export async function listNotifications(after?: string): Promise<NotificationPage> {
  const page = await call('get', '/api/v1/notifications', { query: { after, limit: 30 } });
  if (after === undefined) inboxUnread.value = page.unread;
  return page;
}

/** Ask only for the count (one row's worth); failures keep the last count. */
export async function refreshInboxCount(): Promise<void> {
  try {
    inboxUnread.value = (await call('get', '/api/v1/notifications', { query: { limit: 1 } })).unread;
  } catch {
    // Offline or signed out: the badge keeps what it last knew.
  }
}

export async function markNotificationRead(id: number): Promise<void> {
  await call('post', '/api/v1/notifications/{notification_id}/read', { path: { notification_id: id } });
}

export async function markAllNotificationsRead(): Promise<void> {
  inboxUnread.value = (await call('post', '/api/v1/notifications/read')).unread;
}

onLocalDataCleared(() => {
  inboxUnread.value = null;
});
