/** Small pieces shared by the meetings, feedback and study screens. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { LoadFailure } from '../components/LoadFailure';
import { useLoad } from '../components/useLoad';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { outboxState } from '../outbox';
import { me } from '../session';
import type { QueuedWrite } from '../storage';
import { readThrough, type Fresh } from './cache';
import { RefusedWrite } from './writes';

/** A failed write or read, in the member's language (the server's own reason when it refused). */
export function explain(error: unknown): string {
  if (error instanceof RefusedWrite) return error.detail || t('error.generic');
  return describeError(error);
}

/** Writes of one kind about one thing, still waiting in the outbox (oldest first). */
export function pendingWrites(kind: string, ref?: string): readonly QueuedWrite[] {
  return outboxState.value.pending.filter((write) => write.kind === kind && (ref === undefined || write.ref === ref));
}

/** Whether the signed-in member holds one of `roles` anywhere (the server checks the scope). */
export function holdsRole(...roles: readonly string[]): boolean {
  return (me.value?.roles ?? []).some((grant) => roles.includes(grant.role));
}

export const LEADERS = ['secretary', 'deputy_secretary'] as const;
export const REGISTER_READERS = ['secretary', 'deputy_secretary', 'officer', 'admin'] as const;
export const FEEDBACK_STAFF = ['secretary', 'deputy_secretary', 'officer', 'moderator', 'admin'] as const;

/**
 * Load a personal read through the phone's copy (see cache.ts); `reload` asks again, e.g. after a
 * write was sent, and a settled write of the outbox also refreshes what is on screen.
 */
export function useFresh<T>(key: string, load: () => Promise<T>, deps: readonly unknown[] = []) {
  const [round, setRound] = useState(0);
  const sent = outboxState.value.sent;
  const state = useLoad<Fresh<T>>(() => readThrough(key, load), [key, round, sent, ...deps]);
  return { ...state, reload: () => setRound((value) => value + 1) };
}

/** "Shown from the phone, as of ...": the answer is not fresh because there is no signal. */
export function StaleNote({ savedAt }: { readonly savedAt: number | null }) {
  if (savedAt === null) return null;
  return (
    <p class="notice" role="status">
      {t('life.stale', { time: formatDateTime(savedAt) })}
    </p>
  );
}

/** While nothing came yet: the loading line, or why it failed. */
export function Waiting({ loading, error, onRetry }: { readonly loading: boolean; readonly error: unknown; readonly onRetry?: () => void }) {
  if (loading) {
    return (
      <p class="loading" role="status">
        {t('app.loading')}
      </p>
    );
  }
  return <LoadFailure error={error} {...(onRetry && { onRetry })} />;
}

/** A status line that screen readers announce when it changes (sent, waiting, refused). */
export function Said({ tone, children }: { readonly tone: 'ok' | 'wait' | 'error' | 'none'; readonly children?: ComponentChildren }) {
  return (
    <div class={`said said-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** The state of one write the member just made: sent, waiting for a signal, or refused. */
export type WriteState = { readonly tone: 'ok' | 'wait' | 'error' | 'none'; readonly text: string };
export const QUIET: WriteState = { tone: 'none', text: '' };
