/**
 * What a job does, in the words every view uses for it (the popup's Undo window and progress, the
 * toolbar button's title): what, how many and where, e.g. "Revoking 76 pending invites in 4
 * courses". The popup says it at the click, before the job exists, with the same words.
 */
import { tn } from '../i18n';
import type { InviteReason, JobView, Scope } from '../types';

/** The courses a revoke names: how many, every one, or none said (a page's learner or course). */
export type CourseCount = number | 'every' | null;

export function courseCountOf(scope: Scope): CourseCount {
  if (scope.kind !== 'courses') return null;
  return scope.courseIds === 'all' ? 'every' : scope.courseIds.length;
}

/** "Revoking 76 pending invites in 4 courses", "Renewing 3 invites"… `n`: the job's items. */
export function doingWords(reason: InviteReason | undefined, n: number, courses: CourseCount = null): string {
  switch (reason) {
    case 'reassign':
      return tn('doingReassigning', n);
    case 'renew':
      return tn('doingRenewing', n);
    case 'make-room':
      return tn('doingMakingRoom', n);
    default:
      if (courses === null) return tn('doingRevoking', n);
      if (courses === 'every') return tn('doingRevokingEvery', n);
      return tn('doingRevokingIn', n, tn('doingCourses', courses));
  }
}

export const jobDoing = (view: JobView): string =>
  doingWords(view.job.reason, view.counts.total, courseCountOf(view.job.scope));
