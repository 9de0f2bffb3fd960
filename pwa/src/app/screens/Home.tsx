import { OutboxStatus } from '../components/OutboxStatus';
import { useDelayed } from '../components/useDelayed';
import { Page } from '../components/Page';
import { PushPrompt } from '../components/PushPrompt';
import { SignOut } from '../components/SignOut';
import { SyncStatus } from '../components/SyncStatus';
import { t } from '../i18n';
import { StaffBlock } from '../admin/HomeBlock';
import { BranchLifeBlock } from '../life/HomeBlock';
import { HomeInbox, HomeNotices } from '../notices/HomeNotices';
import { canPostNotices } from '../roles';
import { paths } from '../router';
import { me, unconfirmed } from '../session';

/** How long the remembered member may wait for the server before Home says it is offline. */
const UNCONFIRMED_NOTICE_MS = 2000;

export function Home() {
  // The server usually confirms the remembered member within a moment: saying "offline" at once and
  // taking it back would flash a line and shift the whole screen under the member's thumb.
  const offlineForAWhile = useDelayed(unconfirmed.value, UNCONFIRMED_NOTICE_MS);
  const member = me.value;
  if (!member) return null;
  return (
    <Page heading={t('home.greeting', { name: member.display_name })} title={t('home.title')}>
      {offlineForAWhile && <p class="notice">{t('home.unconfirmed')}</p>}
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
      <HomeNotices />
      <HomeInbox />
      {canPostNotices(member) && (
        <section class="group" aria-labelledby="home-secretary">
          <h2 id="home-secretary">{t('home.secretary')}</h2>
          <a class="button button-secondary" href={paths.secretary}>
            {t('home.openSecretary')}
          </a>
        </section>
      )}
      <StaffBlock member={member} />
      <PushPrompt />
      <BranchLifeBlock />
      <SyncStatus />
      <OutboxStatus />
      <SignOut />
    </Page>
  );
}
