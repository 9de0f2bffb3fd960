import { describe, expect, it } from 'vitest';
import { canPostNotices } from './roles';

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
