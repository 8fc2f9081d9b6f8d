/**
 * What the page's bulk controls call their scope: what, whose and how many, in numbers that add
 * up on one screen ("Revoke all 38 pending invites of First Aid at Work", "14 on this page, 24 on
 * other pages of this table"; "Revoke Jane Doe's 3 pending invites (3 courses)").
 */
import { t, tn } from '../../shared/i18n';
import type { PortalPage } from '../../shared/portal-page';

/** The page's invites a bulk revoke takes: how many, of whom or of which course, over how many courses. */
export interface BulkScope {
  target: PortalPage;
  count: number;
  /** The course's title, or the learner's name (null until the page's invites are known). */
  name: string | null;
  /** Courses the learner's pending invites are in (a learner's page). */
  courses: number;
}

/**
 * What the invites are, e.g. "all 38 pending invites of First Aid at Work": a noun phrase, which
 * each sentence about a bulk revoke takes whole.
 */
export function what(s: BulkScope): string {
  if (s.target.kind === 'course') return tn('rowAllOf', s.count, s.name ?? t('rowThisCourse'));
  return tn('rowLearnerOf', s.count, s.name ?? t('rowThisLearner'), tn('rowCourses', s.courses));
}

/** The destructive button. */
export const revokeAllLabel = (s: BulkScope): string => t('rowRevokeAll', what(s));

/** The countdown of its Undo window, which stands in for it. */
export const revokingIn = (s: BulkScope, secs: number): string => t('rowRevokingAll', what(s), secs);

/** The Undo button's accessible name (its text is "Undo"). */
export const undoAllLabel = (s: BulkScope): string => t('rowUndoAll', what(s));

/**
 * Where a course's pending invites are, when the table shows only some of them: the button covers
 * every page of the table, not just the rows in view.
 */
export function whereTheyAre(total: number, onThisPage: number): string | null {
  if (total <= onThisPage) return null;
  return t('rowWhere', onThisPage, total - onThisPage);
}

/** A row's revoke, for its announcements: "Jane Doe, Fire Safety". */
export const rowName = (learner: string | null, course: string | null): string =>
  [learner, course].filter(Boolean).join(', ') || t('rowThisInvite');
