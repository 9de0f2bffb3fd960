import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OfflineDocument, OfflineSection } from '../../shared/handbook-types';
import { openAppDb, type AppDatabase } from '../storage';
import { planMerge } from './merge';
import { applyPlan, CURSOR_KEY, localIndex, readDocument, WRITE_BATCH } from './store';

const hash = (text: string) => text.padEnd(64, '0');

function section(id: string, documentId: string, position: number): OfflineSection {
  return {
    id,
    document_id: documentId,
    position,
    title: `Mục ${id}`,
    body_html: `<p>Nội dung ${id}</p>`,
    content_hash: hash(id),
    revision: 1,
    requires_ack: false,
    ack_hash: hash(`ack-${id}`),
  };
}

function handbook(count: number): { document: OfflineDocument; sections: OfflineSection[] } {
  const sections = Array.from({ length: count }, (_, at) => section(`s${at}`, 'd1', at));
  const document: OfflineDocument = {
    id: 'd1',
    slug: 'd1',
    kind: 'handbook_chapter',
    title: 'Điều lệ Đảng',
    summary: '',
    revision: 1,
    position: 0,
    requires_ack: false,
    sections: sections.map((s) => ({ id: s.id, position: s.position, content_hash: s.content_hash })),
  };
  return { document, sections };
}

const firstSync = (count: number, cursor = '7') => {
  const { document, sections } = handbook(count);
  return planMerge(
    { documentIds: [], sectionHashes: new Map() },
    { cursor, documents: [document] },
    { cursor, documents: [document], sections, removed_documents: [], removed_sections: [] },
  );
};

let db: AppDatabase;
let name: string;
let counter = 0;

beforeEach(async () => {
  name = `store-test-${++counter}`;
  db = await openAppDb(name);
});

afterEach(async () => {
  db.close();
  await deleteDB(name);
});

describe('applyPlan', () => {
  it('writes a whole first download in small transactions, giving the main thread back between them', async () => {
    const count = WRITE_BATCH * 2 + 5;
    let pauses = 0;
    const changed = await applyPlan(db, firstSync(count), async () => {
      pauses += 1;
    });
    expect(changed).toBe(true);
    expect(pauses).toBe(3);
    expect(await db.count('sections')).toBe(count);
    expect(await db.get('meta', CURSOR_KEY)).toBe('7');
    expect((await readDocument(db, 'd1'))?.sections.map((s) => s.id)).toEqual(handbook(count).sections.map((s) => s.id));
  });

  it('reports no change when the same plan is applied again', async () => {
    const plan = firstSync(3);
    await applyPlan(db, plan, async () => undefined);
    const again = { ...plan, putSections: [] };
    expect(await applyPlan(db, again, async () => undefined)).toBe(false);
  });

  it('keeps the old cursor when cut short, and the next plan finds what is still missing', async () => {
    await db.put('meta', '0', CURSOR_KEY);
    const count = WRITE_BATCH * 3;
    let pauses = 0;
    const cut = applyPlan(db, firstSync(count), async () => {
      pauses += 1;
      if (pauses === 2) throw new Error('tab closed');
    });
    await expect(cut).rejects.toThrow('tab closed');
    expect(await db.get('meta', CURSOR_KEY)).toBe('0');
    const local = await localIndex(db);
    expect(local.sectionHashes.size).toBe(WRITE_BATCH * 2);
    const { document } = handbook(count);
    const next = planMerge(local, { cursor: '9', documents: [document] }, {
      cursor: '9', documents: [], sections: [], removed_documents: [], removed_sections: [],
    });
    expect(next.missing).toEqual(handbook(count).sections.slice(WRITE_BATCH * 2).map((s) => s.id));
  });

  it('deletes sections and documents no longer listed', async () => {
    await applyPlan(db, firstSync(4), async () => undefined);
    const changed = await applyPlan(
      db,
      { documents: [], deleteDocuments: ['d1'], putSections: [], deleteSections: ['s0', 's1', 's2', 's3'], missing: [], cursor: '8' },
      async () => undefined,
    );
    expect(changed).toBe(true);
    expect(await db.count('sections')).toBe(0);
    expect(await db.count('documents')).toBe(0);
    expect(await db.get('meta', CURSOR_KEY)).toBe('8');
  });
});
