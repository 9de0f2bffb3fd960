import type { ComponentType, FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LoadFailure } from '../components/LoadFailure';
import { t } from '../i18n';

/**
 * A component whose code is fetched the first time it is shown (its own chunk, precached by the
 * service worker for offline use): the member shell stays small, secretary views cost members nothing.
 */
export function lazy<P extends object>(load: () => Promise<ComponentType<P>>): FunctionComponent<P> {
  let loaded: ComponentType<P> | null = null;
  return function Lazy(props: P) {
    const [component, setComponent] = useState<ComponentType<P> | null>(() => loaded);
    const [error, setError] = useState<unknown>(null);
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (component) return;
      let current = true;
      load().then(
        (found) => {
          loaded = found;
          if (current) setComponent(() => found);
        },
        (failure: unknown) => current && setError(failure),
      );
      return () => {
        current = false;
      };
    }, [attempt]);
    if (component) {
      const Found = component;
      return <Found {...props} />;
    }
    if (error) {
      return (
        <main class="page" id="main">
          <LoadFailure
            error={error}
            onRetry={() => {
              setError(null);
              setAttempt(attempt + 1);
            }}
          />
        </main>
      );
    }
    return <p class="boot">{t('app.loading')}</p>;
  };
}
