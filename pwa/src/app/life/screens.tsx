/**
 * The branch-life screens (meetings, feedback, study) for App.tsx: each domain is a chunk of its own,
 * and every secretary view another, fetched when first opened and precached by the service worker.
 */
import { lazyScreen as lazy } from '../components/Lazy';

const meetings = () => import('../meetings/screens');
const feedback = () => import('../feedback/screens');
const study = () => import('../study/screens');

const Meetings = lazy(() => meetings().then((m) => m.MeetingsScreen));
const Meeting = lazy(() => meetings().then((m) => m.MeetingScreen));
const CheckIn = lazy(() => import('../meetings/CheckIn').then((m) => m.CheckInScreen));
const MeetingsManage = lazy(() => import('../meetings/manage').then((m) => m.MeetingsManageScreen));
const MeetingRoll = lazy(() => import('../meetings/manage').then((m) => m.MeetingRollScreen));
const Feedback = lazy(() => feedback().then((m) => m.FeedbackScreen));
const NewFeedback = lazy(() => feedback().then((m) => m.NewFeedbackScreen));
const Thread = lazy(() => feedback().then((m) => m.FeedbackThreadScreen));
const Faq = lazy(() => feedback().then((m) => m.FaqScreen));
const Inbox = lazy(() => import('../feedback/staff').then((m) => m.FeedbackInboxScreen));
const Study = lazy(() => study().then((m) => m.StudyScreen));
const Program = lazy(() => study().then((m) => m.StudyProgramScreen));
const Quiz = lazy(() => study().then((m) => m.QuizScreen));
const Review = lazy(() => import('../study/review').then((m) => m.StudyReviewScreen));

export type LifeRoute =
  | 'meetings'
  | 'meeting'
  | 'meetingCheckIn'
  | 'meetingsManage'
  | 'meetingRoll'
  | 'feedback'
  | 'feedbackNew'
  | 'feedbackThread'
  | 'faq'
  | 'feedbackInbox'
  | 'study'
  | 'studyProgram'
  | 'studyQuiz'
  | 'studyReview';

export function LifeScreen({ route, id }: { readonly route: LifeRoute; readonly id: string }) {
  switch (route) {
    case 'meetings':
      return <Meetings />;
    case 'meeting':
      return <Meeting key={id} meetingId={id} />;
    case 'meetingCheckIn':
      return <CheckIn key={id} meetingId={id} />;
    case 'meetingsManage':
      return <MeetingsManage />;
    case 'meetingRoll':
      return <MeetingRoll key={id} meetingId={id} />;
    case 'feedback':
      return <Feedback />;
    case 'feedbackNew':
      return <NewFeedback />;
    case 'feedbackThread':
      return <Thread key={id} threadId={id} />;
    case 'faq':
      return <Faq />;
    case 'feedbackInbox':
      return <Inbox />;
    case 'study':
      return <Study />;
    case 'studyProgram':
      return <Program key={id} programId={id} />;
    case 'studyQuiz':
      return <Quiz key={id} programId={id} />;
    case 'studyReview':
      return <Review key={id} programId={id} />;
  }
}
