import { useEffect, useState } from 'preact/hooks';
import { call } from '../../shared/api';
import { LoadFailure } from '../components/LoadFailure';
import { Page } from '../components/Page';
import { useLoad } from '../components/useLoad';
import { t, type MessageKey } from '../i18n';
import { canAdminister, canManageAccess, canReadRegister } from '../roles';
import { links, paths } from '../router';
import { me } from '../session';
import { Loading, StaffGate } from './Gate';
import { AccessPanel } from './MemberAccess';
import { RolesPanel } from './MemberRoles';
import { appendPage, filterMembers, formatCalendarDate, withoutCitizenId, type Member, type MemberView } from './members';

const PAGE_SIZE = 100;

const STATUS: Readonly<Record<Member['status'], MessageKey>> = {
  active: 'members.status.active',
  transferred_out: 'members.status.transferred_out',
  deceased: 'members.status.deceased',
  removed: 'members.status.removed',
};

function MemberList() {
  const [items, setItems] = useState<MemberView[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [started, setStarted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [query, setQuery] = useState('');

  function load(after: string | null): void {
    setBusy(true);
    setFailure(null);
    call('get', '/api/v1/members', { query: { limit: PAGE_SIZE, after: after ?? undefined } })
      .then((page) => {
        const shown = page.items.map(withoutCitizenId);
        setItems((previous) => (after === null ? shown : appendPage(previous, shown)));
        setNext(page.next_cursor);
        setStarted(true);
      })
      .catch((error: unknown) => setFailure(error))
      .finally(() => setBusy(false));
  }

  useEffect(() => load(null), []);

  const found = filterMembers(items, query);
  return (
    <Page heading={t('members.title')}>
      <p>{t('members.intro')}</p>
      <form class="form" role="search" noValidate onSubmit={(event) => event.preventDefault()}>
        <div class="field">
          <label for="members-query">{t('members.search')}</label>
          <p class="field-hint" id="members-query-hint">
            {t('members.searchHint', { count: items.length })}
          </p>
          <div class="field-row">
            <input
              id="members-query"
              type="search"
              aria-describedby="members-query-hint"
              value={query}
              onInput={(event) => setQuery(event.currentTarget.value)}
            />
          </div>
        </div>
      </form>
      {!started && busy && <Loading />}
      {failure !== null && <LoadFailure error={failure} onRetry={() => load(started ? next : null)} />}
      {started && (
        <p role="status">{query.trim() ? t('members.found', { count: found.length }) : t('members.loaded', { count: items.length })}</p>
      )}
      <ul class="cards">
        {found.map((member) => (
          <li key={member.id}>
            <a class="card" href={links.memberCard(member.id)}>
              <span class="card-title">{member.full_name}</span>
              <span class="card-meta">
                {t('members.rowMeta', { card: member.card_number, branch: member.branch_name })}
              </span>
              <span class="card-meta">
                {t(member.activated ? 'members.activated' : 'members.notActivated')}
                {member.status !== 'active' && ` · ${t(STATUS[member.status])}`}
              </span>
            </a>
          </li>
        ))}
      </ul>
      {next !== null && (
        <button type="button" class="button button-secondary" disabled={busy} onClick={() => load(next)}>
          {busy ? t('app.loading') : t('members.more')}
        </button>
      )}
    </Page>
  );
}

function Fact({ label, value }: { readonly label: MessageKey; readonly value: string }) {
  return (
    <div>
      <dt>{t(label)}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function MemberCard({ memberId }: { readonly memberId: string }) {
  const [version, setVersion] = useState(0);
  const loaded = useLoad(
    () => call('get', '/api/v1/members/{member_id}', { path: { member_id: memberId } }).then(withoutCitizenId),
    [memberId, version],
  );
  const member = loaded.data;
  const back = (
    <p>
      <a href={paths.members}>{t('members.back')}</a>
    </p>
  );
  if (!member) {
    return (
      <Page heading={t('members.card')} before={back}>
        {loaded.loading ? <Loading /> : <LoadFailure error={loaded.error} onRetry={() => setVersion((v) => v + 1)} />}
      </Page>
    );
  }
  return (
    <Page heading={member.full_name} title={t('members.card')} before={back}>
      <dl class="facts">
        <Fact label="members.cardNumber" value={member.card_number} />
        <Fact label="members.branch" value={`${member.branch_name} (${member.branch_code})`} />
        <Fact label="members.position" value={member.position || '—'} />
        <Fact label="members.birth" value={formatCalendarDate(member.date_of_birth)} />
        <Fact label="members.gender" value={t(member.gender === 'male' ? 'members.male' : 'members.female')} />
        <Fact label="members.phone" value={member.phone ?? '—'} />
        <Fact label="members.email" value={member.email ?? '—'} />
        <Fact label="members.joined" value={formatCalendarDate(member.joined_on)} />
        <Fact
          label="members.official"
          value={member.probationary ? t('members.probationary') : formatCalendarDate(member.official_on)}
        />
        <Fact label="members.statusLabel" value={t(STATUS[member.status])} />
        <Fact label="members.account" value={t(member.activated ? 'members.activated' : 'members.notActivated')} />
      </dl>
      {canManageAccess(me.value) && <AccessPanel member={member} onChanged={() => setVersion((v) => v + 1)} />}
      {canAdminister(me.value) && <RolesPanel member={member} />}
    </Page>
  );
}

/** The register in the caller's scope, searchable over the pages fetched. */
export function MembersScreen() {
  return (
    <StaffGate heading={t('members.title')} allowed={canReadRegister} forbidden="members.forbidden">
      <MemberList />
    </StaffGate>
  );
}

/** One member's card, with access management (secretaries, deputies, admins) and role grants (admins). */
export function MemberCardScreen({ memberId }: { readonly memberId: string }) {
  return (
    <StaffGate heading={t('members.card')} allowed={canReadRegister} forbidden="members.forbidden">
      <MemberCard memberId={memberId} />
    </StaffGate>
  );
}
