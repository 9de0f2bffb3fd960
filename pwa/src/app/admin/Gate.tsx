import type { ComponentChildren } from 'preact';
import { Page } from '../components/Page';
import { t, type MessageKey } from '../i18n';
import type { Me } from '../session';
import { me } from '../session';

/** A staff screen only for the roles `allowed` accepts (the server refuses everyone else in any case). */
export function StaffGate({
  heading,
  allowed,
  forbidden,
  children,
}: {
  readonly heading: string;
  readonly allowed: (me: Pick<Me, 'roles'> | null) => boolean;
  readonly forbidden: MessageKey;
  readonly children: ComponentChildren;
}) {
  if (!allowed(me.value)) {
    return (
      <Page heading={heading}>
        <p class="notice">{t(forbidden)}</p>
      </Page>
    );
  }
  return <>{children}</>;
}

export function Loading() {
  return (
    <p class="loading" role="status">
      {t('app.loading')}
    </p>
  );
}
