import { describe, expect, it } from 'vitest';
import { markAllLocally, markReadLocally, type Notification } from './inbox';

function note(id: number, read: boolean): Notification {
  return {
    id,
    kind: 'notice',
    category: 'notice',
    title: `Tin ${id}`,
    body: '',
    url: '/notices',
    created_at: '2026-11-25T03:00:00Z',
    read_at: read ? '2026-11-25T04:00:00Z' : null,
  };
}

describe('markReadLocally', () => {
  it('marks one notification read and lowers the count once', () => {
    const items = [note(1, false), note(2, false), note(3, true)];
    const once = markReadLocally(items, 2, 2, 'now');
    expect(once.unread).toBe(1);
    expect(once.items.map((item) => item.read_at)).toEqual([null, 'now', '2026-11-25T04:00:00Z']);
    expect(markReadLocally(once.items, 2, once.unread, 'later').unread).toBe(1);
  });

  it('leaves the count alone for one already read or not on screen', () => {
    const items = [note(1, true)];
    expect(markReadLocally(items, 1, 5, 'now').unread).toBe(5);
    expect(markReadLocally(items, 9, 5, 'now').unread).toBe(5);
  });

  it('never counts below zero', () => {
    expect(markReadLocally([note(1, false)], 1, 0, 'now').unread).toBe(0);
  });
});

describe('markAllLocally', () => {
  it('keeps the time a notification was first read', () => {
    const marked = markAllLocally([note(1, false), note(2, true)], 'now');
    expect(marked.map((item) => item.read_at)).toEqual(['now', '2026-11-25T04:00:00Z']);
  });
});
