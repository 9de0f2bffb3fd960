import type { ComponentChildren } from 'preact';
import { Page } from '../components/Page';
import { t } from '../i18n';
import { canPostNotices } from '../roles';
import { me } from '../session';

/** Secretary screens for those who may post (the server refuses the others in any case). */
export function SecretaryGate({ heading, children }: { readonly heading: string; readonly children: ComponentChildren }) {
  if (!canPostNotices(me.value)) {
    return (
      <Page heading={heading}>
        <p class="notice">{t('secretary.forbidden')}</p>
      </Page>
    );
  }
  return <>{children}</>;
}
