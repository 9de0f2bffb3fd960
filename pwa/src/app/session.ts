/** Who is signed in, and the actions that change it. */
import { signal } from '@preact/signals';
import { api, rememberCsrfToken, type Schemas } from '../shared/api';
import { ApiError } from '../shared/problem';
import { replayOutbox } from './outbox';
import { appDb, clearLocalData } from './storage';
import { postToServiceWorker } from './sw-update';

export type Me = Schemas['Me'];
export type SessionStatus = 'loading' | 'signedIn' | 'signedOut' | 'unreachable';

export const me = signal<Me | null>(null);
export const status = signal<SessionStatus>('loading');
/** Why the session could not be checked (status 'unreachable', or signed in but `unconfirmed`). */
export const loadError = signal<unknown>(null);
/** Signed in as the member this device remembers, while the server could not be asked (no signal). */
export const unconfirmed = signal(false);

/**
 * The member is kept in IndexedDB (deleted on sign-out, like all personal data) so that the app opens
 * with no signal at all: the handbook kept offline is theirs to read. The CSRF token is not kept:
 * the readable cookie carries it, and a remembered one would outlive its session.
 */
const MEMBER_KEY = 'member';
const RECALL_WAIT_MS = 1500;

async function rememberMember(member: Me): Promise<void> {
  try {
    await (await appDb()).put('meta', { ...member, csrf_token: '' }, MEMBER_KEY);
  } catch {
    // No IndexedDB: the app still works online.
  }
}

function isMe(value: unknown): value is Me {
  const member = value as Partial<Me> | null;
  return typeof member?.account_id === 'string' && typeof member.display_name === 'string';
}

async function recallMember(): Promise<Me | null> {
  try {
    const timeout = new Promise<null>((done) => setTimeout(() => done(null), RECALL_WAIT_MS));
    const value = await Promise.race([appDb().then((db) => db.get('meta', MEMBER_KEY)), timeout]);
    return isMe(value) ? value : null;
  } catch {
    return null;
  }
}

function enter(member: Me): void {
  rememberCsrfToken(member.csrf_token);
  me.value = member;
  unconfirmed.value = false;
  loadError.value = null;
  status.value = 'signedIn';
  void rememberMember(member);
}

async function leave(): Promise<void> {
  rememberCsrfToken(null);
  me.value = null;
  unconfirmed.value = false;
  status.value = 'signedOut';
  postToServiceWorker({ type: 'SIGNED_OUT' });
  await clearLocalData();
}

/**
 * Ask the API who we are (the HttpOnly cookie decides). The app opens at once as the member this
 * device remembers; the answer then confirms it, or ends it (401), or leaves it unconfirmed offline.
 */
export async function loadSession(): Promise<void> {
  // Asked before IndexedDB is opened (on a first visit it is created, which takes a while on a cheap
  // phone), not after: the first screen waits for whichever says who the member is.
  const answer = api.getMe();
  void answer.catch(() => undefined); // handled below, once the remembered member is on screen
  if (status.value !== 'signedIn') {
    status.value = 'loading';
    // The server's yes makes the remembered member unnecessary; its no or silence leaves it the way in.
    const confirmed = answer.then(
      () => null,
      () => new Promise<null>(() => undefined),
    );
    const known = await Promise.race([recallMember(), confirmed]);
    if (known && status.value === 'loading') {
      me.value = known;
      unconfirmed.value = true;
      status.value = 'signedIn';
    }
  }
  try {
    enter(await answer);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      // The session ended (expired, revoked): whatever this device kept belonged to it.
      await leave();
      return;
    }
    loadError.value = error;
    if (status.value !== 'signedIn') status.value = 'unreachable';
  }
}

export async function signIn(login: string, password: string): Promise<void> {
  enter((await api.login({ login, password })).me);
}

export async function activate(cardNumber: string, code: string, password: string): Promise<void> {
  enter((await api.activate({ card_number: cardNumber, code, password })).me);
}

/**
 * Send what waits in the outbox, end the session on the server, then forget everything local.
 * Without a network the HttpOnly cookie cannot be removed by the page, so sign-out fails loudly
 * instead of pretending (and the outbox stays).
 */
export async function signOut(): Promise<void> {
  await replayOutbox();
  try {
    await api.logout();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  await leave();
}
