import { describe, expect, it } from 'vitest';
import { base64UrlToBytes, isVapidKey } from './keys';

describe('base64UrlToBytes', () => {
  it('decodes base64url without padding, including - and _', () => {
    expect(Array.from(base64UrlToBytes('-_8'))).toEqual([0xfb, 0xff]);
    expect(Array.from(base64UrlToBytes('AQID'))).toEqual([1, 2, 3]);
    expect(Array.from(base64UrlToBytes(''))).toEqual([]);
  });

  it('refuses standard base64 and other text', () => {
    expect(() => base64UrlToBytes('ab+/')).toThrow(TypeError);
    expect(() => base64UrlToBytes('ab==')).toThrow(TypeError);
  });
});

describe('isVapidKey', () => {
  it('accepts only an uncompressed P-256 point', () => {
    const point = new Uint8Array(65);
    point[0] = 4;
    expect(isVapidKey(point)).toBe(true);
    expect(isVapidKey(point.slice(0, 33))).toBe(false);
    point[0] = 2;
    expect(isVapidKey(point)).toBe(false);
  });
});
