import { useState } from 'preact/hooks';
import { call, type Schemas } from '../../shared/api';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { useForm } from '../components/form';
import { LoadFailure } from '../components/LoadFailure';
import { Page } from '../components/Page';
import { PushPrompt } from '../components/PushPrompt';
import { SignOut } from '../components/SignOut';
import { useLoad } from '../components/useLoad';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { t, type MessageKey } from '../i18n';
import { CATEGORIES, deviceName, toForm, toUpdate, type Preferences, type PreferencesForm } from './preferences';

type Device = Schemas['PushSubscription'];
type Session = Schemas['SessionView'];

function Loading() {
  return (
    <p class="loading" role="status">
      {t('app.loading')}
    </p>
  );
}

function Devices() {
  const [version, setVersion] = useState(0);
  const devices = useLoad(() => call('get', '/api/v1/push/subscriptions'), [version]);
  const [error, setError] = useState('');

  function remove(device: Device): void {
    setError('');
    call('delete', '/api/v1/push/subscriptions/{subscription_id}', { path: { subscription_id: device.id } })
      .then(() => setVersion(version + 1))
      .catch((failure: unknown) => setError(describeError(failure)));
  }

  return (
    <section class="group" aria-labelledby="profile-devices">
      <h2 id="profile-devices">{t('profile.devices')}</h2>
      <PushPrompt always />
      {devices.data === undefined && (devices.loading ? <Loading /> : <LoadFailure error={devices.error} />)}
      {devices.data?.length === 0 && <p>{t('profile.noDevices')}</p>}
      {devices.data && devices.data.length > 0 && (
        <ul class="plain-list">
          {devices.data.map((device) => {
            const name = deviceName(device.user_agent) ?? device.push_service;
            return (
              <li key={device.id} class="row-item">
                <p>
                  <strong>{name}</strong>
                  <br />
                  <span class="card-meta">{t('profile.deviceSeen', { time: formatDateTime(Date.parse(device.last_seen)) })}</span>
                </p>
                <button
                  type="button"
                  class="button button-small button-quiet"
                  aria-label={t('profile.deviceRemoveLabel', { name })}
                  onClick={() => remove(device)}
                >
                  {t('profile.deviceRemove')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <Alert message={error} />
    </section>
  );
}

function Sessions() {
  const [version, setVersion] = useState(0);
  const sessions = useLoad(() => call('get', '/api/v1/me/sessions'), [version]);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');

  function revoke(session: Session): void {
    setError('');
    setDone('');
    call('delete', '/api/v1/me/sessions/{session_id}', { path: { session_id: session.id } })
      .then(() => setVersion(version + 1))
      .catch((failure: unknown) => setError(describeError(failure)));
  }

  function revokeOthers(): void {
    setError('');
    call('post', '/api/v1/me/sessions/revoke-others')
      .then((answer) => {
        setDone(t('profile.revoked', { count: answer.revoked }));
        setVersion(version + 1);
      })
      .catch((failure: unknown) => setError(describeError(failure)));
  }

  const others = sessions.data?.filter((session) => !session.current) ?? [];
  return (
    <section class="group" aria-labelledby="profile-sessions">
      <h2 id="profile-sessions">{t('profile.sessions')}</h2>
      {sessions.data === undefined && (sessions.loading ? <Loading /> : <LoadFailure error={sessions.error} />)}
      {sessions.data && (
        <ul class="plain-list">
          {sessions.data.map((session) => {
            const name = deviceName(session.user_agent) ?? t('profile.unknownDevice');
            return (
              <li key={session.id} class="row-item">
                <p>
                  <strong>{session.current ? `${name} (${t('profile.sessionCurrent')})` : name}</strong>
                  <br />
                  <span class="card-meta">{t('profile.sessionSeen', { time: formatDateTime(Date.parse(session.last_seen_at)) })}</span>
                </p>
                {!session.current && (
                  <button
                    type="button"
                    class="button button-small button-quiet"
                    aria-label={t('profile.sessionRevokeLabel', { name })}
                    onClick={() => revoke(session)}
                  >
                    {t('profile.sessionRevoke')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {others.length > 0 && (
        <button type="button" class="button button-secondary" onClick={revokeOthers}>
          {t('profile.revokeOthers')}
        </button>
      )}
      <p role="status">{done}</p>
      <Alert message={error} />
    </section>
  );
}

function ChangePassword() {
  const [done, setDone] = useState(false);
  const form = useForm(
    ['current_password', 'new_password', 'confirm_password'],
    async (values) => {
      setDone(false);
      await call('post', '/api/v1/me/password', {
        body: { current_password: values.current_password ?? '', new_password: values.new_password ?? '' },
      });
      setDone(true);
    },
    (values) => (values.new_password !== values.confirm_password ? { confirm_password: t('activate.mismatch') } : {}),
  );
  return (
    <section class="group" aria-labelledby="profile-password">
      <h2 id="profile-password">{t('profile.password')}</h2>
      <form class="form" noValidate onSubmit={form.onSubmit}>
        <Field name="current_password" type="password" label={t('profile.currentPassword')} autocomplete="current-password" error={form.fieldErrors.current_password} />
        <Field
          name="new_password"
          type="password"
          label={t('profile.newPassword')}
          hint={t('activate.passwordHint')}
          autocomplete="new-password"
          error={form.fieldErrors.new_password}
        />
        <Field name="confirm_password" type="password" label={t('profile.confirmPassword')} autocomplete="new-password" error={form.fieldErrors.confirm_password} />
        <Alert message={form.error} />
        <button type="submit" class="button" disabled={form.busy}>
          {form.busy ? t('profile.passwordSaving') : t('profile.passwordSubmit')}
        </button>
        <p role="status">{done ? t('profile.passwordChanged') : ''}</p>
      </form>
    </section>
  );
}

const CATEGORY_LABELS: Readonly<Record<(typeof CATEGORIES)[number], MessageKey>> = {
  notice: 'profile.category.notice',
  meeting: 'profile.category.meeting',
  study: 'profile.category.study',
  feedback: 'profile.category.feedback',
};

function PreferencesEditor({ initial }: { readonly initial: Preferences }) {
  const [saved, setSaved] = useState(initial);
  const [form, setForm] = useState<PreferencesForm>(() => toForm(initial));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [done, setDone] = useState(false);

  function toggle(category: string, on: boolean): void {
    const receive = new Set(form.receive);
    if (on) receive.add(category);
    else receive.delete(category);
    setForm({ ...form, receive });
  }

  function save(event: SubmitEvent): void {
    event.preventDefault();
    setError('');
    setDone(false);
    const body = toUpdate(form, saved);
    if (body === 'quietSame' || body === 'quietInvalid') {
      setError(t('profile.quietSame'));
      return;
    }
    setBusy(true);
    call('put', '/api/v1/notifications/preferences', { body })
      .then((answer) => {
        setSaved(answer);
        setForm(toForm(answer));
        setDone(true);
      })
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  }

  return (
    <form class="form" onSubmit={save}>
      <fieldset class="choices">
        <legend>{t('profile.mutedLegend')}</legend>
        {CATEGORIES.map((category) => (
          <label key={category} class="choice">
            <input type="checkbox" checked={form.receive.has(category)} onChange={(event) => toggle(category, event.currentTarget.checked)} />
            <span>{t(CATEGORY_LABELS[category])}</span>
          </label>
        ))}
      </fieldset>
      <fieldset class="choices">
        <legend class="visually-hidden">{t('profile.quiet')}</legend>
        <label class="choice">
          <input type="checkbox" checked={form.quiet} onChange={(event) => setForm({ ...form, quiet: event.currentTarget.checked })} />
          <span>{t('profile.quiet')}</span>
        </label>
        {form.quiet && (
          <div class="time-row">
            <label class="time-field">
              <span>{t('profile.quietStart')}</span>
              <input type="time" required value={form.quietStart} onChange={(event) => setForm({ ...form, quietStart: event.currentTarget.value })} />
            </label>
            <label class="time-field">
              <span>{t('profile.quietEnd')}</span>
              <input type="time" required value={form.quietEnd} onChange={(event) => setForm({ ...form, quietEnd: event.currentTarget.value })} />
            </label>
            <p class="field-hint">{t('profile.quietHint')}</p>
          </div>
        )}
        <label class="choice">
          <input type="checkbox" checked={form.digest} onChange={(event) => setForm({ ...form, digest: event.currentTarget.checked })} />
          <span>{t('profile.digest')}</span>
        </label>
      </fieldset>
      <Alert message={error} />
      <button type="submit" class="button" disabled={busy}>
        {busy ? t('profile.saving') : t('profile.save')}
      </button>
      <p role="status">{done ? t('profile.saved') : ''}</p>
    </form>
  );
}

function NotificationPreferences() {
  const preferences = useLoad(() => call('get', '/api/v1/notifications/preferences'), []);
  return (
    <section class="group" aria-labelledby="profile-preferences">
      <h2 id="profile-preferences">{t('profile.preferences')}</h2>
      {preferences.data ? (
        <PreferencesEditor initial={preferences.data} />
      ) : preferences.loading ? (
        <Loading />
      ) : (
        <LoadFailure error={preferences.error} />
      )}
    </section>
  );
}

/** My account: devices that get pushes, where I am signed in, password, notification preferences, sign-out. */
export function Profile() {
  return (
    <Page heading={t('profile.title')}>
      <Devices />
      <NotificationPreferences />
      <Sessions />
      <ChangePassword />
      <SignOut />
    </Page>
  );
}
