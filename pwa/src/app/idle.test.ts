import { describe, expect, it } from 'vitest';
import { slices, yieldToMain } from './idle';

describe('slices', () => {
  it('cuts a list into consecutive slices, the last one shorter', () => {
    expect(slices([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(slices([], 3)).toEqual([]);
    expect(slices([1, 2], 0)).toEqual([[1], [2]]);
  });
});

describe('yieldToMain', () => {
  it('lets queued tasks run before the job carries on', async () => {
    const order: string[] = [];
    setTimeout(() => order.push('task'), 0);
    await yieldToMain();
    order.push('job');
    expect(order).toEqual(['task', 'job']);
  });
});
