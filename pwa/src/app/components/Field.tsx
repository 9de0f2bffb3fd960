import { useState } from 'preact/hooks';
import { t } from '../i18n';

interface FieldProps {
  /** The form field name, matching the API's field name so its field errors land here. */
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly error?: string | undefined;
  readonly type?: 'text' | 'password' | 'tel';
  readonly autocomplete?: string;
  readonly inputMode?: 'text' | 'numeric' | 'tel';
  readonly autocapitalize?: 'off' | 'none' | 'characters' | 'words';
  readonly maxLength?: number;
  readonly disabled?: boolean;
}

/** A labelled input with its hint and its error tied to it for assistive technology. */
export function Field({ name, label, hint, error, type = 'text', ...input }: FieldProps) {
  const [revealed, setRevealed] = useState(false);
  const id = `field-${name}`;
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  const isPassword = type === 'password';
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <div class="field-row">
        <input
          id={id}
          name={name}
          // Preact types `type` as a union per input kind; ours is one of text/tel/password at run time.
          type={(isPassword && revealed ? 'text' : type) as 'text'}
          required
          spellcheck={false}
          autocorrect="off"
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy || undefined}
          {...input}
        />
        {isPassword && (
          <button
            type="button"
            class="button button-small button-quiet"
            aria-controls={id}
            aria-label={revealed ? t('password.hideLabel') : t('password.showLabel')}
            onClick={() => setRevealed(!revealed)}
          >
            {revealed ? t('password.hide') : t('password.show')}
          </button>
        )}
      </div>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
