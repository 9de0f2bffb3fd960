import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { NetworkError, parseProblem } from '../../shared/problem';
import type { FailedWrite, QueuedWrite } from '../storage';
import { appDb } from '../storage';
import { asSaved, readThrough } from './cache';
import { daysUntil, localToday, localToIso } from './dates';
import { outcomeFor, RefusedWrite } from './writes';

const write = (key: string): QueuedWrite => ({ key, kind: 'feedback', ref: 'r', label: 'l', method: 'POST', path: '/x', body: {}, createdAt: 0, attempts: 0 });

describe('what became of a write after a run of the queue', () => {
  it('is the server answer when it was sent', () => {
    const settled = [{ write: write('other'), outcome: 'sent' as const, status: 200, answer: 1 }, { write: write('mine'), outcome: 'sent' as const, status: 200, answer: { id: 'x' } }];
    expect(outcomeFor(write('mine'), settled, [])).toEqual({ state: 'sent', answer: { id: 'x' } });
  });

  it('is queued when it did not leave the queue (offline, server busy)', () => {
    const result = outcomeFor(write('mine'), [{ write: write('other'), outcome: 'sent', status: 200, answer: null }], []);
    expect(result.state).toBe('queued');
  });

  it('throws the server reason when it was refused', () => {
    const failed: FailedWrite[] = [{ ...write('mine'), status: 422, detail: 'Mã không đúng', failedAt: 0 }];
    const settled = [{ write: write('mine'), outcome: 'refused' as const, status: 422, answer: null }];
    expect(() => outcomeFor(write('mine'), settled, failed)).toThrow(RefusedWrite);
    try {
      outcomeFor(write('mine'), settled, failed);
    } catch (error) {
      expect((error as RefusedWrite).detail).toBe('Mã không đúng');
      expect((error as RefusedWrite).status).toBe(422);
    }
  });
});

describe('reads kept on the phone', () => {
  it('answers from the network and keeps the answer', async () => {
    const fresh = await readThrough('test.a', async () => ({ n: 1 }));
    expect(fresh).toEqual({ value: { n: 1 }, savedAt: null });
    const offline = await readThrough('test.a', () => Promise.reject(new NetworkError('offline')));
    expect(offline.value).toEqual({ n: 1 });
    expect(typeof offline.savedAt).toBe('number');
  });

  it('fails as the request did with nothing kept, and never hides the server word behind old data', async () => {
    await expect(readThrough('test.none', () => Promise.reject(new NetworkError('timeout')))).rejects.toBeInstanceOf(NetworkError);
    await readThrough('test.b', async () => 'kept');
    const forbidden = parseProblem(403, 'application/problem+json', '{"title":"Forbidden","status":403}');
    await expect(readThrough('test.b', () => Promise.reject(forbidden))).rejects.toBe(forbidden);
  });

  it('ignores what it did not write', async () => {
    await (await appDb()).put('meta', 'odd', 'cache:test.c');
    expect(asSaved('odd')).toBeNull();
    await expect(readThrough('test.c', () => Promise.reject(new NetworkError('offline')))).rejects.toBeInstanceOf(NetworkError);
  });
});

describe('dates on the branch clock', () => {
  it('turns a typed date and time into an aware timestamp in Vietnam', () => {
    expect(localToIso('2026-12-05', '19:30')).toBe('2026-12-05T19:30:00+07:00');
    expect(Date.parse(localToIso('2026-12-05', '00:15') ?? '')).toBe(Date.UTC(2026, 11, 4, 17, 15));
    expect(localToIso('2026-12-05', '24:00')).toBeNull();
    expect(localToIso('05/12/2026', '19:30')).toBeNull();
  });

  it('counts days on the Vietnamese calendar, whatever the phone zone', () => {
    const lateEvening = Date.UTC(2026, 11, 5, 16, 30); // 23:30 on 5 December in Vietnam
    expect(localToday(lateEvening)).toBe('2026-12-05');
    expect(localToday(Date.UTC(2026, 11, 5, 17, 0))).toBe('2026-12-06');
    expect(daysUntil('2026-12-06T01:00:00+07:00', lateEvening)).toBe(1);
    expect(daysUntil('2026-12-05T08:00:00+07:00', lateEvening)).toBe(0);
    expect(daysUntil('2026-12-03T08:00:00+07:00', lateEvening)).toBe(-2);
  });
});

describe('outbox kinds of the branch-life screens', () => {
  it('cover every kind the screens queue', async () => {
    const { SELF_LABELLED_KINDS } = await import('./kinds');
    const sources = import.meta.glob<string>(['../meetings/*.{ts,tsx}', '../feedback/*.{ts,tsx}', '../study/*.{ts,tsx}'], {
      query: '?raw',
      import: 'default',
      eager: true,
    });
    const kinds = new Set<string>();
    for (const source of Object.values(sources)) {
      for (const match of source.matchAll(/kind: '([a-zA-Z]+)',\s*ref:/g)) kinds.add(match[1] ?? '');
      for (const match of source.matchAll(/export const [A-Z_]+_KIND = '([a-zA-Z]+)'/g)) kinds.add(match[1] ?? '');
    }
    expect(kinds.size).toBeGreaterThan(10);
    for (const kind of kinds) expect(SELF_LABELLED_KINDS.has(kind), kind).toBe(true);
  });
});
