import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rememberCsrfToken } from '../shared/api';
import { sendWrite } from './outbox';
import type { QueuedWrite } from './storage';

const WRITE: QueuedWrite = {
  seq: 1,
  key: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
  kind: 'acknowledge',
  ref: 's1',
  label: 'Mục 1',
  method: 'POST',
  path: '/api/v1/sections/s1/acknowledge',
  body: { ack_hash: 'a'.repeat(64) },
  createdAt: 1,
  attempts: 0,
};

describe('sendWrite', () => {
  const fetchMock = vi.fn<(url: string, init: RequestInit) => Promise<Response>>();

  beforeEach(() => {
    fetchMock.mockReset().mockResolvedValue(new Response('{}', { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    vi.stubGlobal('document', { cookie: 'ehb_csrf=from-cookie' });
    rememberCsrfToken(null);
  });

  afterEach(() => vi.unstubAllGlobals());

  it('sends the stored write with its Idempotency-Key and the CSRF header', async () => {
    await sendWrite(WRITE);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    const headers = init?.headers as Record<string, string>;
    expect(url).toBe('/api/v1/sections/s1/acknowledge');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    expect(JSON.parse(init?.body as string)).toEqual({ ack_hash: 'a'.repeat(64) });
    expect(headers['Idempotency-Key']).toBe(WRITE.key);
    expect(headers['X-CSRF-Token']).toBe('from-cookie');
    expect(headers['Content-Type']).toBe('application/json');
  });

  it('sends no body when the write has none', async () => {
    await sendWrite({ ...WRITE, method: 'DELETE', body: undefined });
    const [, init] = fetchMock.mock.calls[0] ?? [];
    expect(init?.body).toBeUndefined();
    expect((init?.headers as Record<string, string>)['Content-Type']).toBeUndefined();
  });
});
