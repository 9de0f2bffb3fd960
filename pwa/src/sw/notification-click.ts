/**
 * A tap on a notification: bring the app to the front at the notification's page (same-origin app
 * paths only; anything else opens '/'), and report the tap.
 */
import { safeAppPath } from '../shared/app-url';
import type { Message } from '../shared/messages';
import { workerHost, type PushHost } from './host';
import { readNotificationData } from './push-payload';
import { reportEvent } from './report';

/** Focus an open window and let the page's router go there; with none open, open one. */
export async function openFromNotification(data: unknown, host: PushHost): Promise<void> {
  const target = readNotificationData(data);
  const path = safeAppPath(target.url, host.origin);
  const report = reportEvent(host.fetch, target.id, target.receipt, 'clicked');
  const windows = await host.windows();
  const open = windows.find((page) => page.url.startsWith(`${host.origin}/`)) ?? windows[0];
  let shown = false;
  if (open) {
    try {
      // focus() first: it must happen while the tap still counts as the member's action.
      await open.focus();
      const message: Message = { type: 'NAVIGATE', url: path };
      open.postMessage(message);
      shown = true;
    } catch {
      // That window went away meanwhile, or may not be focused: open a new one.
    }
  }
  if (!shown) await host.openWindow(path).catch(() => undefined);
  await report;
}

export function onNotificationClick(event: NotificationEvent): void {
  event.notification.close();
  event.waitUntil(openFromNotification(event.notification.data, workerHost()));
}
