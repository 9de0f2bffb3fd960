import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAppDb, type AppDatabase } from '../storage';
import { asDraft, checkDraft, clearDraft, DRAFT_KEY, emptyDraft, excerpt, feedbackRequest, loadDraft, saveDraft } from './draft';

let db: AppDatabase;
let name = '';
let count = 0;

beforeEach(async () => {
  name = `draft-test-${++count}`;
  db = await openAppDb(name);
});

afterEach(async () => {
  db.close();
  await deleteDB(name);
});

describe('the feedback draft on the phone', () => {
  it('survives closing and opening the database (a reload)', async () => {
    const draft = { ...emptyDraft('d-1', 1), body: 'Đề nghị sửa đường liên thôn', kind: 'petition' as const, anonymous: true };
    await saveDraft(db, draft);
    db.close();
    db = await openAppDb(name);
    expect(await loadDraft(db)).toEqual(draft);
  });

  it('keeps nothing for a blank draft', async () => {
    await saveDraft(db, { ...emptyDraft('d-1', 1), body: 'chữ' });
    await saveDraft(db, { ...emptyDraft('d-1', 2), body: '   \n ' });
    expect(await db.get('meta', DRAFT_KEY)).toBeUndefined();
    expect(await loadDraft(db)).toBeNull();
  });

  it('is cleared only by the draft that was sent, not a newer one', async () => {
    await saveDraft(db, { ...emptyDraft('new', 1), body: 'viết sau' });
    await clearDraft(db, 'old');
    expect((await loadDraft(db))?.id).toBe('new');
    await clearDraft(db, 'new');
    expect(await loadDraft(db)).toBeNull();
  });

  it('reads a damaged record safely', () => {
    expect(asDraft(null)).toBeNull();
    expect(asDraft({ id: 1, body: 'x', title: '' })).toBeNull();
    const odd = asDraft({ id: 'x', body: 'b', title: '', kind: 'rant', level: 'nation', anonymous: 'yes' });
    expect(odd).toMatchObject({ kind: 'suggestion', level: 'branch', category: 'general', anonymous: false });
  });
});

describe('sending a draft', () => {
  it('needs words in the body, within the limits', () => {
    expect(checkDraft({ ...emptyDraft('d', 0), title: 'Tiêu đề', body: '  ' })).toBe('bodyMissing');
    expect(checkDraft({ ...emptyDraft('d', 0), body: 'x'.repeat(5001) })).toBe('bodyTooLong');
    expect(checkDraft({ ...emptyDraft('d', 0), body: 'ok', title: 't'.repeat(201) })).toBe('titleTooLong');
    expect(checkDraft({ ...emptyDraft('d', 0), body: 'ok' })).toBeNull();
  });

  it('carries the draft id and the choices, as the member wrote them (trimmed)', () => {
    const draft = { ...emptyDraft('d-9', 0), body: '  1. Một\n* hai  ', title: ' ', level: 'commune' as const, faqConsent: true };
    expect(feedbackRequest(draft)).toEqual({
      id: 'd-9',
      body: '1. Một\n* hai',
      title: '',
      kind: 'suggestion',
      level: 'commune',
      category: 'general',
      anonymous: false,
      faq_consent: true,
    });
  });

  it('lists by title, else by the first words', () => {
    expect(excerpt('Tiêu đề', 'nội dung')).toBe('Tiêu đề');
    expect(excerpt(' ', 'một\n\nhai   ba')).toBe('một hai ba');
    expect(excerpt('', 'x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
