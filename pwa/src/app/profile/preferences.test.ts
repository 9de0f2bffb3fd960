import { describe, expect, it } from 'vitest';
import { deviceName, toForm, toUpdate, type Preferences } from './preferences';

const NONE: Preferences = { muted_categories: [], quiet_hours: null, daily_digest: false };

describe('preferences form', () => {
  it('turns muted categories into ticked "receive" boxes and back', () => {
    const form = toForm({ muted_categories: ['meeting'], quiet_hours: null, daily_digest: true });
    expect([...form.receive].sort()).toEqual(['feedback', 'notice', 'study']);
    expect(form.quiet).toBe(false);
    expect(toUpdate(form, NONE)).toEqual({ muted_categories: ['meeting'], quiet_hours: null, daily_digest: true });
  });

  it('keeps categories muted that this form does not know', () => {
    const before: Preferences = { muted_categories: ['dues', 'study'], quiet_hours: null, daily_digest: false };
    const update = toUpdate(toForm(before), before);
    expect(update).toMatchObject({ muted_categories: ['dues', 'study'] });
  });

  it('sends quiet hours only when switched on, and refuses equal or malformed times', () => {
    const form = { ...toForm(NONE), quiet: true, quietStart: '22:00', quietEnd: '06:30' };
    expect(toUpdate(form, NONE)).toMatchObject({ quiet_hours: { start: '22:00', end: '06:30' } });
    expect(toUpdate({ ...form, quietEnd: '22:00' }, NONE)).toBe('quietSame');
    expect(toUpdate({ ...form, quietEnd: '24:00' }, NONE)).toBe('quietInvalid');
    expect(toUpdate({ ...form, quiet: false, quietEnd: '22:00' }, NONE)).toMatchObject({ quiet_hours: null });
  });

  it('offers sensible quiet hours when none are set', () => {
    expect(toForm(NONE)).toMatchObject({ quietStart: '22:00', quietEnd: '06:00' });
  });
});

describe('deviceName', () => {
  it.each([
    ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36', 'Android · Chrome'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1', 'iPhone · Safari'],
    ['Mozilla/5.0 (Linux; Android 13; SM-A045F) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0 Mobile Safari/537.36', 'Android · Samsung Internet'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0', 'Windows · Edge'],
    ['curl/8.0', null],
  ])('%s', (agent, name) => {
    expect(deviceName(agent)).toBe(name);
  });
});
