import { describe, expect, it } from 'vitest';
import { canEditContent, canImportMembers, canModerate, canPostNotices, canReadReports } from './roles';

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
