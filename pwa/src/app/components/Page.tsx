import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';
import { status } from '../session';
import { AppBarLinks } from './AppBarLinks';
import { TabBar } from './TabBar';
import { UpdateBanner } from './UpdateBanner';

interface PageProps {
  readonly heading: string;
  /** The browser tab / task switcher title, when it should differ from the heading. */
  readonly title?: string;
  /** Above the heading: a way back (to the document, to the contents). */
  readonly before?: ComponentChildren;
  readonly children?: ComponentChildren;
}

let firstScreen = true;

/** The frame of every screen: app bar, main menu (signed in), update notice, and a main region led by its heading. */
export function Page({ heading, title, before, children }: PageProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const signedIn = status.value === 'signedIn';
  useEffect(() => {
    document.title = `${title ?? heading} – ${t('app.name')}`;
    // After a client-side navigation, tell screen readers where they are now, as a page load would.
    if (!firstScreen) headingRef.current?.focus();
    firstScreen = false;
    window.scrollTo(0, 0);
  }, [heading, title]);
  return (
    <div class={signedIn ? 'shell shell-tabs' : 'shell'}>
      {signedIn && (
        <a class="skip" href="#main">
          {t('app.skipToContent')}
        </a>
      )}
      <header class="appbar">
        <span class="appbar-name">{t('app.name')}</span>
        {signedIn && <AppBarLinks />}
      </header>
      {signedIn && <TabBar />}
      <UpdateBanner />
      <main class="page" id="main">
        {before}
        <h1 ref={headingRef} tabIndex={-1}>
          {heading}
        </h1>
        {children}
      </main>
    </div>
  );
}
