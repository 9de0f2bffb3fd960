import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { useForm, type FieldErrors } from '../components/form';
import { Page } from '../components/Page';
import { t } from '../i18n';
import { paths } from '../router';
import { activate } from '../session';

const REQUIRED = ['card_number', 'code', 'password', 'password_confirm'] as const;

function confirmMatches(values: Readonly<Record<string, string>>): FieldErrors {
  const { password, password_confirm: confirm } = values;
  return password && confirm && password !== confirm ? { password_confirm: t('activate.mismatch') } : {};
}

export function Activate() {
  const form = useForm(
    REQUIRED,
    ({ card_number = '', code = '', password = '' }) => activate(card_number, code, password),
    confirmMatches,
  );
  const errors = form.fieldErrors;
  return (
    <Page heading={t('activate.title')}>
      <p>{t('activate.intro')}</p>
      <form class="form" noValidate onSubmit={form.onSubmit}>
        <Field
          name="card_number"
          label={t('activate.cardNumber')}
          autocomplete="username"
          inputMode="numeric"
          maxLength={40}
          error={errors['card_number']}
        />
        <Field
          name="code"
          label={t('activate.code')}
          hint={t('activate.codeHint')}
          autocomplete="one-time-code"
          autocapitalize="characters"
          maxLength={40}
          error={errors['code']}
        />
        <Field
          name="password"
          type="password"
          label={t('activate.password')}
          hint={t('activate.passwordHint')}
          autocomplete="new-password"
          maxLength={1024}
          error={errors['password']}
        />
        <Field
          name="password_confirm"
          type="password"
          label={t('activate.confirm')}
          autocomplete="new-password"
          maxLength={1024}
          error={errors['password_confirm']}
        />
        <Alert message={form.error} />
        <button type="submit" class="button" disabled={form.busy}>
          {form.busy ? t('activate.submitting') : t('activate.submit')}
        </button>
      </form>
      <section class="aside" aria-labelledby="have-account">
        <h2 id="have-account">{t('activate.haveAccount')}</h2>
        <a class="button button-secondary" href={paths.signIn}>
          {t('activate.toSignIn')}
        </a>
      </section>
    </Page>
  );
}
