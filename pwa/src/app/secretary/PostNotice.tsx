import { useRef, useState } from 'preact/hooks';
import { call, type Schemas } from '../../shared/api';
import { ApiError } from '../../shared/problem';
import { Alert } from '../components/Alert';
import { Page } from '../components/Page';
import { describeError } from '../errors';
import { t, type MessageKey } from '../i18n';
import { router } from '../navigation';
import { newIdempotencyKey } from '../offline-queue';
import { links, paths } from '../router';
import { SecretaryGate } from './Gate';
import { buildNotice, type NoticeDraft } from './draft';

type Category = NonNullable<Schemas['NoticeCreate']['category']>;

const CATEGORIES: ReadonlyArray<readonly [Category, MessageKey]> = [
  ['general', 'notices.category.general'],
  ['meeting', 'notices.category.meeting'],
  ['study', 'notices.category.study'],
  ['urgent', 'notices.category.urgent'],
];

function Form() {
  // One id per notice being written: a tap again after a lost answer returns the same notice.
  const clientId = useRef(newIdempotencyKey());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Readonly<Record<string, string>>>({});

  function submit(event: SubmitEvent): void {
    event.preventDefault();
    if (busy) return;
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const draft: NoticeDraft = {
      title: String(data.get('title') ?? ''),
      body: String(data.get('body') ?? ''),
      category: String(data.get('category') ?? 'general'),
      pinned: data.get('pinned') === 'on',
      requiresAck: data.get('requires_acknowledgement') === 'on',
      expiresOn: String(data.get('expires_on') ?? ''),
    };
    const built = buildNotice(draft, clientId.current, new Date());
    setError('');
    if ('errors' in built) {
      const messages: Record<string, string> = {};
      for (const [field, key] of Object.entries(built.errors)) messages[field] = t(key);
      setFieldErrors(messages);
      const firstBad = form.querySelector<HTMLElement>(`[name="${Object.keys(built.errors)[0] ?? ''}"]`);
      firstBad?.focus();
      return;
    }
    setFieldErrors({});
    setBusy(true);
    call('post', '/api/v1/notices', { body: built.notice })
      .then((notice) => router.navigate(links.secretaryNotice(notice.id)))
      .catch((failure: unknown) => {
        setError(describeError(failure));
        if (failure instanceof ApiError) setFieldErrors(failure.fieldErrors);
        setBusy(false);
      });
  }

  const described = (name: string, hint?: boolean) =>
    [hint && `post-${name}-hint`, fieldErrors[name] && `post-${name}-error`].filter(Boolean).join(' ') || undefined;
  const fieldError = (name: string) =>
    fieldErrors[name] ? (
      <p class="field-error" id={`post-${name}-error`}>
        {fieldErrors[name]}
      </p>
    ) : null;

  return (
    <Page heading={t('secretary.postTitle')} before={<p class="crumb"><a href={paths.secretary}>{t('secretary.back')}</a></p>}>
      <form class="form" noValidate onSubmit={submit}>
        <div class={fieldErrors.title ? 'field field-invalid' : 'field'}>
          <label for="post-title">{t('secretary.fieldTitle')}</label>
          <div class="field-row">
            <input id="post-title" name="title" type="text" maxLength={200} required aria-invalid={fieldErrors.title ? 'true' : undefined} aria-describedby={described('title')} />
          </div>
          {fieldError('title')}
        </div>
        <div class={fieldErrors.body ? 'field field-invalid' : 'field'}>
          <label for="post-body">{t('secretary.fieldBody')}</label>
          <p class="field-hint" id="post-body-hint">
            {t('secretary.bodyHint')}
          </p>
          <textarea id="post-body" name="body" rows={8} maxLength={20000} required aria-invalid={fieldErrors.body ? 'true' : undefined} aria-describedby={described('body', true)} />
          {fieldError('body')}
        </div>
        <fieldset class="choices">
          <legend>{t('secretary.fieldCategory')}</legend>
          {CATEGORIES.map(([value, label]) => (
            <label key={value} class="choice">
              <input type="radio" name="category" value={value} defaultChecked={value === 'general'} />
              <span>{t(label)}</span>
            </label>
          ))}
        </fieldset>
        <fieldset class="choices">
          <legend class="visually-hidden">{t('secretary.postTitle')}</legend>
          <label class="choice">
            <input type="checkbox" name="pinned" />
            <span>{t('secretary.fieldPinned')}</span>
          </label>
          <label class="choice">
            <input type="checkbox" name="requires_acknowledgement" />
            <span>{t('secretary.fieldAck')}</span>
          </label>
        </fieldset>
        <div class={fieldErrors.expires_on ? 'field field-invalid' : 'field'}>
          <label for="post-expires_on">{t('secretary.fieldExpires')}</label>
          <p class="field-hint" id="post-expires_on-hint">
            {t('secretary.expiresHint')}
          </p>
          <div class="field-row">
            <input id="post-expires_on" name="expires_on" type="date" aria-describedby={described('expires_on', true)} />
          </div>
          {fieldError('expires_on')}
        </div>
        <Alert message={error} />
        <button type="submit" class="button" disabled={busy}>
          {busy ? t('secretary.submitting') : t('secretary.submit')}
        </button>
      </form>
    </Page>
  );
}

/** A secretary writes a notice to the branch: title and text, and a few optional choices. */
export function PostNotice() {
  return (
    <SecretaryGate heading={t('secretary.postTitle')}>
      <Form />
    </SecretaryGate>
  );
}
