import { describe, expect, it } from 'vitest';
import type { Schemas } from '../../shared/api';
import { faqBlocker, faqDefaults, faqPublish, namesAsker } from './faq';

const reply = (body: string, byAsker: boolean, hidden = false) => ({ id: body, by_asker: byAsker, body, hidden }) as Schemas['FeedbackReply'];

const thread = {
  id: 't1',
  title: 'Đảng phí',
  body: 'Đảng viên nghỉ hưu đóng đảng phí thế nào?',
  status: 'answered',
  answered_at: '2026-12-01T00:00:00Z',
  faq_consent: true,
  hidden: false,
  author: { member_id: 'm1', full_name: 'Nguyễn Văn An' },
  replies: [reply('Trả lời cũ', false), reply('Cảm ơn', true), reply('Đóng 0,5% lương hưu.', false), reply('Bị ẩn', false, true)],
} as unknown as Schemas['FeedbackThread'];

describe('faqBlocker', () => {
  it('lets an answered or closed thread with consent through, and says why not otherwise', () => {
    expect(faqBlocker(thread)).toBeNull();
    expect(faqBlocker({ ...thread, status: 'closed' })).toBeNull();
    expect(faqBlocker({ ...thread, status: 'acknowledged', answered_at: null })).toBe('faqPublish.notAnswered');
    expect(faqBlocker({ ...thread, faq_consent: false })).toBe('faqPublish.noConsent');
    expect(faqBlocker({ ...thread, hidden: true })).toBe('faqPublish.hidden');
  });
});

describe('faqDefaults', () => {
  it("starts from the member's question and the staff's last visible answer", () => {
    expect(faqDefaults(thread)).toEqual({ question: 'Đảng phí\n\nĐảng viên nghỉ hưu đóng đảng phí thế nào?', answer: 'Đóng 0,5% lương hưu.' });
    expect(faqDefaults({ ...thread, title: '', replies: [] })).toEqual({ question: thread.body, answer: '' });
  });
});

describe('faqPublish', () => {
  it("refuses the asker's name in either text, whatever its case", () => {
    expect(namesAsker('Đồng chí NGUYỄN VĂN AN hỏi', 'Nguyễn Văn An')).toBe(true);
    expect(namesAsker('Một đồng chí hỏi', 'Nguyễn Văn An')).toBe(false);
    expect(namesAsker('bất kỳ', null)).toBe(false);
    expect(faqPublish(thread, 'Đồng chí Nguyễn Văn An hỏi về đảng phí', 'Trả lời nguyễn văn an: 0,5%')).toEqual({
      ok: false,
      errors: { question: 'faqPublish.hasName', answer: 'faqPublish.hasName' },
    });
  });

  it('builds the body with trimmed texts, and wants both', () => {
    expect(faqPublish(thread, ' Hỏi? ', ' Đáp. ')).toEqual({ ok: true, value: { thread_id: 't1', question: 'Hỏi?', answer_md: 'Đáp.' } });
    expect(faqPublish(thread, ' ', '')).toEqual({ ok: false, errors: { question: 'faqPublish.needQuestion', answer: 'faqPublish.needAnswer' } });
    expect(faqPublish(thread, 'x'.repeat(1001), 'Đáp')).toEqual({ ok: false, errors: { question: 'edit.tooLong' } });
  });
});
