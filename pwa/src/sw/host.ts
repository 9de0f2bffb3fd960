/**
 * What the push and notification handlers need from the worker, as one small interface: the real
 * worker's in `workerHost()`, fakes in the tests (which run in Node, with no ServiceWorkerGlobalScope).
 */
import type { Message } from '../shared/messages';

export interface WindowLike {
  readonly url: string;
  focus(): Promise<unknown>;
  postMessage(message: Message): void;
}

export interface PushHost {
  readonly origin: string;
  showNotification(title: string, options: NotificationOptions): Promise<void>;
  fetch(input: string, init: RequestInit): Promise<Response>;
  /** The app's open windows, the most recently focused first. */
  windows(): Promise<readonly WindowLike[]>;
  openWindow(path: string): Promise<unknown>;
}

declare const self: ServiceWorkerGlobalScope;

export function workerHost(): PushHost {
  return {
    origin: self.location.origin,
    showNotification: (title, options) => self.registration.showNotification(title, options),
    fetch: (input, init) => self.fetch(input, init),
    windows: () => self.clients.matchAll({ type: 'window', includeUncontrolled: true }),
    openWindow: (path) => self.clients.openWindow(path),
  };
}
