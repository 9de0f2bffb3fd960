import { describe, expect, it } from 'vitest';
import type { QueuedWrite } from '../storage';
import { choose, materialsRead, needsOpened, progressEvent, PROGRESS_KIND, quizAnswers } from './progress';

let counter = 0;
const ids = () => `id-${++counter}`;

function queued(ref: string, events: unknown[], kind = PROGRESS_KIND): QueuedWrite {
  return { key: `k-${++counter}`, kind, ref, label: '', method: 'POST', path: '', body: { events }, createdAt: 0, attempts: 0 };
}

const progress = (opened: boolean, read: string[] = []) => ({
  opened,
  materials_read: read,
  materials_total: 3,
  quiz_required: false,
  quiz_passed: false,
  best_score_percent: null,
  attempts_used: 0,
  reflection_required: false,
  reflection_status: null,
  completed: false,
  overdue: false,
});

describe('progress events', () => {
  it('get a fresh id each, made once when the member acts', () => {
    const first = progressEvent('read', Date.UTC(2026, 0, 2, 3, 4, 5), ids, 'doc-1');
    const second = progressEvent('read', Date.UTC(2026, 0, 2, 3, 4, 5), ids, 'doc-1');
    expect(first.event_id).not.toBe(second.event_id);
    expect(first).toMatchObject({ kind: 'read', document_id: 'doc-1', occurred_at: '2026-01-02T03:04:05.000Z' });
    expect('document_id' in progressEvent('opened', 0, ids)).toBe(false);
  });

  it('count reads still waiting in the outbox, of this program only', () => {
    const program = { id: 'p1', progress: progress(true, ['doc-1']) };
    const pending = [
      queued('p1', [progressEvent('read', 0, ids, 'doc-2')]),
      queued('p2', [progressEvent('read', 0, ids, 'doc-3')]),
      queued('p1', [{ event_id: 'x', kind: 'read', document_id: 'doc-4' }], 'acknowledge'),
    ];
    expect([...materialsRead(program, pending)].sort()).toEqual(['doc-1', 'doc-2']);
  });

  it('record "opened" once: not when the server knows it, not when one is waiting, not when unassigned', () => {
    expect(needsOpened({ id: 'p1', progress: progress(false) }, [])).toBe(true);
    expect(needsOpened({ id: 'p1', progress: progress(true) }, [])).toBe(false);
    expect(needsOpened({ id: 'p1', progress: null }, [])).toBe(false);
    expect(needsOpened({ id: 'p1', progress: progress(false) }, [queued('p1', [progressEvent('opened', 0, ids)])])).toBe(false);
    expect(needsOpened({ id: 'p1', progress: progress(false) }, [queued('p2', [progressEvent('opened', 0, ids)])])).toBe(true);
  });
});

describe('quiz answers', () => {
  const single = { id: 'q1', kind: 'single' as const };
  const multiple = { id: 'q2', kind: 'multiple' as const };

  it('keep one option for a single-answer question and several for a multiple one', () => {
    let chosen = choose(new Map(), single, 'a', true);
    chosen = choose(chosen, single, 'b', true);
    chosen = choose(chosen, multiple, 'x', true);
    chosen = choose(chosen, multiple, 'y', true);
    chosen = choose(chosen, multiple, 'x', false);
    expect([...(chosen.get('q1') ?? [])]).toEqual(['b']);
    expect([...(chosen.get('q2') ?? [])]).toEqual(['y']);
  });

  it('name the questions left unanswered, by number', () => {
    const questions = [single, multiple, { id: 'q3' }];
    const { answers, unanswered } = quizAnswers(questions, choose(new Map(), multiple, 'x', true));
    expect(unanswered).toEqual([1, 3]);
    expect(answers).toEqual([
      { question_id: 'q1', option_ids: [] },
      { question_id: 'q2', option_ids: ['x'] },
      { question_id: 'q3', option_ids: [] },
    ]);
  });
});
