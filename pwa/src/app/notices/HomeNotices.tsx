import { useEffect } from 'preact/hooks';
import { CardsPlaceholder } from '../components/CardsPlaceholder';
import { CountBadge } from '../components/TabBar';
import { t } from '../i18n';
import { inboxUnread } from '../notifications/inbox';
import { paths } from '../router';
import { highlights } from './feed';
import { NoticeCard } from './NoticeCard';
import { loadKeptFeed, noticeFeed } from './store';

const HOME_NOTICES = 3;

/** On home: pinned and new notices (from the phone at once, refreshed by notifications/live.ts). */
export function HomeNotices() {
  useEffect(() => void loadKeptFeed(), []);
  const feed = noticeFeed.value;
  const shown = feed ? highlights(feed.items, HOME_NOTICES) : [];
  return (
    <section class="group" aria-labelledby="home-notices">
      <h2 id="home-notices">
        {t('home.notices')} <CountBadge count={feed?.unread ?? 0} />
      </h2>
      {feed === null && <CardsPlaceholder count={HOME_NOTICES} tall />}
      {feed && shown.length === 0 && <p>{t('home.noNotices')}</p>}
      {shown.length > 0 && (
        <ul class="cards">
          {shown.map((notice) => (
            <li key={notice.id}>
              <NoticeCard notice={notice} />
            </li>
          ))}
        </ul>
      )}
      <a class="button button-secondary" href={paths.notices}>
        {t('home.allNotices')}
      </a>
    </section>
  );
}

/** On home: how many notifications wait in the inbox. */
export function HomeInbox() {
  const unread = inboxUnread.value ?? 0;
  return (
    <section class="group" aria-labelledby="home-inbox">
      <h2 id="home-inbox">
        {t('home.inbox')} <CountBadge count={unread} />
      </h2>
      <p>{unread > 0 ? t('home.inboxUnread', { count: unread > 99 ? '99+' : unread }) : t('home.inboxNone')}</p>
      <a class="button button-secondary" href={paths.inbox}>
        {t('home.openInbox')}
      </a>
    </section>
  );
}
