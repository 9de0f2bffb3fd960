/**
 * The moderator, admin and editor screens for App.tsx: each tool is a chunk of its own, fetched when
 * first opened (and precached by the service worker), so none of it weighs on the members' shell.
 */
import { lazyScreen as lazy } from '../components/Lazy';

const Moderation = lazy(() => import('./Moderation').then((m) => m.ModerationScreen));
const MemberImport = lazy(() => import('./MemberImport').then((m) => m.MemberImportScreen));

export type StaffRoute = 'moderation' | 'memberImport';

export function StaffScreen({ route }: { readonly route: StaffRoute; readonly id: string; readonly second: string }) {
  switch (route) {
    case 'moderation':
      return <Moderation />;
    case 'memberImport':
      return <MemberImport />;
  }
}
