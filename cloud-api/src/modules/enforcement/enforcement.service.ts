// The enforcement module's services, one file per concept; this file only gathers them for routes and tests.
export { actorOf, type EnforcementDeps } from './enforcement.common';
export { reminderView, acknowledgeReminder } from './reminders.service';
export {
  noticeView,
  issueNotice,
  regulatorNotice,
  getNotice,
  replyToNotice,
  editNoticeReply,
  withdrawNoticeReply,
  reviewNotice,
  listNotices,
} from './notices.service';
export {
  CONSENT_TEXT,
  caseView,
  draftCase,
  confirmCase,
  openCase,
  getCaseForRegulator,
  listCases,
} from './cases.service';
export { consentOf, consentStatus, giveConsent } from './consent.service';
export { openCaseAsOperator, respondToCase, signCase, decideCase } from './case-response.service';
export { applyLadder, runLadderClock, openRectificationCount } from './ladder.service';
export { enforcementOf, timelineOf, enforcementUsesUpload } from './overview.service';
export { notifyParties } from './notify.service';
