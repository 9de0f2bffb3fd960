import { afterEach, describe, expect, it } from 'vitest';
import { setCatalog, t, type Catalog } from './index';
import { vi as catalog } from './vi';

describe('t', () => {
  afterEach(() => setCatalog(catalog));

  it('looks up a Vietnamese message', () => {
    expect(t('signIn.login')).toBe('Số thẻ đảng viên, số điện thoại hoặc tên đăng nhập');
    expect(t('update.available')).toBe('Có phiên bản mới');
  });

  it('fills placeholders, including repeated ones and numbers', () => {
    expect(t('home.greeting', { name: 'Trần Thị Bình' })).toBe('Xin chào, Trần Thị Bình');
  });

  it('leaves unknown placeholders as written', () => {
    expect(t('home.greeting')).toBe('Xin chào, {name}');
    expect(t('home.greeting', { other: 1 })).toBe('Xin chào, {name}');
  });

  it('does not treat $ patterns in values specially', () => {
    expect(t('home.greeting', { name: "$& $1 $'" })).toBe("Xin chào, $& $1 $'");
  });

  it('switches to another catalog, falling back to Vietnamese for a missing key', () => {
    const english = { ...catalog, 'home.greeting': 'Hello, {name}' } as Record<string, string>;
    delete english['app.name'];
    setCatalog(english as Catalog);
    expect(t('home.greeting', { name: 'An' })).toBe('Hello, An');
    expect(t('app.name')).toBe('Sổ tay Đảng viên');
  });

  it('keeps every message non-empty', () => {
    for (const [key, text] of Object.entries(catalog)) expect(text.trim(), key).not.toBe('');
  });
});
