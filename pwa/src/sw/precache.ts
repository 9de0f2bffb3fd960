import { cleanupOutdatedCaches, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';

/** Keep the built app shell (HTML, JS, CSS) on the phone, so it opens with no signal at all. */
export function precacheAppShell(entries: ReadonlyArray<PrecacheEntry | string>): void {
  precacheAndRoute([...entries]);
  cleanupOutdatedCaches();
}
