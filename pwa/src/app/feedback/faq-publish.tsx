/** Staff publish a good answer as an FAQ entry: anonymised, with the asker's consent (part of the staff chunk). */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Schemas } from '../../shared/api';
import { t } from '../i18n';
import { explain, pendingWrites, QUIET, Said, type WriteState } from '../life/ui';
import { submitWrite } from '../life/writes';
import { faqBlocker, faqDefaults, faqPublish, MAX_ANSWER, MAX_QUESTION, type FaqErrors } from './faq';

type Thread = Schemas['FeedbackThread'];
export const FAQ_PUBLISH_KIND = 'faqPublish';

function Text({ id, label, value, max, rows, error, onInput }: {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly max: number;
  readonly rows: number;
  readonly error: string | undefined;
  readonly onInput: (value: string) => void;
}) {
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        maxLength={max}
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function PublishFaq({ thread }: { readonly thread: Thread }) {
  const [texts, setTexts] = useState(() => faqDefaults(thread));
  const [errors, setErrors] = useState<FaqErrors>({});
  const [said, setSaid] = useState<WriteState>(QUIET);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    (formRef.current?.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
  }, [errors]);
  const blocker = faqBlocker(thread);
  // Not answered yet: nothing to say; answered without consent: say why there is no button.
  if (blocker === 'faqPublish.notAnswered') return null;
  const waiting = pendingWrites(FAQ_PUBLISH_KIND, thread.id).length > 0;
  const name = thread.author?.full_name ?? '';
  const error = (field: 'question' | 'answer') => {
    const key = errors[field];
    return key && t(key, { name });
  };

  async function publish(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const checked = faqPublish(thread, texts.question, texts.answer);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    setSaid(QUIET);
    try {
      const result = await submitWrite('post', '/api/v1/faq', {
        body: checked.value,
        kind: FAQ_PUBLISH_KIND,
        ref: thread.id,
        label: `${t('faqPublish.title')}: ${checked.value.question.slice(0, 40)}`,
      });
      setSaid(result.state === 'sent' ? { tone: 'ok', text: t('faqPublish.done') } : { tone: 'wait', text: t('life.queued') });
      setDone(true);
    } catch (failure) {
      setSaid({ tone: 'error', text: explain(failure) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <details class="panel">
      <summary>{t('faqPublish.title')}</summary>
      {blocker ? (
        <p class="notice">{t(blocker)}</p>
      ) : done || waiting ? (
        <Said tone={said.tone === 'none' ? 'wait' : said.tone}>{said.text || t('life.queued')}</Said>
      ) : (
        <form ref={formRef} class="form" noValidate onSubmit={(event) => void publish(event)}>
          <p class="field-hint">{t('faqPublish.hint')}</p>
          <Text id="faq-question" label={t('faqPublish.question')} rows={4} max={MAX_QUESTION} value={texts.question} error={error('question')} onInput={(question) => setTexts({ ...texts, question })} />
          <Text id="faq-answer" label={t('faqPublish.answer')} rows={8} max={MAX_ANSWER} value={texts.answer} error={error('answer')} onInput={(answer) => setTexts({ ...texts, answer })} />
          <button type="submit" class="button" disabled={busy}>
            {t('faqPublish.submit')}
          </button>
          <Said tone={said.tone}>{said.text}</Said>
        </form>
      )}
    </details>
  );
}
