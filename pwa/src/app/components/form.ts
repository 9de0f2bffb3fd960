import { useState } from 'preact/hooks';
import { ApiError } from '../../shared/problem';
import { describeError } from '../errors';
import { t } from '../i18n';

export type FieldErrors = Readonly<Record<string, string>>;

export interface FormState {
  readonly busy: boolean;
  readonly error: string;
  readonly fieldErrors: FieldErrors;
  readonly onSubmit: (event: SubmitEvent) => void;
}

/**
 * Submit handling shared by the sign-in forms: required fields are checked here (in Vietnamese,
 * not the browser's language), one request at a time, and failures become messages.
 * `check` may return more field errors; `action` receives the trimmed values by field name.
 */
export function useForm(
  required: readonly string[],
  action: (values: Readonly<Record<string, string>>) => Promise<void>,
  check: (values: Readonly<Record<string, string>>) => FieldErrors = () => ({}),
): FormState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});

  function onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (busy) return;
    const form = event.currentTarget as HTMLFormElement;
    const values: Record<string, string> = {};
    new FormData(form).forEach((value, key) => {
      // Passwords are taken as typed; names and codes lose stray spaces from copy and paste.
      values[key] = typeof value !== 'string' ? '' : key.includes('password') ? value : value.trim();
    });
    const missing: Record<string, string> = {};
    for (const name of required) if (!values[name]) missing[name] = t('form.required');
    const problems = { ...check(values), ...missing };
    setError('');
    setFieldErrors(problems);
    if (Object.keys(problems).length > 0) {
      // Put the cursor in the first field to fix, in the order the member sees them.
      for (const element of Array.from(form.elements)) {
        if (element instanceof HTMLInputElement && element.name in problems) {
          element.focus();
          break;
        }
      }
      return;
    }
    setBusy(true);
    action(values)
      .catch((failure: unknown) => {
        setError(describeError(failure));
        if (failure instanceof ApiError) setFieldErrors(failure.fieldErrors);
      })
      .finally(() => setBusy(false));
  }

  return { busy, error, fieldErrors, onSubmit };
}
