import { useState } from 'preact/hooks';
import { NetworkError } from '../../shared/problem';
import { describeError } from '../errors';
import { t } from '../i18n';
import { outboxState } from '../outbox';
import { signOut } from '../session';
import { Alert } from './Alert';

/** "Đăng xuất", asked twice, warning about writes that would be lost. */
export function SignOut() {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  function confirm(): void {
    setBusy(true);
    setError('');
    signOut().catch((failure: unknown) => {
      setError(failure instanceof NetworkError ? t('error.signOutOffline') : describeError(failure));
      setBusy(false);
    });
  }

  return (
    <section class="aside" aria-label={t('home.signOut')}>
      {confirming ? (
        <>
          <p>{t('home.signOutConfirm')}</p>
          {outboxState.value.pending.length > 0 && (
            <p class="notice">{t('home.signOutPending', { count: outboxState.value.pending.length })}</p>
          )}
          <div class="actions">
            <button type="button" class="button" disabled={busy} onClick={confirm}>
              {busy ? t('home.signingOut') : t('home.signOutYes')}
            </button>
            <button type="button" class="button button-secondary" disabled={busy} onClick={() => setConfirming(false)}>
              {t('home.signOutNo')}
            </button>
          </div>
        </>
      ) : (
        <button type="button" class="button button-secondary" onClick={() => setConfirming(true)}>
          {t('home.signOut')}
        </button>
      )}
      <Alert message={error} />
    </section>
  );
}
