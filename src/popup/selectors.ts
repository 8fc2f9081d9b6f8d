/** What the popup derives from its state (pure), for its views and its actions. */
import { isActiveJob } from '../shared/job-states';
import type { JobView, PortalError, Scope } from '../shared/types';
import type { PopupState } from './state';

/** The cache is called stale past this age: the popup says so while it refreshes. */
export const STALE_MS = 3 * 60 * 1000;

/** A job is on screen that is not over yet. */
export const isActive = (view: JobView | null): boolean => !!view && isActiveJob(view.job.state);

export function errorText(error: PortalError | { kind: string; message: string }): string {
  switch (error.kind) {
    case 'signed-out':
      return 'You’re signed out of the portal.';
    case 'network-error':
    case 'timeout':
      return 'The portal could not be reached.';
    case 'no-permission':
      return 'Reclaim has no access to this portal yet.';
    default:
      return error.message || 'Something went wrong.';
  }
}

/** Courses a revoke covers: 'all' when every course is ticked. */
export function scopeOf(state: PopupState): Scope | null {
  const courses = state.overview?.courses ?? [];
  const ticked = courses.filter((c) => !state.unticked[c.courseId]).map((c) => c.courseId);
  if (courses.length > 0 && ticked.length === 0) return null;
  const courseIds = ticked.length === courses.length ? 'all' : ticked;
  return state.minAgeDays > 0
    ? { kind: 'courses', courseIds, minAgeDays: state.minAgeDays }
    : { kind: 'courses', courseIds };
}

/** The age filter changed and the cache has not been counted again yet. */
export const isCounting = (state: PopupState): boolean =>
  state.overview !== null && state.overviewAge !== state.minAgeDays;

/** Pending invites the revoke button would cover, from the cache. */
export function inScopeCount(state: PopupState): number {
  let n = 0;
  for (const c of state.overview?.courses ?? []) if (!state.unticked[c.courseId]) n += c.inScope;
  return n;
}

export function totalPending(state: PopupState): number {
  let n = 0;
  for (const c of state.overview?.courses ?? []) n += c.pending;
  return n;
}

/** reclaim-audit-YYYY-MM-DD.csv, in the manager's local date. */
export function csvFileName(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `reclaim-audit-${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}.csv`;
}
