import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { LoadFailure } from './LoadFailure';

/**
 * A screen whose code is fetched only when first shown (a separate chunk, precached by the service
 * worker, so it still opens offline): what members rarely need stays out of the shell they all load.
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  return function Lazy(props: P) {
    const [screen, setScreen] = useState<{ component: ComponentType<P> | null }>({ component: loaded });
    const [error, setError] = useState<unknown>(null);
    useEffect(() => {
      if (loaded) return;
      pending ??= load().then((component) => (loaded = component));
      pending.then(
        (component) => setScreen({ component }),
        (failure: unknown) => {
          pending = null;
          setError(failure);
        },
      );
    }, []);
    const Screen = screen.component;
    if (Screen) return <Screen {...props} />;
    if (error) return <main class="page"><LoadFailure error={error} /></main>;
    return (
      <p class="boot loading" role="status">
        {t('app.loading')}
      </p>
    );
  };
}
