import { useState } from 'preact/hooks';
import { NetworkError } from '../../shared/problem';
import { Alert } from '../components/Alert';
import { OutboxStatus } from '../components/OutboxStatus';
import { Page } from '../components/Page';
import { SyncStatus } from '../components/SyncStatus';
import { describeError } from '../errors';
import { t } from '../i18n';
import { BranchLifeBlock } from '../life/HomeBlock';
import { outboxState } from '../outbox';
import { paths } from '../router';
import { me, signOut, unconfirmed } from '../session';

function SignOut() {
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

export function Home() {
  const member = me.value;
  if (!member) return null;
  return (
    <Page heading={t('home.greeting', { name: member.display_name })} title={t('home.title')}>
      {unconfirmed.value && <p class="notice">{t('home.unconfirmed')}</p>}
      <dl class="facts">
        <div>
          <dt>{t('home.branch')}</dt>
          <dd>{member.branch_name ?? t('home.noBranch')}</dd>
        </div>
        {member.card_number && (
          <div>
            <dt>{t('home.cardNumber')}</dt>
            <dd>{member.card_number}</dd>
          </div>
        )}
      </dl>
      <a class="button" href={paths.handbook}>
        {t('home.openHandbook')}
      </a>
      <BranchLifeBlock />
      <SyncStatus />
      <OutboxStatus />
      <SignOut />
    </Page>
  );
}
