import { describe, expect, it, vi } from 'vitest';
import type { Message } from '../shared/messages';
import type { PushHost, WindowLike } from './host';
import { openFromNotification } from './notification-click';
import { showPush } from './push';
import { GENERIC, notificationOptions, parsePushPayload, readNotificationData } from './push-payload';
import { reportPath } from './report';

const ORIGIN = 'https://sotay.example';
const RECEIPT = 'Zm9vYmFyYmF6cXV4cXV1eA';
const GOOD = { id: 42, title: 'Sinh hoạt chi bộ', body: '19 giờ thứ Năm', url: '/notices/abc', tag: 'notice-abc', receipt: RECEIPT };

interface FakeHost extends PushHost {
  readonly shown: Array<{ title: string; options: NotificationOptions }>;
  readonly posted: Array<{ url: string; init: RequestInit }>;
  readonly opened: string[];
}

function fakeWindow(url: string, messages: Message[], focus = () => Promise.resolve()): WindowLike {
  return { url, focus, postMessage: (message) => messages.push(message) };
}

function fakeHost(windows: WindowLike[] = [], overrides: Partial<PushHost> = {}): FakeHost {
  const shown: FakeHost['shown'] = [];
  const posted: FakeHost['posted'] = [];
  const opened: string[] = [];
  return {
    origin: ORIGIN,
    shown,
    posted,
    opened,
    showNotification: (title, options) => {
      shown.push({ title, options });
      return Promise.resolve();
    },
    fetch: (url, init) => {
      posted.push({ url, init });
      return Promise.resolve(new Response(null, { status: 204 }));
    },
    windows: () => Promise.resolve(windows),
    openWindow: (path) => {
      opened.push(path);
      return Promise.resolve(null);
    },
    ...overrides,
  };
}

const data = (text: string) => ({ text: () => text });

describe('parsePushPayload', () => {
  it('reads the payload the server sends', () => {
    expect(parsePushPayload(JSON.stringify(GOOD))).toEqual(GOOD);
    expect(parsePushPayload(JSON.stringify({ ...GOOD, tag: undefined })).tag).toBeNull();
  });

  it.each([null, '', 'not json', '[1,2]', '"text"', '42', 'null'])('gives the generic notification for %j', (raw) => {
    expect(parsePushPayload(raw)).toEqual(GENERIC);
  });

  it('fills a missing title, trims oversized text and drops a bad tag', () => {
    const parsed = parsePushPayload(JSON.stringify({ id: 1, body: 'b'.repeat(5000), url: '/x', tag: 'bad tag!', receipt: RECEIPT }));
    expect(parsed.title).toBe(GENERIC.title);
    expect(parsed.body).toHaveLength(1000);
    expect(parsed.tag).toBeNull();
  });

  it('reports nothing for a payload without a usable id or receipt', () => {
    expect(parsePushPayload(JSON.stringify({ ...GOOD, id: '42' })).receipt).toBeNull();
    expect(parsePushPayload(JSON.stringify({ ...GOOD, id: -1 })).id).toBeNull();
    expect(parsePushPayload(JSON.stringify({ ...GOOD, id: 1.5 })).id).toBeNull();
    expect(parsePushPayload(JSON.stringify({ ...GOOD, receipt: 'a b/c' })).receipt).toBeNull();
  });
});

describe('notificationOptions and readNotificationData', () => {
  it('round-trips what a tap needs, and renotifies only with a tag', () => {
    const options = notificationOptions(parsePushPayload(JSON.stringify(GOOD)));
    expect(readNotificationData(options.data)).toEqual({ id: 42, url: '/notices/abc', receipt: RECEIPT });
    expect(options).toMatchObject({ tag: 'notice-abc', renotify: true, body: GOOD.body });
    expect(notificationOptions(GENERIC)).not.toHaveProperty('renotify');
  });

  it('reads foreign data as a harmless default', () => {
    expect(readNotificationData(undefined)).toEqual({ id: null, url: '/notifications', receipt: null });
    expect(readNotificationData({ id: 3, url: 5, receipt: RECEIPT })).toEqual({ id: 3, url: '/notifications', receipt: RECEIPT });
  });
});

describe('showPush', () => {
  it('shows the notification, reports it shown with the receipt, and tells open pages', async () => {
    const messages: Message[] = [];
    const host = fakeHost([fakeWindow(`${ORIGIN}/`, messages)]);
    await showPush(data(JSON.stringify(GOOD)), host);
    expect(host.shown).toEqual([{ title: GOOD.title, options: expect.objectContaining({ body: GOOD.body, tag: GOOD.tag }) }]);
    expect(host.posted).toHaveLength(1);
    expect(host.posted[0]?.url).toBe(reportPath(42));
    expect(host.posted[0]?.init.method).toBe('POST');
    expect(host.posted[0]?.init.credentials).toBe('omit');
    expect(JSON.parse(host.posted[0]?.init.body as string)).toEqual({ event: 'shown', receipt: RECEIPT });
    expect(messages).toEqual([{ type: 'PUSH_RECEIVED' }]);
  });

  it('still shows a notification for a push that does not parse, and reports nothing', async () => {
    const host = fakeHost();
    await showPush(data('\u0000garbage'), host);
    await showPush(null, host);
    await showPush({ text: () => { throw new TypeError('not UTF-8'); } }, host);
    expect(host.shown.map((shown) => shown.title)).toEqual([GENERIC.title, GENERIC.title, GENERIC.title]);
    expect(host.posted).toEqual([]);
  });

  it('resolves (after showing) when the report fails or the network is gone', async () => {
    const host = fakeHost([], { fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(showPush(data(JSON.stringify(GOOD)), host)).resolves.toBeUndefined();
    expect(host.shown).toHaveLength(1);
  });

  it('falls back to the plainest notification when the options are refused', async () => {
    const shown: string[] = [];
    const showNotification = vi.fn((title: string, options: NotificationOptions) => {
      if (options.tag !== undefined) return Promise.reject(new TypeError('renotify needs a tag'));
      shown.push(title);
      return Promise.resolve();
    });
    await showPush(data(JSON.stringify(GOOD)), fakeHost([], { showNotification }));
    expect(showNotification).toHaveBeenCalledTimes(2);
    expect(shown).toEqual([GOOD.title]);
  });
});

describe('openFromNotification', () => {
  const stored = notificationOptions(parsePushPayload(JSON.stringify(GOOD))).data;

  it('focuses an open window, sends it to the notice, and reports the tap', async () => {
    const messages: Message[] = [];
    const focus = vi.fn(() => Promise.resolve());
    const host = fakeHost([fakeWindow(`${ORIGIN}/handbook`, messages, focus)]);
    await openFromNotification(stored, host);
    expect(focus).toHaveBeenCalledOnce();
    expect(messages).toEqual([{ type: 'NAVIGATE', url: '/notices/abc' }]);
    expect(host.opened).toEqual([]);
    expect(JSON.parse(host.posted[0]?.init.body as string)).toEqual({ event: 'clicked', receipt: RECEIPT });
  });

  it('opens a window when none is open', async () => {
    const host = fakeHost();
    await openFromNotification(stored, host);
    expect(host.opened).toEqual(['/notices/abc']);
  });

  it('opens a new window when the open one cannot be focused', async () => {
    const host = fakeHost([fakeWindow(`${ORIGIN}/`, [], () => Promise.reject(new Error('gone')))]);
    await openFromNotification(stored, host);
    expect(host.opened).toEqual(['/notices/abc']);
  });

  it.each(['https://evil.example/login', '//evil.example', 'javascript:alert(1)', '/api/v1/me'])(
    'opens the home page instead of %s',
    async (url) => {
      const host = fakeHost();
      await openFromNotification({ id: 1, url, receipt: RECEIPT }, host);
      expect(host.opened).toEqual(['/']);
    },
  );
});
