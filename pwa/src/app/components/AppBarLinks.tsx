import { t } from '../i18n';
import { router } from '../navigation';
import { badgeText } from '../notices/feed';
import { inboxUnread } from '../notifications/inbox';
import { paths } from '../router';

/** On the app bar, signed in: the inbox (with its unread count) and the account screen. */
export function AppBarLinks() {
  const unread = badgeText(inboxUnread.value);
  const route = router.route.value;
  return (
    <nav class="appbar-links" aria-label={t('appbar.label')}>
      <a href={paths.inbox} aria-current={route === 'inbox' ? 'page' : undefined} aria-label={unread ? t('appbar.inboxUnread', { count: unread }) : undefined}>
        {t('appbar.inbox')}
        {unread && (
          <span class="count-badge" aria-hidden="true">
            {unread}
          </span>
        )}
      </a>
      <a href={paths.profile} aria-current={route === 'profile' ? 'page' : undefined}>
        {t('appbar.profile')}
      </a>
    </nav>
  );
}
