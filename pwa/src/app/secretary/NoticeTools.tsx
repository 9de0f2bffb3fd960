/** On the "who has read it" screen: the push funnel per branch, and withdrawing the notice (confirmed first). */
import { useState } from 'preact/hooks';
import { call, type Schemas } from '../../shared/api';
import { ApiError } from '../../shared/problem';
import { Alert } from '../components/Alert';
import { LoadFailure } from '../components/LoadFailure';
import { useLoad } from '../components/useLoad';
import { describeError } from '../errors';
import { t } from '../i18n';
import { canWithdraw, funnel, MAX_WITHDRAW_REASON, withdrawRequest } from './withdraw';

type Notice = Schemas['Notice'];
type BranchDelivery = Schemas['BranchDelivery'];

function FunnelRow({ row }: { readonly row: BranchDelivery }) {
  return (
    <span class="funnel">
      {funnel(row).map((step) => (
        <span key={step.step}>
          {t(`delivery.${step.step}`)}: <strong>{step.count}</strong>
          {step.percent !== null && ` (${step.percent}%)`}
        </span>
      ))}
    </span>
  );
}

export function Delivery({ noticeId }: { readonly noticeId: string }) {
  const { data, error, loading } = useLoad(() => call('get', '/api/v1/notices/{notice_id}/delivery', { path: { notice_id: noticeId } }), [noticeId]);
  return (
    <section class="group" aria-labelledby="delivery-title">
      <h2 id="delivery-title">{t('delivery.title')}</h2>
      {!data ? (
        loading ? (
          <p class="loading" role="status">
            {t('app.loading')}
          </p>
        ) : (
          <LoadFailure error={error} />
        )
      ) : data.total.targeted === 0 ? (
        <p>{t('delivery.none')}</p>
      ) : (
        <>
          <p class="field-hint">{t('delivery.hint')}</p>
          <ul class="plain-list">
            <li class="receipt-row">
              <strong>{t('delivery.total')}</strong>
              <FunnelRow row={data.total} />
            </li>
            {data.branches.map((branch) => (
              <li key={branch.unit_id ?? branch.code} class="receipt-row">
                <strong>{branch.name}</strong>
                <FunnelRow row={branch} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function Withdraw({ notice, onWithdrawn }: { readonly notice: Notice; readonly onWithdrawn: (notice: Notice) => void }) {
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  if (notice.state === 'withdrawn') return <p class="notice">{t('withdraw.already')}</p>;
  if (!canWithdraw(notice)) return null;

  function withdraw(): void {
    setBusy(true);
    setError('');
    call('post', '/api/v1/notices/{notice_id}/withdraw', { path: { notice_id: notice.id }, body: withdrawRequest(notice, reason) })
      .then((withdrawn) => {
        setConfirming(false);
        onWithdrawn(withdrawn);
      })
      .catch((failure: unknown) => {
        setConfirming(false);
        setError(failure instanceof ApiError && failure.status === 409 ? t('withdraw.stale') : describeError(failure));
      })
      .finally(() => setBusy(false));
  }

  return (
    <details class="panel">
      <summary>{t('withdraw.title')}</summary>
      <form
        class="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setConfirming(true);
        }}
      >
        <p class="field-hint">{t('withdraw.hint')}</p>
        <div class="field">
          <label for="withdraw-reason">{t('withdraw.reason')}</label>
          <textarea
            id="withdraw-reason"
            rows={2}
            maxLength={MAX_WITHDRAW_REASON}
            value={reason}
            onInput={(event) => {
              setReason(event.currentTarget.value);
              setConfirming(false);
            }}
          />
        </div>
        {confirming ? (
          <div class="notice" role="alert">
            <p>{t('withdraw.confirm', { title: notice.title })}</p>
            <div class="actions">
              <button type="button" class="button" disabled={busy} onClick={withdraw}>
                {busy ? t('withdraw.working') : t('withdraw.yes')}
              </button>
              <button type="button" class="button button-secondary" disabled={busy} onClick={() => setConfirming(false)}>
                {t('withdraw.no')}
              </button>
            </div>
          </div>
        ) : (
          <button type="submit" class="button button-secondary">
            {t('withdraw.ask')}
          </button>
        )}
        <Alert message={error} />
      </form>
    </details>
  );
}

/** The notice itself (for its state and revision), then what can be done with it. */
export function NoticeTools({ noticeId }: { readonly noticeId: string }) {
  const { data, error } = useLoad(() => call('get', '/api/v1/notices/{notice_id}', { path: { notice_id: noticeId } }), [noticeId]);
  const [changed, setChanged] = useState<Notice | null>(null);
  const notice = changed ?? data;
  return (
    <>
      <Delivery noticeId={noticeId} />
      {notice ? (
        <>
          {changed && (
            <p role="status" class="said said-ok">
              {t('withdraw.done')}
            </p>
          )}
          <Withdraw notice={notice} onWithdrawn={setChanged} />
        </>
      ) : (
        error !== undefined && error !== null && <LoadFailure error={error} />
      )}
    </>
  );
}
