import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// IndexedDB that has not answered yet (a first visit creating the database on a slow phone), and the
// server's answer to /api/v1/me, both under the test's control.
const calls: string[] = [];
let answerMe: (value: unknown) => void = () => undefined;
let failMe: (error: unknown) => void = () => undefined;
let openDb: (db: unknown) => void = () => undefined;

vi.mock('../shared/api', () => ({
  rememberCsrfToken: () => undefined,
  api: {
    getMe: () => {
      calls.push('me');
      return new Promise((resolve, reject) => {
        answerMe = resolve;
        failMe = reject;
      });
    },
  },
}));
vi.mock('./storage', () => ({
  appDb: () => {
    calls.push('db');
    return new Promise((resolve) => {
      openDb = resolve;
    });
  },
  clearLocalData: async () => undefined,
}));
vi.mock('./outbox', () => ({ replayOutbox: async () => undefined }));
vi.mock('./sw-update', () => ({ postToServiceWorker: () => undefined }));

const { loadSession, me, status, unconfirmed } = await import('./session');
const { NetworkError } = await import('../shared/problem');

const MEMBER = { account_id: 'a1', display_name: 'Nguyễn Văn An', csrf_token: 't' };

beforeEach(() => {
  vi.useFakeTimers(); // the recall's own time limit never fires unless a test moves the clock
  calls.length = 0;
  status.value = 'loading';
  me.value = null;
  unconfirmed.value = false;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('loadSession', () => {
  it('asks the server before opening IndexedDB, and opens the app on its answer alone', async () => {
    const loading = loadSession();
    expect(calls[0]).toBe('me');
    answerMe(MEMBER);
    await loading;
    expect(status.value).toBe('signedIn');
    expect(me.value?.display_name).toBe('Nguyễn Văn An');
    expect(unconfirmed.value).toBe(false);
  });

  it('opens as the remembered member when the server cannot be reached', async () => {
    const loading = loadSession();
    failMe(new NetworkError('offline'));
    await vi.advanceTimersByTimeAsync(0);
    openDb({ get: async () => MEMBER });
    await loading;
    expect(status.value).toBe('signedIn');
    expect(unconfirmed.value).toBe(true);
  });
});
