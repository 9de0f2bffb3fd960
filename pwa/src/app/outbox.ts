/**
 * The page's outbox: the offline write queue (offline-queue.ts) bound to this app's database and API
 * client, the counts the member sees, and the moments it is sent: when the app opens, when a write is
 * queued, on the `online` event, when Background Sync wakes the worker, and on a back-off timer after
 * server trouble.
 *
 * Using it for a new kind of write (feedback, RSVP, study progress, quiz attempt, check-in):
 *
 *   const write = await queueWrite('post', '/api/v1/study/programs/{program_id}/progress', {
 *     path: { program_id }, body, kind: 'studyProgress', ref: program_id, label: program.title,
 *   });
 *   onWriteSettled(({ write, outcome, answer }) => { ... });  // when it is sent or refused
 *
 * Paths and bodies are checked against the generated API types, as `call` does.
 */
import { signal } from '@preact/signals';
import { buildUrl, request, type CallOptions, type MethodOf, type Operation, type RequestBody } from '../shared/api';
import type { paths } from '../shared/api-types';
import { reportSessionRejected } from './auth-events';
import { listenForReplayRequests, requestBackgroundSync } from './background-sync';
import { createOutbox, type FailedWrite, type QueuedWrite, type ReplayOutcome, type SettledWrite } from './offline-queue';
import { appDb, onLocalDataCleared } from './storage';

export interface OutboxState {
  /** Waiting to be sent, oldest first. */
  readonly pending: readonly QueuedWrite[];
  /** Sent since this member signed in on this device. */
  readonly sent: number;
  /** Refused by the server, to show until dismissed. */
  readonly failed: readonly FailedWrite[];
  /** True while a replay run is on. */
  readonly sending: boolean;
}

const EMPTY: OutboxState = { pending: [], sent: 0, failed: [], sending: false };
export const outboxState = signal<OutboxState>(EMPTY);

/** One write, with its key, exactly as the queue stored it; CSRF header as for every unsafe request. */
export function sendWrite(write: QueuedWrite): Promise<Response> {
  return request(write.method, write.path, {
    ...(write.body !== undefined && { body: write.body }),
    headers: { 'Idempotency-Key': write.key },
  });
}

/** Web Locks, so two open tabs do not send the same entry at once; where missing, this tab only. */
function acrossTabs<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request('ehb-outbox', work) as Promise<T>) : work();
}

const outbox = createOutbox({ db: appDb, send: sendWrite, lock: acrossTabs });

async function refresh(): Promise<void> {
  try {
    const [pending, sent, failed] = await Promise.all([outbox.pending(), outbox.sentCount(), outbox.failed()]);
    outboxState.value = { ...outboxState.value, pending, sent, failed };
  } catch {
    // No IndexedDB (private mode on old Safari): nothing is queued, nothing to show.
  }
}

const RETRY_FIRST_MS = 30_000;
const RETRY_MAX_MS = 10 * 60_000;
let retryDelay = RETRY_FIRST_MS;
let retryTimer: ReturnType<typeof setTimeout> | null = null;

function scheduleRetry(): void {
  if (retryTimer !== null) return;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    void replayOutbox();
  }, retryDelay);
  retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
}

/** Send what waits in the outbox now; safe to call at any time, from anywhere. */
export async function replayOutbox(): Promise<ReplayOutcome> {
  outboxState.value = { ...outboxState.value, sending: true };
  let outcome: ReplayOutcome = 'offline';
  try {
    outcome = await outbox.replay();
  } catch {
    outcome = 'offline'; // the database went away (sign-out in another tab): nothing to send
  } finally {
    await refresh();
    outboxState.value = { ...outboxState.value, sending: false };
  }
  if (outcome === 'done') retryDelay = RETRY_FIRST_MS;
  else if (outcome === 'retryLater') scheduleRetry();
  else if (outcome === 'offline') void requestBackgroundSync();
  else if (outcome === 'signedOut') reportSessionRejected();
  return outcome;
}

type WriteMethod = 'post' | 'put' | 'patch' | 'delete';

/** An operation without a request body (MarkNoticeRead, ...) is queued without one. */
type BodyOption<O> = [RequestBody<O>] extends [never] ? { readonly body?: undefined } : { readonly body: RequestBody<O> };

type QueueOptions<O> = BodyOption<O> & {
  readonly path?: CallOptions<O>['path'];
  /** What it is, e.g. 'acknowledge'; screens find their writes by kind and ref. */
  readonly kind: string;
  readonly ref: string;
  /** Shown in the lists of pending and refused writes, e.g. the section's title. */
  readonly label: string;
};

/** Store a write in the outbox (it survives reloads and closing the app), then try to send it. */
export async function queueWrite<P extends keyof paths, M extends WriteMethod & MethodOf<P>>(
  method: M,
  path: P,
  options: QueueOptions<Operation<P, M>>,
): Promise<QueuedWrite> {
  const write = await outbox.enqueue({
    kind: options.kind,
    ref: options.ref,
    label: options.label,
    method: method.toUpperCase() as QueuedWrite['method'],
    path: buildUrl(path, options.path, undefined),
    body: options.body,
  });
  await refresh();
  void replayOutbox();
  return write;
}

/** Hear when a queued write is sent or refused; returns a function that stops listening. */
export function onWriteSettled(listener: (settled: SettledWrite) => void): () => void {
  return outbox.subscribe(listener);
}

export async function dismissFailedWrite(key: string): Promise<void> {
  await outbox.dismiss(key);
  await refresh();
}

/**
 * Send by itself when the network returns, when the worker asks, when the app is shown again.
 * (The first run, when the app opens, is started once the session is known: see main.tsx.)
 */
export function startOutbox(): void {
  void refresh();
  window.addEventListener('online', () => void replayOutbox());
  listenForReplayRequests(() => void replayOutbox());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && outboxState.value.pending.length > 0) void replayOutbox();
  });
}

onLocalDataCleared(() => {
  outboxState.value = EMPTY;
  if (retryTimer !== null) clearTimeout(retryTimer);
  retryTimer = null;
  retryDelay = RETRY_FIRST_MS;
});
