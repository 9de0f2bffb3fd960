import { t } from '../i18n';
import { SELF_LABELLED_KINDS } from '../life/kinds';
import { dismissFailedWrite, outboxState, replayOutbox } from '../outbox';
import type { QueuedWrite } from '../storage';

function describeWrite(write: QueuedWrite): string {
  if (write.label && SELF_LABELLED_KINDS.has(write.kind)) return write.label;
  const what = write.kind === 'acknowledge' ? t('outbox.kind.acknowledge') : t('outbox.kind.other');
  return write.label ? `${what}: ${write.label}` : what;
}

/** How many writes wait and how many were sent; the refused ones, each with the server's reason. */
export function OutboxStatus() {
  const { pending, sent, failed, sending } = outboxState.value;
  return (
    <section class="outbox" aria-labelledby="outbox-title">
      <h2 id="outbox-title">{t('outbox.title')}</h2>
      <p class="outbox-counts" role="status">
        <span>{t('outbox.pending', { count: pending.length })}</span>
        <span>{t('outbox.sent', { count: sent })}</span>
      </p>
      {pending.length > 0 && (
        <>
          <ul class="plain-list">
            {pending.map((write) => (
              <li key={write.key}>{describeWrite(write)}</li>
            ))}
          </ul>
          <p class="note">{t('outbox.waitNote')}</p>
          <button type="button" class="button button-secondary" disabled={sending} onClick={() => void replayOutbox()}>
            {sending ? t('outbox.sending') : t('outbox.sendNow')}
          </button>
        </>
      )}
      {failed.length > 0 && (
        <div class="outbox-failed">
          <h3>{t('outbox.failedTitle')}</h3>
          <ul class="plain-list">
            {failed.map((write) => (
              <li key={write.key} class="failed-write">
                <p>
                  <strong>{describeWrite(write)}</strong>
                  <br />
                  {write.detail || t('error.generic')}
                </p>
                <button
                  type="button"
                  class="button button-small button-quiet"
                  aria-label={t('outbox.dismissLabel', { label: write.label })}
                  onClick={() => void dismissFailedWrite(write.key)}
                >
                  {t('outbox.dismiss')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
