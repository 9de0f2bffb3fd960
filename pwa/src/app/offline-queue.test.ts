import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutbox, newIdempotencyKey, verdict, type NewWrite, type Outbox, type OutboxDeps, type QueuedWrite } from './offline-queue';
import { openAppDb, type AppDatabase } from './storage';

const ACK = (section: string): NewWrite => ({
  kind: 'acknowledge',
  ref: section,
  label: `Mục ${section}`,
  method: 'POST',
  path: `/api/v1/sections/${section}/acknowledge`,
  body: { ack_hash: 'a'.repeat(64) },
});

const json = (status: number, body: unknown = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status < 400 ? 'application/json' : 'application/problem+json' } });

type Answer = Response | 'network-error';

/** A fake server: answers in order, records what was sent. */
class FakeServer {
  readonly sent: QueuedWrite[] = [];
  private readonly answers: Answer[] = [];

  answer(...answers: Answer[]): this {
    this.answers.push(...answers);
    return this;
  }

  readonly send = async (write: QueuedWrite): Promise<Response> => {
    this.sent.push(write);
    await Promise.resolve();
    const next = this.answers.shift() ?? 'network-error';
    if (next === 'network-error') throw new TypeError('Failed to fetch');
    return next;
  };
}

let name: string;
let db: AppDatabase;
let counter = 0;

beforeEach(async () => {
  name = `outbox-test-${++counter}`;
  db = await openAppDb(name);
});

afterEach(async () => {
  db.close();
  await deleteDB(name);
});

function outbox(server: FakeServer, extra: Partial<OutboxDeps> = {}): Outbox {
  let key = 0;
  return createOutbox({ db: () => Promise.resolve(db), send: server.send, newKey: () => `key-${++key}`, now: () => 1000, ...extra });
}

describe('verdict', () => {
  it.each([
    [200, 'application/json', 'sent'],
    [201, 'application/json; charset=utf-8', 'sent'],
    [204, null, 'sent'],
    [200, 'text/html', 'retry'], // a Wi-Fi login page, not the API
    [400, 'application/problem+json', 'refused'],
    [403, null, 'refused'],
    [404, null, 'refused'],
    [409, null, 'refused'],
    [422, null, 'refused'],
    [401, null, 'signedOut'],
    [408, null, 'retry'],
    [429, null, 'retry'],
    [500, null, 'retry'],
    [503, null, 'retry'],
    [302, null, 'retry'],
  ])('%i %s -> %s', (status, type, expected) => {
    expect(verdict(status, type)).toBe(expected);
  });

  it('comes back later when a 4xx says when (the same key still being processed)', () => {
    expect(verdict(409, 'application/problem+json', '2')).toBe('retry');
    expect(verdict(409, 'application/problem+json', null)).toBe('refused');
    expect(verdict(401, null, '5')).toBe('signedOut');
  });
});

describe('newIdempotencyKey', () => {
  it('makes UUID v4 keys, with or without crypto.randomUUID', () => {
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newIdempotencyKey()).toMatch(v4);
    const original = crypto.randomUUID;
    try {
      Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
      const keys = new Set(Array.from({ length: 50 }, newIdempotencyKey));
      expect(keys.size).toBe(50);
      for (const key of keys) expect(key).toMatch(v4);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
    }
  });
});

describe('the outbox', () => {
  it('keeps queued writes across a reload, with the key made when the member acted', async () => {
    const first = outbox(new FakeServer());
    const stored = await first.enqueue(ACK('s1'));
    expect(stored).toMatchObject({ key: 'key-1', createdAt: 1000, attempts: 0, method: 'POST' });
    expect(stored.seq).toBeTypeOf('number');

    // A new page (a reload) with the same database still has it.
    db.close();
    db = await openAppDb(name);
    const pending = await outbox(new FakeServer()).pending();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ key: 'key-1', path: '/api/v1/sections/s1/acknowledge', body: { ack_hash: 'a'.repeat(64) } });
  });

  it('sends oldest first, one at a time, and counts what was sent', async () => {
    const server = new FakeServer().answer(json(200, { ok: 1 }), json(200, { ok: 2 }), json(200, { ok: 3 }));
    const queue = outbox(server);
    for (const section of ['s1', 's2', 's3']) await queue.enqueue(ACK(section));
    const settled: unknown[] = [];
    queue.subscribe((event) => settled.push([event.write.ref, event.outcome, event.answer]));

    expect(await queue.replay()).toBe('done');
    expect(server.sent.map((write) => write.ref)).toEqual(['s1', 's2', 's3']);
    expect(await queue.pending()).toEqual([]);
    expect(await queue.sentCount()).toBe(3);
    expect(settled).toEqual([
      ['s1', 'sent', { ok: 1 }],
      ['s2', 'sent', { ok: 2 }],
      ['s3', 'sent', { ok: 3 }],
    ]);
  });

  it('keeps everything when there is no network, and sends it later with the same key', async () => {
    const server = new FakeServer().answer('network-error');
    const queue = outbox(server);
    await queue.enqueue(ACK('s1'));
    await queue.enqueue(ACK('s2'));

    expect(await queue.replay()).toBe('offline');
    expect(server.sent.map((write) => write.ref)).toEqual(['s1']); // stops at the first failure
    const waiting = await queue.pending();
    expect(waiting.map((write) => [write.ref, write.attempts])).toEqual([
      ['s1', 1],
      ['s2', 0],
    ]);

    server.answer(json(200), json(200));
    expect(await queue.replay()).toBe('done');
    expect(server.sent.map((write) => [write.ref, write.key])).toEqual([
      ['s1', 'key-1'],
      ['s1', 'key-1'],
      ['s2', 'key-2'],
    ]);
    expect(await queue.sentCount()).toBe(2);
  });

  it.each([
    ['server error', json(503)],
    ['time-out', json(408)],
    ['too many requests', json(429)],
    ['a Wi-Fi login page', new Response('<html>Đăng nhập Wi-Fi</html>', { status: 200, headers: { 'Content-Type': 'text/html' } })],
  ])('keeps the write and stops on %s', async (_, answer) => {
    const server = new FakeServer().answer(answer);
    const queue = outbox(server);
    await queue.enqueue(ACK('s1'));
    await queue.enqueue(ACK('s2'));
    expect(await queue.replay()).toBe('retryLater');
    expect(server.sent).toHaveLength(1);
    expect((await queue.pending()).map((write) => write.ref)).toEqual(['s1', 's2']);
    expect(await queue.sentCount()).toBe(0);
  });

  it('keeps the write when the session has ended (401): it was never judged', async () => {
    const queue = outbox(new FakeServer().answer(json(401)));
    await queue.enqueue(ACK('s1'));
    expect(await queue.replay()).toBe('signedOut');
    expect(await queue.pending()).toHaveLength(1);
    expect(await queue.failed()).toEqual([]);
  });

  it('records a refused write with the reason, takes it out of the queue and goes on', async () => {
    const conflict = json(409, { type: 'x', title: 'Conflict', status: 409, detail: 'Nội dung này đã được cập nhật.' });
    const server = new FakeServer().answer(conflict, json(200));
    const queue = outbox(server);
    await queue.enqueue(ACK('s1'));
    await queue.enqueue(ACK('s2'));
    const outcomes: string[] = [];
    queue.subscribe(({ write, outcome }) => outcomes.push(`${write.ref}:${outcome}`));

    expect(await queue.replay()).toBe('done');
    expect(outcomes).toEqual(['s1:refused', 's2:sent']);
    expect(await queue.pending()).toEqual([]);
    expect(await queue.sentCount()).toBe(1);
    const failed = await queue.failed();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ ref: 's1', key: 'key-1', status: 409, detail: 'Nội dung này đã được cập nhật.' });

    await queue.dismiss('key-1');
    expect(await queue.failed()).toEqual([]);
  });

  it('sends each write once when replays are asked for at the same time', async () => {
    const server = new FakeServer().answer(json(200), json(200), json(200));
    const queue = outbox(server);
    await queue.enqueue(ACK('s1'));
    await queue.enqueue(ACK('s2'));
    const runs = [queue.replay(), queue.replay(), queue.replay()];
    expect(await Promise.all(runs)).toEqual(['done', 'done', 'done']);
    expect(server.sent.map((write) => write.ref)).toEqual(['s1', 's2']);
  });

  it('sends a write queued while a run is under way in that same run', async () => {
    const server = new FakeServer().answer(json(200), json(200));
    const queue = outbox(server);
    await queue.enqueue(ACK('s1'));
    const run = queue.replay();
    await queue.enqueue(ACK('s2'));
    await queue.replay();
    expect(await run).toBe('done');
    expect(server.sent.map((write) => write.ref)).toEqual(['s1', 's2']);
    expect(await queue.pending()).toEqual([]);
  });

  it('does not bring back a write another tab settled while this one was sending', async () => {
    const queue = outbox(new FakeServer());
    const write = await queue.enqueue(ACK('s1'));
    const slow: OutboxDeps['send'] = async () => {
      await db.delete('outbox', write.seq ?? -1); // the other tab got its answer first
      throw new TypeError('Failed to fetch');
    };
    const racing = createOutbox({ db: () => Promise.resolve(db), send: slow });
    expect(await racing.replay()).toBe('offline');
    expect(await racing.pending()).toEqual([]);
  });

  it('takes turns through the lock it is given', async () => {
    const server = new FakeServer().answer(json(200));
    const held: string[] = [];
    const queue = outbox(server, {
      lock: async (work) => {
        held.push('take');
        try {
          return await work();
        } finally {
          held.push('release');
        }
      },
    });
    await queue.enqueue(ACK('s1'));
    await queue.replay();
    expect(held).toEqual(['take', 'release']);
  });

  it('keeps going when a listener throws', async () => {
    const queue = outbox(new FakeServer().answer(json(200), json(200)));
    await queue.enqueue(ACK('s1'));
    await queue.enqueue(ACK('s2'));
    queue.subscribe(() => {
      throw new Error('screen bug');
    });
    expect(await queue.replay()).toBe('done');
    expect(await queue.sentCount()).toBe(2);
  });
});
