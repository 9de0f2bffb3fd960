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
    ['/members', 'members'],
    ['/members/5b8f0c1e-0000-4000-8000-000000000001', 'memberCard'],
    ['/members/import', 'memberImport'],
    ['/audit', 'audit'],
  ])('%s -> %s', (path, route) => {
    expect(matchRoute(path)).toBe(route);
  });

  it('builds editor links that match back to their parameters', () => {
    expect(matchPath(links.editorDocument('d/1'))).toEqual({ name: 'editorDocument', params: ['d/1'] });
    expect(matchPath(links.editorSection('d 1', 's?2'))).toEqual({ name: 'editorSection', params: ['d 1', 's?2'] });
  });

  it('builds member card links that match back to their id', () => {
    expect(matchPath(links.memberCard('a b'))).toEqual({ name: 'memberCard', params: ['a b'] });
  });

  it('sends a signed-out caller to sign in first', () => {
    expect(decide('moderation', 'signedOut')).toEqual({ redirect: '/sign-in' });
    expect(decide('editorSection', 'signedIn')).toEqual({ screen: 'editorSection' });
  });
});
