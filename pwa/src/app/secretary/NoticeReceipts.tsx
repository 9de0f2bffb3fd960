import { useState } from 'preact/hooks';
import { call, type Schemas } from '../../shared/api';
import { Alert } from '../components/Alert';
import { LoadFailure } from '../components/LoadFailure';
import { Page } from '../components/Page';
import { useLoad } from '../components/useLoad';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { links, paths } from '../router';
import { SecretaryGate } from './Gate';
import { NoticeTools } from './NoticeTools';
import { remind } from './remind';

type Receipts = Schemas['NoticeReceipts'];
type BranchReceipts = Schemas['BranchReceipts'];

const percent = (value: number) => Math.round(value);

function Counts({ row, ack }: { readonly row: BranchReceipts; readonly ack: boolean }) {
  return (
    <>
      <span>{t('secretary.readCount', { read: row.read, members: row.members, percent: percent(row.read_percent) })}</span>
      <span class="meter" aria-hidden="true">
        <span style={{ width: `${Math.min(100, Math.max(0, row.read_percent))}%` }} />
      </span>
      {ack && <span>{t('secretary.ackCount', { count: row.acknowledged, members: row.members, percent: percent(row.acknowledged_percent) })}</span>}
    </>
  );
}

function RemindButton({ receipts, onSent }: { readonly receipts: Receipts; readonly onSent: () => void }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');

  function send(): void {
    setBusy(true);
    setMessage('');
    setError('');
    remind(receipts.notice_id)
      .then((outcome) => {
        if ('sent' in outcome) {
          setMessage(t('secretary.reminded', { count: outcome.sent.recipients }));
          onSent();
        } else {
          setMessage(outcome.retryAt !== null ? t('secretary.remindLater', { time: formatDateTime(outcome.retryAt) }) : t('secretary.remindLaterSoon'));
        }
      })
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  }

  return (
    <div class="group">
      {receipts.last_reminded_at && <p class="card-meta">{t('secretary.lastReminded', { time: formatDateTime(Date.parse(receipts.last_reminded_at)) })}</p>}
      <button type="button" class="button" disabled={busy} onClick={send}>
        {busy ? t('secretary.reminding') : t('secretary.remind')}
      </button>
      <p role="status">{message}</p>
      <Alert message={error} />
    </div>
  );
}

function Report({ noticeId }: { readonly noticeId: string }) {
  const [version, setVersion] = useState(0);
  const { data, error, loading } = useLoad(
    () => call('get', '/api/v1/notices/{notice_id}/receipts', { path: { notice_id: noticeId } }),
    [noticeId, version],
  );
  const back = (
    <p class="crumb">
      <a href={paths.secretary}>{t('secretary.back')}</a>
    </p>
  );
  if (!data) {
    return (
      <Page heading={t('secretary.receipts')} before={back}>
        {loading ? <p class="loading" role="status">{t('app.loading')}</p> : <LoadFailure error={error} />}
      </Page>
    );
  }
  const ack = data.requires_acknowledgement;
  return (
    <Page heading={t('secretary.receipts')} before={back}>
      <p>
        <a href={links.notice(noticeId)}>{t('secretary.openNotice')}</a>
      </p>
      <div class="facts">
        <div class="receipt-total">
          <Counts row={data.total} ack={ack} />
        </div>
      </div>
      <RemindButton receipts={data} onSent={() => setVersion(version + 1)} />
      <NoticeTools noticeId={noticeId} />
      {data.branches.length > 1 && (
        <section class="group" aria-labelledby="receipts-branches">
          <h2 id="receipts-branches">{t('secretary.branches')}</h2>
          <ul class="plain-list">
            {data.branches.map((branch) => (
              <li key={branch.unit_id ?? branch.code} class="receipt-row">
                <strong>{branch.name}</strong>
                <Counts row={branch} ack={ack} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {data.members.length > 0 && (
        <section class="group" aria-labelledby="receipts-members">
          <h2 id="receipts-members">{t('secretary.members')}</h2>
          <ul class="plain-list">
            {data.members.map((member) => (
              <li key={member.member_id} class="row-item">
                <span>{member.full_name}</span>
                <span class={member.read_at ? 'badge badge-done' : 'badge badge-todo'}>
                  {ack && member.acknowledged_at ? t('secretary.memberAcked') : member.read_at ? t('secretary.memberRead') : t('secretary.memberNotRead')}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Page>
  );
}

/** Who has read (and acknowledged) a notice, and a reminder to those who have not. */
export function NoticeReceipts({ noticeId }: { readonly noticeId: string }) {
  return (
    <SecretaryGate heading={t('secretary.receipts')}>
      <Report noticeId={noticeId} />
    </SecretaryGate>
  );
}
