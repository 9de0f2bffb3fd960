import { useEffect, useState } from 'preact/hooks';
import { api } from '../../shared/api';
import { ApiError, NetworkError } from '../../shared/problem';
import { parseMarkedSnippet, type SnippetPart } from '../../shared/snippet';
import { Alert } from '../components/Alert';
import { Page } from '../components/Page';
import { Snippet } from '../components/Snippet';
import { describeError } from '../errors';
import { searchOffline } from '../handbook/local-search';
import { t } from '../i18n';
import { router } from '../navigation';
import { links } from '../router';

interface Hit {
  readonly sectionId: string;
  readonly documentId: string;
  readonly title: string;
  readonly documentTitle: string;
  readonly parts: readonly SnippetPart[];
}

interface Results {
  readonly query: string;
  readonly hits: readonly Hit[];
  /** Found in the handbook kept on the phone, because the server could not be asked. */
  readonly local: boolean;
}

const MAX_QUERY = 200;

/** The server when it answers; the copy on the phone when there is no network or the server is down. */
async function find(query: string): Promise<Results> {
  if (navigator.onLine !== false) {
    try {
      const answer = await api.search(query);
      const hits = answer.hits.map((hit) => ({
        sectionId: hit.section_id,
        documentId: hit.document_id,
        title: hit.title,
        documentTitle: hit.document_title,
        parts: parseMarkedSnippet(hit.snippet_html),
      }));
      return { query, hits, local: false };
    } catch (error) {
      const serverDown = error instanceof ApiError && error.status >= 500;
      if (!(error instanceof NetworkError || serverDown)) throw error;
    }
  }
  return { query, hits: await searchOffline(query), local: true };
}

function queryInAddress(): string {
  return (new URLSearchParams(window.location.search).get('q') ?? '').slice(0, MAX_QUERY);
}

export function Search() {
  const [query, setQuery] = useState(queryInAddress);
  const [results, setResults] = useState<Results | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  function run(text: string): void {
    const trimmed = text.trim();
    if (!trimmed) return;
    setBusy(true);
    setError('');
    find(trimmed)
      .then(setResults)
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  }

  // Coming back to a search (back button, a shared link) shows its results again: once, on arrival.
  useEffect(() => run(query), []);

  function onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    router.navigate(links.search(query.trim()), { replace: true });
    run(query);
  }

  return (
    <Page heading={t('search.title')}>
      <form class="form search-form" role="search" onSubmit={onSubmit}>
        <div class="field">
          <label for="search-q">{t('search.label')}</label>
          <p class="field-hint" id="search-q-hint">
            {t('search.hint')}
          </p>
          <div class="field-row">
            <input
              id="search-q"
              name="q"
              type="search"
              enterKeyHint="search"
              autocomplete="off"
              maxLength={MAX_QUERY}
              aria-describedby="search-q-hint"
              value={query}
              onInput={(event) => setQuery(event.currentTarget.value)}
            />
            <button type="submit" class="button button-small" disabled={busy}>
              {t('search.submit')}
            </button>
          </div>
        </div>
      </form>
      <Alert message={error} />
      <div role="status" class="search-status">
        {busy ? (
          <p class="loading">{t('search.searching')}</p>
        ) : (
          results && (
            <>
              {results.local && <p class="notice">{t('search.local')}</p>}
              <p>{results.hits.length === 0 ? t('search.none') : t('search.count', { count: results.hits.length })}</p>
            </>
          )
        )}
      </div>
      {results && results.hits.length > 0 && (
        <ol class="cards results">
          {results.hits.map((hit) => (
            <li key={hit.sectionId}>
              <a class="card" href={links.section(hit.documentId, hit.sectionId)}>
                <span class="card-title">{hit.title}</span>
                <span class="card-meta">{hit.documentTitle}</span>
              </a>
              <Snippet parts={hit.parts} />
            </li>
          ))}
        </ol>
      )}
    </Page>
  );
}
