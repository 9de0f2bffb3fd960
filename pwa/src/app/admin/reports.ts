/** The acknowledgement report as the screen shows it: branches lowest first, the members still to acknowledge first. */
import type { Schemas } from '../../shared/api';

export type AckReport = Schemas['AcknowledgementReport'];

export interface AckView {
  readonly branches: AckReport['branches'];
  readonly pending: readonly string[];
  readonly done: readonly string[];
  readonly total: { readonly members: number; readonly acknowledged: number; readonly percent: number };
}

export function ackView(report: AckReport): AckView {
  const members = report.branches.reduce((sum, branch) => sum + branch.members, 0);
  const acknowledged = report.branches.reduce((sum, branch) => sum + branch.acknowledged, 0);
  const byName = (a: string, b: string): number => a.localeCompare(b, 'vi');
  return {
    // The branches furthest behind are the ones to follow up first.
    branches: [...report.branches].sort((a, b) => a.percent - b.percent || byName(a.branch_name, b.branch_name)),
    pending: report.members.filter((member) => !member.acknowledged).map((member) => member.full_name).sort(byName),
    done: report.members.filter((member) => member.acknowledged).map((member) => member.full_name).sort(byName),
    total: { members, acknowledged, percent: members === 0 ? 0 : Math.round((acknowledged * 100) / members) },
  };
}

/** The study report as a CSV file (GetStudyReport with ?format=csv): a plain link the browser downloads. */
export function studyCsvUrl(programId: string): string {
  return `/api/v1/study/programs/${encodeURIComponent(programId)}/report?format=csv`;
}
