import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { checkPush, enablePush, pushState } from '../push/push';
import { Alert } from './Alert';

/**
 * "Nhận thông báo trên điện thoại": a short explanation, then the browser's question only after the
 * member taps the button. `always`: also say where things stand once enabled (the profile screen).
 */
export function PushPrompt({ always = false }: { readonly always?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  // Tapped here: say how it went, even where the prompt is otherwise shown only while push is off.
  const [tapped, setTapped] = useState(false);
  useEffect(() => void checkPush(), []);
  const state = pushState.value;
  const quiet = state === 'subscribed' || state === 'granted' || state === 'unsupported' || state === 'unavailable';
  if (!always && !tapped && quiet) return null;

  function enable(): void {
    setBusy(true);
    setError('');
    setTapped(true);
    enablePush()
      .catch(() => setError(t('push.failed')))
      .finally(() => setBusy(false));
  }

  return (
    <section class="push-prompt" aria-labelledby="push-title">
      <h2 id="push-title">{t('push.title')}</h2>
      <div role="status">
        {state === 'subscribed' && <p class="ack-done">{t('push.enabled')}</p>}
        {state === 'denied' && <p>{t('push.denied')}</p>}
        {state === 'unsupported' && <p>{t('push.unsupported')}</p>}
        {state === 'unavailable' && <p>{t('push.unavailable')}</p>}
      </div>
      {(state === 'default' || state === 'granted') && (
        <>
          <p>{t('push.explain')}</p>
          <button type="button" class="button" disabled={busy} onClick={enable}>
            {busy ? t('push.enabling') : t('push.enable')}
          </button>
        </>
      )}
      <Alert message={error} />
    </section>
  );
}
