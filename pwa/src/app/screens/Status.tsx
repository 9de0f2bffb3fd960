/** The small screens: checking the session, server unreachable, unknown address. */
import { Page } from '../components/Page';
import { UpdateBanner } from '../components/UpdateBanner';
import { describeError } from '../errors';
import { t } from '../i18n';
import { paths } from '../router';
import { loadError, loadSession } from '../session';
import { NetworkError } from '../../shared/problem';

export function Loading() {
  return (
    <>
      <header class="appbar">
        <span class="appbar-name">{t('app.name')}</span>
      </header>
      <UpdateBanner />
      <main class="page">
        <p class="loading" role="status">
          {t('app.loading')}
        </p>
      </main>
    </>
  );
}

export function Unreachable() {
  const error = loadError.value;
  const offline = error instanceof NetworkError;
  return (
    <Page heading={offline ? t('offline.title') : t('error.server')}>
      <p>{offline ? t('offline.body') : describeError(error)}</p>
      <button type="button" class="button" onClick={() => void loadSession()}>
        {t('offline.retry')}
      </button>
    </Page>
  );
}

export function NotFound() {
  return (
    <Page heading={t('notFound.title')}>
      <a class="button button-secondary" href={paths.home}>
        {t('notFound.home')}
      </a>
    </Page>
  );
}
