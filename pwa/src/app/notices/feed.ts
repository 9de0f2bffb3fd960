/**
 * The notices feed as the phone keeps it: pure functions over the API's NoticeItem, so the ordering,
 * paging, local read marks and counts are tested without a browser (store.ts does the I/O).
 */
import type { Schemas } from '../../shared/api';

export type NoticeItem = Schemas['NoticeItem'];
export type NoticePage = Schemas['NoticePage'];

/** What is kept in IndexedDB for reading with no signal (the first pages, newest first). */
export interface CachedFeed {
  readonly items: readonly NoticeItem[];
  /** Where the next (older) page starts; null when the whole feed is here. */
  readonly nextCursor: string | null;
  /** Unread live notices, as the server counted them (it stops at 100), adjusted by local reads. */
  readonly unread: number;
  readonly savedAt: number;
}

/** At most this many notices are kept on the phone: a year of a busy branch, a few hundred KB. */
export const FEED_CACHE_LIMIT = 200;

/** The server's order: pinned first, then newest first (ties broken by id, as its cursor does). */
export function compareNotices(a: NoticeItem, b: NoticeItem): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  const byTime = Date.parse(b.published_at) - Date.parse(a.published_at);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * Put a fresh first page in front of what is kept. The page wins for the notices it holds; kept ones
 * it does not mention stay only when they come after its last item (they belong to later pages, and
 * the kept cursor still points past them): one missing from within the page's range was withdrawn
 * or expired, and goes.
 */
export function refreshFeed(kept: CachedFeed | null, page: NoticePage, now: number): CachedFeed {
  const fresh = new Set(page.items.map((item) => item.id));
  const last = page.items[page.items.length - 1];
  let older =
    kept === null || page.next_cursor === null || last === undefined
      ? []
      : kept.items.filter((item) => !fresh.has(item.id) && compareNotices(last, item) < 0);
  // Past the limit the older pages are dropped whole: the kept cursor must stay right after the last kept item.
  if (page.items.length + older.length > FEED_CACHE_LIMIT) older = [];
  return {
    items: [...page.items, ...older],
    nextCursor: older.length > 0 ? (kept?.nextCursor ?? null) : page.next_cursor,
    unread: page.unread_count ?? kept?.unread ?? page.items.filter((item) => !item.read).length,
    savedAt: now,
  };
}

/** An older page loaded after the kept ones ("Xem thêm"). */
export function extendFeed(feed: CachedFeed, page: NoticePage, now: number): CachedFeed {
  return { ...feed, items: appendPage(feed.items, page.items), nextCursor: page.next_cursor, savedAt: now };
}

/** Add an older page after the ones shown; a notice already shown keeps its place, with the newer data. */
export function appendPage(shown: readonly NoticeItem[], page: readonly NoticeItem[]): NoticeItem[] {
  const fresh = new Map(page.map((item) => [item.id, item]));
  const seen = new Set(shown.map((item) => item.id));
  return [...shown.map((item) => fresh.get(item.id) ?? item), ...page.filter((item) => !seen.has(item.id))];
}

/** The feed with one notice marked read (and acknowledged); the unread count follows. */
export function markLocally(feed: CachedFeed, id: string, change: { read?: boolean; acknowledged?: boolean }): CachedFeed {
  let unread = feed.unread;
  const items = feed.items.map((item) => {
    if (item.id !== id) return item;
    if (change.read && !item.read) unread = Math.max(0, unread - 1);
    return { ...item, read: item.read || Boolean(change.read), acknowledged: item.acknowledged || Boolean(change.acknowledged) };
  });
  return { ...feed, items, unread };
}

/** Notices still waiting for this member's acknowledgement. */
export function awaitingAcknowledgement(items: readonly NoticeItem[]): NoticeItem[] {
  return items.filter((item) => item.requires_acknowledgement && !item.acknowledged);
}

/** What home shows: pinned notices, then unread ones, at most `limit`. */
export function highlights(items: readonly NoticeItem[], limit = 3): NoticeItem[] {
  const pinned = items.filter((item) => item.pinned);
  const unread = items.filter((item) => !item.pinned && !item.read);
  return [...pinned, ...unread].slice(0, limit);
}

/** A count for a badge: nothing at 0, "99+" past 99 (the server itself stops counting at 100). */
export function badgeText(count: number | null | undefined): string {
  if (!count || count < 0 || !Number.isFinite(count)) return '';
  return count > 99 ? '99+' : String(Math.floor(count));
}

/** Shape check for what comes back out of IndexedDB (an older app version may have written it). */
export function isCachedFeed(value: unknown): value is CachedFeed {
  const feed = value as Partial<CachedFeed> | null;
  return (
    typeof feed === 'object' &&
    feed !== null &&
    Array.isArray(feed.items) &&
    typeof feed.unread === 'number' &&
    typeof feed.savedAt === 'number' &&
    (feed.nextCursor === null || typeof feed.nextCursor === 'string')
  );
}
