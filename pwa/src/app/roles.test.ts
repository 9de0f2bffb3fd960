import { describe, expect, it } from 'vitest';
import { canAdminister, canEditContent, canImportMembers, canManageAccess, canModerate, canPostNotices, canReadRegister, canReadReports } from './roles';

const grant = (role: string) => ({ role, unit_id: 1, unit_code: 'CB1', unit_name: 'Chi bộ 1' });

describe('canPostNotices', () => {
  it('is true for secretaries, deputies, committee officers and admins', () => {
    for (const role of ['secretary', 'deputy_secretary', 'officer', 'admin']) expect(canPostNotices({ roles: [grant(role)] })).toBe(true);
  });

  it('is false for plain members, moderators and editors, and when nobody is signed in', () => {
    expect(canPostNotices({ roles: [] })).toBe(false);
    expect(canPostNotices({ roles: [grant('moderator'), grant('editor')] })).toBe(false);
    expect(canPostNotices(null)).toBe(false);
  });
});

describe('staff tools', () => {
  it('lets moderators and admins moderate, and nobody else', () => {
    expect(canModerate({ roles: [grant('moderator')] })).toBe(true);
    expect(canModerate({ roles: [grant('admin')] })).toBe(true);
    expect(canModerate({ roles: [grant('editor'), grant('secretary')] })).toBe(false);
    expect(canModerate(null)).toBe(false);
  });

  it('lets editors and admins edit content, and only admins import members', () => {
    expect(canEditContent({ roles: [grant('editor')] })).toBe(true);
    expect(canEditContent({ roles: [grant('moderator')] })).toBe(false);
    expect(canImportMembers({ roles: [grant('admin')] })).toBe(true);
    expect(canImportMembers({ roles: [grant('editor'), grant('moderator'), grant('secretary')] })).toBe(false);
  });

  it('shows reports to branch leaders, committee officers and admins, not to moderators or editors', () => {
    for (const role of ['secretary', 'deputy_secretary', 'officer', 'admin']) expect(canReadReports({ roles: [grant(role)] })).toBe(true);
    expect(canReadReports({ roles: [grant('moderator'), grant('editor'), grant('member')] })).toBe(false);
  });
});

describe('member register tools', () => {
  it('opens the register to secretaries, deputies, officers and admins', () => {
    for (const role of ['secretary', 'deputy_secretary', 'officer', 'admin']) expect(canReadRegister({ roles: [grant(role)] })).toBe(true);
    expect(canReadRegister({ roles: [grant('moderator'), grant('editor')] })).toBe(false);
  });

  it('lets secretaries, deputies and admins manage access, but not officers', () => {
    expect(canManageAccess({ roles: [grant('deputy_secretary')] })).toBe(true);
    expect(canManageAccess({ roles: [grant('officer')] })).toBe(false);
  });

  it('keeps role grants and the audit log to admins', () => {
    expect(canAdminister({ roles: [grant('admin')] })).toBe(true);
    expect(canAdminister({ roles: [grant('secretary'), grant('officer')] })).toBe(false);
    expect(canAdminister(null)).toBe(false);
  });
});
