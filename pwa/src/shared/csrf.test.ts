import { describe, expect, it } from 'vitest';
import { CSRF_HEADER, csrfHeaders, isUnsafeMethod, readCookie } from './csrf';

describe('readCookie', () => {
  it('finds a cookie among others, with or without spaces', () => {
    expect(readCookie('a=1; ehb_csrf=tok-123; b=2', 'ehb_csrf')).toBe('tok-123');
    expect(readCookie('ehb_csrf=tok-123', 'ehb_csrf')).toBe('tok-123');
    expect(readCookie('a=1;ehb_csrf=tok-123 ', 'ehb_csrf')).toBe('tok-123');
  });

  it('does not match cookies whose names only contain the name', () => {
    expect(readCookie('xehb_csrf=evil; ehb_csrf_old=old', 'ehb_csrf')).toBeNull();
  });

  it('keeps = signs inside the value and decodes percent escapes', () => {
    expect(readCookie('ehb_csrf=abc==', 'ehb_csrf')).toBe('abc==');
    expect(readCookie('ehb_csrf=a%2Bb', 'ehb_csrf')).toBe('a+b');
    expect(readCookie('ehb_csrf=100%', 'ehb_csrf')).toBe('100%');
  });

  it('returns null when absent', () => {
    expect(readCookie('', 'ehb_csrf')).toBeNull();
    expect(readCookie('a=1; b', 'ehb_csrf')).toBeNull();
  });
});

describe('csrfHeaders', () => {
  const cookies = 'theme=x; ehb_csrf=from-cookie';

  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'post', 'delete'])('sends the cookie value on %s', (method) => {
    expect(csrfHeaders(method, cookies, null)).toEqual({ [CSRF_HEADER]: 'from-cookie' });
  });

  it.each(['GET', 'HEAD', 'OPTIONS', 'get'])('sends nothing on the safe method %s', (method) => {
    expect(csrfHeaders(method, cookies, 'remembered')).toEqual({});
  });

  it('prefers the cookie, which follows the current session, over a remembered token', () => {
    expect(csrfHeaders('POST', cookies, 'remembered')).toEqual({ 'X-CSRF-Token': 'from-cookie' });
  });

  it('falls back to the token from the last sign-in when the cookie is missing', () => {
    expect(csrfHeaders('POST', 'theme=x', 'remembered')).toEqual({ 'X-CSRF-Token': 'remembered' });
    expect(csrfHeaders('POST', 'ehb_csrf=', 'remembered')).toEqual({ 'X-CSRF-Token': 'remembered' });
  });

  it('sends no header at all rather than an empty one', () => {
    expect(csrfHeaders('POST', '', null)).toEqual({});
    expect(csrfHeaders('POST', '', '')).toEqual({});
  });

  it('classifies methods', () => {
    expect(isUnsafeMethod('POST')).toBe(true);
    expect(isUnsafeMethod('TRACE')).toBe(false);
  });
});
