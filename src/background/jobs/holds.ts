/**
 * One invite, one job: which invites of a new job (or of a Retry failed) another job of the same
 * portal holds. A job holds an invite, whatever its item's kind, while it may still send a
 * request for it, and for a while after it sent one. Likewise the address an item invites to a
 * course (its `inviteTarget`): one address, one job, so no two jobs invite it to the same course.
 *
 *   - an active job (waiting, running, paused, signed-out) holds every item it has not skipped
 *     or decided without sending anything (kept, not found, left unseated): it will send, has
 *     sent, or may retry it (Retry failed);
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
import { isActiveJob, isFinalItem } from '../../shared/job-states';
import type { HeldBy, Job, JobItem, Preview } from '../../shared/types';

/** Whether `item` of `job` keeps another job from sending for the same invite. */
export function holds(job: Job, item: JobItem, since: number): boolean {
  if (item.state === 'skipped') return false;
  // Decided when the job was written, nothing ever sent for it: it never will be.
  if (item.tries === 0 && isFinalItem(item.state) && item.state !== 'failed') return false;
  if (isActiveJob(job.state)) return true;
  if (job.state === 'cancelled' && item.state === 'in-flight') return true;
  return item.tries > 0 && item.state !== 'failed' && item.updatedAt >= since;
}

/** What an item of a new job claims: the invite it sends for, and the course and address it invites. */
export type Claim = Pick<JobItem, 'inviteId' | 'inviteTarget'>;

/**
 * Which of `claims` other jobs of `origin` hold, by the claim's inviteId, and which job holds it
 * (the earliest started): one holding its invite, or inviting its address to its course.
 * Reads inside the caller's transaction (jobs and jobItems).
 */
export async function findHolders(
  db: ReclaimDb,
  origin: string,
  claims: readonly Claim[],
  since: number,
  exceptJobId: number | null,
): Promise<Map<string, Job>> {
  const holders = new Map<string, Job>();
  if (claims.length === 0) return holders;
  const inviteIds = claims.map((c) => c.inviteId);
  /** The claims on each course and address (an item that only invites is keyed by its target too). */
  const byTarget = new Map<string, string[]>();
  for (const c of claims) {
    if (c.inviteTarget === undefined) continue;
    byTarget.set(c.inviteTarget, [...(byTarget.get(c.inviteTarget) ?? []), c.inviteId]);
  }
  const hold = (job: Job, claimed: readonly string[]) => {
    for (const id of claimed) if (!holders.has(id)) holders.set(id, job);
  };
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
    for (const item of items) if (holds(job, item, since)) hold(job, [item.inviteId]);
    if (byTarget.size === 0) continue;
    const inviting = await db.jobItems
      .where('[jobId+inviteTarget]')
      .anyOf([...byTarget.keys()].map((t) => [job.id, t]))
      .toArray();
    for (const item of inviting) {
      if (holds(job, item, since)) hold(job, byTarget.get(item.inviteTarget as string) ?? []);
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
