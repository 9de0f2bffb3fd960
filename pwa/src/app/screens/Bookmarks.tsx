import { Page } from '../components/Page';
import { LoadFailure } from '../components/LoadFailure';
import { useLoad } from '../components/useLoad';
import { bookmarkVersion, listBookmarks, removeBookmark } from '../handbook/bookmarks';
import { t } from '../i18n';
import { links } from '../router';

export function Bookmarks() {
  const { data, error, loading } = useLoad(listBookmarks, [bookmarkVersion.value]);
  return (
    <Page heading={t('bookmarks.title')}>
      {data === undefined ? (
        loading ? (
          <p class="loading" role="status">
            {t('app.loading')}
          </p>
        ) : (
          <LoadFailure error={error} />
        )
      ) : data.length === 0 ? (
        <p>{t('bookmarks.empty')}</p>
      ) : (
        <ul class="cards">
          {data.map((bookmark) => (
            <li key={bookmark.sectionId} class="card-row">
              <a class="card" href={links.section(bookmark.documentId, bookmark.sectionId)}>
                <span class="card-title">{bookmark.title}</span>
                <span class="card-meta">{bookmark.documentTitle}</span>
              </a>
              <button
                type="button"
                class="button button-small button-quiet"
                aria-label={t('bookmarks.removeLabel', { title: bookmark.title })}
                onClick={() => void removeBookmark(bookmark.sectionId).catch(() => undefined)}
              >
                {t('bookmarks.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
