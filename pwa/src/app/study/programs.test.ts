import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Schemas } from '../../shared/api';
import { asProgramPage, joinPrograms, loadPrograms, PROGRAMS_PAGE } from './programs';

type Program = Schemas['StudyProgram'];

const program = (id: string, due: string): Program => ({
  id,
  unit_id: 1,
  unit_name: 'Đảng bộ tỉnh',
  title: `Chuyên đề ${id}`,
  description: '',
  due_at: due,
  materials: [],
  quiz: null,
  reflection_required: false,
  reflection_prompt: '',
  created_at: '2026-01-01T00:00:00Z',
  can_manage: false,
  progress: null,
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the study program list', () => {
  it('asks for a page, and the next one with the cursor the last gave', async () => {
    const asked: string[] = [];
    vi.stubGlobal('document', { cookie: '' });
    vi.stubGlobal(
      'fetch',
      vi.fn((url: string) => {
        asked.push(url);
        const body = { items: [program('a', '2026-03-01T00:00:00Z')], next_cursor: asked.length === 1 ? 'Y3Vyc29y' : null };
        return Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } }));
      }),
    );
    const first = await loadPrograms();
    expect(first.next_cursor).toBe('Y3Vyc29y');
    const second = await loadPrograms(first.next_cursor);
    expect(second.next_cursor).toBeNull();
    expect(asked[0]).toBe(`/api/v1/study/programs?limit=${PROGRAMS_PAGE}`);
    expect(asked[1]).toBe(`/api/v1/study/programs?limit=${PROGRAMS_PAGE}&after=Y3Vyc29y`);
  });

  it('reads the plain list an older app kept on the phone as one last page', () => {
    const kept = [program('a', '2026-03-01T00:00:00Z'), program('b', '2026-02-01T00:00:00Z')];
    expect(asProgramPage(kept)).toEqual({ items: kept, next_cursor: null });
    const page = { items: kept, next_cursor: 'x' };
    expect(asProgramPage(page)).toBe(page);
  });

  it('joins the pages in order and shows a program that moved between pages once', () => {
    const a = program('a', '2026-03-01T00:00:00Z');
    const b = program('b', '2026-02-01T00:00:00Z');
    const c = program('c', '2026-01-01T00:00:00Z');
    expect(joinPrograms([a, b], [b, c]).map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(joinPrograms([], [])).toEqual([]);
  });
});
