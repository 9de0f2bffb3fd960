import { describe, expect, it } from 'vitest';
import { decide } from './guard';

describe('decide', () => {
  it('waits while the session is being checked', () => {
    expect(decide('home', 'loading')).toEqual({ screen: 'loading' });
    expect(decide('signIn', 'loading')).toEqual({ screen: 'loading' });
  });

  it('sends signed-out members to sign-in, but lets them activate', () => {
    expect(decide('home', 'signedOut')).toEqual({ redirect: '/sign-in' });
    expect(decide('signIn', 'signedOut')).toEqual({ screen: 'signIn' });
    expect(decide('activate', 'signedOut')).toEqual({ screen: 'activate' });
  });

  it('sends signed-in members away from the sign-in forms', () => {
    expect(decide('signIn', 'signedIn')).toEqual({ redirect: '/' });
    expect(decide('activate', 'signedIn')).toEqual({ redirect: '/' });
    expect(decide('home', 'signedIn')).toEqual({ screen: 'home' });
  });

  it('keeps the handbook for signed-in members only', () => {
    for (const route of ['handbook', 'document', 'section', 'search', 'bookmarks'] as const) {
      expect(decide(route, 'signedIn')).toEqual({ screen: route });
      expect(decide(route, 'signedOut')).toEqual({ redirect: '/sign-in' });
    }
  });

  it('explains an unreachable server instead of pretending the member is signed out', () => {
    expect(decide('home', 'unreachable')).toEqual({ screen: 'unreachable' });
    expect(decide('signIn', 'unreachable')).toEqual({ screen: 'signIn' });
  });

  it('shows not found for unknown paths whatever the session', () => {
    expect(decide('notFound', 'loading')).toEqual({ screen: 'notFound' });
    expect(decide('notFound', 'signedIn')).toEqual({ screen: 'notFound' });
  });
});
