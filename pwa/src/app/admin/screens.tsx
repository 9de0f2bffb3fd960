/**
 * The moderator, admin and editor screens for App.tsx: each tool is a chunk of its own, fetched when
 * first opened (and precached by the service worker), so none of it weighs on the members' shell.
 */
import { lazyScreen as lazy } from '../components/Lazy';

const Moderation = lazy(() => import('./Moderation').then((m) => m.ModerationScreen));
const MemberImport = lazy(() => import('./MemberImport').then((m) => m.MemberImportScreen));
const Reports = lazy(() => import('./Reports').then((m) => m.ReportsScreen));
const editor = () => import('./Editor');
const Editor = lazy(() => editor().then((m) => m.EditorScreen));
const EditorDocument = lazy(() => editor().then((m) => m.EditorDocumentScreen));
const EditorSection = lazy(() => editor().then((m) => m.EditorSectionScreen));

export type StaffRoute = 'moderation' | 'memberImport' | 'reports' | 'editor' | 'editorDocument' | 'editorSection';

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
  }
}
