import { useState } from 'preact/hooks';
import { call } from '../../shared/api';
import { Alert } from '../components/Alert';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { accessOffers, splitSheet, type ActivationCode, type MemberView } from './members';

type Step = { readonly kind: 'idle' } | { readonly kind: 'confirm'; readonly what: 'issue' | 'reset' };

/** A code to read out or print, shown once: it lives only in this panel's state, never stored. */
function CodeShown({ code, heading }: { readonly code: ActivationCode; readonly heading: string }) {
  return (
    <section class="group" aria-labelledby="code-shown">
      <h3 id="code-shown">{heading}</h3>
      <dl class="facts">
        <div>
          <dt>{t('activate.cardNumber')}</dt>
          <dd>{code.card_number}</dd>
        </div>
        <div>
          <dt>{t('activate.code')}</dt>
          <dd>{code.code}</dd>
        </div>
        <div>
          <dt>{t('access.expires')}</dt>
          <dd>{formatDateTime(Date.parse(code.expires_at))}</dd>
        </div>
      </dl>
      <p class="notice">{t('access.onlyOnce')}</p>
    </section>
  );
}

function OthersSheet({ codes, branch }: { readonly codes: readonly ActivationCode[]; readonly branch: string }) {
  if (codes.length === 0) return null;
  // Folded by default: the branch's other codes are for printing, not for reading out on this screen.
  return (
    <details class="panel" id="access-sheet">
      <summary>{t('access.othersCaption', { branch, count: codes.length })}</summary>
      <div class="table-scroll">
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">{t('members.cardNumber')}</th>
              <th scope="col">{t('access.name')}</th>
              <th scope="col">{t('activate.code')}</th>
            </tr>
          </thead>
          <tbody>
            {codes.map((code) => (
              <tr key={code.member_id}>
                <td>{code.card_number}</td>
                <td class="wide">{code.full_name}</td>
                <td>{code.code}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** Print this member's code with the branch's others (unfolded first, or they would not be printed). */
function printSheet(): void {
  const sheet = document.getElementById('access-sheet');
  if (sheet instanceof HTMLDetailsElement) sheet.open = true;
  window.print();
}

/**
 * New activation codes and access resets, each asked for and then confirmed. IssueActivationCodes works on
 * a whole branch (every member not yet activated gets a new code), so the confirmation says so and the
 * branch's other codes are shown below this member's, ready to print.
 */
export function AccessPanel({ member, onChanged }: { readonly member: MemberView; readonly onChanged: () => void }) {
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [shown, setShown] = useState<{ code: ActivationCode | null; others: ActivationCode[]; reset: boolean } | null>(null);
  const offers = accessOffers(member);

  function run(what: 'issue' | 'reset'): void {
    setBusy(true);
    setError('');
    const done =
      what === 'issue'
        ? call('post', '/api/v1/org/units/{unit_id}/activation-codes', { path: { unit_id: member.branch_id } }).then((sheet) => {
            const { mine, others } = splitSheet(sheet, member.id);
            setShown({ code: mine, others, reset: false });
          })
        : call('post', '/api/v1/members/{member_id}/reset-access', { path: { member_id: member.id } }).then((code) =>
            setShown({ code, others: [], reset: true }),
          );
    done
      .then(() => {
        setStep({ kind: 'idle' });
        onChanged();
      })
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  }

  return (
    <section class="group" aria-labelledby="access-title">
      <h2 id="access-title">{t('access.title')}</h2>
      {!offers.issue && !offers.reset && <p>{t('access.notActive')}</p>}
      {step.kind === 'idle' && (
        <div class="actions">
          {offers.issue && (
            <button type="button" class="button" onClick={() => setStep({ kind: 'confirm', what: 'issue' })}>
              {t('access.issue')}
            </button>
          )}
          {offers.reset && (
            <button type="button" class="button button-secondary" onClick={() => setStep({ kind: 'confirm', what: 'reset' })}>
              {t('access.reset')}
            </button>
          )}
        </div>
      )}
      {step.kind === 'confirm' && (
        <div class="notice" role="group" aria-labelledby="access-confirm">
          <p id="access-confirm">
            {step.what === 'issue'
              ? t('access.issueConfirm', { branch: member.branch_name })
              : t('access.resetConfirm', { name: member.full_name })}
          </p>
          <div class="actions">
            <button type="button" class="button" disabled={busy} onClick={() => run(step.what)}>
              {busy ? t('access.working') : t(step.what === 'issue' ? 'access.issueYes' : 'access.resetYes')}
            </button>
            <button type="button" class="button button-secondary" disabled={busy} onClick={() => setStep({ kind: 'idle' })}>
              {t('access.no')}
            </button>
          </div>
        </div>
      )}
      <Alert message={error} />
      {shown && (
        <>
          {shown.code ? (
            <CodeShown code={shown.code} heading={t(shown.reset ? 'access.resetDone' : 'access.issued', { name: member.full_name })} />
          ) : (
            <p class="notice">{t('access.notInSheet')}</p>
          )}
          <OthersSheet codes={shown.others} branch={member.branch_name} />
          <button type="button" class="button button-secondary" onClick={printSheet}>
            {t('access.print')}
          </button>
        </>
      )}
    </section>
  );
}
