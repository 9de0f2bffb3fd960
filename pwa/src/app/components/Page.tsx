import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';
import { UpdateBanner } from './UpdateBanner';

interface PageProps {
  readonly heading: string;
  /** The browser tab / task switcher title, when it should differ from the heading. */
  readonly title?: string;
  readonly children?: ComponentChildren;
}

let firstScreen = true;

/** The frame of every screen: app bar, update notice, and a main region led by its heading. */
export function Page({ heading, title, children }: PageProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title ?? heading} – ${t('app.name')}`;
    // After a client-side navigation, tell screen readers where they are now, as a page load would.
    if (!firstScreen) headingRef.current?.focus();
    firstScreen = false;
    window.scrollTo(0, 0);
  }, [heading, title]);
  return (
    <>
      <header class="appbar">
        <span class="appbar-name">{t('app.name')}</span>
      </header>
      <UpdateBanner />
      <main class="page">
        <h1 ref={headingRef} tabIndex={-1}>
          {heading}
        </h1>
        {children}
      </main>
    </>
  );
}
