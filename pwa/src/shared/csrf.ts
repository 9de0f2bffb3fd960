/**
 * CSRF: the session cookie is HttpOnly and sent by the browser on its own, so every state-changing
 * request must also prove it comes from our page by echoing the readable `ehb_csrf` cookie in a header.
 */
export const CSRF_COOKIE = 'ehb_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** The value of cookie `name` in a `document.cookie` string, or null. */
export function readCookie(cookies: string, name: string): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return null;
}

/**
 * The CSRF header for a request: only on unsafe methods, from the cookie when present (it follows the
 * session, even one opened in another tab), else from the token the last sign-in or GetMe returned.
 */
export function csrfHeaders(method: string, cookies: string, remembered: string | null): Record<string, string> {
  if (!isUnsafeMethod(method)) return {};
  const token = readCookie(cookies, CSRF_COOKIE) || remembered;
  return token ? { [CSRF_HEADER]: token } : {};
}
