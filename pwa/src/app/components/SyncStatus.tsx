import { formatDateTime } from '../format';
import { syncHandbook, syncState, lastSyncedAt, type SyncState } from '../handbook/sync';
import { t, type MessageKey } from '../i18n';

const LABELS: Readonly<Record<SyncState, MessageKey>> = {
  upToDate: 'sync.upToDate',
  updating: 'sync.updating',
  outOfDate: 'sync.outOfDate',
};

/** "Đã cập nhật / Đang cập nhật / Chưa cập nhật", when, and a button to try now. */
export function SyncStatus() {
  const state = syncState.value;
  const at = lastSyncedAt.value;
  return (
    <section class={`sync sync-${state}`} aria-label={t('sync.label')}>
      <p class="sync-line" role="status">
        <strong class="sync-state">{t(LABELS[state])}</strong>
        <span class="sync-time">{at === null ? t('sync.never') : t('sync.lastAt', { time: formatDateTime(at) })}</span>
      </p>
      {state !== 'upToDate' && (
        <button type="button" class="button button-small button-quiet" disabled={state === 'updating'} onClick={() => void syncHandbook()}>
          {t('sync.now')}
        </button>
      )}
    </section>
  );
}
