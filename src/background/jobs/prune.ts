/**
 * What a finished job keeps, and for how long. While a job runs, its items are its live view
 * (each one's state) and what it resumes from. Once it is finished (done, undone, or cancelled
 * and settled) its view reads only its row: the tally (store.ts) and its failed items. So a day
 * after it finished, every item but the failed ones (kept for Retry failed, and for the report's
 * list of failures) is deleted; a job that invites also keeps the lines of seats it freed and
 * did not fill (view.ts), which its report never leaves out. The job's row stays, and the audit log (one entry per outcome)
 * is not touched. The day's grace keeps the items while another job started meanwhile may
 * still ask whether this one sent for the same invite, and for a look at a fresh report.
 */
import type { ReclaimDb } from '../../shared/db';
import { ITEM_STATES, isActiveJob, isFinalItem } from '../../shared/job-states';
import { tallyOf } from '../../shared/job-tally';
import type { ItemState } from '../../shared/types';
import { leftSeatFree } from './view';

/** How long a finished job keeps the items only its live view needed. */
export const FINISHED_ITEMS_KEPT_MS = 24 * 60 * 60 * 1000;

/** Final states whose items a finished job no longer needs. */
const PRUNABLE: readonly ItemState[] = ITEM_STATES.filter((s) => isFinalItem(s) && s !== 'failed');

/**
 * Prunes the items of jobs finished before `before` that only their live view needed; returns
 * how many went. A job is pruned once (`itemsPrunedAt`).
 */
export function pruneFinished(db: ReclaimDb, before: number, now: number): Promise<number> {
  return db.transaction('rw', db.jobs, db.jobItems, async () => {
    const jobs = await db.jobs
      .filter(
        (j) =>
          !isActiveJob(j.state) &&
          j.finishedAt !== null &&
          j.finishedAt < before &&
          j.itemsPrunedAt === undefined,
      )
      .toArray();
    let pruned = 0;
    for (const job of jobs) {
      // A job counted before tallies existed is counted now, while its items are all there.
      const tally = job.tally ?? tallyOf(await db.jobItems.where('jobId').equals(job.id).toArray());
      const prunable = db.jobItems.where('[jobId+state]').anyOf(PRUNABLE.map((s) => [job.id, s]));
      pruned += await (job.reason ? prunable.filter((i) => !leftSeatFree(i)) : prunable).delete();
      await db.jobs.put({ ...job, tally, itemsPrunedAt: now });
    }
    return pruned;
  });
}
