import { describe, expect, it } from 'vitest';
import { checkInRequest, checkInWindow, isCode, nextMeeting, normaliseCode, noteTyping, parseCheckInQr } from './check-in';
import { base32Decode, codeAt, qrPayload, stepOf } from './totp';

const MEETING = '0b5e7c3a-1d2f-4a6b-8c9d-0e1f2a3b4c5d';

describe('the code a member types', () => {
  it('drops spaces and dashes and reads full-width digits', () => {
    expect(normaliseCode(' 123 456 ')).toBe('123456');
    expect(normaliseCode('123-456')).toBe('123456');
    expect(normaliseCode('１２３４５６')).toBe('123456');
    expect(isCode(normaliseCode('12345'))).toBe(false);
    expect(isCode(normaliseCode('1234567'))).toBe(false);
    expect(isCode('12a456')).toBe(false);
  });

  it('keeps the moment the sixth digit was typed, not the moment it is sent', () => {
    const first = noteTyping(null, '12345', 1000);
    expect(first).toBeNull();
    const seen = noteTyping(first, '123456', 2000);
    expect(seen).toEqual({ code: '123456', seenAt: 2000 });
    // Re-rendering with the same code later does not move the time.
    expect(noteTyping(seen, '123 456', 9000)).toBe(seen);
    // A different code is a new sighting.
    expect(noteTyping(seen, '123457', 9000)).toEqual({ code: '123457', seenAt: 9000 });
    expect(noteTyping(seen, '12345', 9000)).toBeNull();
  });

  it('sends the time the code was seen, with one id per check-in', () => {
    const seen = { code: '042042', seenAt: Date.UTC(2026, 11, 5, 12, 30, 15) };
    expect(checkInRequest(seen, 'id-1')).toEqual({
      check_in_id: 'id-1',
      code: '042042',
      observed_at: '2026-12-05T12:30:15.000Z',
    });
  });
});

describe('the check-in QR', () => {
  it('reads the meeting and code the secretary shows', () => {
    expect(parseCheckInQr(qrPayload(MEETING, '123456'))).toEqual({ meetingId: MEETING, code: '123456' });
    expect(parseCheckInQr(`ehb-checkin:1:${MEETING.toUpperCase()}:654321`)?.meetingId).toBe(MEETING);
  });

  it('refuses other QR codes', () => {
    expect(parseCheckInQr('https://example.com/')).toBeNull();
    expect(parseCheckInQr(`ehb-checkin:2:${MEETING}:123456`)).toBeNull();
    expect(parseCheckInQr(`ehb-checkin:1:not-a-uuid:123456`)).toBeNull();
    expect(parseCheckInQr(`ehb-checkin:1:${MEETING}:12345`)).toBeNull();
  });
});

describe('the check-in window and the next meeting', () => {
  const window = { check_in_opens_at: '2026-12-05T11:30:00Z', check_in_closes_at: '2026-12-05T14:30:00Z' };
  it('is open from its opening to its closing, both included', () => {
    expect(checkInWindow(window, Date.parse('2026-12-05T11:29:59Z'))).toBe('before');
    expect(checkInWindow(window, Date.parse('2026-12-05T11:30:00Z'))).toBe('open');
    expect(checkInWindow(window, Date.parse('2026-12-05T14:30:00Z'))).toBe('open');
    expect(checkInWindow(window, Date.parse('2026-12-05T14:30:01Z'))).toBe('after');
  });

  it('skips cancelled and finished meetings and keeps one under way', () => {
    const now = Date.parse('2026-12-05T12:00:00Z');
    const items = [
      { id: 'later', starts_at: '2027-01-05T12:00:00Z', ends_at: '2027-01-05T14:00:00Z', status: 'scheduled' as const },
      { id: 'cancelled', starts_at: '2026-12-06T12:00:00Z', ends_at: '2026-12-06T14:00:00Z', status: 'cancelled' as const },
      { id: 'now', starts_at: '2026-12-05T11:00:00Z', ends_at: '2026-12-05T13:00:00Z', status: 'scheduled' as const },
      { id: 'over', starts_at: '2026-12-04T11:00:00Z', ends_at: '2026-12-04T13:00:00Z', status: 'held' as const },
    ];
    expect(nextMeeting(items, now)?.id).toBe('now');
    expect(nextMeeting(items, Date.parse('2026-12-05T13:00:01Z'))?.id).toBe('later');
    expect(nextMeeting([], now)).toBeNull();
  });
});

describe('codes computed on the secretary phone', () => {
  // Reference values from api/meetings/codes.py with the secret bytes 0..31.
  const secret = base32Decode('AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPQ');

  it('decodes the exported secret', () => {
    expect(Array.from(secret ?? [])).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(base32Decode('not base32!')).toBeNull();
  });

  it('agrees with the server', async () => {
    expect(await codeAt(secret!, 0)).toBe('464393');
    expect(await codeAt(secret!, stepOf(59_000_000_000, 30))).toBe('705247');
    expect(await codeAt(secret!, 58_000_123)).toBe('229591');
  });
});
