/** Who is signed in, and the actions that change it. */
import { signal } from '@preact/signals';
import { api, rememberCsrfToken, type Schemas } from '../shared/api';
import { ApiError } from '../shared/problem';
import { clearLocalData } from './storage';
import { postToServiceWorker } from './sw-update';

export type Me = Schemas['Me'];
export type SessionStatus = 'loading' | 'signedIn' | 'signedOut' | 'unreachable';

export const me = signal<Me | null>(null);
export const status = signal<SessionStatus>('loading');
/** Why the session could not be checked (status 'unreachable'). */
export const loadError = signal<unknown>(null);

function enter(member: Me): void {
  rememberCsrfToken(member.csrf_token);
  me.value = member;
  status.value = 'signedIn';
}

async function leave(): Promise<void> {
  rememberCsrfToken(null);
  me.value = null;
  status.value = 'signedOut';
  postToServiceWorker({ type: 'SIGNED_OUT' });
  await clearLocalData();
}

/** Ask the API who we are (the HttpOnly cookie decides). */
export async function loadSession(): Promise<void> {
  status.value = 'loading';
  try {
    enter(await api.getMe());
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      // The session ended (expired, revoked): whatever this device kept belonged to it.
      await leave();
      return;
    }
    loadError.value = error;
    status.value = 'unreachable';
  }
}

export async function signIn(login: string, password: string): Promise<void> {
  enter((await api.login({ login, password })).me);
}

export async function activate(cardNumber: string, code: string, password: string): Promise<void> {
  enter((await api.activate({ card_number: cardNumber, code, password })).me);
}

/**
 * End the session on the server, then forget everything local. Without a network the HttpOnly
 * cookie cannot be removed by the page, so sign-out fails loudly instead of pretending.
 */
export async function signOut(): Promise<void> {
  try {
    await api.logout();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  await leave();
}
