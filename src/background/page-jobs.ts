/**
 * Jobs that cover a page without being its own: a revoke started in the toolbar popup (or in
 * another tab) whose scope takes in the course or learner a portal page shows. Such a page is
 * told that the job exists and when its Undo window ends, and may undo it there: enough to offer
 * Undo where the manager is, after the popup closed. It is told nothing about the job's other
 * courses (no counts, names or outcomes): its full view stays with extension pages and the page
 * that started it.
 */
import type { CoveringJob } from '../shared/messages';
import type { Job } from '../shared/types';
import type { Caller } from './router';

/** Whether `job` would revoke invites of the course or learner `caller` shows. */
export function coversPage(caller: Caller, job: Job): boolean {
  if (caller.kind !== 'content' || !caller.context || job.origin !== caller.origin) return false;
  if (job.reason) return false; // a job that invites is not a revoke of the page's invites
  const page = caller.context;
  const scope = job.scope;
  if (page.kind === 'learner') return scope.kind === 'learner' && scope.learnerId === page.learnerId;
  if (scope.kind === 'course') return scope.courseId === page.courseId;
  if (scope.kind === 'courses') return scope.courseIds === 'all' || scope.courseIds.includes(page.courseId);
  return false;
}

/** What a page is told of a job that covers it. */
export function coveringJob(job: Job, caller: Caller): CoveringJob {
  const page = caller.kind === 'content' ? caller.context : null;
  const scope = job.scope;
  const onlyThisPage =
    scope.kind === 'learner' ||
    scope.kind === 'course' ||
    (scope.kind === 'courses' &&
      scope.courseIds !== 'all' &&
      scope.courseIds.length === 1 &&
      page?.kind === 'course' &&
      scope.courseIds[0] === page.courseId);
  return {
    id: job.id,
    state: job.state,
    startAt: job.startAt,
    finishedAt: job.finishedAt,
    surface: job.surface,
    minAgeDays: scope.minAgeDays ?? 0,
    othersToo: !onlyThisPage,
  };
}
