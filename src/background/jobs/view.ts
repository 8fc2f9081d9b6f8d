/** A job as views see it, shaped from its items or its tally (pure: store.ts reads them). */
import { ITEM_STATES } from '../../shared/job-states';
import type { ItemState, JobCounts, JobItem, JobTally, JobView } from '../../shared/types';

export function toCounts(c: Record<ItemState, number>): JobCounts {
  const total = ITEM_STATES.reduce((sum, s) => sum + c[s], 0);
  return {
    total,
    queued: c.queued,
    inFlight: c['in-flight'],
    revoked: c.revoked,
    alreadyGone: c['already-cancelled'] + c['already-expired'] + c['not-found'],
    keptAccepted: c['kept-accepted'],
    skipped: c.skipped,
    failed: c.failed,
  };
}

/** Seats the revoked items returned, per course, by course title. */
export function seatsFromTally(tally: JobTally): JobView['seatsReturnedByCourse'] {
  return Object.entries(tally.revokedByCourse)
    .filter(([, c]) => c.seats > 0)
    .map(([courseId, c]) => ({ courseId, courseTitle: c.courseTitle, seats: c.seats }))
    .sort((a, b) => a.courseTitle.localeCompare(b.courseTitle));
}

export function failuresOf(failed: readonly JobItem[]): JobView['failures'] {
  return failed.map((i) => ({
    inviteId: i.inviteId,
    learnerName: i.learnerName,
    courseTitle: i.courseTitle,
    error: i.error ?? 'failed',
  }));
}

/** Share of the job's items that reached an outcome, 0..1. */
export function progressOf(view: JobView): number {
  const { total, queued, inFlight } = view.counts;
  return total === 0 ? 1 : (total - queued - inFlight) / total;
}
