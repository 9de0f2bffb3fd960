import { useState } from 'preact/hooks';
import { call, type Schemas } from '../../shared/api';
import { Alert } from '../components/Alert';
import { LoadFailure } from '../components/LoadFailure';
import { useLoad } from '../components/useLoad';
import { describeError } from '../errors';
import { t } from '../i18n';
import { Loading } from './Gate';
import { grantsOf, namesakes, ROLE_LABELS, ROLES, unitAllowed, type MemberView, type Role, type RoleGrant } from './members';

type OrgUnit = Schemas['OrgUnit'];

/** The member's branch and the units above it, top first: where a role for this member can be granted. */
async function unitsAbove(branchId: number): Promise<OrgUnit[]> {
  const branch = await call('get', '/api/v1/org/units/{unit_id}', { path: { unit_id: branchId } });
  const above = branch.path.filter((id) => id !== branch.id);
  const parents = await Promise.all(above.map((id) => call('get', '/api/v1/org/units/{unit_id}', { path: { unit_id: id } })));
  return [...parents, branch];
}

function GrantRow({ grant, onRevoked }: { readonly grant: RoleGrant; readonly onRevoked: () => void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const role = t(ROLE_LABELS[grant.role]);

  function revoke(): void {
    setBusy(true);
    setError('');
    call('delete', '/api/v1/role-grants/{grant_id}', { path: { grant_id: grant.id } })
      .then(onRevoked)
      .catch((failure: unknown) => {
        setError(describeError(failure));
        setBusy(false);
      });
  }

  return (
    <li class="card">
      <span class="card-title-plain">{t('roles.grantLine', { role, unit: grant.unit_name })}</span>
      <span class="card-meta">{grant.display_name}</span>
      {asking ? (
        <div role="group" aria-labelledby={`revoke-${grant.id}`}>
          <p id={`revoke-${grant.id}`}>{t('roles.revokeConfirm', { role, unit: grant.unit_name })}</p>
          <div class="actions">
            <button type="button" class="button" disabled={busy} onClick={revoke}>
              {busy ? t('roles.working') : t('roles.revokeYes')}
            </button>
            <button type="button" class="button button-secondary" disabled={busy} onClick={() => setAsking(false)}>
              {t('roles.revokeNo')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" class="button button-secondary button-small" onClick={() => setAsking(true)}>
          {t('roles.revoke', { role })}
        </button>
      )}
      <Alert message={error} />
    </li>
  );
}

function GrantForm({ member, onGranted }: { readonly member: MemberView; readonly onGranted: (grant: RoleGrant) => void }) {
  const units = useLoad(() => unitsAbove(member.branch_id), [member.branch_id]);
  const [role, setRole] = useState<Role>('moderator');
  const [unitId, setUnitId] = useState<number>(member.branch_id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const choices = (units.data ?? []).filter((unit) => unitAllowed(role, unit.kind));

  function grant(): void {
    const unit = choices.find((choice) => choice.id === unitId) ?? choices[choices.length - 1];
    if (!unit) {
      setError(t('roles.noUnit'));
      return;
    }
    setBusy(true);
    setError('');
    call('post', '/api/v1/role-grants', { body: { role, unit_id: unit.id, member_id: member.id } })
      .then(onGranted)
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  }

  if (units.data === undefined) return units.loading ? <Loading /> : <LoadFailure error={units.error} />;
  return (
    <form
      class="form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        grant();
      }}
    >
      <h3>{t('roles.grantTitle')}</h3>
      <div class="field">
        <label for="grant-role">{t('roles.role')}</label>
        <div class="field-row">
          <select id="grant-role" value={role} onChange={(event) => setRole(event.currentTarget.value as Role)}>
            {ROLES.map((choice) => (
              <option key={choice} value={choice}>
                {t(ROLE_LABELS[choice])}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="field">
        <label for="grant-unit">{t('roles.unit')}</label>
        <p class="field-hint" id="grant-unit-hint">{t('roles.unitHint')}</p>
        <div class="field-row">
          <select
            id="grant-unit"
            aria-describedby="grant-unit-hint"
            value={String(choices.some((unit) => unit.id === unitId) ? unitId : (choices[choices.length - 1]?.id ?? ''))}
            onChange={(event) => setUnitId(Number(event.currentTarget.value))}
          >
            {choices.map((unit) => (
              <option key={unit.id} value={String(unit.id)}>
                {unit.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Alert message={error} />
      <button type="submit" class="button" disabled={busy}>
        {busy ? t('roles.working') : t('roles.grant')}
      </button>
    </form>
  );
}

/** An admin's view of a member's roles: the grants, each revocable after a confirmation, and a form to grant one. */
export function RolesPanel({ member }: { readonly member: MemberView }) {
  const [version, setVersion] = useState(0);
  // A Member has no account id; a grant made here tells it, and from then on grants are matched by it.
  const [accountId, setAccountId] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const all = useLoad(() => call('get', '/api/v1/role-grants'), [version]);
  const mine = all.data ? grantsOf(all.data, member, accountId) : [];

  return (
    <section class="group" aria-labelledby="roles-title">
      <h2 id="roles-title">{t('roles.title')}</h2>
      <p role="status">{notice}</p>
      {all.data === undefined ? (
        all.loading ? <Loading /> : <LoadFailure error={all.error} onRetry={() => setVersion((v) => v + 1)} />
      ) : mine.length === 0 ? (
        <p>{t('roles.none')}</p>
      ) : (
        <>
          {accountId === null && namesakes(mine) && <p class="notice">{t('roles.namesakes')}</p>}
          <ul class="cards">
            {mine.map((grant) => (
              <GrantRow
                key={grant.id}
                grant={grant}
                onRevoked={() => {
                  setNotice(t('roles.revoked', { role: t(ROLE_LABELS[grant.role]), unit: grant.unit_name }));
                  setVersion((v) => v + 1);
                }}
              />
            ))}
          </ul>
        </>
      )}
      <GrantForm
        member={member}
        onGranted={(grant) => {
          setAccountId(grant.account_id);
          setNotice(t('roles.granted', { role: t(ROLE_LABELS[grant.role]), unit: grant.unit_name }));
          setVersion((v) => v + 1);
        }}
      />
    </section>
  );
}
