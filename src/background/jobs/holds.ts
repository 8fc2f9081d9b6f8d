/**
 * One invite, one job: which invites of a new job (or of a Retry failed) another job of the same
 * portal holds. A job holds an invite, whatever its item's kind, while it may still send a
 * request for it, and for a while after it sent one:
 *
 *   - an active job (waiting, running, paused, signed-out) holds every item it has not skipped:
 *     it will send, has sent, or may retry it (Retry failed);
 *   - a cancelled job still settling holds its items in flight;
 *   - any job holds an item it sent a request for after `since` (the moment the new job's scope
 *     was read): the portal may not have shown that request's effect to the read, so sending
 *     again would be a second request for the same invite.
 *
 * The store asks this inside the transaction that writes the new job, so two jobs started at
 * the same moment (two pages, the popup and a page, a double click) see each other: IndexedDB
 * runs read-write transactions on the same tables one after the other.
 */
import type { ReclaimDb } from '../../shared/db';
import { isActiveJob } from '../../shared/job-states';
import type { HeldBy, Job, JobItem, Preview } from '../../shared/types';

/** Whether `item` of `job` keeps another job from sending for the same invite. */
export function holds(job: Job, item: JobItem, since: number): boolean {
  if (item.state === 'skipped') return false;
  if (isActiveJob(job.state)) return true;
  if (job.state === 'cancelled' && item.state === 'in-flight') return true;
  return item.tries > 0 && item.state !== 'failed' && item.updatedAt >= since;
}

/**
 * Which of `inviteIds` other jobs of `origin` hold, and by which job (the earliest started).
 * Reads inside the caller's transaction (jobs and jobItems).
 */
export async function findHolders(
  db: ReclaimDb,
  origin: string,
  inviteIds: readonly string[],
  since: number,
  exceptJobId: number | null,
): Promise<Map<string, Job>> {
  const holders = new Map<string, Job>();
  if (inviteIds.length === 0) return holders;
  // Jobs that may hold anything: active, settling, or finished since the scope was read.
  const jobs = await db.jobs
    .filter(
      (j) =>
        j.origin === origin &&
        j.id !== exceptJobId &&
        (isActiveJob(j.state) || j.finishedAt === null || j.finishedAt >= since),
    )
    .sortBy('createdAt');
  for (const job of jobs) {
    const items = await db.jobItems
      .where('[jobId+inviteId]')
      .anyOf(inviteIds.map((id) => [job.id, id]))
      .toArray();
    for (const item of items) {
      if (!holders.has(item.inviteId) && holds(job, item, since)) holders.set(item.inviteId, job);
    }
  }
  return holders;
}

/** The holders as one line per holding job, in the order the jobs were started. */
export function heldLines(holders: ReadonlyMap<string, Job>): HeldBy[] {
  const lines = new Map<number, HeldBy>();
  for (const job of holders.values()) {
    const line = lines.get(job.id) ?? { jobId: job.id, startedAt: job.createdAt, count: 0 };
    line.count++;
    lines.set(job.id, line);
  }
  return [...lines.values()].sort((a, b) => a.startedAt - b.startedAt);
}

/** A preview as a job started now would take it: the invites `holders` hold left out, and named. */
export function previewWithoutHeld(
  preview: Preview,
  items: readonly { inviteId: string; courseId: string }[],
  holders: ReadonlyMap<string, Job>,
): Preview {
  if (holders.size === 0) return preview;
  const heldPerCourse = new Map<string, number>();
  for (const item of items) {
    if (holders.has(item.inviteId) && preview.inviteIds.includes(item.inviteId))
      heldPerCourse.set(item.courseId, (heldPerCourse.get(item.courseId) ?? 0) + 1);
  }
  return {
    ...preview,
    inviteIds: preview.inviteIds.filter((id) => !holders.has(id)),
    courses: preview.courses.map((c) => {
      const held = heldPerCourse.get(c.courseId) ?? 0;
      return { ...c, toRevoke: c.toRevoke - held, seatsReturned: c.seatsReturned - held };
    }),
    heldByOthers: heldLines(holders),
  };
}
