/**
 * The app's IndexedDB database: the handbook kept for offline reading, bookmarks, acknowledgements,
 * the offline write queue, and small facts (sync cursor, the signed-in member). All of it is personal
 * (what a member may read depends on who they are), so sign-out deletes the whole database.
 */
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OfflineDocument, OfflineSection } from '../shared/handbook-types';
import { clearPersonalCaches } from '../shared/personal-data';

export const DB_NAME = 'ehandbook';
/** 1: meta. 2: the handbook, bookmarks, acknowledgements and the write queue. */
const DB_VERSION = 2;

export interface Bookmark {
  readonly sectionId: string;
  readonly documentId: string;
  readonly title: string;
  readonly documentTitle: string;
  readonly createdAt: number;
}

/** "I have read this" for one version (ack_hash) of a section: sent, or waiting in the outbox. */
export interface AckRecord {
  readonly sectionId: string;
  readonly ackHash: string;
  readonly at: number;
}

/** One write waiting to reach the server (see offline-queue.ts). */
export interface QueuedWrite {
  /** Queue order; given by IndexedDB when the write is stored. */
  readonly seq?: number;
  /** Sent as Idempotency-Key on every attempt: made once, when the member acted. */
  readonly key: string;
  /** What it is, for the screens: 'acknowledge', later 'feedback', 'rsvp', ... */
  readonly kind: string;
  /** What it is about (a section id, ...), so a screen can show its own pending writes. */
  readonly ref: string;
  /** What the member did, in their words, for the lists of pending and refused writes. */
  readonly label: string;
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly body: unknown;
  readonly createdAt: number;
  readonly attempts: number;
}

/** A write the server refused (a 4xx): kept to show the member why, until dismissed. */
export interface FailedWrite extends QueuedWrite {
  readonly status: number;
  readonly detail: string;
  readonly failedAt: number;
}

export interface AppDb extends DBSchema {
  /** Small key-value facts: sync cursor and time, the signed-in member, counters. */
  meta: { key: string; value: unknown };
  documents: { key: string; value: OfflineDocument };
  sections: { key: string; value: OfflineSection; indexes: { byDocument: string; byHash: string } };
  bookmarks: { key: string; value: Bookmark; indexes: { byCreated: number } };
  acks: { key: string; value: AckRecord };
  outbox: { key: number; value: QueuedWrite };
  failedWrites: { key: string; value: FailedWrite };
}

export type AppDatabase = IDBPDatabase<AppDb>;

/** Open (creating or upgrading) an app database; tests pass their own name. */
export function openAppDb(name: string, onBlocking?: () => void): Promise<AppDatabase> {
  return openDB<AppDb>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      // Each step runs once, in order, so a phone that skipped versions catches up step by step.
      if (oldVersion < 1) db.createObjectStore('meta');
      if (oldVersion < 2) {
        db.createObjectStore('documents', { keyPath: 'id' });
        const sections = db.createObjectStore('sections', { keyPath: 'id' });
        sections.createIndex('byDocument', 'document_id');
        // Key cursors over this index list every section's hash without reading the texts.
        sections.createIndex('byHash', 'content_hash');
        db.createObjectStore('bookmarks', { keyPath: 'sectionId' }).createIndex('byCreated', 'createdAt');
        db.createObjectStore('acks', { keyPath: 'sectionId' });
        db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
        db.createObjectStore('failedWrites', { keyPath: 'key' });
      }
    },
    // Another tab wants to upgrade or delete the database: let go, or sign-out there would hang.
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
      onBlocking?.();
    },
  });
}

let opened: Promise<AppDatabase> | null = null;

export function appDb(): Promise<AppDatabase> {
  opened ??= openAppDb(DB_NAME, () => {
    opened = null;
  });
  return opened;
}

/** Wait at most `ms` for `work`; sign-out must not hang on a database another tab keeps open. */
function atMost(ms: number, work: Promise<unknown>): Promise<void> {
  return Promise.race([work.then(() => undefined), new Promise<void>((done) => setTimeout(done, ms))]);
}

const clearedListeners = new Set<() => void>();

/** Forget in-memory copies of personal data (signals, search index) when the device data is cleared. */
export function onLocalDataCleared(listener: () => void): void {
  clearedListeners.add(listener);
}

/** Remove everything personal kept on this device: the database, the personal caches, memory copies. */
export async function clearLocalData(): Promise<void> {
  for (const listener of clearedListeners) listener();
  const jobs: Promise<unknown>[] = [];
  if ('caches' in globalThis) jobs.push(clearPersonalCaches(caches));
  if ('indexedDB' in globalThis) {
    const closing = opened;
    opened = null;
    jobs.push(
      (async () => {
        if (closing) (await closing.catch(() => null))?.close();
        await deleteDB(DB_NAME);
      })(),
    );
  }
  await atMost(3000, Promise.allSettled(jobs));
}
