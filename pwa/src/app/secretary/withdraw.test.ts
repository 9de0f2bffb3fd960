import { describe, expect, it } from 'vitest';
import type { Schemas } from '../../shared/api';
import { canWithdraw, funnel, MAX_WITHDRAW_REASON, withdrawRequest } from './withdraw';

describe('withdrawRequest', () => {
  it('sends the revision seen and the reason trimmed', () => {
    expect(withdrawRequest({ revision: 3 }, '  Đăng nhầm chi bộ ')).toEqual({ revision: 3, reason: 'Đăng nhầm chi bộ' });
    expect(withdrawRequest({ revision: 1 }, '')).toEqual({ revision: 1, reason: '' });
    expect(withdrawRequest({ revision: 1 }, 'a'.repeat(600)).reason).toHaveLength(MAX_WITHDRAW_REASON);
  });
});

describe('canWithdraw', () => {
  it('only live or scheduled notices the caller manages', () => {
    expect(canWithdraw({ state: 'published', can_manage: true })).toBe(true);
    expect(canWithdraw({ state: 'scheduled', can_manage: true })).toBe(true);
    expect(canWithdraw({ state: 'expired', can_manage: true })).toBe(false);
    expect(canWithdraw({ state: 'withdrawn', can_manage: true })).toBe(false);
    expect(canWithdraw({ state: 'published', can_manage: false })).toBe(false);
  });
});

describe('funnel', () => {
  const row = (targeted: number, delivered: number, shown: number, clicked: number): Schemas['BranchDelivery'] => ({
    unit_id: 7,
    code: 'CB7',
    name: 'Chi bộ ấp 7',
    targeted,
    delivered,
    shown,
    clicked,
  });
  it('gives each step as a share of the devices pushed to', () => {
    expect(funnel(row(8, 6, 3, 1))).toEqual([
      { step: 'targeted', count: 8, percent: null },
      { step: 'delivered', count: 6, percent: 75 },
      { step: 'shown', count: 3, percent: 38 },
      { step: 'clicked', count: 1, percent: 13 },
    ]);
  });
  it('has no shares when nothing was pushed, and never passes 100%', () => {
    expect(funnel(row(0, 0, 0, 0)).map((step) => step.percent)).toEqual([null, null, null, null]);
    // A device that showed a notice twice (two receipts) still counts once in the share.
    expect(funnel(row(2, 2, 3, 0))[2]).toEqual({ step: 'shown', count: 3, percent: 100 });
  });
});
