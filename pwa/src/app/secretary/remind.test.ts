import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/problem';
import { remind, retryAt } from './remind';

const NOW = Date.UTC(2026, 10, 25, 3, 0, 0);

describe('retryAt', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAt('3600', NOW)).toBe(NOW + 3_600_000);
    expect(retryAt('Wed, 25 Nov 2026 05:00:00 GMT', NOW)).toBe(Date.UTC(2026, 10, 25, 5, 0, 0));
  });

  it('never answers a time in the past, and nothing for nonsense', () => {
    expect(retryAt('Tue, 24 Nov 2026 05:00:00 GMT', NOW)).toBe(NOW);
    expect(retryAt('soon', NOW)).toBeNull();
    expect(retryAt(null, NOW)).toBeNull();
    expect(retryAt('-5', NOW)).toBeNull();
  });
});

describe('remind', () => {
  const fetchMock = vi.fn<(url: string, init: RequestInit) => Promise<Response>>();
  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock);
    vi.stubGlobal('document', { cookie: 'ehb_csrf=t' });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('returns the reminder when sent', async () => {
    const body = { notice_id: 'n1', recipients: 7, sent_at: '2026-11-25T03:00:00Z' };
    fetchMock.mockResolvedValue(new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } }));
    expect(await remind('n1', () => NOW)).toEqual({ sent: body });
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/v1/notices/n1/remind');
  });

  it('turns 429 into the time to try again', async () => {
    fetchMock.mockResolvedValue(new Response('{}', { status: 429, headers: { 'Retry-After': '120', 'Content-Type': 'application/problem+json' } }));
    expect(await remind('n1', () => NOW)).toEqual({ retryAt: NOW + 120_000 });
  });

  it('throws other refusals as ApiError', async () => {
    fetchMock.mockResolvedValue(new Response('{"title":"Forbidden","status":403,"type":"x"}', { status: 403, headers: { 'Content-Type': 'application/problem+json' } }));
    await expect(remind('n1', () => NOW)).rejects.toBeInstanceOf(ApiError);
  });
});
