/**
 * The last answer of a personal read (my meetings, my programs, my threads), kept in the app's
 * database so that the screens open with no signal: a member in a "vùng lõm sóng" must still see
 * when and where the meeting is, and check in. Sign-out deletes the database, and these with it.
 */
import { NetworkError } from '../../shared/problem';
import { appDb } from '../storage';

export interface Fresh<T> {
  readonly value: T;
  /** Read from the phone because the server could not be reached: when it was fetched. */
  readonly savedAt: number | null;
}

interface Saved {
  readonly value: unknown;
  readonly savedAt: number;
}

const PREFIX = 'cache:';

/** What the meta store holds: the answer and when it was fetched (anything else is not ours). */
export function asSaved(stored: unknown): Saved | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const { value, savedAt } = stored as Partial<Saved>;
  return typeof savedAt === 'number' && value !== undefined ? { value, savedAt } : null;
}

/**
 * Ask the server; keep the answer. With no network, answer what was kept (and when), or fail as the
 * request did. Any other failure (403, 404) is the server's word and is not hidden behind old data.
 */
export async function readThrough<T>(key: string, load: () => Promise<T>): Promise<Fresh<T>> {
  try {
    const value = await load();
    // A copy that cannot be kept (no IndexedDB in a private window) costs only the offline view.
    await appDb()
      .then((db) => db.put('meta', { value, savedAt: Date.now() }, PREFIX + key))
      .catch(() => undefined);
    return { value, savedAt: null };
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    const saved = asSaved(await appDb().then((db) => db.get('meta', PREFIX + key), () => undefined));
    if (!saved) throw error;
    return { value: saved.value as T, savedAt: saved.savedAt };
  }
}
