/**
 * A tiny History API router: one signal holding the current path, `navigate`, and a document-level
 * click handler that turns same-origin links into client navigations. No hash URLs: the server and
 * the service worker answer every app path with index.html.
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { isServerPath } from '../shared/server-paths';

export const paths = {
  home: '/',
  signIn: '/sign-in',
  activate: '/activate',
  handbook: '/handbook',
  search: '/search',
  bookmarks: '/bookmarks',
  notices: '/notices',
  inbox: '/notifications',
  profile: '/profile',
  secretary: '/secretary',
  secretaryNew: '/secretary/new',
  meetings: '/meetings',
  meetingsManage: '/meetings/manage',
  feedback: '/feedback',
  feedbackNew: '/feedback/new',
  feedbackInbox: '/feedback/inbox',
  faq: '/faq',
  study: '/study',
  moderation: '/moderation',
  memberImport: '/members/import',
  editor: '/editor',
  reports: '/reports',
  members: '/members',
  audit: '/audit',
} as const;

/** Routes with parameters: one document, one section of it. */
const PATTERNS = {
  document: /^\/handbook\/([^/]+)$/,
  section: /^\/handbook\/([^/]+)\/([^/]+)$/,
  notice: /^\/notices\/([^/]+)$/,
  secretaryNotice: /^\/secretary\/notices\/([^/]+)$/,
  meeting: /^\/meetings\/([^/]+)$/,
  meetingCheckIn: /^\/meetings\/([^/]+)\/check-in$/,
  meetingRoll: /^\/meetings\/([^/]+)\/manage$/,
  feedbackThread: /^\/feedback\/([^/]+)$/,
  studyProgram: /^\/study\/([^/]+)$/,
  studyQuiz: /^\/study\/([^/]+)\/quiz$/,
  studyReview: /^\/study\/([^/]+)\/review$/,
  editorDocument: /^\/editor\/([^/]+)$/,
  editorSection: /^\/editor\/([^/]+)\/([^/]+)$/,
  memberCard: /^\/members\/([^/]+)$/,
} as const;

export type RouteName = keyof typeof paths | keyof typeof PATTERNS | 'notFound';

export interface RouteMatch {
  readonly name: RouteName;
  /** The decoded path parameters, in order (document id, section id). */
  readonly params: readonly string[];
}

const BY_PATH = new Map<string, RouteName>(
  Object.entries(paths).map(([name, path]) => [path, name as RouteName]),
);

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The route and its parameters for a pathname; a trailing slash is forgiven. */
export function matchPath(pathname: string): RouteMatch {
  const trimmed = (pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname) || '/';
  const name = BY_PATH.get(trimmed);
  if (name) return { name, params: [] };
  for (const [route, pattern] of Object.entries(PATTERNS) as Array<[keyof typeof PATTERNS, RegExp]>) {
    const found = pattern.exec(trimmed);
    if (!found) continue;
    const params = found.slice(1).map(decode);
    if (params.every((param): param is string => param !== null && param !== '')) return { name: route, params };
  }
  return { name: 'notFound', params: [] };
}

/** The route for a pathname. */
export function matchRoute(pathname: string): RouteName {
  return matchPath(pathname).name;
}

/** Links to the routes with parameters. */
export const links = {
  document: (documentId: string) => `${paths.handbook}/${encodeURIComponent(documentId)}`,
  section: (documentId: string, sectionId: string) =>
    `${paths.handbook}/${encodeURIComponent(documentId)}/${encodeURIComponent(sectionId)}`,
  search: (query: string) => (query ? `${paths.search}?q=${encodeURIComponent(query)}` : paths.search),
  notice: (id: string) => `${paths.notices}/${encodeURIComponent(id)}`,
  secretaryNotice: (id: string) => `${paths.secretary}/notices/${encodeURIComponent(id)}`,
  meeting: (id: string) => `${paths.meetings}/${encodeURIComponent(id)}`,
  meetingCheckIn: (id: string) => `${paths.meetings}/${encodeURIComponent(id)}/check-in`,
  meetingRoll: (id: string) => `${paths.meetings}/${encodeURIComponent(id)}/manage`,
  feedbackThread: (id: string) => `${paths.feedback}/${encodeURIComponent(id)}`,
  studyProgram: (id: string) => `${paths.study}/${encodeURIComponent(id)}`,
  studyQuiz: (id: string) => `${paths.study}/${encodeURIComponent(id)}/quiz`,
  studyReview: (id: string) => `${paths.study}/${encodeURIComponent(id)}/review`,
  editorDocument: (id: string) => `${paths.editor}/${encodeURIComponent(id)}`,
  editorSection: (documentId: string, sectionId: string) =>
    `${paths.editor}/${encodeURIComponent(documentId)}/${encodeURIComponent(sectionId)}`,
  memberCard: (id: string) => `${paths.members}/${encodeURIComponent(id)}`,
};

interface AnchorLike {
  readonly href: string;
  readonly target: string;
  hasAttribute(name: string): boolean;
}

export interface ClickLike {
  readonly defaultPrevented: boolean;
  readonly button: number;
  readonly metaKey: boolean;
  readonly ctrlKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
  readonly target: unknown;
}

function closestAnchor(target: unknown): AnchorLike | null {
  const closest = (target as { closest?: unknown } | null)?.closest;
  if (typeof closest !== 'function') return null;
  return (closest as (selector: string) => AnchorLike | null).call(target, 'a[href]');
}

interface Place {
  readonly origin: string;
  readonly pathname: string;
  readonly search: string;
}

/**
 * The in-app path a click should navigate to, or null to let the browser handle it
 * (modified clicks, new tabs, downloads, other origins, server paths, anchors within the page).
 */
export function clickedAppPath(event: ClickLike, here: Place): string | null {
  if (event.defaultPrevented || event.button !== 0) return null;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
  const anchor = closestAnchor(event.target);
  if (!anchor || (anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download')) return null;
  let url: URL;
  try {
    url = new URL(anchor.href, here.origin);
  } catch {
    return null;
  }
  if (url.origin !== here.origin || isServerPath(url.pathname)) return null;
  if (url.hash && url.pathname === here.pathname && url.search === here.search) return null;
  return url.pathname + url.search + url.hash;
}

/** What the router needs from `window`; tests pass a fake. */
export interface RouterHost {
  readonly location: Place;
  readonly history: { pushState(data: unknown, unused: string, url: string): void; replaceState(data: unknown, unused: string, url: string): void };
  addEventListener(type: 'popstate' | 'click', listener: (event: unknown) => void): void;
  removeEventListener(type: 'popstate' | 'click', listener: (event: unknown) => void): void;
}

export interface Router {
  readonly path: ReadonlySignal<string>;
  readonly route: ReadonlySignal<RouteName>;
  /** The current route's parameters (see matchPath). */
  readonly params: ReadonlySignal<readonly string[]>;
  navigate(to: string, options?: { replace?: boolean }): void;
  /** Listen to back/forward and link clicks; returns a function that stops listening. */
  start(): () => void;
}

export function createRouter(host: RouterHost): Router {
  const path = signal(host.location.pathname);
  const match = computed(() => matchPath(path.value));
  const route = computed(() => match.value.name);
  const params = computed(() => match.value.params);

  function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
    const target = new URL(to, host.location.origin);
    const current = host.location.pathname + host.location.search;
    const next = target.pathname + target.search + target.hash;
    if (next === current && !replace) return;
    if (replace) host.history.replaceState(null, '', next);
    else host.history.pushState(null, '', next);
    path.value = target.pathname;
  }

  const onPopState = (): void => {
    path.value = host.location.pathname;
  };
  const onClick = (raw: unknown): void => {
    const event = raw as ClickLike & { preventDefault(): void };
    const to = clickedAppPath(event, host.location);
    if (to === null) return;
    event.preventDefault();
    navigate(to);
  };

  function start(): () => void {
    host.addEventListener('popstate', onPopState);
    host.addEventListener('click', onClick);
    return () => {
      host.removeEventListener('popstate', onPopState);
      host.removeEventListener('click', onClick);
    };
  }

  return { path, route, params, navigate, start };
}
