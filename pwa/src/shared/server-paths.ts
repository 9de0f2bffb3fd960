/**
 * Paths the server owns, never the app shell: a link there is a real request, and the service
 * worker never answers a navigation there with index.html. API answers carry personal data and
 * this shell neither serves them from nor stores them in any cache.
 */
export const SERVER_PATHS: readonly RegExp[] = [/^\/api(\/|$)/, /^\/health(\/|$)/, /^\/metrics(\/|$)/];

export function isServerPath(pathname: string): boolean {
  return SERVER_PATHS.some((pattern) => pattern.test(pathname));
}
