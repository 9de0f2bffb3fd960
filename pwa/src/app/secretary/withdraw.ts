/** Withdrawing a notice and reading its push funnel: the pure parts, for the tests. */
import type { Schemas } from '../../shared/api';

type Notice = Schemas['Notice'];
type BranchDelivery = Schemas['BranchDelivery'];

export const MAX_WITHDRAW_REASON = 500;

/** Whether it can still be withdrawn: scheduled and live notices can; withdrawn and expired ones not. */
export function canWithdraw(notice: Pick<Notice, 'state' | 'can_manage'>): boolean {
  return notice.can_manage && (notice.state === 'scheduled' || notice.state === 'published');
}

/** The body: the revision the secretary saw (the server refuses a stale one), the reason trimmed. */
export function withdrawRequest(notice: Pick<Notice, 'revision'>, reason: string): Schemas['NoticeWithdraw'] {
  return { revision: notice.revision, reason: reason.trim().normalize('NFC').slice(0, MAX_WITHDRAW_REASON) };
}

export interface FunnelStep {
  readonly step: 'targeted' | 'delivered' | 'shown' | 'clicked';
  readonly count: number;
  /** Share of the devices pushed to, 0-100, whole numbers; null when none were pushed to. */
  readonly percent: number | null;
}

/** Reached, shown, tapped: each step as a count and a share of the devices the push was sent to. */
export function funnel(row: BranchDelivery): readonly FunnelStep[] {
  const share = (count: number) => (row.targeted > 0 ? Math.round((Math.min(count, row.targeted) * 100) / row.targeted) : null);
  return (['targeted', 'delivered', 'shown', 'clicked'] as const).map((step) => ({ step, count: row[step], percent: step === 'targeted' ? null : share(row[step]) }));
}
