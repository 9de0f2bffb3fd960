/**
 * Writes of the branch-life screens (meetings, feedback, study): every one goes through the offline
 * write queue with its Idempotency-Key, and the screen learns what became of it. When the phone is
 * online the answer comes back at once; offline the write waits in the queue and the screen says so.
 */
import type { MethodOf, Operation, SuccessBody } from '../../shared/api';
import type { paths } from '../../shared/api-types';
import type { SettledWrite } from '../offline-queue';
import { dismissFailedWrite, onWriteSettled, outboxState, queueWrite, replayOutbox } from '../outbox';
import type { FailedWrite, QueuedWrite } from '../storage';

export type Submitted<T> = { readonly state: 'sent'; readonly answer: T } | { readonly state: 'queued'; readonly write: QueuedWrite };

/** The server said no (a 4xx): the reason is the server's detail, shown where the member acted. */
export class RefusedWrite extends Error {
  override readonly name = 'RefusedWrite';
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail || `HTTP ${status}`);
  }
}

/**
 * How a run of the queue ended for one write: its settlement if it left the queue, otherwise queued.
 * Pure, for the tests: `settled` are the settlements heard while the run went on.
 */
export function outcomeFor<T>(
  write: QueuedWrite,
  settled: readonly SettledWrite[],
  failed: readonly FailedWrite[],
): Submitted<T> {
  const mine = settled.find((item) => item.write.key === write.key);
  if (!mine) return { state: 'queued', write };
  if (mine.outcome === 'refused') {
    throw new RefusedWrite(mine.status, failed.find((item) => item.key === write.key)?.detail ?? '');
  }
  return { state: 'sent', answer: mine.answer as T };
}

type WriteMethod = 'post' | 'put' | 'patch' | 'delete';
type QueueArgs<P extends keyof paths, M extends WriteMethod & MethodOf<P>> = Parameters<typeof queueWrite<P, M>>;

/**
 * Queue one write and send it now if the network allows. Resolves with the server's answer, or with
 * 'queued' when it must wait; rejects with RefusedWrite when the server refused it (that refusal is
 * shown by the screen, so it is not kept in the list of refused writes as well).
 */
export async function submitWrite<P extends keyof paths, M extends WriteMethod & MethodOf<P>>(
  ...args: QueueArgs<P, M>
): Promise<Submitted<SuccessBody<Operation<P, M>>>> {
  const heard: SettledWrite[] = [];
  const stop = onWriteSettled((settled) => heard.push(settled));
  try {
    const write = await queueWrite(...args);
    await replayOutbox();
    try {
      return outcomeFor(write, heard, outboxState.value.failed);
    } catch (refused) {
      await dismissFailedWrite(write.key);
      throw refused;
    }
  } finally {
    stop();
  }
}
