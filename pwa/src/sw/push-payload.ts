/**
 * What a push carries, checked before use: the payload is JSON written by push/payload.py
 * ({id, title, body, url, tag?, receipt}), but it comes through a push service and must be treated as
 * untrusted. Anything that does not parse still gives a notification (browsers punish a push shown
 * without one), a generic one that opens the inbox. Pure functions: no worker globals here.
 */
import { vi } from '../app/i18n/vi';

export interface PushPayload {
  /** The member's inbox row; null for a payload that did not parse. */
  readonly id: number | null;
  readonly title: string;
  readonly body: string;
  /** Where a tap leads, still to be checked with safeAppPath when it is used. */
  readonly url: string;
  readonly tag: string | null;
  /** The HMAC that lets the worker report "shown" and "clicked" without a session. */
  readonly receipt: string | null;
}

/** What the notification keeps for the click: the same fields the report and the navigation need. */
export interface NotificationData {
  readonly id: number | null;
  readonly url: string;
  readonly receipt: string | null;
}

const INBOX_PATH = '/notifications';
const TITLE_MAX = 200;
const BODY_MAX = 1000;
const RECEIPT = /^[A-Za-z0-9_-]{1,128}$/;
const TAG = /^[\w.:-]{1,64}$/;

export const GENERIC: PushPayload = {
  id: null,
  title: vi['push.genericTitle'],
  body: vi['push.genericBody'],
  url: INBOX_PATH,
  tag: null,
  receipt: null,
};

function text(value: unknown, max: number): string {
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

/** Parse a push's text; never throws. */
export function parsePushPayload(raw: string | null | undefined): PushPayload {
  if (typeof raw !== 'string' || raw === '') return GENERIC;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return GENERIC;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return GENERIC;
  const fields = data as Record<string, unknown>;
  const id = typeof fields.id === 'number' && Number.isSafeInteger(fields.id) && fields.id > 0 ? fields.id : null;
  const title = text(fields.title, TITLE_MAX);
  const tag = typeof fields.tag === 'string' && TAG.test(fields.tag) ? fields.tag : null;
  const receipt = typeof fields.receipt === 'string' && RECEIPT.test(fields.receipt) ? fields.receipt : null;
  return {
    id,
    title: title || GENERIC.title,
    body: text(fields.body, BODY_MAX) || (title ? '' : GENERIC.body),
    url: typeof fields.url === 'string' && fields.url !== '' ? fields.url : INBOX_PATH,
    tag,
    receipt: id === null ? null : receipt,
  };
}

/** The options for showNotification; `data` is read back by readNotificationData on a tap. */
export function notificationOptions(payload: PushPayload): NotificationOptions & { renotify?: boolean } {
  const data: NotificationData = { id: payload.id, url: payload.url, receipt: payload.receipt };
  return {
    body: payload.body,
    icon: '/icons/icon-192.png',
    lang: 'vi',
    data,
    // Same tag: the newer one replaces the older, and still rings (renotify) so it is not missed.
    ...(payload.tag !== null && { tag: payload.tag, renotify: true }),
  };
}

/** A notification's data as we stored it, or a safe default (another version may have shown it). */
export function readNotificationData(data: unknown): NotificationData {
  const fields = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const id = typeof fields.id === 'number' && Number.isSafeInteger(fields.id) && fields.id > 0 ? fields.id : null;
  const receipt = typeof fields.receipt === 'string' && RECEIPT.test(fields.receipt) ? fields.receipt : null;
  return { id, url: typeof fields.url === 'string' ? fields.url : INBOX_PATH, receipt: id === null ? null : receipt };
}
