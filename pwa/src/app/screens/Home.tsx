import { useEffect, useState } from 'preact/hooks';
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

/**
 * False for the first paint, true right after. Home's lower blocks (inbox, branch life, sync state...)
 * are below the fold on a phone: rendering them in the same task as the top made one long task of the
 * first screen; drawn a frame later they add nothing above them and shift nothing.
 */
function useAfterFirstPaint(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setPainted(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return painted;
}

export function Home() {
  // The server usually confirms the remembered member within a moment: saying "offline" at once and
  // taking it back would flash a line and shift the whole screen under the member's thumb.
  const offlineForAWhile = useDelayed(unconfirmed.value, UNCONFIRMED_NOTICE_MS);
  const painted = useAfterFirstPaint();
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
      {painted && (
        <>
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
        </>
      )}
    </Page>
  );
}
