import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { useForm } from '../components/form';
import { Page } from '../components/Page';
import { t } from '../i18n';
import { paths } from '../router';
import { signIn } from '../session';

export function SignIn() {
  const form = useForm(['login', 'password'], ({ login = '', password = '' }) => signIn(login, password));
  return (
    <Page heading={t('signIn.title')}>
      <form class="form" noValidate onSubmit={form.onSubmit}>
        <Field
          name="login"
          label={t('signIn.login')}
          autocomplete="username"
          autocapitalize="none"
          maxLength={100}
          error={form.fieldErrors['login']}
        />
        <Field
          name="password"
          type="password"
          label={t('signIn.password')}
          autocomplete="current-password"
          maxLength={1024}
          error={form.fieldErrors['password']}
        />
        <Alert message={form.error} />
        <button type="submit" class="button" disabled={form.busy}>
          {form.busy ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
      <p class="note">{t('signIn.forgot')}</p>
      <section class="aside" aria-labelledby="first-time">
        <h2 id="first-time">{t('signIn.firstTime')}</h2>
        <a class="button button-secondary" href={paths.activate}>
          {t('signIn.toActivate')}
        </a>
      </section>
    </Page>
  );
}
