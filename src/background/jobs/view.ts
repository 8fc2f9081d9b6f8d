/** A job as views see it, shaped from its items or its tally (pure: store.ts reads them). */
import { t } from '../../shared/i18n';
import { ITEM_STATES } from '../../shared/job-states';
import type { InviteLine, ItemState, JobCounts, JobItem, JobTally, JobView } from '../../shared/types';

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
    invited: c.invited,
    alreadyInvited: c['already-invited'],
    notInvited: c['not-invited'],
  };
}

/** Seats the job's cancels returned, per course, by course title. */
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
    error: i.error ?? t('engineFailed'),
  }));
}

/** Whether the item revoked an invite for its address and its address did not get the seat. */
export const leftSeatFree = (item: JobItem): boolean =>
  item.seatFreed === 'revoked' && item.state !== 'invited';

/**
 * Why a seat this item freed was not filled, or null: it holds no seat it freed, or its address
 * got it. A failure keeps its reason; a stop says so.
 */
function seatLeftFree(item: JobItem): string | null {
  if (!leftSeatFree(item)) return null;
  if (item.state === 'skipped' || item.state === 'queued' || item.state === 'in-flight')
    return item.state === 'skipped' ? t('engineStopped') : t('engineNotSentYet');
  return item.error ?? item.state;
}

/** One line per address of a job that invites, in the job's order; items without an address are left out. */
export function inviteLines(items: readonly JobItem[]): InviteLine[] {
  const lines: InviteLine[] = [];
  for (const i of items) {
    if (i.email === undefined) continue;
    const cancels = i.kind === 'cancel-then-invite';
    lines.push({
      key: i.inviteId,
      email: i.email,
      courseId: i.courseId,
      courseTitle: i.courseTitle,
      outcome: i.state,
      detail: i.error,
      newInviteId: i.newInviteId ?? null,
      revoked: cancels
        ? {
            inviteId: i.inviteId,
            learnerName: i.learnerName,
            learnerEmail: i.learnerEmail,
            outcome: i.seatFreed ?? i.state,
          }
        : null,
      seatLeftFree: seatLeftFree(i),
    });
  }
  return lines;
}

/** Share of the job's items that reached an outcome, 0..1. */
export function progressOf(view: JobView): number {
  const { total, queued, inFlight } = view.counts;
  return total === 0 ? 1 : (total - queued - inFlight) / total;
}
