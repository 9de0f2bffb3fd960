import './styles/app.css';
import { render } from 'preact';
import { App } from './App';
import { router } from './navigation';
import { loadSession, status } from './session';
import { registerServiceWorker } from './sw-update';

const root = document.getElementById('app');
if (root) {
  root.textContent = ''; // the "loading" text index.html shows until the script runs
  render(<App />, root);
}
router.start();
void loadSession();

// Members in places with patchy signal: when the phone is back online, try again by itself.
window.addEventListener('online', () => {
  if (status.value === 'unreachable') void loadSession();
});

// Let the first screen have the bandwidth; fetch the service worker and the shell afterwards.
window.addEventListener('load', () => void registerServiceWorker());
