import type { DocumentKind } from '../../shared/handbook-types';
import { LoadFailure } from '../components/LoadFailure';
import { Page } from '../components/Page';
import { SyncStatus } from '../components/SyncStatus';
import { useLoad } from '../components/useLoad';
import { loadDocuments, type DocumentItem } from '../handbook/content';
import { contentVersion } from '../handbook/sync';
import { t, type MessageKey } from '../i18n';
import { links, paths } from '../router';

/** Kinds in the order members look for them; each becomes a group on the contents screen. */
const KINDS: ReadonlyArray<[DocumentKind, MessageKey]> = [
  ['handbook_chapter', 'kind.handbook_chapter'],
  ['charter', 'kind.charter'],
  ['regulation', 'kind.regulation'],
  ['resolution', 'kind.resolution'],
  ['guide', 'kind.guide'],
  ['study_topic', 'kind.study_topic'],
];

function byPosition(a: DocumentItem, b: DocumentItem): number {
  return a.position - b.position || a.title.localeCompare(b.title, 'vi');
}

export function Handbook() {
  const version = contentVersion.value;
  const { data, error, loading } = useLoad(loadDocuments, [version]);
  return (
    <Page heading={t('handbook.title')}>
      <nav class="actions" aria-label={t('handbook.more')}>
        <a class="button button-secondary" href={paths.search}>
          {t('nav.search')}
        </a>
        <a class="button button-secondary" href={paths.bookmarks}>
          {t('bookmarks.title')}
        </a>
      </nav>
      <SyncStatus />
      {data === undefined ? (
        loading ? (
          <p class="loading" role="status">
            {t('app.loading')}
          </p>
        ) : (
          <LoadFailure error={error} />
        )
      ) : data.length === 0 ? (
        <p>{t('handbook.empty')}</p>
      ) : (
        KINDS.map(([kind, label]) => {
          const documents = data.filter((document) => document.kind === kind).sort(byPosition);
          if (documents.length === 0) return null;
          return (
            <section key={kind} class="group" aria-labelledby={`kind-${kind}`}>
              <h2 id={`kind-${kind}`}>{t(label)}</h2>
              <ul class="cards">
                {documents.map((document) => (
                  <li key={document.id}>
                    <a class="card" href={links.document(document.id)}>
                      <span class="card-title">{document.title}</span>
                      {document.summary && <span class="card-text">{document.summary}</span>}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          );
        })
      )}
    </Page>
  );
}
