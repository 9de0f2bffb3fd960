import { isMessage, type Message } from '../shared/messages';
import { clearPersonalCaches } from '../shared/personal-data';

declare const self: ServiceWorkerGlobalScope;

function handle(message: Message): Promise<unknown> {
  switch (message.type) {
    case 'SKIP_WAITING':
      return self.skipWaiting();
    case 'SIGNED_OUT':
      return clearPersonalCaches(self.caches);
    case 'REPLAY_OUTBOX':
    case 'PUSH_RECEIVED':
    case 'NAVIGATE':
      return Promise.resolve(); // for pages only: the worker sends these, never acts on them
  }
}

/** Messages from our pages; anything that is not a known Message is ignored. */
export function onMessage(event: ExtendableMessageEvent): void {
  if (isMessage(event.data)) event.waitUntil(handle(event.data));
}
