/**
 * The member register screens' logic: the search over the pages already fetched, the grants that
 * belong to a member, the codes to show, and how an audit event reads. No citizen ID is ever read here.
 */
import type { Schemas } from '../../shared/api';
import { fold } from '../../shared/folding';
import type { MessageKey } from '../i18n';

export type Member = Schemas['Member'];
export type RoleGrant = Schemas['RoleGrant'];
export type Role = Schemas['Role'];
export type ActivationCode = Schemas['ActivationCode'];
export type AuditEvent = Schemas['AuditEvent'];

/** What a list row or a card shows of a member: everything but the citizen ID, which never leaves the API call. */
export type MemberView = Omit<Member, 'citizen_id'>;

export function withoutCitizenId(member: Member): MemberView {
  const { citizen_id: _dropped, ...rest } = member;
  return rest;
}

/** ListMembers has no text search: the filter runs over the pages fetched so far (name, card number, branch). */
export function filterMembers<T extends Pick<Member, 'full_name' | 'card_number' | 'branch_name' | 'branch_code'>>(
  members: readonly T[],
  query: string,
): T[] {
  const terms = fold(query).split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...members];
  return members.filter((member) => {
    const haystack = fold(`${member.full_name} ${member.card_number} ${member.branch_name} ${member.branch_code}`);
    return terms.every((term) => haystack.includes(term));
  });
}

/** The next page appended to those already shown, without repeating a member the server sent twice. */
export function appendPage<T extends { readonly id: string | number }>(shown: readonly T[], next: readonly T[]): T[] {
  const seen = new Set<string | number>(shown.map((item) => item.id));
  return [...shown, ...next.filter((item) => !seen.has(item.id))];
}

/**
 * The grants that are this member's. A Member carries no account id, so grants are matched by the account's
 * name (a member's account is named after them) unless the account is known from a grant made here; the
 * card says that people with the same name would show too.
 */
export function grantsOf(grants: readonly RoleGrant[], member: Pick<Member, 'full_name'>, accountId: string | null): RoleGrant[] {
  if (accountId !== null) return grants.filter((grant) => grant.account_id === accountId);
  const name = member.full_name.normalize('NFC').trim();
  return grants.filter((grant) => grant.display_name.normalize('NFC').trim() === name);
}

/** Whether the matched grants belong to more than one account (namesakes). */
export function namesakes(grants: readonly RoleGrant[]): boolean {
  return new Set(grants.map((grant) => grant.account_id)).size > 1;
}

export const ROLES: readonly Role[] = ['secretary', 'deputy_secretary', 'officer', 'moderator', 'editor', 'admin'];

export const ROLE_LABELS: Readonly<Record<Role, MessageKey>> = {
  secretary: 'members.role.secretary',
  deputy_secretary: 'members.role.deputy_secretary',
  officer: 'members.role.officer',
  moderator: 'members.role.moderator',
  editor: 'members.role.editor',
  admin: 'members.role.admin',
};

/** Secretaries and deputies are granted on a branch only (api/roles/service.py); the server checks again. */
export function unitAllowed(role: Role, kind: Schemas['OrgUnit']['kind']): boolean {
  return role === 'secretary' || role === 'deputy_secretary' ? kind === 'branch' || kind === 'group' : true;
}

/** The member's own code from a branch's activation sheet, and the others' (the sheet covers the whole branch). */
export function splitSheet(sheet: Schemas['ActivationSheet'], memberId: string): { mine: ActivationCode | null; others: ActivationCode[] } {
  return {
    mine: sheet.codes.find((code) => code.member_id === memberId) ?? null,
    others: sheet.codes.filter((code) => code.member_id !== memberId),
  };
}

/** Whether the card offers a new activation code, and whether it offers an access reset (api/members/service.py). */
export function accessOffers(member: Pick<Member, 'status' | 'activated'>): { issue: boolean; reset: boolean } {
  const active = member.status === 'active';
  return { issue: active && !member.activated, reset: active };
}

/** The audit actions with a Vietnamese name (and a filter choice); anything else shows as the server names it. */
export const AUDIT_ACTIONS = [
  'activation_codes_issued',
  'access_reset',
  'activation_failed',
  'role_granted',
  'role_revoked',
  'members_imported',
  'sign_in',
  'account_activated',
  'sign_in_failed',
  'sign_in_locked',
  'sign_out',
  'password_changed',
  'sessions_revoked',
  'session_revoked',
  'notice_created',
  'notice_updated',
  'notice_withdrawn',
  'meeting_created',
  'meeting_updated',
  'meeting_cancelled',
  'document_created',
  'document_updated',
  'section_deleted',
  'admin_created',
] as const;

const ACTIONS: ReadonlySet<string> = new Set(AUDIT_ACTIONS);

export function actionLabel(action: string): MessageKey | null {
  return ACTIONS.has(action) ? (`audit.action.${action}` as MessageKey) : null;
}

/** An event's details as short "key: value" lines (shown as text, never as HTML). */
export function detailLines(details: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(details)
    // Citizen ID numbers are never shown, whatever an event may have recorded.
    .filter(([key, value]) => !key.includes('citizen') && value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
}

/** A calendar date from the API (YYYY-MM-DD) as Vietnamese write it (DD/MM/YYYY); anything else unchanged. */
export function formatCalendarDate(value: string | null): string {
  if (!value) return '—';
  const found = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return found ? `${found[3]}/${found[2]}/${found[1]}` : value;
}
