import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, rememberCsrfToken } from './api';
import { ApiError, NetworkError } from './problem';

type FetchArgs = [string, RequestInit];

function answer(status: number, body: unknown, contentType = 'application/json'): Response {
  const text = body === null ? null : typeof body === 'string' ? body : JSON.stringify(body);
  return new Response(text, { status, headers: text === null ? {} : { 'Content-Type': contentType } });
}

const ME = {
  account_id: '00000000-0000-0000-0000-000000000001',
  display_name: 'Nguyễn Văn A',
  username: null,
  member_id: null,
  card_number: '12345678',
  branch_id: 7,
  branch_name: 'Chi bộ Khu phố 3',
  roles: [],
  csrf_token: 'from-answer',
};

describe('api client', () => {
  let fetchMock: ReturnType<typeof vi.fn<(...args: FetchArgs) => Promise<Response>>>;

  beforeEach(() => {
    fetchMock = vi.fn<(...args: FetchArgs) => Promise<Response>>();
    vi.stubGlobal('fetch', fetchMock);
    vi.stubGlobal('document', { cookie: 'ehb_csrf=from-cookie' });
    rememberCsrfToken(null);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  function sent(): { url: string; init: RequestInit; headers: Record<string, string> } {
    const [url, init] = fetchMock.mock.calls[0] as FetchArgs;
    return { url, init, headers: init.headers as Record<string, string> };
  }

  it('posts JSON with the CSRF header from the cookie', async () => {
    fetchMock.mockResolvedValue(answer(200, { me: ME, session_id: 'abc' }));
    const signedIn = await api.login({ login: '12345678', password: 'secret-pass' });
    expect(signedIn.me.display_name).toBe('Nguyễn Văn A');
    const { url, init, headers } = sent();
    expect(url).toBe('/api/v1/auth/login');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(JSON.parse(init.body as string)).toEqual({ login: '12345678', password: 'secret-pass' });
    expect(headers['Content-Type']).toBe('application/json');
    expect(headers['X-CSRF-Token']).toBe('from-cookie');
  });

  it('sends no CSRF header and no body on GET', async () => {
    fetchMock.mockResolvedValue(answer(200, ME));
    await api.getMe();
    const { init, headers } = sent();
    expect(init.method).toBe('GET');
    expect(init.body).toBeUndefined();
    expect(headers['X-CSRF-Token']).toBeUndefined();
    expect(headers['Content-Type']).toBeUndefined();
  });

  it('uses the remembered token when the cookie is not readable', async () => {
    vi.stubGlobal('document', { cookie: '' });
    rememberCsrfToken('from-answer');
    fetchMock.mockResolvedValue(answer(204, null));
    await expect(api.logout()).resolves.toBeNull();
    expect(sent().headers['X-CSRF-Token']).toBe('from-answer');
  });

  it('turns problem+json into an ApiError', async () => {
    const problem = { type: 'x', title: 'Sign-in required', status: 401, detail: 'Sai mật khẩu.' };
    fetchMock.mockResolvedValue(answer(401, problem, 'application/problem+json'));
    const error = await api.login({ login: 'a', password: 'b' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).detail).toBe('Sai mật khẩu.');
  });

  it('turns a failed fetch into a NetworkError', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const error = await api.getMe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).reason).toBe('offline');
  });

  it('treats a 200 that is not JSON (a Wi-Fi login page) as no connection', async () => {
    fetchMock.mockResolvedValue(answer(200, '<html>Đăng nhập Wi-Fi</html>', 'text/html'));
    await expect(api.getMe()).rejects.toBeInstanceOf(NetworkError);
  });
});
