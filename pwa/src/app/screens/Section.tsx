import { useRef } from 'preact/hooks';
import { AckPanel } from '../components/AckPanel';
import { LoadFailure } from '../components/LoadFailure';
import { Page } from '../components/Page';
import { ReaderTools } from '../components/ReaderTools';
import { useLoad } from '../components/useLoad';
import { loadSection } from '../handbook/content';
import { contentVersion } from '../handbook/sync';
import { t } from '../i18n';
import { links } from '../router';
import { textSize } from '../text-size';

export function SectionScreen({ documentId, sectionId }: { readonly documentId: string; readonly sectionId: string }) {
  const version = contentVersion.value;
  const { data, error, loading } = useLoad(() => loadSection(sectionId), [sectionId, version]);
  const bodyRef = useRef<HTMLDivElement>(null);

  if (!data) {
    return (
      <Page
        heading={loading ? t('app.loading') : t('handbook.title')}
        before={
          <p class="crumb">
            <a href={links.document(documentId)}>{t('document.back')}</a>
          </p>
        }
      >
        {loading ? <p class="loading" role="status">{t('app.loading')}</p> : <LoadFailure error={error} />}
      </Page>
    );
  }

  const { section, documentTitle, previous, next } = data;
  const documentLink = links.document(section.document_id);
  return (
    <Page
      heading={section.title}
      before={
        <p class="crumb">
          <a href={documentLink}>{documentTitle ? t('section.back', { title: documentTitle }) : t('document.back')}</a>
        </p>
      }
    >
      <ReaderTools
        sectionId={section.id}
        documentId={section.document_id}
        title={section.title}
        documentTitle={documentTitle}
        text={() => `${section.title}\n${bodyRef.current?.innerText ?? ''}`}
      />
      <div
        ref={bodyRef}
        class={`reader reader-size-${textSize.value}`}
        // The server renders Markdown without raw HTML and sanitizes the result with nh3 (ammonia) on an
        // allow-list (no scripts, no style attributes, https/mailto/tel links only: api/handbook/rendering.py),
        // and the CSP forbids inline script anyway: the one place the page takes HTML from the server.
        dangerouslySetInnerHTML={{ __html: section.body_html }}
      />
      {section.requires_ack && <AckPanel section={section} />}
      {(previous || next) && (
        <nav class="pager" aria-label={t('section.pager')}>
          {previous && (
            <a class="button button-secondary pager-previous" href={links.section(section.document_id, previous.id)}>
              <span class="pager-hint">{t('section.previous')}</span>
              <span>{previous.title}</span>
            </a>
          )}
          {next && (
            <a class="button button-secondary pager-next" href={links.section(section.document_id, next.id)}>
              <span class="pager-hint">{t('section.next')}</span>
              <span>{next.title}</span>
            </a>
          )}
        </nav>
      )}
    </Page>
  );
}
