/** The service worker: this file only wires listeners; each concern lives in its own module. */
import type { PrecacheEntry } from 'workbox-precaching';
import { onSync } from './background-sync';
import { onMessage } from './messages';
import { routeNavigations } from './navigation';
import { onNotificationClick } from './notification-click';
import { precacheAppShell } from './precache';
import { onPush } from './push';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

// The build replaces self.__WB_MANIFEST with the list of shell files and their revisions.
precacheAppShell(self.__WB_MANIFEST);
routeNavigations();
self.addEventListener('message', onMessage);
self.addEventListener('sync', onSync);
self.addEventListener('push', onPush);
self.addEventListener('notificationclick', onNotificationClick);
// No fetch route for /api/: those answers are personal and go straight to the network, uncached.
// The handbook is kept offline by the page, in IndexedDB (deleted on sign-out), not in Cache Storage.
