/**
 * Keeps the handbook on the phone: GetOfflineManifest, then GetOfflineChanges since the last cursor,
 * merged into IndexedDB (merge.ts) in small transactions that give the main thread back between them,
 * then any section still missing its current text fetched alone.
 * Runs when the app opens signed in, when the network returns, and when the app comes back to the
 * front after a while. The screens read what is stored and reload when `contentVersion` moves.
 */
import { signal } from '@preact/signals';
import { api } from '../../shared/api';
import { ApiError, NetworkError } from '../../shared/problem';
import { reportSessionRejected } from '../auth-events';
import { yieldToMain } from '../idle';
import { appDb, onLocalDataCleared } from '../storage';
import { planMerge } from './merge';
import { applyPlan, CURSOR_KEY, localIndex, putSection, SYNCED_AT_KEY } from './store';

/** Đã cập nhật / Đang cập nhật / Chưa cập nhật. */
export type SyncState = 'upToDate' | 'updating' | 'outOfDate';

export const syncState = signal<SyncState>('outOfDate');
/** When the phone last held everything the server listed (ms since epoch), or null: never. */
export const lastSyncedAt = signal<number | null>(null);
/** Moves whenever the stored handbook changed, so open screens read it again. */
export const contentVersion = signal(0);

/** Past this many missing sections, asking for everything again is cheaper than one request each. */
const MISSING_LIMIT = 25;
/** Coming back to the app after this long asks the server again. */
const STALE_AFTER_MS = 15 * 60_000;

let running: Promise<void> | null = null;
let lastAttempt = 0;

async function fetchMissing(ids: readonly string[]): Promise<boolean> {
  const db = await appDb();
  for (const id of ids) {
    try {
      await putSection(db, await api.getSection(id));
    } catch (error) {
      // Removed or out of reach since the manifest: the next sync drops it from the list.
      if (error instanceof ApiError && error.status === 404) continue;
      return false;
    }
  }
  return true;
}

async function run(): Promise<void> {
  syncState.value = 'updating';
  lastAttempt = Date.now();
  try {
    const db = await appDb();
    const cursor = await db.get('meta', CURSOR_KEY);
    const since = typeof cursor === 'string' ? cursor : '0';
    const manifest = await api.offlineManifest();
    let changes = await api.offlineChanges(since);
    await yieldToMain(); // parsing a first download was one task already
    let plan = planMerge(await localIndex(db), manifest, changes);
    if (plan.missing.length > MISSING_LIMIT && since !== '0') {
      changes = await api.offlineChanges('0');
      await yieldToMain();
      plan = planMerge(await localIndex(db), manifest, changes);
    }
    let changed = await applyPlan(db, plan);
    const complete = await fetchMissing(plan.missing);
    changed ||= plan.missing.length > 0;
    if (changed) contentVersion.value += 1;
    if (complete) {
      const now = Date.now();
      await db.put('meta', now, SYNCED_AT_KEY);
      lastSyncedAt.value = now;
    }
    syncState.value = complete ? 'upToDate' : 'outOfDate';
  } catch (error) {
    syncState.value = 'outOfDate';
    if (error instanceof ApiError && error.status === 401) reportSessionRejected();
    else if (!(error instanceof NetworkError || error instanceof ApiError)) throw error;
  }
}

/** Bring the stored handbook up to date; concurrent calls share one run. Never rejects for the network. */
export function syncHandbook(): Promise<void> {
  running ??= run()
    .catch(() => {
      syncState.value = 'outOfDate'; // no IndexedDB, or it went away (sign-out in another tab)
    })
    .finally(() => {
      running = null;
    });
  return running;
}

/** Read when the phone last synced, so the status is right before the first sync of this visit ends. */
export async function loadSyncInfo(): Promise<void> {
  try {
    const at = await (await appDb()).get('meta', SYNCED_AT_KEY);
    lastSyncedAt.value = typeof at === 'number' ? at : null;
  } catch {
    lastSyncedAt.value = null;
  }
}

/** Sync again when the network returns, and when the app comes back to the front after a while. */
export function startHandbookSync(isSignedIn: () => boolean): void {
  window.addEventListener('online', () => {
    if (isSignedIn()) void syncHandbook();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible' || !isSignedIn()) return;
    if (Date.now() - lastAttempt > STALE_AFTER_MS || syncState.value === 'outOfDate') void syncHandbook();
  });
}

onLocalDataCleared(() => {
  syncState.value = 'outOfDate';
  lastSyncedAt.value = null;
  contentVersion.value += 1;
});
