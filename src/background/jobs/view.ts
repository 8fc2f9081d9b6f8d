/** A job as views see it: the job row, its counts, and (once it stops moving) seats and failures. */
import type { ReclaimDb } from '../../shared/db';
import {
  FINAL_ITEM_STATES,
  type ItemState,
  type Job,
  type JobCounts,
  type JobView,
} from '../../shared/types';

const STATES: readonly ItemState[] = ['queued', 'in-flight', ...FINAL_ITEM_STATES];

export async function countItems(db: ReclaimDb, jobId: number): Promise<Record<ItemState, number>> {
  // One read transaction for all the counts, not one each.
  const n = await db.transaction('r', db.jobItems, () =>
    Promise.all(STATES.map((s) => db.jobItems.where('[jobId+state]').equals([jobId, s]).count())),
  );
  return Object.fromEntries(STATES.map((s, k) => [s, n[k] ?? 0])) as Record<ItemState, number>;
}

export function toCounts(c: Record<ItemState, number>): JobCounts {
  const total = STATES.reduce((sum, s) => sum + c[s], 0);
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

export async function buildView(db: ReclaimDb, job: Job): Promise<JobView> {
  const counts = toCounts(await countItems(db, job.id));
  const view: JobView = { job, counts, seatsReturnedByCourse: [], failures: [] };
  if (job.state === 'running' || job.state === 'waiting') return view;
  const revoked = await db.jobItems.where('[jobId+state]').equals([job.id, 'revoked']).toArray();
  const seats = new Map<string, { courseId: string; courseTitle: string; seats: number }>();
  for (const item of revoked) {
    const line = seats.get(item.courseId) ?? {
      courseId: item.courseId,
      courseTitle: item.courseTitle,
      seats: 0,
    };
    line.seats++;
    seats.set(item.courseId, line);
  }
  view.seatsReturnedByCourse = [...seats.values()].sort((a, b) => a.courseTitle.localeCompare(b.courseTitle));
  const failed = await db.jobItems.where('[jobId+state]').equals([job.id, 'failed']).toArray();
  view.failures = failed.map((i) => ({
    inviteId: i.inviteId,
    learnerName: i.learnerName,
    courseTitle: i.courseTitle,
    error: i.error ?? 'failed',
  }));
  return view;
}

/** Share of the job's items that reached an outcome, 0..1. */
export function progressOf(view: JobView): number {
  const { total, queued, inFlight } = view.counts;
  return total === 0 ? 1 : (total - queued - inFlight) / total;
}
