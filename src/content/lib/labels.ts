/**
 * What the page's bulk controls call their scope: what, whose and how many, in numbers that add
 * up on one screen ("Revoke all 38 pending invites of First Aid at Work", "14 on this page, 24 on
 * other pages of this table"; "Revoke Jane Doe's 3 pending invites (3 courses)").
 */
import type { PortalPage } from '../../shared/portal-page';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const possessive = (name: string): string => `${name}'s`;

/** The page's invites a bulk revoke takes: how many, of whom or of which course, over how many courses. */
export interface BulkScope {
  target: PortalPage;
  count: number;
  /** The course's title, or the learner's name (null until the page's invites are known). */
  name: string | null;
  /** Courses the learner's pending invites are in (a learner's page). */
  courses: number;
}

/** What the invites are, e.g. "all 38 pending invites of First Aid at Work". */
function what(s: BulkScope): string {
  if (s.target.kind === 'course')
    return `all ${plural(s.count, 'pending invite')} of ${s.name ?? 'this course'}`;
  return `${possessive(s.name ?? 'this learner')} ${plural(s.count, 'pending invite')} (${plural(s.courses, 'course')})`;
}

/** The destructive button. */
export const revokeAllLabel = (s: BulkScope): string => `Revoke ${what(s)}`;

/** The countdown of its Undo window, which stands in for it. */
export const revokingIn = (s: BulkScope, secs: number): string => `Revoking ${what(s)} in ${secs} s`;

/** The Undo button's accessible name (its text is "Undo"). */
export const undoAllLabel = (s: BulkScope): string => `Undo revoking ${what(s)}`;

/**
 * Where a course's pending invites are, when the table shows only some of them: the button covers
 * every page of the table, not just the rows in view.
 */
export function whereTheyAre(total: number, onThisPage: number): string | null {
  if (total <= onThisPage) return null;
  return `Every page of this table: ${onThisPage} on this page, ${total - onThisPage} on other pages.`;
}

/** A row's revoke, for its announcements: "Jane Doe, Fire Safety". */
export const rowName = (learner: string | null, course: string | null): string =>
  [learner, course].filter(Boolean).join(', ') || 'this invite';
