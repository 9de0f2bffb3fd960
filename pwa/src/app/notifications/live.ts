/**
 * Keeping the badges right: when the member is signed in (app open, sign-in), when the app comes
 * back to the front, and when the service worker says a push arrived. Also where a tap on a
 * notification lands when the app was already open (the worker focuses it and says where to go).
 */
import { effect, untracked } from '@preact/signals';
import { safeAppPath } from '../../shared/app-url';
import { isMessage } from '../../shared/messages';
import { router } from '../navigation';
import { refreshNotices } from '../notices/store';
import { resendPushSubscription } from '../push/push';
import { status } from '../session';
import { refreshInboxCount } from './inbox';

const AT_MOST_EVERY_MS = 60_000;
let lastRefresh = 0;

function refreshCounts(force = false): void {
  if (status.peek() !== 'signedIn') return;
  if (!force && Date.now() - lastRefresh < AT_MOST_EVERY_MS) return;
  lastRefresh = Date.now();
  void refreshInboxCount();
  void refreshNotices().catch(() => undefined);
}

export function startNotifications(): void {
  effect(() => {
    if (status.value !== 'signedIn') return;
    // Untracked: the refreshes read and write the feed and inbox signals, and an effect that read
    // them would run again on every answer, refetching in a loop.
    untracked(() => {
      refreshCounts(true);
      // iOS drops subscriptions silently: send ours again on every open (a no-op without permission).
      void resendPushSubscription();
    });
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refreshCounts();
  });
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!isMessage(event.data)) return;
    if (event.data.type === 'PUSH_RECEIVED') refreshCounts(true);
    if (event.data.type === 'NAVIGATE') router.navigate(safeAppPath(event.data.url, location.origin));
  });
}
