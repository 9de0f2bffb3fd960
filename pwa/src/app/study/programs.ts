/**
 * The study program list, cursor-paged by the server (ListStudyPrograms: latest due first, `next_cursor`
 * as `after`). A member has a handful and sees them in the first page, which is also what the phone keeps
 * for offline use; a committee sees every program of its subtree and asks for the older pages ("more").
 */
import { useEffect, useState } from 'preact/hooks';
import { call, type Schemas } from '../../shared/api';
import { describeError } from '../errors';

type Program = Schemas['StudyProgram'];
export type ProgramPage = Schemas['StudyProgramPage'];

/** Large enough that a member's programs always fit in the first (kept) page. */
export const PROGRAMS_PAGE = 50;

export function loadPrograms(after?: string | null): Promise<ProgramPage> {
  return call('get', '/api/v1/study/programs', { query: { limit: PROGRAMS_PAGE, ...(after ? { after } : {}) } });
}

/** A page, or the whole list as the phone kept it before the list was paged (one page, no more). */
export function asProgramPage(kept: ProgramPage | readonly Program[]): ProgramPage {
  return Array.isArray(kept) ? { items: [...(kept as readonly Program[])], next_cursor: null } : (kept as ProgramPage);
}

/** The first page followed by the older ones, each program once (one created while paging may show twice). */
export function joinPrograms(first: readonly Program[], older: readonly Program[]): Program[] {
  const seen = new Set<string>();
  return [...first, ...older].filter((program) => !seen.has(program.id) && seen.add(program.id) !== undefined);
}

interface Older {
  readonly items: Program[];
  readonly next: string | null;
}

/**
 * The pages after `first`, asked one at a time with `more()`; they start over when the first page does
 * (a reload, a new program).
 */
export function useOlderPrograms(first: ProgramPage | undefined) {
  const [older, setOlder] = useState<Older | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => {
    setOlder(null);
    setError('');
  }, [first]);
  const next = older ? older.next : (first?.next_cursor ?? null);

  function more(): void {
    if (!next || busy) return;
    setBusy(true);
    setError('');
    loadPrograms(next)
      .then((page) => setOlder({ items: [...(older?.items ?? []), ...page.items], next: page.next_cursor }))
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  }

  return { items: joinPrograms(first?.items ?? [], older?.items ?? []), next, busy, error, more };
}
