/**
 * Outbox kinds of the meetings, feedback and study screens. Their labels already say what was done
 * ("Điểm danh: Sinh hoạt tháng 12"), so the outbox lists show the label alone.
 */
export const SELF_LABELLED_KINDS: ReadonlySet<string> = new Set([
  'rsvp',
  'absence',
  'checkIn',
  'feedback',
  'feedbackReply',
  'feedbackRating',
  'feedbackReopen',
  'feedbackStatus',
  'faqConsent',
  'studyProgress',
  'quizAttempt',
  'reflection',
  'meetingCreate',
  'templateCreate',
  'attendance',
  'absenceDecision',
  'minutes',
  'reflectionReview',
  'meetingUpdate',
  'meetingCancel',
  'faqPublish',
  'studyProgramCreate',
  'moderationReport',
  'moderationRetract',
  'moderationAppeal',
]);
