import { formatDateTime } from '../format';
import { t } from '../i18n';
import type { NoticeItem } from './feed';

export const noticeLink = (id: string) => `/notices/${encodeURIComponent(id)}`;

/** One notice in a list: what, from whom, when, and where the member stands with it. */
export function NoticeCard({ notice }: { readonly notice: NoticeItem }) {
  const time = formatDateTime(Date.parse(notice.published_at));
  return (
    <a class={notice.read ? 'card feed-card' : 'card feed-card feed-unread'} href={noticeLink(notice.id)}>
      <span class="feed-flags">
        {notice.pinned && <span class="badge badge-pin">{t('notices.pinned')}</span>}
        {!notice.read && <span class="badge badge-todo">{t('notices.unread')}</span>}
        {notice.category === 'urgent' && <span class="badge badge-todo">{t('notices.category.urgent')}</span>}
        {notice.requires_acknowledgement && (
          <span class={notice.acknowledged ? 'badge badge-done' : 'badge badge-todo'}>
            {notice.acknowledged ? t('notices.acked') : t('notices.needsAck')}
          </span>
        )}
      </span>
      <span class="card-title">{notice.title}</span>
      {notice.summary && <span class="card-text">{notice.summary}</span>}
      <span class="card-meta">{t('notices.from', { unit: notice.unit_name, time })}</span>
    </a>
  );
}
