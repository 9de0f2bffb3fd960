import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, call, type Schemas } from '../../shared/api';
import type { Document } from '../../shared/handbook-types';
import { Alert } from '../components/Alert';
import { LoadFailure } from '../components/LoadFailure';
import { Page } from '../components/Page';
import { useLoad } from '../components/useLoad';
import { describeError } from '../errors';
import { formatDateTime } from '../format';
import { t, type MessageKey } from '../i18n';
import { router } from '../navigation';
import { canEditContent } from '../roles';
import { links, paths } from '../router';
import { classifyDiff, isStale, previewBlocks, slugify } from './editor';
import { Loading, StaffGate } from './Gate';
import { withLink } from './attachments';
import { DeleteSection, SectionAttachments } from './SectionTools';

type SectionSource = Schemas['SectionSource'];

const STATUS: Readonly<Record<Document['status'], MessageKey>> = {
  draft: 'editor.status.draft',
  published: 'editor.status.published',
  archived: 'editor.status.archived',
};

function Gate({ heading, children }: { readonly heading: string; readonly children: ComponentChildren }) {
  return (
    <StaffGate heading={heading} allowed={canEditContent} forbidden="editor.forbidden">
      {children}
    </StaffGate>
  );
}

function Back({ href, label }: { readonly href: string; readonly label: string }) {
  return (
    <p class="crumb">
      <a href={href}>{label}</a>
    </p>
  );
}

const KINDS: ReadonlyArray<Document['kind']> = ['handbook_chapter', 'charter', 'regulation', 'resolution', 'guide', 'study_topic'];

function NewDocument({ onCreated }: { readonly onCreated: (document: Document) => void }) {
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<Document['kind']>('guide');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  function create(event: SubmitEvent): void {
    event.preventDefault();
    const slug = slugify(title);
    if (!title.trim() || !slug) {
      setError(t('editor.needTitle'));
      return;
    }
    setBusy(true);
    setError('');
    call('post', '/api/v1/documents', { body: { title: title.trim(), slug, kind } })
      .then(onCreated)
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  }
  return (
    <form class="form group" noValidate onSubmit={create}>
      <h2>{t('editor.newDocument')}</h2>
      <div class="field">
        <label for="new-document-title">{t('editor.fieldTitle')}</label>
        <div class="field-row">
          <input id="new-document-title" type="text" maxLength={200} value={title} onInput={(event) => setTitle(event.currentTarget.value)} />
        </div>
      </div>
      <div class="field">
        <label for="new-document-kind">{t('editor.fieldKind')}</label>
        <select id="new-document-kind" value={kind} onChange={(event) => setKind(event.currentTarget.value as Document['kind'])}>
          {KINDS.map((value) => (
            <option key={value} value={value}>
              {t(`kind.${value}`)}
            </option>
          ))}
        </select>
      </div>
      <Alert message={error} />
      <button type="submit" class="button button-secondary" disabled={busy}>
        {t('editor.createDocument')}
      </button>
    </form>
  );
}

function Documents() {
  const documents = useLoad(() => api.listDocuments(), []);
  return (
    <Page heading={t('editor.title')}>
      {documents.data === undefined && (documents.loading ? <Loading /> : <LoadFailure error={documents.error} />)}
      {documents.data && (
        <ul class="cards">
          {documents.data.map((document) => (
            <li key={document.id}>
              <a class="card" href={links.editorDocument(document.id)}>
                <span class="feed-flags">
                  <span class={document.status === 'published' ? 'badge badge-done' : 'badge badge-todo'}>{t(STATUS[document.status])}</span>
                </span>
                <span class="card-title">{document.title}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
      <NewDocument onCreated={(document) => router.navigate(links.editorDocument(document.id))} />
    </Page>
  );
}

function NewSection({ documentId, onCreated }: { readonly documentId: string; readonly onCreated: (section: SectionSource) => void }) {
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  function create(event: SubmitEvent): void {
    event.preventDefault();
    if (!title.trim()) {
      setError(t('editor.needTitle'));
      return;
    }
    setBusy(true);
    setError('');
    call('post', '/api/v1/documents/{document_id}/sections', { path: { document_id: documentId }, body: { title: title.trim(), body_md: '' } })
      .then(onCreated)
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  }
  return (
    <form class="form group" noValidate onSubmit={create}>
      <h2>{t('editor.newSection')}</h2>
      <div class="field">
        <label for="new-section-title">{t('editor.fieldTitle')}</label>
        <div class="field-row">
          <input id="new-section-title" type="text" maxLength={200} value={title} onInput={(event) => setTitle(event.currentTarget.value)} />
        </div>
      </div>
      <Alert message={error} />
      <button type="submit" class="button button-secondary" disabled={busy}>
        {t('editor.createSection')}
      </button>
    </form>
  );
}

function DocumentView({ documentId }: { readonly documentId: string }) {
  const [version, setVersion] = useState(0);
  const document = useLoad(() => api.getDocument(documentId), [documentId, version]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [archiving, setArchiving] = useState(false);
  const data = document.data;

  function setStatus(status: 'published' | 'archived' | 'draft'): void {
    if (!data) return;
    setBusy(true);
    setError('');
    setArchiving(false);
    call('put', '/api/v1/documents/{document_id}', { path: { document_id: documentId }, body: { revision: data.revision, status } })
      .then(() => setVersion(version + 1))
      .catch((failure: unknown) => setError(isStale(failure) ? t('editor.staleDocument') : describeError(failure)))
      .finally(() => setBusy(false));
  }

  return (
    <Page heading={data?.title ?? t('editor.title')} before={<Back href={paths.editor} label={t('editor.back')} />}>
      {data === undefined && (document.loading ? <Loading /> : <LoadFailure error={document.error} />)}
      {data && (
        <>
          <p>
            <span class={data.status === 'published' ? 'badge badge-done' : 'badge badge-todo'}>{t(STATUS[data.status])}</span>
          </p>
          <div class="card-row">
            {data.status !== 'published' ? (
              <button type="button" class="button" disabled={busy} onClick={() => setStatus('published')}>
                {t('editor.publish')}
              </button>
            ) : archiving ? (
              <>
                <p class="notice">{t('editor.archiveConfirm')}</p>
                <button type="button" class="button" disabled={busy} onClick={() => setStatus('archived')}>
                  {t('editor.archiveYes')}
                </button>
                <button type="button" class="button button-secondary" onClick={() => setArchiving(false)}>
                  {t('moderation.cancel')}
                </button>
              </>
            ) : (
              <button type="button" class="button button-secondary" disabled={busy} onClick={() => setArchiving(true)}>
                {t('editor.archive')}
              </button>
            )}
          </div>
          <Alert message={error} />
          <h2>{t('editor.sections')}</h2>
          {(data.sections ?? []).length === 0 && <p>{t('editor.noSections')}</p>}
          <ul class="cards">
            {(data.sections ?? []).map((section) => (
              <li key={section.id}>
                <a class="card" href={links.editorSection(documentId, section.id)}>
                  <span class="card-title">{section.title}</span>
                  <span class="card-meta">{t('editor.revision', { revision: section.revision })}</span>
                </a>
              </li>
            ))}
          </ul>
          <NewSection documentId={documentId} onCreated={(section) => router.navigate(links.editorSection(documentId, section.id))} />
        </>
      )}
    </Page>
  );
}

function Preview({ markdown }: { readonly markdown: string }) {
  const blocks = previewBlocks(markdown);
  return (
    <div class="editor-preview" aria-label={t('editor.preview')}>
      {blocks.length === 0 && <p class="card-meta">{t('editor.emptyPreview')}</p>}
      {blocks.map((block, index) =>
        block.kind === 'heading' ? (
          <h3 key={index}>{block.text}</h3>
        ) : block.kind === 'quote' ? (
          <blockquote key={index}>{block.text}</blockquote>
        ) : (
          <p key={index} class={block.kind === 'item' ? 'preview-item' : undefined}>
            {block.text}
          </p>
        ),
      )}
    </div>
  );
}

function Diff({ sectionId, from, to }: { readonly sectionId: string; readonly from: number; readonly to: number }) {
  const diff = useLoad(
    () => call('get', '/api/v1/sections/{section_id}/compare', { path: { section_id: sectionId }, query: { from, to } }),
    [sectionId, from, to],
  );
  if (diff.data === undefined) return diff.loading ? <Loading /> : <LoadFailure error={diff.error} />;
  const lines = classifyDiff(diff.data.diff);
  if (lines.length === 0) return <p>{t('editor.noDifference')}</p>;
  return (
    <pre class="diff" aria-label={t('editor.diffLabel', { from, to })}>
      {lines.map((line, index) => (
        <span key={index} class={`diff-${line.kind}`}>
          {line.text}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

/** Any two revisions, older first: the server compares whichever two it is given. */
function ComparePicker({ revisions, onCompare }: { readonly revisions: readonly number[]; readonly onCompare: (pair: { from: number; to: number }) => void }) {
  const [from, setFrom] = useState(revisions.at(-1) ?? 1);
  const [to, setTo] = useState(revisions[0] ?? 1);
  const options = revisions.map((revision) => (
    <option key={revision} value={revision}>
      {t('editor.revision', { revision })}
    </option>
  ));
  return (
    <form
      class="form compare-picker"
      onSubmit={(event) => {
        event.preventDefault();
        onCompare({ from: Math.min(from, to), to: Math.max(from, to) });
      }}
    >
      <div class="field">
        <label for="compare-from">{t('editor.compareFrom')}</label>
        <select id="compare-from" value={from} onChange={(event) => setFrom(Number(event.currentTarget.value))}>
          {options}
        </select>
      </div>
      <div class="field">
        <label for="compare-to">{t('editor.compareTo')}</label>
        <select id="compare-to" value={to} onChange={(event) => setTo(Number(event.currentTarget.value))}>
          {options}
        </select>
      </div>
      <button type="submit" class="button button-secondary">
        {t('editor.compareAny')}
      </button>
    </form>
  );
}

function Revisions({ sectionId, version }: { readonly sectionId: string; readonly version: number }) {
  const revisions = useLoad(() => call('get', '/api/v1/sections/{section_id}/revisions', { path: { section_id: sectionId } }), [sectionId, version]);
  const [pair, setPair] = useState<{ from: number; to: number } | null>(null);
  const list = [...(revisions.data ?? [])].sort((a, b) => b.revision - a.revision);
  return (
    <section class="group" aria-labelledby="editor-revisions">
      <h2 id="editor-revisions">{t('editor.revisions')}</h2>
      {revisions.data === undefined && (revisions.loading ? <Loading /> : <LoadFailure error={revisions.error} />)}
      <ul class="plain-list revisions">
        {list.map((revision) => (
          <li key={revision.revision} class="row-item">
            <p>
              <strong>{t('editor.revision', { revision: revision.revision })}</strong>
              {revision.material && <span class="badge badge-pin">{t('editor.materialBadge')}</span>}
              <br />
              <span class="card-meta">
                {t('editor.editedBy', { name: revision.editor_name ?? '—', time: formatDateTime(Date.parse(revision.edited_at)) })}
              </span>
            </p>
            {revision.revision > 1 && (
              <button type="button" class="button button-small button-quiet" onClick={() => setPair({ from: revision.revision - 1, to: revision.revision })}>
                {t('editor.compare')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {list.length > 1 && <ComparePicker key={list[0]?.revision} revisions={list.map((revision) => revision.revision)} onCompare={setPair} />}
      {pair && (
        <>
          <h3>{t('editor.diffLabel', pair)}</h3>
          <Diff sectionId={sectionId} from={pair.from} to={pair.to} />
        </>
      )}
    </section>
  );
}

function SectionForm({ documentId, sectionId }: { readonly documentId: string; readonly sectionId: string }) {
  const [version, setVersion] = useState(0);
  const source = useLoad(() => call('get', '/api/v1/sections/{section_id}/source', { path: { section_id: sectionId } }), [sectionId, version]);
  const [draft, setDraft] = useState<{ title: string; body: string; material: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [stale, setStale] = useState(false);
  const [saved, setSaved] = useState('');
  const data = source.data;
  const form = draft ?? (data ? { title: data.title, body: data.body_md, material: false } : null);

  function save(event: SubmitEvent): void {
    event.preventDefault();
    if (!data || !form) return;
    setBusy(true);
    setError('');
    setSaved('');
    call('put', '/api/v1/sections/{section_id}', {
      path: { section_id: sectionId },
      body: { revision: data.revision, title: form.title.trim(), body_md: form.body, material: form.material },
    })
      .then((answer) => {
        setDraft(null);
        setSaved(t('editor.saved', { revision: answer.revision }));
        setVersion(version + 1);
      })
      .catch((failure: unknown) => {
        if (isStale(failure)) setStale(true);
        else setError(describeError(failure));
      })
      .finally(() => setBusy(false));
  }

  function reload(): void {
    setDraft(null);
    setStale(false);
    setVersion(version + 1);
  }

  return (
    <Page heading={data?.title ?? t('editor.sectionTitle')} before={<Back href={links.editorDocument(documentId)} label={t('editor.backToDocument')} />}>
      {data === undefined && (source.loading ? <Loading /> : <LoadFailure error={source.error} />)}
      {data && form && (
        <>
          <p class="card-meta">
            {t('editor.revision', { revision: data.revision })} · <a href={links.section(documentId, sectionId)}>{t('editor.openReader')}</a>
          </p>
          <form class="form" noValidate onSubmit={save}>
            <div class="field">
              <label for="section-title">{t('editor.fieldTitle')}</label>
              <div class="field-row">
                <input id="section-title" type="text" maxLength={200} value={form.title} onInput={(event) => setDraft({ ...form, title: event.currentTarget.value })} />
              </div>
            </div>
            <div class="field">
              <label for="section-body">{t('editor.fieldBody')}</label>
              <p class="field-hint">{t('editor.bodyHint')}</p>
              <textarea id="section-body" rows={14} spellcheck={false} value={form.body} onInput={(event) => setDraft({ ...form, body: event.currentTarget.value })} />
            </div>
            <label class="choice">
              <input type="checkbox" checked={form.material} onChange={(event) => setDraft({ ...form, material: event.currentTarget.checked })} />
              <span>{t('editor.material')}</span>
            </label>
            <p class="field-hint">{t('editor.materialHint')}</p>
            {stale && (
              <div class="notice" role="alert">
                <p>{t('editor.stale')}</p>
                <button type="button" class="button button-secondary" onClick={reload}>
                  {t('editor.reload')}
                </button>
              </div>
            )}
            <Alert message={error} />
            {saved && <p class="notice" role="status">{saved}</p>}
            <button type="submit" class="button" disabled={busy || stale}>
              {busy ? t('editor.saving') : t('editor.save')}
            </button>
          </form>
          <section class="group" aria-labelledby="editor-preview">
            <h2 id="editor-preview">{t('editor.preview')}</h2>
            <p class="field-hint">{t('editor.previewHint')}</p>
            <Preview markdown={form.body} />
          </section>
          <SectionAttachments documentId={documentId} body={form.body} onLink={(link) => setDraft({ ...form, body: withLink(form.body, link) })} />
          <Revisions sectionId={sectionId} version={version} />
          <DeleteSection documentId={documentId} sectionId={sectionId} revision={data.revision} title={data.title} onStale={() => setStale(true)} />
        </>
      )}
    </Page>
  );
}

/** The documents an editor may change, drafts included; a new document. */
export function EditorScreen() {
  return (
    <Gate heading={t('editor.title')}>
      <Documents />
    </Gate>
  );
}

/** One document: publish or archive it, its sections, a new section. */
export function EditorDocumentScreen({ documentId }: { readonly documentId: string }) {
  return (
    <Gate heading={t('editor.title')}>
      <DocumentView documentId={documentId} />
    </Gate>
  );
}

/** One section's Markdown, saved as a new revision; its revisions and what changed between two. */
export function EditorSectionScreen({ documentId, sectionId }: { readonly documentId: string; readonly sectionId: string }) {
  return (
    <Gate heading={t('editor.sectionTitle')}>
      <SectionForm documentId={documentId} sectionId={sectionId} />
    </Gate>
  );
}
