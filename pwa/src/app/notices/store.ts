/**
 * Notices on this phone: the feed kept in IndexedDB (the `meta` store, so sign-out deletes it with the
 * rest of the app database), the notices opened lately, and reading and acknowledging through the
 * offline write queue, so both count even when done with no signal.
 */
import { computed, signal } from '@preact/signals';
import { call, type Schemas } from '../../shared/api';
import { NetworkError } from '../../shared/problem';
import { onWriteSettled, outboxState, queueWrite } from '../outbox';
import { appDb, onLocalDataCleared } from '../storage';
import { extendFeed, isCachedFeed, markLocally, refreshFeed, type CachedFeed } from './feed';

export type Notice = Schemas['Notice'];

const FEED_KEY = 'notices.feed';
const OPENED_KEY = 'notices.opened';
/** Notices opened lately, kept whole for reading again with no signal. */
const OPENED_LIMIT = 30;
const PAGE_SIZE = 20;

export const READ_KIND = 'noticeRead';
export const ACK_KIND = 'noticeAck';

/** The feed as last seen (from the server, or from the phone while offline); null before the first load. */
export const noticeFeed = signal<CachedFeed | null>(null);
/** True when the last refresh could not reach the server and the kept feed is shown. */
export const feedOffline = signal(false);
export const noticesUnread = computed(() => noticeFeed.value?.unread ?? 0);

async function readMeta(key: string): Promise<unknown> {
  try {
    return await (await appDb()).get('meta', key);
  } catch {
    return undefined;
  }
}

async function writeMeta(key: string, value: unknown): Promise<void> {
  try {
    await (await appDb()).put('meta', value, key);
  } catch {
    // No IndexedDB (private mode on old Safari): the feed still works online.
  }
}

async function keep(feed: CachedFeed): Promise<void> {
  noticeFeed.value = feed;
  await writeMeta(FEED_KEY, feed);
}

/** Show the kept feed at once (no signal needed). */
export async function loadKeptFeed(): Promise<CachedFeed | null> {
  if (noticeFeed.value) return noticeFeed.value;
  const kept = await readMeta(FEED_KEY);
  if (isCachedFeed(kept) && noticeFeed.value === null) noticeFeed.value = kept;
  return noticeFeed.value;
}

/** Ask the server for the first page; with no signal the kept feed stays and `feedOffline` says so. */
export async function refreshNotices(): Promise<void> {
  // Asked while the kept feed is read (on a first visit IndexedDB is still being created): home's
  // largest block waits for this answer.
  const asked = call('get', '/api/v1/notices', { query: { limit: PAGE_SIZE } });
  void asked.catch(() => undefined); // handled below, after the kept feed is read
  const kept = await loadKeptFeed();
  try {
    const page = await asked;
    feedOffline.value = false;
    await keep(withLocalMarks(refreshFeed(kept, page, Date.now())));
  } catch (error) {
    // With nothing kept there is nothing to show instead: the screen says so.
    if (!(error instanceof NetworkError) || kept === null) throw error;
    feedOffline.value = true;
  }
}

/** The next, older page ("Xem thêm"). */
export async function loadMoreNotices(): Promise<void> {
  const feed = noticeFeed.value;
  if (!feed?.nextCursor) return;
  const page = await call('get', '/api/v1/notices', { query: { limit: PAGE_SIZE, after: feed.nextCursor } });
  await keep(withLocalMarks(extendFeed(feed, page, Date.now())));
}

/** Reads and acknowledgements still in the outbox: the server does not know them yet, the member does. */
function withLocalMarks(feed: CachedFeed): CachedFeed {
  let marked = feed;
  for (const write of outboxState.value.pending) {
    if (write.kind === READ_KIND) marked = markLocally(marked, write.ref, { read: true });
    if (write.kind === ACK_KIND) marked = markLocally(marked, write.ref, { read: true, acknowledged: true });
  }
  return marked;
}

type Opened = Readonly<Record<string, Notice>>;

async function keptNotices(): Promise<Opened> {
  const value = await readMeta(OPENED_KEY);
  return typeof value === 'object' && value !== null ? (value as Opened) : {};
}

async function keepNotice(notice: Notice): Promise<void> {
  const opened = { ...(await keptNotices()), [notice.id]: notice };
  // Only the most recently published ones stay.
  const recent = Object.values(opened)
    .sort((a, b) => Date.parse(b.publish_at) - Date.parse(a.publish_at))
    .slice(0, OPENED_LIMIT);
  await writeMeta(OPENED_KEY, Object.fromEntries(recent.map((item) => [item.id, item])));
}

export interface LoadedNotice {
  readonly notice: Notice;
  /** Shown from the phone: the server could not be reached. */
  readonly kept: boolean;
}

/** One notice: from the server, or as kept on the phone when there is no signal. */
export async function loadNotice(id: string): Promise<LoadedNotice> {
  try {
    const notice = await call('get', '/api/v1/notices/{notice_id}', { path: { notice_id: id } });
    void keepNotice(notice);
    return { notice, kept: false };
  } catch (error) {
    if (error instanceof NetworkError) {
      const kept = (await keptNotices())[id];
      if (kept) return { notice: kept, kept: true };
    }
    throw error;
  }
}

function pendingWrite(kind: string, id: string): boolean {
  return outboxState.value.pending.some((write) => write.kind === kind && write.ref === id);
}

async function markFeed(id: string, change: { read?: boolean; acknowledged?: boolean }): Promise<void> {
  const feed = noticeFeed.value ?? (await loadKeptFeed());
  if (feed) await keep(markLocally(feed, id, change));
}

/** Opening a notice marks it read: through the outbox, so it counts even when opened offline. */
export async function markNoticeRead(notice: Notice): Promise<void> {
  const feedItem = noticeFeed.value?.items.find((item) => item.id === notice.id);
  if (notice.read_at !== null && (feedItem === undefined || feedItem.read)) return;
  if (notice.read_at === null && !pendingWrite(READ_KIND, notice.id) && !pendingWrite(ACK_KIND, notice.id)) {
    await queueWrite('post', '/api/v1/notices/{notice_id}/read', {
      path: { notice_id: notice.id },
      kind: READ_KIND,
      ref: notice.id,
      label: notice.title,
    });
  }
  await markFeed(notice.id, { read: true });
}

export type AckState = 'none' | 'pending' | 'done';

/** Where the member's acknowledgement of a notice stands (`acked`: what this screen learnt since). */
export function ackState(notice: Notice, acked: boolean): AckState {
  if (pendingWrite(ACK_KIND, notice.id)) return 'pending';
  if (acked || notice.acknowledged_at !== null) return 'done';
  return 'none';
}

/** "Tôi đã đọc và nắm được": kept in the outbox first, sent now or when the signal returns. */
export async function acknowledgeNotice(notice: Notice): Promise<void> {
  await queueWrite('post', '/api/v1/notices/{notice_id}/acknowledge', {
    path: { notice_id: notice.id },
    kind: ACK_KIND,
    ref: notice.id,
    label: notice.title,
  });
  await markFeed(notice.id, { read: true, acknowledged: true });
}

/** Moves when a queued read or acknowledgement of a notice is settled, so open screens look again. */
export const noticeWrites = signal(0);

onWriteSettled(({ write, outcome, answer }) => {
  if (write.kind !== ACK_KIND && write.kind !== READ_KIND) return;
  noticeWrites.value += 1;
  const receipt = answer as Partial<Schemas['Receipt']> | null;
  if (outcome === 'sent' && receipt?.notice_id === write.ref) {
    void (async () => {
      const kept = (await keptNotices())[write.ref];
      if (kept) await keepNotice({ ...kept, read_at: receipt.read_at ?? kept.read_at, acknowledged_at: receipt.acknowledged_at ?? kept.acknowledged_at });
    })();
  }
  // Refused (withdrawn, or no longer ours to read): the server's feed says what really stands.
  if (outcome === 'refused') void refreshNotices().catch(() => undefined);
});

onLocalDataCleared(() => {
  noticeFeed.value = null;
  feedOffline.value = false;
});
