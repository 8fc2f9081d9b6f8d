/**
 * A job's tally: its items counted per state, and the seats its cancels returned per course,
 * kept on the job's row in step with every write of its items (background/jobs/store.ts), so a
 * view of a job of any size reads one row. Pure; the schema upgrade (db.ts) counts old jobs with it.
 */
import { ITEM_STATES } from './job-states';
import type { ItemState, JobItem, JobTally } from './types';

type Counted = Pick<JobItem, 'state' | 'courseId' | 'courseTitle' | 'seatFreed'>;

/**
 * Whether the item's own cancel returned a seat: a revoke, or the cancel of a cancel-then-invite
 * (which then goes on to its invite, whatever state it ends in).
 */
export const freedSeat = (item: Counted): boolean => item.state === 'revoked' || item.seatFreed === 'revoked';

/** Every state's count, 0 for those the tally does not name. */
export function stateCounts(tally: JobTally): Record<ItemState, number> {
  return Object.fromEntries(ITEM_STATES.map((s) => [s, tally.states[s] ?? 0])) as Record<ItemState, number>;
}

/** A tally of `items` from nothing. */
export function tallyOf(items: readonly Counted[]): JobTally {
  const tally: JobTally = { states: {}, revokedByCourse: {} };
  for (const item of items) count(tally, item, 1);
  return tally;
}

/** The tally after items were written: each one's state before (if it was stored) and after. */
export function retally(
  tally: JobTally,
  writes: readonly { before: JobItem | undefined; after: JobItem }[],
): JobTally {
  const next: JobTally = {
    states: { ...tally.states },
    revokedByCourse: Object.fromEntries(Object.entries(tally.revokedByCourse).map(([k, c]) => [k, { ...c }])),
  };
  for (const { before, after } of writes) {
    if (before) count(next, before, -1);
    count(next, after, 1);
  }
  return next;
}

function count(tally: JobTally, item: Counted, by: 1 | -1): void {
  tally.states[item.state] = (tally.states[item.state] ?? 0) + by;
  if (!freedSeat(item)) return;
  const line = tally.revokedByCourse[item.courseId] ?? { courseTitle: item.courseTitle, seats: 0 };
  line.seats += by;
  tally.revokedByCourse[item.courseId] = line;
}
