/** The moderation queue's rules on the phone: which actions an item offers, and the request each one sends. */
import type { Schemas } from '../../shared/api';
import type { MessageKey } from '../i18n';

export type QueueItem = Schemas['QueueItem'];
export type Action = Schemas['ModerationRequest']['action'];
export type ReportReason = Schemas['ReasonCount']['reason'];

export const REASONS: Readonly<Record<ReportReason, MessageKey>> = {
  spam: 'moderation.reason.spam',
  offensive: 'moderation.reason.offensive',
  personal_data: 'moderation.reason.personal_data',
  false_information: 'moderation.reason.false_information',
  off_topic: 'moderation.reason.off_topic',
  other: 'moderation.reason.other',
};

/** The actions that make sense on an item as it is now (the server refuses the others with a 409). */
export function actionsFor(item: Pick<QueueItem, 'item_kind' | 'hidden' | 'locked' | 'report_count'>): Action[] {
  const actions: Action[] = [item.hidden ? 'restore' : 'hide'];
  // Locking closes a whole thread to new replies: offered on the thread itself.
  if (item.item_kind === 'thread') actions.push(item.locked ? 'unlock' : 'lock');
  actions.push('restrict');
  if (item.report_count > 0) actions.push('dismiss');
  return actions;
}

/** Hiding and restricting ask for a reason (and restricting for a number of days) before anything is sent. */
export function needsForm(action: Action): boolean {
  return action === 'hide' || action === 'restrict';
}

export interface ActionForm {
  readonly reason: string;
  readonly message: string;
  readonly days: string;
}

export const MAX_DAYS = 365;

/** The ModerationRequest for an action and what the moderator typed, or the message saying what is missing. */
export function toRequest(
  action: Action,
  form: ActionForm,
): { readonly body: Schemas['ModerationRequest'] } | { readonly error: MessageKey } {
  const reason = form.reason.trim();
  const message = form.message.trim();
  if (!needsForm(action)) return { body: { action } };
  if (!reason) return { error: 'moderation.needReason' };
  if (action === 'hide') return { body: { action, reason, message } };
  const days = Number(form.days.trim());
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) return { error: 'moderation.needDays' };
  return { body: { action, reason, message, days } };
}

/** "Spam (2), Xúc phạm (1)": the reasons the reporters gave, most frequent first. */
export function reasonSummary(reasons: readonly Schemas['ReasonCount'][], label: (reason: ReportReason) => string): string {
  return [...reasons]
    .sort((a, b) => b.count - a.count)
    .map((entry) => `${label(entry.reason)} (${entry.count})`)
    .join(', ');
}

/** The units the queue's items come from, by name, for a moderator who covers several. */
export function unitsOf(items: readonly Pick<QueueItem, 'unit_id' | 'unit_name'>[]): Array<{ id: number; name: string }> {
  const units = new Map<number, string>();
  for (const item of items) units.set(item.unit_id, item.unit_name);
  return [...units].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}
