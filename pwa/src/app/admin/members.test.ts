import { describe, expect, it } from 'vitest';
import {
  accessOffers,
  actionLabel,
  appendPage,
  detailLines,
  filterMembers,
  formatCalendarDate,
  grantsOf,
  namesakes,
  splitSheet,
  unitAllowed,
  withoutCitizenId,
  type Member,
  type RoleGrant,
} from './members';

const member = (over: Partial<Member> = {}): Member => ({
  id: 'm-1',
  card_number: '75000001',
  full_name: 'Nguyễn Văn Đức',
  date_of_birth: '1970-05-02',
  gender: 'male',
  phone: null,
  email: null,
  citizen_id: '***456',
  joined_on: '1995-01-01',
  official_on: '1996-01-01',
  probationary: false,
  branch_id: 7,
  branch_code: 'CB07',
  branch_name: 'Chi bộ Ấp Bình Đông',
  position: 'Đảng viên',
  status: 'active',
  activated: false,
  ...over,
});

const grant = (over: Partial<RoleGrant> = {}): RoleGrant => ({
  id: 1,
  account_id: 'a-1',
  display_name: 'Nguyễn Văn Đức',
  role: 'moderator',
  unit_id: 7,
  unit_code: 'CB07',
  unit_name: 'Chi bộ Ấp Bình Đông',
  created_at: '2026-12-01T00:00:00Z',
  ...over,
});

describe('withoutCitizenId', () => {
  it('drops the citizen ID, whatever the server sent', () => {
    const shown = withoutCitizenId(member({ citizen_id: '079070001234' }));
    expect('citizen_id' in shown).toBe(false);
    expect(JSON.stringify(shown)).not.toContain('079070001234');
  });
});

describe('filterMembers', () => {
  const list = [
    member(),
    member({ id: 'm-2', card_number: '75000002', full_name: 'Trần Thị Hoa', branch_name: 'Chi bộ Khu phố 3', branch_code: 'CB08' }),
  ];

  it('finds by name without diacritics (and đ as d), by card number and by branch', () => {
    expect(filterMembers(list, 'nguyen van duc').map((m) => m.id)).toEqual(['m-1']);
    expect(filterMembers(list, '75000002').map((m) => m.id)).toEqual(['m-2']);
    expect(filterMembers(list, 'khu pho').map((m) => m.id)).toEqual(['m-2']);
  });

  it('needs every word to match, and an empty query keeps everyone', () => {
    expect(filterMembers(list, 'hoa binh')).toEqual([]);
    expect(filterMembers(list, '   ')).toHaveLength(2);
  });
});

describe('appendPage', () => {
  it('appends the next page without repeating anyone', () => {
    expect(appendPage([{ id: 1 }, { id: 2 }], [{ id: 2 }, { id: 3 }]).map((x) => x.id)).toEqual([1, 2, 3]);
  });
});

describe('grantsOf', () => {
  const grants = [grant(), grant({ id: 2, account_id: 'a-2', display_name: 'Trần Thị Hoa' }), grant({ id: 3, account_id: 'a-9' })];

  it('matches by the account name until the account is known, then by the account only', () => {
    expect(grantsOf(grants, member(), null).map((g) => g.id)).toEqual([1, 3]);
    expect(grantsOf(grants, member(), 'a-1').map((g) => g.id)).toEqual([1]);
  });

  it('tells when the matched grants belong to namesakes', () => {
    expect(namesakes(grantsOf(grants, member(), null))).toBe(true);
    expect(namesakes([grant(), grant({ id: 4 })])).toBe(false);
  });

  it('compares names in one Unicode form', () => {
    const decomposed = grant({ display_name: 'Nguyễn Văn Đức'.normalize('NFD') });
    expect(grantsOf([decomposed], member(), null)).toHaveLength(1);
  });
});

describe('unitAllowed', () => {
  it('grants secretaries and deputies on branches only, other roles anywhere', () => {
    expect(unitAllowed('secretary', 'commune')).toBe(false);
    expect(unitAllowed('deputy_secretary', 'group')).toBe(true);
    expect(unitAllowed('moderator', 'province')).toBe(true);
  });
});

describe('splitSheet', () => {
  const code = (memberId: string) => ({ member_id: memberId, card_number: 'x', full_name: 'y', code: 'ABCDE-23456', expires_at: '2026-12-09T00:00:00Z' });

  it("takes this member's code out of the branch's sheet", () => {
    const sheet = { branch_id: 7, branch_code: 'CB07', branch_name: 'Chi bộ', codes: [code('m-0'), code('m-1'), code('m-2')] };
    const { mine, others } = splitSheet(sheet, 'm-1');
    expect(mine?.member_id).toBe('m-1');
    expect(others.map((c) => c.member_id)).toEqual(['m-0', 'm-2']);
    expect(splitSheet(sheet, 'm-9').mine).toBeNull();
  });
});

describe('accessOffers', () => {
  it('offers a code to active members not yet activated, and a reset to every active member', () => {
    expect(accessOffers({ status: 'active', activated: false })).toEqual({ issue: true, reset: true });
    expect(accessOffers({ status: 'active', activated: true })).toEqual({ issue: false, reset: true });
    expect(accessOffers({ status: 'transferred_out', activated: false })).toEqual({ issue: false, reset: false });
  });
});

describe('audit helpers', () => {
  it('names known actions and leaves others to the server', () => {
    expect(actionLabel('role_granted')).toBe('audit.action.role_granted');
    expect(actionLabel('something_new')).toBeNull();
  });

  it('lists details as text and never a citizen ID', () => {
    expect(detailLines({ role: 'admin', count: 3, empty: null, citizen_id: '0790', changed: ['phone'] })).toEqual([
      'role: admin',
      'count: 3',
      'changed: ["phone"]',
    ]);
  });
});

describe('formatCalendarDate', () => {
  it('writes API dates day first, and a missing one as a dash', () => {
    expect(formatCalendarDate('1970-05-02')).toBe('02/05/1970');
    expect(formatCalendarDate(null)).toBe('—');
  });
});
