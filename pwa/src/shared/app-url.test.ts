import { describe, expect, it } from 'vitest';
import { safeAppPath } from './app-url';

const ORIGIN = 'https://sotay.dongnai.example';

describe('safeAppPath', () => {
  it('keeps paths of this app, with their query and fragment', () => {
    expect(safeAppPath('/notices/7d3c', ORIGIN)).toBe('/notices/7d3c');
    expect(safeAppPath('/meetings/1?tab=roll#top', ORIGIN)).toBe('/meetings/1?tab=roll#top');
    expect(safeAppPath(`${ORIGIN}/notifications`, ORIGIN)).toBe('/notifications');
  });

  it('sends anything off this origin home', () => {
    for (const url of [
      'https://evil.example/notices/1',
      '//evil.example/path',
      '/\\evil.example',
      '\\\\evil.example',
      'http://sotay.dongnai.example/notices', // another scheme is another origin
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'notices/1',
      '',
    ]) {
      expect(safeAppPath(url, ORIGIN), url).toBe('/');
    }
  });

  it('never opens a server path as a page', () => {
    expect(safeAppPath('/api/v1/me', ORIGIN)).toBe('/');
    expect(safeAppPath('/metrics', ORIGIN)).toBe('/');
  });

  it('refuses what is not a string, too long, or carries control characters', () => {
    expect(safeAppPath(null, ORIGIN)).toBe('/');
    expect(safeAppPath(42, ORIGIN)).toBe('/');
    expect(safeAppPath(`/${'a'.repeat(3000)}`, ORIGIN)).toBe('/');
    expect(safeAppPath('/notices/1\n', ORIGIN)).toBe('/');
  });

  it('resolves dot segments before deciding', () => {
    expect(safeAppPath('/notices/../api/v1/me', ORIGIN)).toBe('/');
    expect(safeAppPath('/notices/./1', ORIGIN)).toBe('/notices/1');
  });
});
