import { t, type MessageKey } from '../i18n';
import { router } from '../navigation';
import { paths, type RouteName } from '../router';

interface Tab {
  readonly href: string;
  readonly label: MessageKey;
  readonly routes: readonly RouteName[];
}

const TABS: readonly Tab[] = [
  { href: paths.home, label: 'nav.home', routes: ['home'] },
  { href: paths.handbook, label: 'nav.handbook', routes: ['handbook', 'document', 'section', 'search', 'bookmarks'] },
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
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
