import { describe, expect, it } from 'vitest';
import { clickedAppPath, createRouter, links, matchPath, matchRoute, type ClickLike, type RouterHost } from './router';

const HERE = { origin: 'https://sotay.example', pathname: '/sign-in', search: '' };

describe('matchRoute', () => {
  it.each([
    ['/', 'home'],
    ['/sign-in', 'signIn'],
    ['/sign-in/', 'signIn'],
    ['/activate', 'activate'],
    ['/activate//', 'activate'],
    ['/nope', 'notFound'],
    ['/sign-in/extra', 'notFound'],
    ['/SIGN-IN', 'notFound'],
    ['/handbook', 'handbook'],
    ['/handbook/', 'handbook'],
    ['/handbook/abc', 'document'],
    ['/handbook/abc/def/', 'section'],
    ['/handbook/abc/def/ghi', 'notFound'],
    ['/handbook/%E0%A4%A', 'notFound'],
    ['/search', 'search'],
    ['/bookmarks', 'bookmarks'],
  ])('%s -> %s', (path, route) => {
    expect(matchRoute(path)).toBe(route);
  });
});

describe('matchPath and links', () => {
  it('decodes parameters and builds links that match back', () => {
    expect(matchPath('/handbook/d-1/s%202')).toEqual({ name: 'section', params: ['d-1', 's 2'] });
    expect(matchPath(links.section('d/1', 's?2'))).toEqual({ name: 'section', params: ['d/1', 's?2'] });
    expect(matchPath(links.document('d-1'))).toEqual({ name: 'document', params: ['d-1'] });
    expect(links.search('nghị quyết')).toBe('/search?q=ngh%E1%BB%8B%20quy%E1%BA%BFt');
    expect(links.search('')).toBe('/search');
  });
});

function anchor(href: string, attributes: Record<string, string> = {}) {
  return {
    href: new URL(href, HERE.origin).href,
    target: attributes['target'] ?? '',
    hasAttribute: (name: string) => name in attributes,
  };
}

function click(target: unknown, overrides: Partial<ClickLike> = {}): ClickLike {
  return {
    defaultPrevented: false,
    button: 0,
    metaKey: false,
    ctrlKey: false,
    shiftKey: false,
    altKey: false,
    target,
    ...overrides,
  };
}

/** A clicked element inside the link (e.g. a <span> in an <a>). */
function inside(link: ReturnType<typeof anchor> | null) {
  return { closest: (selector: string) => (selector === 'a[href]' ? link : null) };
}

describe('clickedAppPath', () => {
  it('takes over plain clicks on same-origin links', () => {
    expect(clickedAppPath(click(inside(anchor('/activate'))), HERE)).toBe('/activate');
    expect(clickedAppPath(click(inside(anchor('/?a=1#top'))), HERE)).toBe('/?a=1#top');
  });

  it.each([
    ['modifier keys', click(inside(anchor('/')), { ctrlKey: true })],
    ['meta key', click(inside(anchor('/')), { metaKey: true })],
    ['shift key', click(inside(anchor('/')), { shiftKey: true })],
    ['alt key', click(inside(anchor('/')), { altKey: true })],
    ['middle button', click(inside(anchor('/')), { button: 1 })],
    ['already handled', click(inside(anchor('/')), { defaultPrevented: true })],
    ['new tab', click(inside(anchor('/', { target: '_blank' })))],
    ['downloads', click(inside(anchor('/file.pdf', { download: '' })))],
    ['other sites', click(inside(anchor('https://example.org/')))],
    ['the API', click(inside(anchor('/api/v1/me')))],
    ['anchors within the page', click(inside(anchor('/sign-in#help')))],
    ['clicks outside links', click(inside(null))],
    ['targets that are not elements', click(null)],
    ['text nodes', click({ nodeType: 3 })],
  ])('leaves %s to the browser', (_, event) => {
    expect(clickedAppPath(event, HERE)).toBeNull();
  });

  it('accepts an explicit _self target', () => {
    expect(clickedAppPath(click(inside(anchor('/', { target: '_self' }))), HERE)).toBe('/');
  });
});

class FakeWindow implements RouterHost {
  location = { ...HERE };
  pushed: string[] = [];
  replaced: string[] = [];
  listeners = new Map<string, (event: unknown) => void>();
  history = {
    pushState: (_data: unknown, _unused: string, url: string) => {
      this.pushed.push(url);
      this.go(url);
    },
    replaceState: (_data: unknown, _unused: string, url: string) => {
      this.replaced.push(url);
      this.go(url);
    },
  };

  go(url: string): void {
    const next = new URL(url, this.location.origin);
    this.location = { ...this.location, pathname: next.pathname, search: next.search };
  }

  addEventListener(type: 'popstate' | 'click', listener: (event: unknown) => void): void {
    this.listeners.set(type, listener);
  }

  removeEventListener(type: 'popstate' | 'click', listener: (event: unknown) => void): void {
    if (this.listeners.get(type) === listener) this.listeners.delete(type);
  }
}

describe('createRouter', () => {
  it('starts at the current path', () => {
    const host = new FakeWindow();
    const router = createRouter(host);
    expect(router.path.value).toBe('/sign-in');
    expect(router.route.value).toBe('signIn');
  });

  it('pushes or replaces history entries and updates the route', () => {
    const host = new FakeWindow();
    const router = createRouter(host);
    router.navigate('/activate');
    expect(host.pushed).toEqual(['/activate']);
    expect(router.route.value).toBe('activate');
    router.navigate('/', { replace: true });
    expect(host.replaced).toEqual(['/']);
    expect(router.route.value).toBe('home');
  });

  it('does not stack a second entry for the page already shown', () => {
    const host = new FakeWindow();
    const router = createRouter(host);
    router.navigate('/sign-in');
    expect(host.pushed).toEqual([]);
  });

  it('follows back and forward', () => {
    const host = new FakeWindow();
    const router = createRouter(host);
    router.start();
    host.go('/activate');
    host.listeners.get('popstate')?.({});
    expect(router.route.value).toBe('activate');
  });

  it('turns link clicks into navigations and stops listening when asked', () => {
    const host = new FakeWindow();
    const router = createRouter(host);
    const stop = router.start();
    let prevented = false;
    const event = { ...click(inside(anchor('/activate'))), preventDefault: () => (prevented = true) };
    host.listeners.get('click')?.(event);
    expect(prevented).toBe(true);
    expect(router.route.value).toBe('activate');
    expect(host.pushed).toEqual(['/activate']);

    stop();
    expect(host.listeners.size).toBe(0);
  });

  it('lets the browser handle links it should not take over', () => {
    const host = new FakeWindow();
    const router = createRouter(host);
    router.start();
    let prevented = false;
    const event = { ...click(inside(anchor('/api/v1/me'))), preventDefault: () => (prevented = true) };
    host.listeners.get('click')?.(event);
    expect(prevented).toBe(false);
    expect(router.route.value).toBe('signIn');
  });
});
