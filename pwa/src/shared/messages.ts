/**
 * Every message the page and the service worker exchange: one discriminated union, so both sides
 * are checked against the same list and a new kind cannot be handled on one side only.
 * This file is compiled under both the DOM and the WebWorker libs: keep it free of either.
 */
export type Message =
  /** Page -> waiting SW: the member tapped "Tải lại"; activate the new version now. */
  | { readonly type: 'SKIP_WAITING' }
  /** Page -> SW: the member signed out; drop everything personal the SW holds. */
  | { readonly type: 'SIGNED_OUT' }
  /** SW -> pages: Background Sync says the network is back; send the offline write queue. */
  | { readonly type: 'REPLAY_OUTBOX' }
  /** SW -> pages: a push arrived; refresh the unread counts. */
  | { readonly type: 'PUSH_RECEIVED' }
  /** SW -> the window it focused: the member tapped a notification; show this app path (checked again). */
  | { readonly type: 'NAVIGATE'; readonly url: string };

export type MessageType = Message['type'];

const TYPES: ReadonlySet<string> = new Set<MessageType>([
  'SKIP_WAITING',
  'SIGNED_OUT',
  'REPLAY_OUTBOX',
  'PUSH_RECEIVED',
  'NAVIGATE',
]);

/** Structured-clone data arrives untyped: check its shape before trusting it. */
export function isMessage(data: unknown): data is Message {
  if (typeof data !== 'object' || data === null) return false;
  const type: unknown = (data as { type?: unknown }).type;
  if (typeof type !== 'string' || !TYPES.has(type)) return false;
  return type !== 'NAVIGATE' || typeof (data as { url?: unknown }).url === 'string';
}

/** The Background Sync tag the page registers when writes wait in the outbox, and the SW answers. */
export const OUTBOX_SYNC_TAG = 'ehb-outbox';
