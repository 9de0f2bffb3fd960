import { describe, expect, it } from 'vitest';
import { isMessage } from './messages';
import { clearPersonalCaches, isPersonalCache, PERSONAL_CACHE_PREFIX } from './personal-data';
import { isServerPath } from './server-paths';

describe('isMessage', () => {
  it('accepts every message kind', () => {
    expect(isMessage({ type: 'SKIP_WAITING' })).toBe(true);
    expect(isMessage({ type: 'SIGNED_OUT' })).toBe(true);
    expect(isMessage({ type: 'REPLAY_OUTBOX' })).toBe(true);
    expect(isMessage({ type: 'PUSH_RECEIVED' })).toBe(true);
    expect(isMessage({ type: 'NAVIGATE', url: '/notices/1' })).toBe(true);
  });

  it('rejects a NAVIGATE without a string url', () => {
    expect(isMessage({ type: 'NAVIGATE' })).toBe(false);
    expect(isMessage({ type: 'NAVIGATE', url: { href: '/' } })).toBe(false);
  });

  it.each([null, undefined, 'SKIP_WAITING', 42, {}, { type: 'skip_waiting' }, { type: 'DELETE_EVERYTHING' }, { kind: 'SKIP_WAITING' }])(
    'rejects %j',
    (data) => {
      expect(isMessage(data)).toBe(false);
    },
  );
});

describe('personal caches', () => {
  it('clears only the caches named as personal', async () => {
    const names = ['workbox-precache-v2-https://x/', `${PERSONAL_CACHE_PREFIX}notices`, `${PERSONAL_CACHE_PREFIX}me`];
    const deleted: string[] = [];
    const storage = {
      keys: () => Promise.resolve(names),
      delete: (name: string) => {
        deleted.push(name);
        return Promise.resolve(true);
      },
    };
    await expect(clearPersonalCaches(storage)).resolves.toEqual(names.slice(1));
    expect(deleted).toEqual(names.slice(1));
    expect(isPersonalCache('workbox-precache-v2-https://x/')).toBe(false);
  });
});

describe('isServerPath', () => {
  it.each(['/api', '/api/', '/api/v1/me', '/health', '/health/ready', '/metrics'])('%s belongs to the server', (path) => {
    expect(isServerPath(path)).toBe(true);
  });

  it.each(['/', '/sign-in', '/apis', '/healthy', '/handbook/api/3'])('%s belongs to the app', (path) => {
    expect(isServerPath(path)).toBe(false);
  });
});
