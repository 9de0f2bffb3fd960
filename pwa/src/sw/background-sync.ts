import { OUTBOX_SYNC_TAG, type Message } from '../shared/messages';

declare const self: ServiceWorkerGlobalScope;

/** Background Sync is not in TypeScript's WebWorker lib (Chromium only; Safari has none). */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

/**
 * The network is back and writes wait in the outbox: ask the open pages to send them.
 *
 * Why the pages and not this worker: the page owns the one replay (offline-queue.ts) and the CSRF
 * token, which a worker cannot read (no document.cookie; cookieStore is Chromium-only and newer than
 * our oldest phones). Two implementations of "exactly once" would drift apart. With no page open the
 * sync fails on purpose, so the browser tries again later; the next app open replays in any case.
 */
async function askPagesToReplay(): Promise<void> {
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  if (pages.length === 0) throw new Error('No page open to send the outbox; the browser will try again.');
  const message: Message = { type: 'REPLAY_OUTBOX' };
  for (const page of pages) page.postMessage(message);
}

export function onSync(event: Event): void {
  const sync = event as SyncEvent;
  if (sync.tag === OUTBOX_SYNC_TAG) sync.waitUntil(askPagesToReplay());
}
