/** What the signed-in person may do beyond reading, from GetMe's role grants (the server checks again). */
import type { Me } from './session';

/** Roles that post notices and follow them up (api/notices/service.py POSTERS). */
const NOTICE_POSTERS: ReadonlySet<string> = new Set(['secretary', 'deputy_secretary', 'officer', 'admin']);

export function canPostNotices(me: Pick<Me, 'roles'> | null | undefined): boolean {
  return (me?.roles ?? []).some((grant) => NOTICE_POSTERS.has(grant.role));
}
