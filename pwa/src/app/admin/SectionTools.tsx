/**
 * More of the content editor (same chunk): files for a section (uploaded with its document, linked
 * from its text) and deleting a section, which asks first and refuses a stale copy.
 */
import { useState } from 'preact/hooks';
import { api, call } from '../../shared/api';
import { csrfHeaders } from '../../shared/csrf';
import { parseProblem } from '../../shared/problem';
import { Alert } from '../components/Alert';
import { LoadFailure } from '../components/LoadFailure';
import { useLoad } from '../components/useLoad';
import { describeError } from '../errors';
import { t } from '../i18n';
import { router } from '../navigation';
import { newIdempotencyKey } from '../offline-queue';
import { links } from '../router';
import { attachmentLink, attachmentName, attachmentUrl, fileSize, linksTo, uploadProblem, ACCEPTED_TYPES, type Attachment } from './attachments';
import { isStale } from './editor';
import { Loading } from './Gate';

/** UploadAttachment takes the file itself as the body, its name in the query; a retry with the same key stores it once. */
async function upload(documentId: string, file: File, key: string): Promise<Attachment> {
  const query = new URLSearchParams({ file_name: attachmentName(file.name) });
  const response = await fetch(`/api/v1/documents/${encodeURIComponent(documentId)}/attachments?${query.toString()}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'Content-Type': file.type,
      Accept: 'application/json, application/problem+json',
      'Idempotency-Key': key,
      ...csrfHeaders('POST', document.cookie, null),
    },
    body: file,
  });
  if (!response.ok) throw parseProblem(response.status, response.headers.get('Content-Type'), await response.text().catch(() => ''));
  return (await response.json()) as Attachment;
}

export function SectionAttachments({ documentId, body, onLink }: { readonly documentId: string; readonly body: string; readonly onLink: (link: string) => void }) {
  const [version, setVersion] = useState(0);
  const document = useLoad(() => api.getDocument(documentId), [documentId, version]);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [said, setSaid] = useState('');
  const [inputKey, setInputKey] = useState(0);

  function link(attachment: Attachment): void {
    onLink(attachmentLink(attachment));
    setSaid(t('attach.linked', { name: attachment.file_name }));
  }

  function send(event: SubmitEvent): void {
    event.preventDefault();
    setSaid('');
    if (!file) {
      setError(t('attach.needFile'));
      return;
    }
    const problem = uploadProblem(file);
    if (problem) {
      setError(t(problem));
      return;
    }
    setBusy(true);
    setError('');
    upload(documentId, file, newIdempotencyKey())
      .then((attachment) => {
        setFile(null);
        setInputKey(inputKey + 1);
        setVersion(version + 1);
        link(attachment);
      })
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  }

  const attachments = document.data?.attachments ?? [];
  return (
    <section class="group" aria-labelledby="editor-attachments">
      <h2 id="editor-attachments">{t('attach.title')}</h2>
      <p class="field-hint">{t('attach.hint')}</p>
      {document.data === undefined && (document.loading ? <Loading /> : <LoadFailure error={document.error} />)}
      {attachments.length > 0 && (
        <ul class="plain-list">
          {attachments.map((attachment) => (
            <li key={attachment.id} class="row-item">
              <p>
                <a href={attachmentUrl(attachment.id)} download={attachment.file_name}>
                  {attachment.file_name}
                </a>
                <br />
                <span class="card-meta">{fileSize(attachment.size_bytes)}</span>
              </p>
              {linksTo(body, attachment) ? (
                <span class="badge badge-done">{t('attach.inText')}</span>
              ) : (
                <button type="button" class="button button-small button-quiet" aria-label={t('attach.linkLabel', { name: attachment.file_name })} onClick={() => link(attachment)}>
                  {t('attach.link')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form class="form" noValidate onSubmit={send}>
        <div class="field">
          <label for="attachment-file">{t('attach.file')}</label>
          <p class="field-hint" id="attachment-file-hint">
            {t('attach.fileHint')}
          </p>
          <input
            key={inputKey}
            id="attachment-file"
            type="file"
            accept={ACCEPTED_TYPES.join(',')}
            aria-describedby="attachment-file-hint"
            onChange={(event) => {
              setFile(event.currentTarget.files?.[0] ?? null);
              setError('');
            }}
          />
        </div>
        <Alert message={error} />
        <button type="submit" class="button button-secondary" disabled={busy}>
          {busy ? t('attach.sending') : t('attach.send')}
        </button>
      </form>
      {said && (
        <p class="notice" role="status">
          {said}
        </p>
      )}
    </section>
  );
}

export function DeleteSection({
  documentId,
  sectionId,
  revision,
  title,
  onStale,
}: {
  readonly documentId: string;
  readonly sectionId: string;
  readonly revision: number;
  readonly title: string;
  /** Someone saved the section since: the form offers the newer copy. */
  readonly onStale: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  function remove(): void {
    setBusy(true);
    setError('');
    call('delete', '/api/v1/sections/{section_id}', { path: { section_id: sectionId }, query: { revision } })
      .then(() => router.navigate(links.editorDocument(documentId), { replace: true }))
      .catch((failure: unknown) => {
        setAsking(false);
        if (isStale(failure)) onStale();
        setError(isStale(failure) ? t('sectionDelete.stale') : describeError(failure));
      })
      .finally(() => setBusy(false));
  }
  return (
    <section class="group" aria-labelledby="editor-delete">
      <h2 id="editor-delete">{t('sectionDelete.title')}</h2>
      {asking ? (
        <div class="notice" role="alert">
          <p>{t('sectionDelete.confirm', { title })}</p>
          <div class="actions">
            <button type="button" class="button" disabled={busy} onClick={remove}>
              {t('sectionDelete.yes')}
            </button>
            <button type="button" class="button button-secondary" onClick={() => setAsking(false)}>
              {t('moderation.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" class="button button-quiet" onClick={() => setAsking(true)}>
          {t('sectionDelete.ask')}
        </button>
      )}
      <Alert message={error} />
    </section>
  );
}
