/**
 * The offline write queue ("outbox"): every write a member makes is stored in IndexedDB first, with
 * an Idempotency-Key made once, then sent; what cannot be sent now is sent later, in order.
 *
 * Exactly once, from the phone's side: an entry leaves the queue only on a definitive answer, in the
 * same transaction that counts it as sent or records it as refused. Network errors, time-outs and
 * server trouble (5xx, 408, 429) keep it for later; a repeat after an answer that was lost on the
 * way carries the same Idempotency-Key, so the server can tell it from a new write.
 *
 * This module knows nothing of the page: where the database comes from, how a write is sent and how
 * tabs take turns are passed in (outbox.ts wires them; the tests pass fakes).
 */
import { parseProblem } from '../shared/problem';
import type { AppDatabase, FailedWrite, QueuedWrite } from './storage';

export type { FailedWrite, QueuedWrite } from './storage';

/** What a screen asks to send; the queue adds the key, the time and the order. */
export type NewWrite = Pick<QueuedWrite, 'kind' | 'ref' | 'label' | 'method' | 'path' | 'body'>;

/**
 * What one answer means for the entry. 'sent' and 'refused' are definitive: the entry leaves the
 * queue. 'retry' keeps it and stops the run (later entries may depend on it). 'signedOut' keeps it
 * too: a 401 says nothing about the write, only that the session ended; and a 2xx that is not our
 * JSON comes from a Wi-Fi login page in between, not from the API. A 4xx with Retry-After is not a
 * refusal either: "this key is still being processed" (an earlier attempt of ours, whose answer we
 * stopped waiting for) says to come back later.
 */
export type Verdict = 'sent' | 'refused' | 'retry' | 'signedOut';

export function verdict(status: number, contentType: string | null, retryAfter: string | null = null): Verdict {
  if (status >= 200 && status < 300) {
    return status === 204 || /^application\/(problem\+)?json\b/i.test(contentType ?? '') ? 'sent' : 'retry';
  }
  if (status === 401) return 'signedOut';
  if (status === 408 || status === 429 || retryAfter !== null) return 'retry';
  if (status >= 400 && status < 500) return 'refused';
  return 'retry';
}

/** How a replay run ended: everything sent (or refused), no network, the server busy, or signed out. */
export type ReplayOutcome = 'done' | 'offline' | 'retryLater' | 'signedOut';

export interface SettledWrite {
  readonly write: QueuedWrite;
  readonly outcome: 'sent' | 'refused';
  readonly status: number;
  /** The server's JSON answer to a sent write; null when refused or empty. */
  readonly answer: unknown;
}

export interface OutboxDeps {
  readonly db: () => Promise<AppDatabase>;
  /** Send one write (with its Idempotency-Key); rejects when no answer came back. */
  readonly send: (write: QueuedWrite) => Promise<Response>;
  /** Run `work` while no other tab replays (Web Locks); the default only serialises this tab. */
  readonly lock?: <T>(work: () => Promise<T>) => Promise<T>;
  readonly newKey?: () => string;
  readonly now?: () => number;
}

export interface Outbox {
  /** Store a write; resolves once it is safe in IndexedDB (sending is `replay`'s job). */
  enqueue(write: NewWrite): Promise<QueuedWrite>;
  /** Send what is queued, oldest first, one at a time. Concurrent calls share one run. */
  replay(): Promise<ReplayOutcome>;
  pending(): Promise<QueuedWrite[]>;
  failed(): Promise<FailedWrite[]>;
  sentCount(): Promise<number>;
  /** Forget a refused write once the member has seen it. */
  dismiss(key: string): Promise<void>;
  /** Hear about every write that left the queue; returns a function that stops listening. */
  subscribe(listener: (settled: SettledWrite) => void): () => void;
}

export const SENT_COUNT_KEY = 'outbox.sent';

/** A random UUID v4: crypto.randomUUID where the browser has it (not before Chrome 92, Safari 15.4). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function readAnswer(response: Response): Promise<{ text: string; json: unknown }> {
  const text = await response.text().catch(() => '');
  try {
    return { text, json: text === '' ? null : (JSON.parse(text) as unknown) };
  } catch {
    return { text, json: null };
  }
}

export function createOutbox(deps: OutboxDeps): Outbox {
  const lock = deps.lock ?? (<T>(work: () => Promise<T>) => work());
  const newKey = deps.newKey ?? newIdempotencyKey;
  const now = deps.now ?? Date.now;
  const listeners = new Set<(settled: SettledWrite) => void>();

  async function countAttempt(db: AppDatabase, seq: number): Promise<void> {
    const tx = db.transaction('outbox', 'readwrite');
    const current = await tx.store.get(seq);
    // Gone means another tab settled it meanwhile: do not bring it back.
    if (current) await tx.store.put({ ...current, attempts: current.attempts + 1 });
    await tx.done;
  }

  async function settle(db: AppDatabase, write: QueuedWrite, settled: SettledWrite, text: string): Promise<void> {
    const tx = db.transaction(['outbox', 'failedWrites', 'meta'], 'readwrite');
    await tx.objectStore('outbox').delete(write.seq ?? -1);
    if (settled.outcome === 'sent') {
      const meta = tx.objectStore('meta');
      const sent = await meta.get(SENT_COUNT_KEY);
      await meta.put((typeof sent === 'number' ? sent : 0) + 1, SENT_COUNT_KEY);
    } else {
      const problem = parseProblem(settled.status, 'application/problem+json', text).problem;
      await tx.objectStore('failedWrites').put({
        ...write,
        status: settled.status,
        detail: problem?.detail ?? problem?.title ?? '',
        failedAt: now(),
      });
    }
    await tx.done;
  }

  /** Send entries oldest first until the queue is empty or one cannot be settled now. */
  async function drain(): Promise<ReplayOutcome> {
    for (;;) {
      const db = await deps.db();
      const cursor = await db.transaction('outbox').store.openCursor();
      if (!cursor) return 'done';
      const write = cursor.value;
      const seq = write.seq ?? (cursor.primaryKey as number);
      let response: Response;
      try {
        response = await deps.send(write);
      } catch {
        await countAttempt(db, seq);
        return 'offline';
      }
      const judged = verdict(response.status, response.headers.get('Content-Type'), response.headers.get('Retry-After'));
      if (judged === 'retry' || judged === 'signedOut') {
        await countAttempt(db, seq);
        return judged === 'retry' ? 'retryLater' : 'signedOut';
      }
      const { text, json } = await readAnswer(response);
      const settled: SettledWrite = {
        write: { ...write, seq },
        outcome: judged,
        status: response.status,
        answer: judged === 'sent' ? json : null,
      };
      await settle(db, settled.write, settled, text);
      for (const listener of listeners) {
        try {
          listener(settled);
        } catch {
          // A screen's bookkeeping must not stop the queue.
        }
      }
    }
  }

  let running: Promise<ReplayOutcome> | null = null;
  let again = false;

  function replay(): Promise<ReplayOutcome> {
    if (running) {
      // A write queued while a run is on its last step would otherwise wait for the next trigger.
      again = true;
      return running;
    }
    running = (async () => {
      let outcome: ReplayOutcome;
      do {
        again = false;
        outcome = await lock(drain);
      } while (again && outcome === 'done');
      return outcome;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    async enqueue(write) {
      const entry: QueuedWrite = { ...write, key: newKey(), createdAt: now(), attempts: 0 };
      const seq = await (await deps.db()).add('outbox', entry);
      return { ...entry, seq };
    },
    replay,
    async pending() {
      return (await deps.db()).getAll('outbox');
    },
    async failed() {
      return (await deps.db()).getAll('failedWrites');
    },
    async sentCount() {
      const sent = await (await deps.db()).get('meta', SENT_COUNT_KEY);
      return typeof sent === 'number' ? sent : 0;
    },
    async dismiss(key) {
      await (await deps.db()).delete('failedWrites', key);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
