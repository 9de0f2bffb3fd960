import { describe, expect, it } from 'vitest';
import type { Schemas } from '../../shared/api';
import {
  appealRequest,
  appealState,
  asReported,
  isReported,
  itemRef,
  MAX_APPEAL,
  MAX_DETAILS,
  REPORT_KIND,
  reportRequest,
  RETRACT_KIND,
  withoutReport,
  withReport,
} from './report';

describe('reportRequest', () => {
  it('needs a reason', () => {
    expect(reportRequest('', 'lời lẽ xúc phạm')).toEqual({ ok: false, problem: 'flag.needReason' });
  });
  it('needs a few words when the reason is "other"', () => {
    expect(reportRequest('other', '   ')).toEqual({ ok: false, problem: 'flag.needDetails' });
    expect(reportRequest('other', ' Nêu tên người khác ')).toEqual({ ok: true, value: { reason: 'other', details: 'Nêu tên người khác' } });
  });
  it('sends a reason alone, details trimmed and NFC', () => {
    expect(reportRequest('spam', '')).toEqual({ ok: true, value: { reason: 'spam', details: '' } });
    const decomposed = 'Xu\u0301c pha\u0323m';
    const checked = reportRequest('offensive', decomposed);
    expect(checked.ok && checked.value.details).toBe('Xúc phạm');
  });
  it('refuses details past the limit', () => {
    expect(reportRequest('spam', 'a'.repeat(MAX_DETAILS + 1))).toEqual({ ok: false, problem: 'flag.tooLong' });
    expect(reportRequest('spam', 'a'.repeat(MAX_DETAILS)).ok).toBe(true);
  });
});

describe('appealRequest', () => {
  it('needs text, trimmed, at most the limit', () => {
    expect(appealRequest('  ')).toEqual({ ok: false, problem: 'appeal.needText' });
    expect(appealRequest(' Tôi chỉ nêu ý kiến. ')).toEqual({ ok: true, value: { text: 'Tôi chỉ nêu ý kiến.' } });
    expect(appealRequest('a'.repeat(MAX_APPEAL + 1))).toEqual({ ok: false, problem: 'appeal.tooLong' });
  });
});

describe('what the phone remembers of reports', () => {
  const ref = itemRef('reply', 'r1');
  it('keeps only known reasons from the store', () => {
    expect(asReported(null)).toEqual({});
    expect(asReported(['reply:r1'])).toEqual({});
    expect(asReported({ [ref]: 'spam', 'faq:f1': 'bogus', 'thread:t1': 3 })).toEqual({ [ref]: 'spam' });
  });
  it('adds and removes without touching the others', () => {
    const one = withReport({ 'faq:f1': 'other' }, ref, 'offensive');
    expect(one).toEqual({ 'faq:f1': 'other', [ref]: 'offensive' });
    expect(withoutReport(one, ref)).toEqual({ 'faq:f1': 'other' });
    expect(withoutReport(one, 'thread:none')).toEqual(one);
  });
  it('lets the last write still waiting in the outbox decide', () => {
    const report = { kind: REPORT_KIND, ref };
    const retract = { kind: RETRACT_KIND, ref };
    const other = { kind: REPORT_KIND, ref: 'faq:f1' };
    expect(isReported({}, [], ref)).toBe(false);
    expect(isReported({ [ref]: 'spam' }, [], ref)).toBe(true);
    expect(isReported({}, [report], ref)).toBe(true);
    expect(isReported({ [ref]: 'spam' }, [retract], ref)).toBe(false);
    expect(isReported({ [ref]: 'spam' }, [retract, report], ref)).toBe(true);
    expect(isReported({}, [other, { kind: 'feedbackReply', ref }], ref)).toBe(false);
  });
});

describe('appealState', () => {
  const note = (appeal: Schemas['ModerationNote']['appeal']) =>
    ({ case_id: 'c1', reason: 'offensive', message: 'Lời lẽ chưa phù hợp', hidden_at: '2026-12-01T00:00:00Z', appeal, can_appeal: appeal === 'none' }) satisfies Schemas['ModerationNote'];
  it('says nothing before an appeal, then its state', () => {
    expect(appealState(note('none'))).toBeNull();
    expect(appealState(note('pending'))).toBe('appeal.pending');
    expect(appealState(note('upheld'))).toBe('appeal.upheld');
    expect(appealState(note('overturned'))).toBe('appeal.overturned');
  });
});
