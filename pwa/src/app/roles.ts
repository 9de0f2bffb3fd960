/** What the signed-in person may do beyond reading, from GetMe's role grants (the server checks again). */
import type { Me } from './session';

/** Roles that post notices and follow them up (api/notices/service.py POSTERS). */
const NOTICE_POSTERS: ReadonlySet<string> = new Set(['secretary', 'deputy_secretary', 'officer', 'admin']);

export function canPostNotices(me: Pick<Me, 'roles'> | null | undefined): boolean {
  return (me?.roles ?? []).some((grant) => NOTICE_POSTERS.has(grant.role));
}

/** Moderators and admins work the moderation queue (api/feedback/access.py MODERATORS). */
const MODERATORS: ReadonlySet<string> = new Set(['moderator', 'admin']);
/** Content editors and admins edit the handbook (api/handbook/scope.py EDITORS). */
const EDITORS: ReadonlySet<string> = new Set(['editor', 'admin']);
/** Only admins import the member register (api/auth/principal.py ADMINS). */
const ADMINS: ReadonlySet<string> = new Set(['admin']);

function holdsAny(me: Pick<Me, 'roles'> | null | undefined, roles: ReadonlySet<string>): boolean {
  return (me?.roles ?? []).some((grant) => roles.has(grant.role));
}

export const canModerate = (me: Pick<Me, 'roles'> | null | undefined): boolean => holdsAny(me, MODERATORS);
export const canEditContent = (me: Pick<Me, 'roles'> | null | undefined): boolean => holdsAny(me, EDITORS);
/** Study and acknowledgement reports (api/members REGISTER_READERS, api/handbook/reports.py REPORT_READERS). */
const REPORT_READERS: ReadonlySet<string> = new Set(['secretary', 'deputy_secretary', 'officer', 'admin']);

export const canReadReports = (me: Pick<Me, 'roles'> | null | undefined): boolean => holdsAny(me, REPORT_READERS);
export const canImportMembers = (me: Pick<Me, 'roles'> | null | undefined): boolean => holdsAny(me, ADMINS);
