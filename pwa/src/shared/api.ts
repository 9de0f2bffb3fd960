/**
 * A small typed client for the API. Paths, bodies and answers come from the types generated from
 * the backend's OpenAPI document (`npm run gen:api`), so a renamed field breaks the build, not the phone.
 */
import type { components, paths } from './api-types';
import { csrfHeaders } from './csrf';
import type { Document, OfflineChanges, OfflineManifest, Section } from './handbook-types';
import { NetworkError, parseProblem } from './problem';

export type Schemas = components['schemas'];

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type JsonOf<C> = C extends { content: { 'application/json': infer T } } ? T : never;

/** The methods a path really has (the generated types mark the others `?: never`). */
export type MethodOf<P extends keyof paths> = {
  [M in Method]: paths[P][M] extends { responses: unknown } ? M : never;
}[Method];
export type Operation<P extends keyof paths, M extends Method> = Extract<paths[P][M], { responses: unknown }>;

export type RequestBody<O> = O extends { requestBody: infer B } ? JsonOf<B> : never;
export type SuccessBody<O> = O extends { responses: infer R }
  ? { [S in keyof R]: S extends 200 | 201 | 202 ? JsonOf<R[S]> : S extends 204 ? null : never }[keyof R]
  : never;

type PathParams<O> = O extends { parameters: { path: infer P } } ? P : never;

export interface CallOptions<O> {
  readonly body?: RequestBody<O>;
  readonly path?: PathParams<O>;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly signal?: AbortSignal;
}

/** Slow rural networks: give up after this long and say so, rather than spin forever. */
const TIMEOUT_MS = 20_000;

/** The CSRF token from the last sign-in or GetMe answer: memory only, never localStorage. */
let rememberedCsrf: string | null = null;

export function rememberCsrfToken(token: string | null | undefined): void {
  rememberedCsrf = token ?? null;
}

export function buildUrl(template: string, params: unknown, query: CallOptions<never>['query']): string {
  const values = (params ?? {}) as Record<string, string | number>;
  const url = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(values[name] ?? '')));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) search.set(key, String(value));
  const qs = search.toString();
  return qs ? `${url}?${qs}` : url;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/**
 * Send one request to the API with the CSRF header on unsafe methods and the time limit; resolves
 * with whatever the server answered (any status), rejects with NetworkError when nothing came back.
 * `call` and the offline write queue both go through here.
 */
export async function request(verb: string, url: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    ...csrfHeaders(verb, document.cookie, rememberedCsrf),
    ...options.headers,
  };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  const abort = (): void => controller.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    return await fetch(url, {
      method: verb,
      headers,
      credentials: 'same-origin',
      signal: controller.signal,
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new NetworkError(controller.signal.aborted ? 'timeout' : 'offline');
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
  }
}

/** Call one API operation. Resolves with its success body; rejects with ApiError or NetworkError. */
export async function call<P extends keyof paths, M extends MethodOf<P>>(
  method: M,
  path: P,
  options: CallOptions<Operation<P, M>> = {},
): Promise<SuccessBody<Operation<P, M>>> {
  const response = await request(method.toUpperCase(), buildUrl(path, options.path, options.query), {
    ...(options.body !== undefined && { body: options.body }),
    ...(options.signal !== undefined && { signal: options.signal }),
  });
  if (!response.ok) {
    throw parseProblem(response.status, response.headers.get('Content-Type'), await response.text().catch(() => ''));
  }
  if (response.status === 204) return null as SuccessBody<Operation<P, M>>;
  try {
    return (await response.json()) as SuccessBody<Operation<P, M>>;
  } catch {
    // A 200 that is not JSON comes from something in between (a Wi-Fi login page), not from us.
    throw new NetworkError('offline');
  }
}

/**
 * For the handbook reads whose answers openapi.json types only as `string` (pre-encoded JSON, see
 * handbook-types.ts): the same call, with the shape those types put together from the schemas.
 */
function callUndeclared<T, P extends keyof paths>(path: P, options: CallOptions<Operation<P, 'get' & MethodOf<P>>> = {}): Promise<T> {
  return call('get' as 'get' & MethodOf<P>, path, options) as Promise<unknown> as Promise<T>;
}

export const api = {
  login: (body: Schemas['LoginRequest']) => call('post', '/api/v1/auth/login', { body }),
  activate: (body: Schemas['ActivateRequest']) => call('post', '/api/v1/auth/activate', { body }),
  logout: () => call('post', '/api/v1/auth/logout'),
  getMe: () => call('get', '/api/v1/me'),

  listDocuments: () => callUndeclared<Document[], '/api/v1/documents'>('/api/v1/documents'),
  getDocument: (documentId: string) =>
    callUndeclared<Document, '/api/v1/documents/{document_id}'>('/api/v1/documents/{document_id}', {
      path: { document_id: documentId },
    }),
  getSection: (sectionId: string) =>
    callUndeclared<Section, '/api/v1/sections/{section_id}'>('/api/v1/sections/{section_id}', {
      path: { section_id: sectionId },
    }),
  offlineManifest: () => callUndeclared<OfflineManifest, '/api/v1/offline/manifest'>('/api/v1/offline/manifest'),
  offlineChanges: (since: string) =>
    callUndeclared<OfflineChanges, '/api/v1/offline/changes'>('/api/v1/offline/changes', { query: { since } }),
  search: (q: string, limit = 20) => call('get', '/api/v1/search', { query: { q, limit } }),
};
