import { describe, expect, it } from 'vitest';
import { decide } from '../guard';
import { links, matchPath, matchRoute } from '../router';

describe('staff routes', () => {
  it.each([
    ['/moderation', 'moderation'],
    ['/members/import', 'memberImport'],
    ['/reports', 'reports'],
    ['/editor', 'editor'],
    ['/editor/', 'editor'],
    ['/editor/doc-1', 'editorDocument'],
    ['/editor/doc-1/sec-2', 'editorSection'],
    ['/editor/doc-1/sec-2/more', 'notFound'],
  ])('%s -> %s', (path, route) => {
    expect(matchRoute(path)).toBe(route);
  });

  it('builds editor links that match back to their parameters', () => {
    expect(matchPath(links.editorDocument('d/1'))).toEqual({ name: 'editorDocument', params: ['d/1'] });
    expect(matchPath(links.editorSection('d 1', 's?2'))).toEqual({ name: 'editorSection', params: ['d 1', 's?2'] });
  });

  it('sends a signed-out caller to sign in first', () => {
    expect(decide('moderation', 'signedOut')).toEqual({ redirect: '/sign-in' });
    expect(decide('editorSection', 'signedIn')).toEqual({ screen: 'editorSection' });
  });
});
