import { t, type MessageKey } from '../i18n';
import { router } from '../navigation';
import { badgeText } from '../notices/feed';
import { noticesUnread } from '../notices/store';
import { paths, type RouteName } from '../router';

interface Tab {
  readonly href: string;
  readonly label: MessageKey;
  readonly routes: readonly RouteName[];
  /** A count to show on the tab (unread notices). */
  readonly count?: () => number;
}

const TABS: readonly Tab[] = [
  { href: paths.home, label: 'nav.home', routes: ['home'] },
  { href: paths.handbook, label: 'nav.handbook', routes: ['handbook', 'document', 'section', 'search', 'bookmarks'] },
  { href: paths.notices, label: 'nav.notices', routes: ['notices', 'notice'], count: () => noticesUnread.value },
  { href: paths.meetings, label: 'nav.meetings', routes: ['meetings', 'meeting', 'meetingCheckIn', 'meetingsManage', 'meetingRoll', 'study', 'studyProgram', 'studyQuiz', 'studyReview'] },
  { href: paths.feedback, label: 'nav.feedback', routes: ['feedback', 'feedbackNew', 'feedbackThread', 'faq', 'feedbackInbox'] },
];

/**
 * The main menu: plain links (the router takes them over). It comes right after the app bar in the
 * page, so keyboard and screen reader users meet it first; on an ordinary phone CSS pins it to the
 * bottom of the screen, and with very large text it stays at the top, where it never covers the text.
 */
export function TabBar() {
  const route = router.route.value;
  return (
    <nav class="tabs" aria-label={t('nav.label')}>
      <ul class="tabs-list">
        {TABS.map((tab) => {
          const current = tab.routes.includes(route);
          return (
            <li key={tab.href}>
              <a class="tab" href={tab.href} aria-current={current ? 'page' : undefined}>
                {t(tab.label)}
                <CountBadge count={tab.count?.() ?? 0} />
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** "3" on a tab or a link, read out as "3 chưa đọc" (the visible number alone says too little). */
export function CountBadge({ count }: { readonly count: number }) {
  const text = badgeText(count);
  if (!text) return null;
  return (
    <span class="count-badge">
      <span aria-hidden="true">{text}</span>
      <span class="visually-hidden">{t('nav.unread', { count: text })}</span>
    </span>
  );
}
