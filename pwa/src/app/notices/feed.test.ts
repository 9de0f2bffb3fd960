import { describe, expect, it } from 'vitest';
import {
  appendPage,
  badgeText,
  compareNotices,
  extendFeed,
  FEED_CACHE_LIMIT,
  highlights,
  isCachedFeed,
  markLocally,
  refreshFeed,
  type CachedFeed,
  type NoticeItem,
} from './feed';

function item(id: string, day: number, extra: Partial<NoticeItem> = {}): NoticeItem {
  return {
    id,
    unit_id: 1,
    unit_name: 'Chi bộ 1',
    author_name: 'Bí thư',
    title: `Thông báo ${id}`,
    summary: '',
    category: 'general',
    pinned: false,
    requires_acknowledgement: false,
    published_at: new Date(Date.UTC(2026, 10, day)).toISOString(),
    expires_at: null,
    read: false,
    acknowledged: false,
    ...extra,
  };
}

const ids = (items: readonly NoticeItem[]) => items.map((notice) => notice.id);

describe('compareNotices', () => {
  it('puts pinned first, then newest first, then the larger id', () => {
    const list = [item('a', 1), item('b', 5), item('c', 3, { pinned: true }), item('e', 5), item('d', 2, { pinned: true })];
    expect(ids(list.sort(compareNotices))).toEqual(['c', 'd', 'e', 'b', 'a']);
  });
});

describe('refreshFeed', () => {
  const kept: CachedFeed = {
    items: [item('p', 1, { pinned: true }), item('n5', 5), item('n4', 4), item('n3', 3), item('n2', 2), item('n1', 1)],
    nextCursor: 'after-n1',
    unread: 6,
    savedAt: 1,
  };

  it('keeps the older pages after the fresh first page, with their cursor', () => {
    const fresh = refreshFeed(kept, { items: [item('n6', 6), item('p', 1, { pinned: true, read: true }), item('n5', 5)], next_cursor: 'after-n5', unread_count: 2 }, 9);
    expect(ids(fresh.items)).toEqual(['n6', 'p', 'n5', 'n4', 'n3', 'n2', 'n1']);
    expect(fresh.nextCursor).toBe('after-n1');
    expect(fresh.unread).toBe(2);
    expect(fresh.savedAt).toBe(9);
    expect(fresh.items[1]?.read).toBe(true);
  });

  it('drops a kept notice that is missing from within the fresh page (withdrawn or expired)', () => {
    // n4 sits between n5 and n3, both on the fresh page, but is not on it.
    const fresh = refreshFeed(kept, { items: [item('p', 1, { pinned: true }), item('n5', 5), item('n3', 3)], next_cursor: 'after-n3', unread_count: 3 }, 9);
    expect(ids(fresh.items)).toEqual(['p', 'n5', 'n3', 'n2', 'n1']);
  });

  it('keeps nothing else when the fresh page is the whole feed', () => {
    const fresh = refreshFeed(kept, { items: [item('n6', 6)], next_cursor: null, unread_count: 1 }, 9);
    expect(ids(fresh.items)).toEqual(['n6']);
    expect(fresh.nextCursor).toBeNull();
  });

  it('starts over from the first page rather than keep more than the limit', () => {
    const many: CachedFeed = { ...kept, items: Array.from({ length: FEED_CACHE_LIMIT }, (_, i) => item(`old${i}`, 1)) };
    const fresh = refreshFeed(many, { items: [item('n9', 9)], next_cursor: 'after-n9', unread_count: 1 }, 9);
    expect(ids(fresh.items)).toEqual(['n9']);
    expect(fresh.nextCursor).toBe('after-n9');
  });

  it('counts the unread itself when the server gives no count, and works with nothing kept', () => {
    const fresh = refreshFeed(null, { items: [item('a', 2), item('b', 1, { read: true })], next_cursor: 'x', unread_count: null }, 9);
    expect(fresh.unread).toBe(1);
    expect(fresh.nextCursor).toBe('x');
  });
});

describe('appendPage and extendFeed', () => {
  it('adds only new notices and refreshes the ones already shown', () => {
    const shown = [item('a', 3), item('b', 2)];
    const merged = appendPage(shown, [item('b', 2, { read: true }), item('c', 1)]);
    expect(ids(merged)).toEqual(['a', 'b', 'c']);
    expect(merged[1]?.read).toBe(true);
  });

  it('moves the cursor to the end of the page loaded', () => {
    const feed: CachedFeed = { items: [item('a', 3)], nextCursor: 'after-a', unread: 1, savedAt: 1 };
    const extended = extendFeed(feed, { items: [item('b', 2)], next_cursor: null, unread_count: null }, 5);
    expect(extended.nextCursor).toBeNull();
    expect(extended.unread).toBe(1);
    expect(ids(extended.items)).toEqual(['a', 'b']);
  });
});

describe('markLocally', () => {
  const feed: CachedFeed = { items: [item('a', 2), item('b', 1, { read: true })], nextCursor: null, unread: 1, savedAt: 1 };

  it('lowers the unread count once, when an unread notice is read', () => {
    const once = markLocally(feed, 'a', { read: true });
    expect(once.unread).toBe(0);
    expect(markLocally(once, 'a', { read: true }).unread).toBe(0);
    expect(markLocally(feed, 'b', { read: true }).unread).toBe(1);
  });

  it('records an acknowledgement without undoing the read mark', () => {
    const acked = markLocally(feed, 'b', { acknowledged: true });
    expect(acked.items[1]).toMatchObject({ read: true, acknowledged: true });
  });

  it('never goes below zero (the server count may be capped or stale)', () => {
    expect(markLocally({ ...feed, unread: 0 }, 'a', { read: true }).unread).toBe(0);
  });
});

describe('highlights', () => {
  it('shows pinned notices first, then unread ones, up to the limit', () => {
    const items = [item('p', 1, { pinned: true, read: true }), item('r', 4, { read: true }), item('u1', 3), item('u2', 2), item('u3', 1)];
    expect(ids(highlights(items, 3))).toEqual(['p', 'u1', 'u2']);
  });
});

describe('badgeText', () => {
  it.each([
    [0, ''],
    [null, ''],
    [undefined, ''],
    [-3, ''],
    [1, '1'],
    [99, '99'],
    [100, '99+'],
    [Number.POSITIVE_INFINITY, ''],
  ])('%s -> %j', (count, text) => {
    expect(badgeText(count)).toBe(text);
  });
});

describe('isCachedFeed', () => {
  it('accepts what refreshFeed makes and refuses other shapes', () => {
    expect(isCachedFeed(refreshFeed(null, { items: [], next_cursor: null, unread_count: 0 }, 1))).toBe(true);
    expect(isCachedFeed({ items: [], unread: 0 })).toBe(false);
    expect(isCachedFeed({ items: 'x', nextCursor: null, unread: 0, savedAt: 1 })).toBe(false);
    expect(isCachedFeed(null)).toBe(false);
  });
});
