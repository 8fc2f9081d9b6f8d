/**
 * "Invite and make room", planned (pure): from a paste and the course as just read from the
 * portal, who is invited, who already holds an invite, how many seats are free, which pending
 * invites are revoked to make room for the rest, and who stays without a seat.
 *
 * Seat arithmetic: n new addresses, f free seats. The first min(n, f) addresses take free seats;
 * the next ones each take the seat of one revoked invite, oldest first, while there are invites
 * to revoke: pending (and not yet expired), sent at least `minAgeDays` ago when that filter is
 * set, never accepted, never one held by an address on the list (such an address is told it
 * already holds one, and its invite is not taken from it). Addresses beyond that stay unseated.
 */
import { type AddressList, addressKey } from '../../shared/addresses';
import { ageInDays, expiresAt, isPendingAt } from '../../shared/expiry';
import { t } from '../../shared/i18n';
import { type InvitePlan, MAX_PASTED_ADDRESSES } from '../../shared/invite-work';
import type { Seats } from '../../shared/types';

/** A course's invite as the plan needs it. */
export interface PlanInvite {
  id: string;
  status: 'pending' | 'accepted' | 'cancelled' | 'expired';
  sentAt: string;
  learner: { name: string; email: string };
}

export interface PlanInput {
  course: { id: string; title: string; seats: Seats };
  /** The course's pending and accepted invites, as just read. */
  invites: readonly PlanInvite[];
  list: AddressList;
  minAgeDays: number;
  /** The portal's clock (ms). */
  now: number;
}

/** Why a paste gives nothing to send, or null. */
function problemOf(list: AddressList, fresh: number): string | null {
  if (list.entries === 0) return t('enginePasteOne');
  if (list.entries > MAX_PASTED_ADDRESSES)
    return t('engineTooManyEntries', list.entries, MAX_PASTED_ADDRESSES);
  if (list.addresses.length === 0) return t('engineNoneWellFormed');
  if (fresh === 0) return t('engineNobodyNew');
  return null;
}

export function planMakeRoom(input: PlanInput): InvitePlan {
  const { course, list, now } = input;
  const minAgeDays = Math.max(0, Math.floor(input.minAgeDays));
  const held = new Map<string, PlanInvite>();
  for (const inv of input.invites) {
    const live = inv.status === 'accepted' || isPendingAt(inv.status, expiresAt(inv.sentAt), now);
    if (live) held.set(addressKey(inv.learner.email), inv);
  }
  const onList = new Set(list.addresses.map((a) => addressKey(a.email)));
  const holding: InvitePlan['holding'] = [];
  const fresh: string[] = [];
  for (const a of list.addresses) {
    const inv = held.get(addressKey(a.email));
    if (inv && (inv.status === 'pending' || inv.status === 'accepted'))
      holding.push({ email: a.email, status: inv.status, sentAt: inv.sentAt });
    else fresh.push(a.email);
  }
  const problem = problemOf(list, fresh.length);

  const revocable = input.invites
    .filter(
      (inv) =>
        isPendingAt(inv.status, expiresAt(inv.sentAt), now) &&
        !onList.has(addressKey(inv.learner.email)) &&
        (minAgeDays === 0 || ageInDays(inv.sentAt, now) >= minAgeDays),
    )
    .sort((a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt) || a.id.localeCompare(b.id));
  const free = problem ? 0 : Math.min(fresh.length, Math.max(0, course.seats.available));
  const made = problem ? 0 : Math.min(fresh.length - free, revocable.length);
  const seated = free + made;
  const revokes = revocable.slice(0, made).map((inv, k) => ({
    inviteId: inv.id,
    learnerName: inv.learner.name,
    learnerEmail: inv.learner.email,
    sentAt: inv.sentAt,
    for: fresh[free + k] as string,
  }));
  return {
    courseId: course.id,
    courseTitle: course.title,
    seats: course.seats,
    entries: list.entries,
    addresses: list.addresses.map((a) => a.email),
    malformed: list.malformed,
    repeated: list.repeated,
    holding,
    toInvite: problem ? [] : fresh.slice(0, seated),
    free,
    revokes,
    unseated: problem ? [] : fresh.slice(seated),
    minAgeDays,
    revocable: revocable.length,
    now,
    problem,
  };
}
