import './styles/app.css';
import { effect } from '@preact/signals';
import { render } from 'preact';
import { App } from './App';
import { sessionRejected } from './auth-events';
import { loadSyncInfo, startHandbookSync, syncHandbook } from './handbook/sync';
import { afterFirstScreen } from './idle';
import { router } from './navigation';
import { startNotifications } from './notifications/live';
import { replayOutbox, startOutbox } from './outbox';
import { loadSession, status, unconfirmed } from './session';
import { initSpeech } from './speech';
import { registerServiceWorker } from './sw-update';

const root = document.getElementById('app');
if (root) {
  root.textContent = ''; // the "loading" text index.html shows until the script runs
  render(<App />, root);
}
router.start();
void loadSession();
startOutbox();
startHandbookSync(() => status.value === 'signedIn');
initSpeech();
startNotifications();

// Once signed in (or opened as the remembered member with no signal): first send what the member did
// offline, then bring the handbook up to date. Runs again after each new sign-in.
effect(() => {
  if (status.value !== 'signedIn') return;
  void loadSyncInfo()
    .then(() => replayOutbox())
    .then(() => afterFirstScreen(() => void syncHandbook()));
});

// A background request was refused with 401: ask who we are, which signs out if the session is over.
effect(() => {
  if (sessionRejected.value > 0 && status.peek() === 'signedIn') void loadSession();
});

// Members in places with patchy signal: when the phone is back online, try again by itself.
window.addEventListener('online', () => {
  if (status.value === 'unreachable' || unconfirmed.value) void loadSession();
});

// Let the first screen have the bandwidth; fetch the service worker and the shell afterwards.
window.addEventListener('load', () => void registerServiceWorker());
