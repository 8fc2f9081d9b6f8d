/** What the popup derives from its state (pure), for its views and its actions. */
import { freshnessOf } from '../shared/freshness';
import { t } from '../shared/i18n';
import { isActiveJob } from '../shared/job-states';
import type { Overview } from '../shared/overview';
import type { CourseOverview, JobView, Scope } from '../shared/types';
import { type FailedAction, failureWords } from '../shared/ui/failure-words';
import type { PopupState } from './state';

/** A job is on screen that is not over yet. */
export const isActive = (view: JobView | null): boolean => !!view && isActiveJob(view.job.state);

/**
 * What the popup could not do, and why, in a manager's words: "Couldn't start: the portal had an
 * error" (shared/ui/failure-words.ts). A sign-out, and a portal Reclaim has no access to, say so.
 */
export function couldNot(action: FailedAction, error: { kind: string; message: string }): string {
  if (error.kind === 'signed-out') return t('popupSignedOut');
  if (error.kind === 'no-permission') return t('popupNoAccess');
  return failureWords(error.message, action);
}

/** A course whose invites were never read: its counts are unknown, never 0. */
export const isUnread = (course: CourseOverview): boolean => course.readAt === null;

/**
 * What the revoke button covers, as the screen shows it: the ticked courses whose invites were
 * read, and their pending invites the age filter keeps (each returns one seat). Unticked and
 * unread courses count for nothing, so the totals are the sum of the lines shown.
 */
export interface Selection {
  courseIds: string[];
  invites: number;
  /** Ticked courses not read yet: neither counted nor revoked. */
  unread: number;
}

export function selectionOf(state: Pick<PopupState, 'overview' | 'unticked'>): Selection {
  const selection: Selection = { courseIds: [], invites: 0, unread: 0 };
  for (const c of state.overview?.courses ?? []) {
    if (state.unticked[c.courseId]) continue;
    if (isUnread(c)) selection.unread++;
    else {
      selection.courseIds.push(c.courseId);
      selection.invites += c.inScope;
    }
  }
  return selection;
}

/**
 * The courses a revoke covers, named one by one (the ones on screen, never courses the popup has
 * not shown), with the age filter; null when none is.
 */
export function scopeOf(state: PopupState): Scope | null {
  const { courseIds } = selectionOf(state);
  if (courseIds.length === 0) return null;
  return state.minAgeDays > 0
    ? { kind: 'courses', courseIds, minAgeDays: state.minAgeDays }
    : { kind: 'courses', courseIds };
}

/** The age filter changed and the cache has not been counted again yet. */
export const isCounting = (state: PopupState): boolean =>
  state.overview !== null && state.overviewAge !== state.minAgeDays;

/** Pending invites the revoke button would cover, from the cache. */
export const inScopeCount = (state: PopupState): number => selectionOf(state).invites;

/** reclaim-audit-YYYY-MM-DD.csv, in the manager's local date. */
export function csvFileName(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `reclaim-audit-${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}.csv`;
}

/**
 * How old what the popup shows is, as one figure: when every course it shows was last known to
 * match the portal. A fresh course (shared/freshness.ts) was confirmed by the last course list
 * (`overview.fetchedAt`); a stale one only by its own last read, however recent the list. So a
 * refresh whose list came in but whose course reads failed never reads as fresh. Courses never
 * read have no age: `unread` counts them. `at` is null when nothing was ever read.
 */
export interface ShownAge {
  at: number | null;
  /** Some course is stale (shared/freshness.ts). */
  stale: boolean;
  unread: number;
}

export function shownAge(overview: Overview, now: number, maxAgeMs: number): ShownAge {
  let at = overview.fetchedAt;
  let stale = false;
  let unread = 0;
  for (const c of overview.courses) {
    const f = freshnessOf(c, now, maxAgeMs);
    if (f.kind === 'unread') unread++;
    else if (f.kind === 'stale') {
      stale = true;
      at = at === null ? f.readAt : Math.min(at, f.readAt);
    }
  }
  return { at, stale, unread };
}
