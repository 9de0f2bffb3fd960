/**
 * Reports ("Báo cáo vi phạm") on a reply, an FAQ entry or a feedback thread, and appeals against a
 * hiding. The API does not tell a member which items they reported, so the phone remembers them
 * (the meta store, `cache:` key: deleted with everything personal at sign-out); the server counts a
 * member's reports on one item once, so filing again is harmless.
 */
import type { Schemas } from '../../shared/api';

export type ItemKind = Schemas['ReportReceipt']['item_kind'];
export type Reason = Schemas['ReportRequest']['reason'];

export const REASONS: readonly Reason[] = ['spam', 'offensive', 'personal_data', 'false_information', 'off_topic', 'other'];
export const MAX_DETAILS = 1000;
export const MAX_APPEAL = 2000;

export const REPORT_KIND = 'moderationReport';
export const RETRACT_KIND = 'moderationRetract';
export const APPEAL_KIND = 'moderationAppeal';
export const REPORTS_KEY = 'cache:reports';

/** What the outbox's `ref` is for one item: the kind and the id, as the API names them. */
export const itemRef = (kind: ItemKind, id: string) => `${kind}:${id}`;

export type ReportCheck =
  | { readonly ok: true; readonly value: Schemas['ReportRequest'] }
  | { readonly ok: false; readonly problem: 'flag.needReason' | 'flag.needDetails' | 'flag.tooLong' };

/** The request body, or why it cannot be sent: a reason always; "other" needs a few words. */
export function reportRequest(reason: Reason | '', details: string): ReportCheck {
  const text = details.trim().normalize('NFC');
  if (reason === '') return { ok: false, problem: 'flag.needReason' };
  if (reason === 'other' && text === '') return { ok: false, problem: 'flag.needDetails' };
  if (text.length > MAX_DETAILS) return { ok: false, problem: 'flag.tooLong' };
  return { ok: true, value: { reason, details: text } };
}

export type AppealCheck =
  | { readonly ok: true; readonly value: Schemas['AppealRequest'] }
  | { readonly ok: false; readonly problem: 'appeal.needText' | 'appeal.tooLong' };

export function appealRequest(text: string): AppealCheck {
  const body = text.trim().normalize('NFC');
  if (body === '') return { ok: false, problem: 'appeal.needText' };
  if (body.length > MAX_APPEAL) return { ok: false, problem: 'appeal.tooLong' };
  return { ok: true, value: { text: body } };
}

/** The items this member reported on this phone: ref -> reason. */
export type Reported = Readonly<Record<string, Reason>>;

/** What the meta store holds, if it is ours; anything else counts as nothing reported. */
export function asReported(stored: unknown): Reported {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {};
  const out: Record<string, Reason> = {};
  for (const [ref, reason] of Object.entries(stored)) {
    if ((REASONS as readonly unknown[]).includes(reason)) out[ref] = reason as Reason;
  }
  return out;
}

export function withReport(reported: Reported, ref: string, reason: Reason): Reported {
  return { ...reported, [ref]: reason };
}

export function withoutReport(reported: Reported, ref: string): Reported {
  const { [ref]: _gone, ...rest } = reported;
  return rest;
}

/**
 * Whether the item stands reported, as far as the phone knows: the last write about it still waiting
 * in the outbox wins (a report queued offline, or its retraction), then what was sent before.
 */
export function isReported(reported: Reported, pending: readonly { readonly kind: string; readonly ref: string }[], ref: string): boolean {
  const last = pending.filter((write) => write.ref === ref && (write.kind === REPORT_KIND || write.kind === RETRACT_KIND)).pop();
  if (last) return last.kind === REPORT_KIND;
  return ref in reported;
}

type Note = Schemas['ModerationNote'];

/** What the author is told about an appeal, or null when there is none yet. */
export function appealState(note: Note): 'appeal.pending' | 'appeal.upheld' | 'appeal.overturned' | null {
  return note.appeal === 'none' ? null : `appeal.${note.appeal}`;
}
