import { useState } from 'preact/hooks';
import type { OfflineSection } from '../../shared/handbook-types';
import { ACK_KIND, acknowledge, ackState, ackVersion, readAck } from '../handbook/acknowledge';
import { t } from '../i18n';
import { outboxState } from '../outbox';
import { Alert } from './Alert';
import { useLoad } from './useLoad';

/** "Tôi đã đọc và nắm được nội dung", for a section that asks for it; works with no signal. */
export function AckPanel({ section }: { readonly section: OfflineSection }) {
  const record = useLoad(() => readAck(section.id), [section.id, ackVersion.value]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const refused = outboxState.value.failed.find((write) => write.kind === ACK_KIND && write.ref === section.id);
  const state = record.loading && record.data === undefined ? null : ackState(record.data, section.id, section.ack_hash);

  function confirm(): void {
    setBusy(true);
    setError('');
    acknowledge(section)
      .catch(() => setError(t('error.generic')))
      .finally(() => setBusy(false));
  }

  return (
    <section class="ack" aria-labelledby="ack-title">
      <h2 id="ack-title">{t('ack.title')}</h2>
      <div role="status">
        {state === 'done' && <p class="ack-done">{t('ack.done')}</p>}
        {state === 'pending' && <p class="ack-done">{t('ack.pending')}</p>}
      </div>
      {state === 'none' && (
        <>
          <p>{t('ack.prompt')}</p>
          {refused && <p class="ack-refused">{t('ack.refused', { detail: refused.detail || t('error.generic') })}</p>}
          <button type="button" class="button" disabled={busy} onClick={confirm}>
            {busy ? t('ack.sending') : t('ack.button')}
          </button>
        </>
      )}
      <Alert message={error} />
    </section>
  );
}
