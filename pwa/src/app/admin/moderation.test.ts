import { describe, expect, it } from 'vitest';
import { actionsFor, reasonSummary, toRequest, unitsOf } from './moderation';

const item = { item_kind: 'reply' as const, hidden: false, locked: false, report_count: 2 };
const empty = { reason: '', message: '', days: '' };

describe('actionsFor', () => {
  it('offers hide on a visible item and restore on a hidden one', () => {
    expect(actionsFor(item)).toEqual(['hide', 'restrict', 'dismiss']);
    expect(actionsFor({ ...item, hidden: true, report_count: 0 })).toEqual(['restore', 'restrict']);
  });

  it('offers lock or unlock on threads only', () => {
    expect(actionsFor({ ...item, item_kind: 'thread' })).toContain('lock');
    expect(actionsFor({ ...item, item_kind: 'thread', locked: true })).toContain('unlock');
    expect(actionsFor({ ...item, item_kind: 'faq' })).not.toContain('lock');
  });
});

describe('toRequest', () => {
  it('sends restore, lock and dismiss without a form', () => {
    expect(toRequest('restore', empty)).toEqual({ body: { action: 'restore' } });
    expect(toRequest('lock', { ...empty, reason: 'ignored' })).toEqual({ body: { action: 'lock' } });
  });

  it('needs a reason to hide, and sends the trimmed message to the author', () => {
    expect(toRequest('hide', { ...empty, reason: '   ' })).toEqual({ error: 'moderation.needReason' });
    expect(toRequest('hide', { reason: ' Xúc phạm ', message: ' Xin sửa lại lời lẽ. ', days: '' })).toEqual({
      body: { action: 'hide', reason: 'Xúc phạm', message: 'Xin sửa lại lời lẽ.' },
    });
  });

  it('needs a whole number of days between 1 and 365 to restrict', () => {
    for (const days of ['', '0', '2.5', '366', 'ba']) {
      expect(toRequest('restrict', { reason: 'Spam', message: '', days })).toEqual({ error: 'moderation.needDays' });
    }
    expect(toRequest('restrict', { reason: 'Spam', message: ' Tạm nghỉ một tuần. ', days: '7' })).toEqual({
      body: { action: 'restrict', reason: 'Spam', message: 'Tạm nghỉ một tuần.', days: 7 },
    });
  });
});

describe('unitsOf', () => {
  it('lists each unit once, by Vietnamese name', () => {
    const items = [
      { unit_id: 2, unit_name: 'Xã Tân Lập' },
      { unit_id: 1, unit_name: 'Chi bộ Ấp 1' },
      { unit_id: 2, unit_name: 'Xã Tân Lập' },
    ];
    expect(unitsOf(items)).toEqual([
      { id: 1, name: 'Chi bộ Ấp 1' },
      { id: 2, name: 'Xã Tân Lập' },
    ]);
  });
});

describe('reasonSummary', () => {
  it('lists the most frequent reason first, with its count', () => {
    const summary = reasonSummary(
      [
        { reason: 'other', count: 1 },
        { reason: 'spam', count: 3 },
      ],
      (reason) => reason.toUpperCase(),
    );
    expect(summary).toBe('SPAM (3), OTHER (1)');
  });
});
