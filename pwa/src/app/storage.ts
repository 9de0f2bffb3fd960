/**
 * The app's IndexedDB database. Issue 6 grows the schema (handbook, notices for offline reading);
 * the shell only needs to be able to throw it away on sign-out.
 */
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { clearPersonalCaches } from '../shared/personal-data';

export const DB_NAME = 'ehandbook';
const DB_VERSION = 1;

export interface AppDb extends DBSchema {
  /** Small key-value facts about the signed-in member's device state. */
  meta: { key: string; value: unknown };
}

let opened: Promise<IDBPDatabase<AppDb>> | null = null;

export function appDb(): Promise<IDBPDatabase<AppDb>> {
  opened ??= openDB<AppDb>(DB_NAME, DB_VERSION, {
    upgrade(db) {
      db.createObjectStore('meta');
    },
    // Another tab wants to upgrade or delete the database: let go, or sign-out there would hang.
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
      opened = null;
    },
  });
  return opened;
}

/** Wait at most `ms` for `work`; sign-out must not hang on a database another tab keeps open. */
function atMost(ms: number, work: Promise<unknown>): Promise<void> {
  return Promise.race([work.then(() => undefined), new Promise<void>((done) => setTimeout(done, ms))]);
}

/** Remove everything personal kept on this device: the database and the personal caches. */
export async function clearLocalData(): Promise<void> {
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
