/**
 * Registers the service worker and tells the page when a new version is waiting. The new worker
 * only takes over when the member taps "Tải lại" (never in the middle of typing a form).
 */
import { signal } from '@preact/signals';
import type { Message } from '../shared/messages';

const SW_URL = '/sw.js';
const UPDATE_CHECK_EVERY_MS = 60 * 60 * 1000;

/** True when a new version is installed and waiting for the member's go-ahead. */
export const updateWaiting = signal(false);

let waiting: ServiceWorker | null = null;

function post(worker: ServiceWorker | null | undefined, message: Message): void {
  worker?.postMessage(message);
}

export function postToServiceWorker(message: Message): void {
  if ('serviceWorker' in navigator) post(navigator.serviceWorker.controller, message);
}

/** Activate the waiting version; the page reloads when it takes control. */
export function applyUpdate(): void {
  post(waiting, { type: 'SKIP_WAITING' });
}

export async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const container = navigator.serviceWorker;
  // On a first visit there is no controller and nothing to update from; later visits reload once
  // the new worker (activated at the member's request, maybe in another tab) takes control.
  const hadController = container.controller !== null;
  let reloading = false;
  container.addEventListener('controllerchange', () => {
    if (!hadController || reloading) return;
    reloading = true;
    location.reload();
  });

  let registration: ServiceWorkerRegistration;
  try {
    registration = await container.register(SW_URL, { scope: '/' });
  } catch {
    return; // No service worker (private mode, old browser): the app still works online.
  }

  const offer = (worker: ServiceWorker | null): void => {
    if (worker && container.controller) {
      waiting = worker;
      updateWaiting.value = true;
    }
  };
  offer(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed') offer(installing);
    });
  });

  // An installed app can stay open for days: look for a new version when it comes back to the front.
  let lastCheck = Date.now();
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible' || Date.now() - lastCheck < UPDATE_CHECK_EVERY_MS) return;
    lastCheck = Date.now();
    registration.update().catch(() => undefined);
  });
}
