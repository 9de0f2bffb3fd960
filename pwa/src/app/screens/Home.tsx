import { OutboxStatus } from '../components/OutboxStatus';
import { Page } from '../components/Page';
import { PushPrompt } from '../components/PushPrompt';
import { SignOut } from '../components/SignOut';
import { SyncStatus } from '../components/SyncStatus';
import { t } from '../i18n';
import { BranchLifeBlock } from '../life/HomeBlock';
import { HomeInbox, HomeNotices } from '../notices/HomeNotices';
import { canPostNotices } from '../roles';
import { paths } from '../router';
import { me, unconfirmed } from '../session';

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
      <PushPrompt />
      <BranchLifeBlock />
      <SyncStatus />
      <OutboxStatus />
      <SignOut />
    </Page>
  );
}
