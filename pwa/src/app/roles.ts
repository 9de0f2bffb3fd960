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
/** Member lists and cards: the register's readers (api/auth/principal.py REGISTER_READERS). */
export const canReadRegister = (me: Pick<Me, 'roles'> | null | undefined): boolean => holdsAny(me, REPORT_READERS);
/** Activation codes and access resets (api/auth/principal.py ACCESS_MANAGERS). */
const ACCESS_MANAGERS: ReadonlySet<string> = new Set(['secretary', 'deputy_secretary', 'admin']);

export const canManageAccess = (me: Pick<Me, 'roles'> | null | undefined): boolean => holdsAny(me, ACCESS_MANAGERS);
/** Role grants and the audit log are the admins' (api/roles/routes.py, api/audit/routes.py). */
export const canAdminister = (me: Pick<Me, 'roles'> | null | undefined): boolean => holdsAny(me, ADMINS);
