/**
 * Where a notification may lead: a path of this app on this origin, nothing else. A push payload and a
 * message from the service worker are data from outside the page; a URL in them must never open another
 * site (phishing from a forged or replayed push) or a server path (/api/...) as a page.
 * Used by the service worker and the page: no DOM- or worker-only types here.
 */
import { isServerPath } from './server-paths';

export const HOME_PATH = '/';

/** `url` as an in-app path (path, query, fragment) when it stays on `origin`; otherwise '/'. */
export function safeAppPath(url: unknown, origin: string): string {
  if (typeof url !== 'string' || url === '' || url.length > 2048) return HOME_PATH;
  // Only absolute paths or absolute URLs: "//evil.example" and "\\evil" are other hosts to a browser.
  if (!url.startsWith('/') && !/^https?:\/\//i.test(url)) return HOME_PATH;
  if (/^[/\\]{2}/.test(url) || /[\u0000-\u001f\\]/.test(url)) return HOME_PATH;
  let parsed: URL;
  try {
    parsed = new URL(url, origin);
  } catch {
    return HOME_PATH;
  }
  if (parsed.origin !== origin || isServerPath(parsed.pathname)) return HOME_PATH;
  return parsed.pathname + parsed.search + parsed.hash;
}
