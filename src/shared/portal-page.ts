/**
 * The page a job belongs to, a cache read covers and a content script runs on: one learner's
 * invites (their Invite History tab) or one course's (its Usage tab).
 */
export type PortalPage = { kind: 'learner'; learnerId: string } | { kind: 'course'; courseId: string };

/** Whether two pages are the same learner's or the same course's; a missing page is no page. */
export function samePage(a: PortalPage | null | undefined, b: PortalPage | null | undefined): boolean {
  if (!a || !b) return false;
  if (a.kind === 'learner') return b.kind === 'learner' && a.learnerId === b.learnerId;
  return b.kind === 'course' && a.courseId === b.courseId;
}
