/**
 * Background Sync where the browser has it (Chromium): the service worker is woken when the network
 * returns and asks the open pages to send the outbox (see src/sw/background-sync.ts). Safari and
 * Firefox have none; there the `online` event and opening the app do the same job.
 */
import { isMessage, OUTBOX_SYNC_TAG } from '../shared/messages';

/** Not in TypeScript's DOM lib: Background Sync is Chromium-only. */
interface WithSync {
  readonly sync?: { register(tag: string): Promise<void> };
}

/** Ask to be woken when the network is back; does nothing where Background Sync does not exist. */
export async function requestBackgroundSync(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  try {
    // getRegistration, not ready: ready never settles where no worker is registered (development).
    const registration = (await navigator.serviceWorker.getRegistration()) as (ServiceWorkerRegistration & WithSync) | undefined;
    await registration?.sync?.register(OUTBOX_SYNC_TAG);
  } catch {
    // Refused (permission, private mode): the other triggers still replay.
  }
}

/** Call `replay` whenever the service worker asks for it. */
export function listenForReplayRequests(replay: () => void): void {
  if (!('serviceWorker' in navigator)) return;
  const container = navigator.serviceWorker;
  container.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isMessage(event.data) && event.data.type === 'REPLAY_OUTBOX') replay();
  });
  // Messages sent before the page listened are held until this call (or until the page has loaded).
  container.startMessages?.();
}
