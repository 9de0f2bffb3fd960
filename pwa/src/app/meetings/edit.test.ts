import { describe, expect, it } from 'vitest';
import type { Schemas } from '../../shared/api';
import { cancelRequest, fieldsOf, localParts, meetingUpdate, movesMeeting } from './edit';

const meeting = {
  id: 'm1',
  title: 'Sinh hoạt thường kỳ tháng 12',
  starts_at: '2026-12-05T12:30:00Z', // 19:30 in Vietnam
  ends_at: '2026-12-05T14:30:00Z',
  place: 'Nhà văn hóa ấp 3',
  agenda_md: '1. Kiểm điểm\n2. Kế hoạch',
  materials: [{ document_id: 'd1', title: 'Điều lệ Đảng', linked_at: '2026-11-01T00:00:00Z' }],
} as unknown as Schemas['Meeting'];

describe('fieldsOf', () => {
  it("shows the meeting on the branch's clock, whatever the phone's zone", () => {
    expect(fieldsOf(meeting)).toEqual({
      title: 'Sinh hoạt thường kỳ tháng 12',
      date: '2026-12-05',
      time: '19:30',
      duration: '120',
      place: 'Nhà văn hóa ấp 3',
      agenda: '1. Kiểm điểm\n2. Kế hoạch',
      materials: ['d1'],
    });
  });

  it('crosses midnight in Vietnam, not in UTC', () => {
    expect(localParts('2026-12-05T18:00:00Z')).toEqual({ date: '2026-12-06', time: '01:00' });
  });
});

describe('meetingUpdate', () => {
  it('sends only what changed: a new day and time as an aware timestamp', () => {
    const result = meetingUpdate(meeting, { ...fieldsOf(meeting), date: '2026-12-07', time: '20:00' });
    expect(result).toEqual({ ok: true, value: { starts_at: '2026-12-07T20:00:00+07:00' } });
  });

  it('does not count the same moment typed in local time as a move', () => {
    const result = meetingUpdate(meeting, { ...fieldsOf(meeting), place: '  Hội trường xã ' });
    expect(result).toEqual({ ok: true, value: { place: 'Hội trường xã' } });
  });

  it('sends the whole material list when it changed, in the chosen order', () => {
    const result = meetingUpdate(meeting, { ...fieldsOf(meeting), materials: ['d2', 'd1'] });
    expect(result).toEqual({ ok: true, value: { materials: ['d2', 'd1'] } });
    expect(meetingUpdate(meeting, { ...fieldsOf(meeting), materials: [] })).toEqual({ ok: true, value: { materials: [] } });
  });

  it('refuses an unchanged form', () => {
    expect(meetingUpdate(meeting, fieldsOf(meeting))).toEqual({ ok: false, errors: { form: 'edit.nothingChanged' } });
  });

  it('names each field to fix', () => {
    const result = meetingUpdate(meeting, { ...fieldsOf(meeting), title: '  ', time: '25:00', duration: '10', materials: ['d1', 'd1'] });
    expect(result).toEqual({
      ok: false,
      errors: { title: 'edit.needTitle', date: 'edit.needDateTime', duration: 'edit.badDuration', materials: 'edit.badMaterials' },
    });
    expect(meetingUpdate(meeting, { ...fieldsOf(meeting), duration: '90.5' })).toMatchObject({ ok: false, errors: { duration: 'edit.badDuration' } });
    expect(meetingUpdate(meeting, { ...fieldsOf(meeting), place: 'x'.repeat(301) })).toMatchObject({ ok: false, errors: { place: 'edit.tooLong' } });
  });

  it('a new length alone moves the end and warns of a move', () => {
    const result = meetingUpdate(meeting, { ...fieldsOf(meeting), duration: '90' });
    expect(result).toEqual({ ok: true, value: { duration_minutes: 90 } });
    expect(result.ok && movesMeeting(result.value)).toBe(true);
    expect(movesMeeting({ title: 'Khác', agenda_md: 'x' })).toBe(false);
  });
});

describe('cancelRequest', () => {
  it('wants a reason, trimmed', () => {
    expect(cancelRequest('   ')).toEqual({ ok: false, errors: { form: 'edit.needReason' } });
    expect(cancelRequest(' Mưa bão, hoãn sang tuần sau ')).toEqual({ ok: true, value: { reason: 'Mưa bão, hoãn sang tuần sau' } });
    expect(cancelRequest('x'.repeat(1001))).toEqual({ ok: false, errors: { form: 'edit.tooLong' } });
  });
});
