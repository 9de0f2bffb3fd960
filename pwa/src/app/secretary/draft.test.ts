import { describe, expect, it } from 'vitest';
import { buildNotice, endOfDayInVietnam, type NoticeDraft } from './draft';

const NOW = new Date('2026-11-25T03:00:00Z'); // 10:00 in Vietnam
const DRAFT: NoticeDraft = { title: '  Họp chi bộ ', body: 'Nội dung', category: 'meeting', pinned: true, requiresAck: false, expiresOn: '' };

describe('endOfDayInVietnam', () => {
  it('is 23:59:59 of that day in Vietnam', () => {
    expect(endOfDayInVietnam('2026-11-30')?.toISOString()).toBe('2026-11-30T16:59:59.000Z');
  });

  it('refuses dates that do not exist or are not dates', () => {
    expect(endOfDayInVietnam('2026-02-30')).toBeNull();
    expect(endOfDayInVietnam('30/11/2026')).toBeNull();
    expect(endOfDayInVietnam('')).toBeNull();
  });
});

describe('buildNotice', () => {
  it('trims, keeps the client id and leaves out an empty expiry', () => {
    expect(buildNotice(DRAFT, 'id-1', NOW)).toEqual({
      notice: { id: 'id-1', title: 'Họp chi bộ', body: 'Nội dung', category: 'meeting', pinned: true, requires_acknowledgement: false },
    });
  });

  it('normalises Vietnamese to NFC (decomposed input from some keyboards)', () => {
    const built = buildNotice({ ...DRAFT, title: 'Ho\u0323p' }, 'id', NOW);
    expect('notice' in built && built.notice.title).toBe('H\u1ecdp');
  });

  it('asks for the title and the text', () => {
    expect(buildNotice({ ...DRAFT, title: '  ', body: '' }, 'id', NOW)).toEqual({ errors: { title: 'form.required', body: 'form.required' } });
  });

  it('takes an expiry from today on, never one already past', () => {
    expect(buildNotice({ ...DRAFT, expiresOn: '2026-11-25' }, 'id', NOW)).toMatchObject({ notice: { expires_at: '2026-11-25T16:59:59.000Z' } });
    expect(buildNotice({ ...DRAFT, expiresOn: '2026-11-24' }, 'id', NOW)).toEqual({ errors: { expires_on: 'secretary.expiresPast' } });
  });

  it('falls back to a general notice for an unknown category', () => {
    expect(buildNotice({ ...DRAFT, category: 'spam' }, 'id', NOW)).toMatchObject({ notice: { category: 'general' } });
  });
});
