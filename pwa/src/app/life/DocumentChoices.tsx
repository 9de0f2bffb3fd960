/**
 * Pick published handbook documents as materials (a meeting's, a study program's): a list of
 * checkboxes in the order chosen. The server checks again that each one reaches the unit.
 */
import { api } from '../../shared/api';
import { LoadFailure } from '../components/LoadFailure';
import { useLoad } from '../components/useLoad';
import { t } from '../i18n';

/** The ids with `id` added at the end or taken out, the others keeping their order. */
export function toggled(ids: readonly string[], id: string, on: boolean): string[] {
  const rest = ids.filter((item) => item !== id);
  return on ? [...rest, id] : rest;
}

export function DocumentChoices({
  id,
  legend,
  chosen,
  onChange,
  error,
  known = [],
}: {
  readonly id: string;
  readonly legend: string;
  readonly chosen: readonly string[];
  readonly onChange: (ids: string[]) => void;
  readonly error?: string | undefined;
  /** Chosen before and titled there (a meeting's materials): still listed if no longer published, to be taken out. */
  readonly known?: readonly { readonly id: string; readonly title: string }[];
}) {
  const documents = useLoad(() => api.listDocuments(), []);
  const published = (documents.data ?? [])
    .filter((document) => document.status === 'published')
    .map((document) => ({ id: document.id, title: document.title }));
  const listed = new Set(published.map((document) => document.id));
  const options = [...published, ...known.filter((document) => !listed.has(document.id) && chosen.includes(document.id))];
  return (
    <fieldset class="choices" id={id} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {documents.data === undefined &&
        (documents.loading ? (
          <p class="loading" role="status">
            {t('app.loading')}
          </p>
        ) : (
          <LoadFailure error={documents.error} />
        ))}
      {documents.data !== undefined && options.length === 0 && <p>{t('materials.none')}</p>}
      {options.map((document) => (
        <label key={document.id} class="choice">
          <input
            type="checkbox"
            name={`${id}-document`}
            value={document.id}
            checked={chosen.includes(document.id)}
            onChange={(event) => onChange(toggled(chosen, document.id, event.currentTarget.checked))}
          />
          <span>{document.title}</span>
        </label>
      ))}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
