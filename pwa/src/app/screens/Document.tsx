import { useEffect } from 'preact/hooks';
import { LoadFailure } from '../components/LoadFailure';
import { Page } from '../components/Page';
import { SyncStatus } from '../components/SyncStatus';
import { useLoad } from '../components/useLoad';
import { ackState, ackVersion, readAck, refreshAcks } from '../handbook/acknowledge';
import { loadDocument, type SectionItem } from '../handbook/content';
import { contentVersion } from '../handbook/sync';
import { t } from '../i18n';
import { links, paths } from '../router';
import type { AckRecord } from '../storage';

async function readAcks(sections: readonly SectionItem[]): Promise<Map<string, AckRecord | undefined>> {
  const needed = sections.filter((section) => section.requiresAck);
  return new Map(await Promise.all(needed.map(async (s) => [s.id, await readAck(s.id)] as const)));
}

function AckBadge({ section, record }: { readonly section: SectionItem; readonly record: AckRecord | undefined }) {
  const state = ackState(record, section.id, section.ackHash);
  if (state === 'done') return <span class="badge badge-done">{t('document.acked')}</span>;
  if (state === 'pending') return <span class="badge badge-done">{t('document.ackPending')}</span>;
  return <span class="badge badge-todo">{t('document.needsAck')}</span>;
}

export function DocumentScreen({ documentId }: { readonly documentId: string }) {
  const version = contentVersion.value;
  const { data, error, loading } = useLoad(() => loadDocument(documentId), [documentId, version]);
  const acks = useLoad(() => readAcks(data?.sections ?? []), [data, ackVersion.value]);
  // What this member acknowledged on another phone, or before this phone kept the handbook.
  useEffect(() => void refreshAcks(documentId), [documentId]);

  const back = (
    <p class="crumb">
      <a href={paths.handbook}>{t('document.back')}</a>
    </p>
  );
  if (!data) {
    return (
      <Page heading={loading ? t('app.loading') : t('handbook.title')} before={back}>
        {loading ? <p class="loading" role="status">{t('app.loading')}</p> : <LoadFailure error={error} />}
      </Page>
    );
  }
  return (
    <Page heading={data.title} before={back}>
      {data.summary && <p class="lead">{data.summary}</p>}
      <SyncStatus />
      <h2>{t('document.sections')}</h2>
      {data.sections.length === 0 ? (
        <p>{t('document.noSections')}</p>
      ) : (
        <ol class="cards">
          {data.sections.map((section) => (
            <li key={section.id}>
              <a class="card" href={links.section(data.id, section.id)}>
                <span class="card-title">{section.title}</span>
                {section.requiresAck && <AckBadge section={section} record={acks.data?.get(section.id)} />}
              </a>
            </li>
          ))}
        </ol>
      )}
    </Page>
  );
}
