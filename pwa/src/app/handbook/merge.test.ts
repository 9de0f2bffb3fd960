import 'fake-indexeddb/auto';
import { deleteDB, openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OfflineChanges, OfflineDocument, OfflineManifest, OfflineSection } from '../../shared/handbook-types';
import { openAppDb, type AppDatabase } from '../storage';
import { planMerge, type LocalIndex } from './merge';
import { applyPlan, CURSOR_KEY, localIndex, readDocument } from './store';

const hash = (text: string) => text.padEnd(64, '0');

function doc(id: string, sections: Array<[string, string]>, title = `Tài liệu ${id}`): OfflineDocument {
  return {
    id,
    slug: id,
    kind: 'handbook_chapter',
    title,
    summary: '',
    revision: 1,
    position: 0,
    requires_ack: false,
    sections: sections.map(([sectionId, text], position) => ({ id: sectionId, position, content_hash: hash(text) })),
  };
}

function section(id: string, documentId: string, text: string, position = 0): OfflineSection {
  return {
    id,
    document_id: documentId,
    position,
    title: `Mục ${id}`,
    body_html: `<p>${text}</p>`,
    content_hash: hash(text),
    revision: 1,
    requires_ack: false,
    ack_hash: hash(`ack-${text}`),
  };
}

const manifest = (cursor: string, documents: OfflineDocument[]): OfflineManifest => ({ cursor, documents });

function changes(cursor: string, part: Partial<Omit<OfflineChanges, 'cursor'>> = {}): OfflineChanges {
  return { cursor, documents: [], sections: [], removed_documents: [], removed_sections: [], ...part };
}

const EMPTY: LocalIndex = { documentIds: [], sectionHashes: new Map() };

describe('planMerge', () => {
  it('takes everything on the first sync', () => {
    const d1 = doc('d1', [['s1', 'a'], ['s2', 'b']]);
    const plan = planMerge(EMPTY, manifest('10', [d1]), changes('11', { documents: [d1], sections: [section('s1', 'd1', 'a'), section('s2', 'd1', 'b')] }));
    expect(plan.documents).toEqual([d1]);
    expect(plan.putSections.map((s) => s.id)).toEqual(['s1', 's2']);
    expect(plan).toMatchObject({ deleteDocuments: [], deleteSections: [], missing: [], cursor: '11' });
  });

  it('adds, changes and keeps sections by content hash', () => {
    const local: LocalIndex = { documentIds: ['d1'], sectionHashes: new Map([['s1', hash('a')], ['s2', hash('b')]]) };
    const d1 = doc('d1', [['s1', 'a'], ['s2', 'b2'], ['s3', 'c']]);
    const plan = planMerge(local, manifest('20', [d1]), changes('21', { documents: [d1], sections: [section('s2', 'd1', 'b2'), section('s3', 'd1', 'c')] }));
    expect(plan.putSections.map((s) => s.id)).toEqual(['s2', 's3']);
    expect(plan.missing).toEqual([]);
    expect(plan.deleteSections).toEqual([]);
  });

  it('removes sections and documents the server removed', () => {
    const local: LocalIndex = {
      documentIds: ['d1', 'd2'],
      sectionHashes: new Map([['s1', hash('a')], ['s2', hash('b')], ['s9', hash('z')]]),
    };
    const d1 = doc('d1', [['s1', 'a']]);
    const plan = planMerge(
      local,
      manifest('30', [d1]),
      changes('31', { documents: [d1], removed_documents: ['d2'], removed_sections: ['s2'] }),
    );
    expect(plan.documents.map((d) => d.id)).toEqual(['d1']);
    expect(plan.deleteDocuments).toEqual(['d2']);
    expect(plan.deleteSections.sort()).toEqual(['s2', 's9']);
  });

  it('drops what the manifest no longer lists (the member moved to another branch)', () => {
    const local: LocalIndex = { documentIds: ['d1', 'old'], sectionHashes: new Map([['s1', hash('a')], ['x', hash('x')]]) };
    const d1 = doc('d1', [['s1', 'a']]);
    const plan = planMerge(local, manifest('40', [d1]), changes('41'));
    expect(plan.deleteDocuments).toEqual(['old']);
    expect(plan.deleteSections).toEqual(['x']);
    expect(plan.missing).toEqual([]);
  });

  it('lets the changes, asked after the manifest, win', () => {
    const before = doc('d1', [['s1', 'a']], 'Tên cũ');
    const after = doc('d1', [['s1', 'a'], ['s2', 'b']], 'Tên mới');
    const added = doc('d2', [['s3', 'c']]);
    const plan = planMerge(
      { documentIds: ['d1'], sectionHashes: new Map([['s1', hash('a')]]) },
      manifest('50', [before]),
      changes('51', { documents: [after, added], sections: [section('s2', 'd1', 'b'), section('s3', 'd2', 'c')] }),
    );
    expect(plan.documents.map((d) => d.title)).toEqual(['Tên mới', 'Tài liệu d2']);
    expect(plan.putSections.map((s) => s.id)).toEqual(['s2', 's3']);
    expect(plan.missing).toEqual([]);
  });

  it('takes a section text newer than the hash the manifest listed', () => {
    const plan = planMerge(
      { documentIds: ['d1'], sectionHashes: new Map([['s1', hash('a')]]) },
      manifest('60', [doc('d1', [['s1', 'a']])]),
      changes('61', { sections: [section('s1', 'd1', 'a2')] }),
    );
    expect(plan.putSections.map((s) => s.content_hash)).toEqual([hash('a2')]);
    expect(plan.missing).toEqual([]);
  });

  it('finds sections whose current text the phone lacks', () => {
    const plan = planMerge(
      { documentIds: ['d1'], sectionHashes: new Map([['s1', hash('old')]]) },
      manifest('70', [doc('d1', [['s1', 'new'], ['s2', 'b']])]),
      changes('71'),
    );
    expect(plan.missing).toEqual(['s1', 's2']);
  });

  it('ignores sections of documents the member may not keep, and stale section entries in a list', () => {
    const d1 = doc('d1', [['s1', 'a'], ['s2', 'b']]);
    const plan = planMerge(
      EMPTY,
      manifest('80', [d1]),
      changes('81', { sections: [section('s1', 'd1', 'a'), section('stranger', 'dx', 'x')], removed_sections: ['s2'] }),
    );
    expect(plan.putSections.map((s) => s.id)).toEqual(['s1']);
    expect(plan.documents[0]?.sections.map((ref) => ref.id)).toEqual(['s1']);
    expect(plan.missing).toEqual([]);
  });
});

describe('applyPlan', () => {
  const name = 'merge-apply-test';
  let db: AppDatabase;

  beforeEach(async () => {
    db = await openAppDb(name);
  });

  afterEach(async () => {
    db.close();
    await deleteDB(name);
  });

  it('writes a plan and reads it back in the document order, cursor included', async () => {
    const d1 = doc('d1', [['s2', 'b'], ['s1', 'a']]);
    const first = planMerge(await localIndex(db), manifest('1', [d1]), changes('2', { documents: [d1], sections: [section('s1', 'd1', 'a'), section('s2', 'd1', 'b')] }));
    expect(await applyPlan(db, first)).toBe(true);
    expect(await db.get('meta', CURSOR_KEY)).toBe('2');
    const read = await readDocument(db, 'd1');
    expect(read?.sections.map((s) => s.id)).toEqual(['s2', 's1']);

    const index = await localIndex(db);
    expect([...index.documentIds]).toEqual(['d1']);
    expect(index.sectionHashes).toEqual(new Map([['s1', hash('a')], ['s2', hash('b')]]));

    // Nothing new: nothing a reader sees changed, but the cursor moves on.
    const again = planMerge(index, manifest('3', [d1]), changes('4'));
    expect(await applyPlan(db, again)).toBe(false);
    expect(await db.get('meta', CURSOR_KEY)).toBe('4');

    const removed = planMerge(await localIndex(db), manifest('5', []), changes('6', { removed_documents: ['d1'] }));
    expect(await applyPlan(db, removed)).toBe(true);
    expect(await db.count('documents')).toBe(0);
    expect(await db.count('sections')).toBe(0);
  });
});

describe('the database upgrade', () => {
  const name = 'upgrade-test';

  afterEach(async () => {
    await deleteDB(name);
  });

  it('keeps version 1 data and adds the new stores', async () => {
    const v1 = await openDB(name, 1, { upgrade: (db) => void db.createObjectStore('meta') });
    await v1.put('meta', 'kept', 'fact');
    v1.close();

    const db = await openAppDb(name);
    expect(await db.get('meta', 'fact')).toBe('kept');
    expect([...db.objectStoreNames].sort()).toEqual(['acks', 'bookmarks', 'documents', 'failedWrites', 'meta', 'outbox', 'sections']);
    db.close();
  });
});
