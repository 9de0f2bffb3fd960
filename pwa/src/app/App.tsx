import { useEffect } from 'preact/hooks';
import { lazyScreen } from './components/Lazy';
import { decide } from './guard';
import { router } from './navigation';
import { Activate } from './screens/Activate';
import { Bookmarks } from './screens/Bookmarks';
import { DocumentScreen } from './screens/Document';
import { Handbook } from './screens/Handbook';
import { Home } from './screens/Home';
import { Inbox } from './screens/Inbox';
import { NoticeScreen } from './screens/NoticeScreen';
import { Notices } from './screens/Notices';
import { Search } from './screens/Search';
import { SectionScreen } from './screens/Section';
import { SignIn } from './screens/SignIn';
import { Loading, NotFound, Unreachable } from './screens/Status';
import { LifeScreen } from './life/screens';
import { StaffScreen } from './admin/screens';
import { status } from './session';

// Rarely needed by members: fetched on first use, outside the shell every member loads.
const Profile = lazyScreen(() => import('./profile/Profile').then((module) => module.Profile));
const ManagedNotices = lazyScreen(() => import('./secretary/ManagedNotices').then((module) => module.ManagedNotices));
const PostNotice = lazyScreen(() => import('./secretary/PostNotice').then((module) => module.PostNotice));
const NoticeReceipts = lazyScreen(() => import('./secretary/NoticeReceipts').then((module) => module.NoticeReceipts));

export function App() {
  const decision = decide(router.route.value, status.value);
  const redirect = 'redirect' in decision ? decision.redirect : null;
  useEffect(() => {
    if (redirect !== null) router.navigate(redirect, { replace: true });
  }, [redirect]);

  if (!('screen' in decision)) return <Loading />;
  const [first = '', second = ''] = router.params.value;
  switch (decision.screen) {
    case 'loading':
      return <Loading />;
    case 'unreachable':
      return <Unreachable />;
    case 'signIn':
      return <SignIn />;
    case 'activate':
      return <Activate />;
    case 'home':
      return <Home />;
    case 'handbook':
      return <Handbook />;
    case 'document':
      return <DocumentScreen key={first} documentId={first} />;
    case 'section':
      return <SectionScreen key={second} documentId={first} sectionId={second} />;
    case 'search':
      return <Search />;
    case 'bookmarks':
      return <Bookmarks />;
    case 'notices':
      return <Notices />;
    case 'notice':
      return <NoticeScreen key={first} noticeId={first} />;
    case 'inbox':
      return <Inbox />;
    case 'profile':
      return <Profile />;
    case 'secretary':
      return <ManagedNotices />;
    case 'secretaryNew':
      return <PostNotice />;
    case 'secretaryNotice':
      return <NoticeReceipts key={first} noticeId={first} />;
    case 'meetings':
    case 'meeting':
    case 'meetingCheckIn':
    case 'meetingsManage':
    case 'meetingRoll':
    case 'feedback':
    case 'feedbackNew':
    case 'feedbackThread':
    case 'faq':
    case 'feedbackInbox':
    case 'study':
    case 'studyProgram':
    case 'studyQuiz':
    case 'studyReview':
      return <LifeScreen route={decision.screen} id={first} />;
    case 'moderation':
    case 'memberImport':
    case 'reports':
    case 'editor':
    case 'editorDocument':
    case 'editorSection':
    case 'members':
    case 'memberCard':
    case 'audit':
      return <StaffScreen route={decision.screen} id={first} second={second} />;
    case 'notFound':
      return <NotFound />;
  }
}
