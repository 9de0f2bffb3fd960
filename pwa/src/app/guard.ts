/** Which screen to show for a route, given the session; or where to send the member instead. */
import { paths, type RouteName } from './router';
import type { SessionStatus } from './session';

export type ScreenName = 'loading' | 'unreachable' | RouteName;
export type Decision = { readonly screen: ScreenName } | { readonly redirect: string };

const PUBLIC_ONLY: ReadonlySet<RouteName> = new Set(['signIn', 'activate']);

export function decide(route: RouteName, status: SessionStatus): Decision {
  if (route === 'notFound') return { screen: 'notFound' };
  if (status === 'loading') return { screen: 'loading' };
  const isPublic = PUBLIC_ONLY.has(route);
  if (status === 'signedIn') return isPublic ? { redirect: paths.home } : { screen: route };
  // Signed out, or the server cannot be reached: the sign-in forms still work (and say why they fail).
  if (isPublic) return { screen: route };
  return status === 'unreachable' ? { screen: 'unreachable' } : { redirect: paths.signIn };
}
