import { describe, expect, it } from 'vitest';
import { ackView, studyCsvUrl } from './reports';

const branch = (id: number, name: string, members: number, acknowledged: number) => ({
  branch_id: id,
  branch_code: `CB${id}`,
  branch_name: name,
  members,
  acknowledged,
  percent: members ? (acknowledged * 100) / members : 0,
});

describe('ackView', () => {
  it('puts the branches furthest behind first and adds up the total', () => {
    const view = ackView({
      document_id: 'd',
      branches: [branch(1, 'Chi bộ 1', 10, 9), branch(2, 'Chi bộ 2', 5, 1)],
      members: [],
    });
    expect(view.branches.map((row) => row.branch_id)).toEqual([2, 1]);
    expect(view.total).toEqual({ members: 15, acknowledged: 10, percent: 67 });
  });

  it('splits the members into those still to acknowledge and those done, by name', () => {
    const view = ackView({
      document_id: 'd',
      branches: [],
      members: [
        { member_id: '1', full_name: 'Trần Bình', acknowledged: false },
        { member_id: '2', full_name: 'Lê An', acknowledged: true },
        { member_id: '3', full_name: 'Đỗ Cường', acknowledged: false },
      ],
    });
    expect(view.pending).toEqual(['Đỗ Cường', 'Trần Bình']);
    expect(view.done).toEqual(['Lê An']);
    expect(view.total.percent).toBe(0);
  });
});

describe('studyCsvUrl', () => {
  it('asks the report route for CSV', () => {
    expect(studyCsvUrl('a/b')).toBe('/api/v1/study/programs/a%2Fb/report?format=csv');
  });
});
