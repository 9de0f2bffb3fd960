/**
 * The moderator, admin and editor screens for App.tsx: each tool is a chunk of its own, fetched when
 * first opened (and precached by the service worker), so none of it weighs on the members' shell.
 */
import { lazyScreen as lazy } from '../components/Lazy';

const Moderation = lazy(() => import('./Moderation').then((m) => m.ModerationScreen));
const MemberImport = lazy(() => import('./MemberImport').then((m) => m.MemberImportScreen));
const Reports = lazy(() => import('./Reports').then((m) => m.ReportsScreen));
const members = () => import('./Members');
const Members = lazy(() => members().then((m) => m.MembersScreen));
const MemberCard = lazy(() => members().then((m) => m.MemberCardScreen));
const Audit = lazy(() => import('./Audit').then((m) => m.AuditScreen));
const editor = () => import('./Editor');
const Editor = lazy(() => editor().then((m) => m.EditorScreen));
const EditorDocument = lazy(() => editor().then((m) => m.EditorDocumentScreen));
const EditorSection = lazy(() => editor().then((m) => m.EditorSectionScreen));

export type StaffRoute = 'moderation' | 'memberImport' | 'reports' | 'editor' | 'editorDocument' | 'editorSection' | 'members' | 'memberCard' | 'audit';

export function StaffScreen({ route, id, second }: { readonly route: StaffRoute; readonly id: string; readonly second: string }) {
  switch (route) {
    case 'moderation':
      return <Moderation />;
    case 'memberImport':
      return <MemberImport />;
    case 'reports':
      return <Reports />;
    case 'editor':
      return <Editor />;
    case 'editorDocument':
      return <EditorDocument key={id} documentId={id} />;
    case 'editorSection':
      return <EditorSection key={second} documentId={id} sectionId={second} />;
    case 'members':
      return <Members />;
    case 'memberCard':
      return <MemberCard key={id} memberId={id} />;
    case 'audit':
      return <Audit />;
  }
}
