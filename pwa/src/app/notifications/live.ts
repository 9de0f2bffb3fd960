/**
 * Keeping the badges right: when the member is signed in (app open, sign-in), when the app comes
 * back to the front, when the server's live stream says something changed (GetLiveUpdates, while
 * the app is in front), and when the service worker says a push arrived. Also where a tap on a
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

let stream: EventSource | null = null;

/** Listen while signed in and in front; a hidden app holds no connection (battery, and the server's 3 per account). */
function followLiveUpdates(): void {
  const wanted = status.peek() === 'signedIn' && document.visibilityState === 'visible' && 'EventSource' in window;
  if (!wanted) {
    stream?.close();
    stream = null;
    return;
  }
  if (stream && stream.readyState !== EventSource.CLOSED) return; // a refused stream (401, 429) is not retried by the browser
  stream = new EventSource('/api/v1/live');
  stream.addEventListener('update', () => refreshCounts(true));
  stream.addEventListener('signed-out', () => {
    stream?.close();
    stream = null;
  });
}

export function startNotifications(): void {
  effect(() => {
    if (status.value !== 'signedIn') {
      untracked(followLiveUpdates); // signed out: the stream goes
      return;
    }
    // Untracked: the refreshes read and write the feed and inbox signals, and an effect that read
    // them would run again on every answer, refetching in a loop.
    untracked(() => {
      refreshCounts(true);
      followLiveUpdates();
      // iOS drops subscriptions silently: send ours again on every open (a no-op without permission).
      void resendPushSubscription();
    });
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refreshCounts();
    followLiveUpdates();
  });
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!isMessage(event.data)) return;
    if (event.data.type === 'PUSH_RECEIVED') refreshCounts(true);
    if (event.data.type === 'NAVIGATE') router.navigate(safeAppPath(event.data.url, location.origin));
  });
}
