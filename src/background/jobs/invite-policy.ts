/**
 * The policies of the kinds that send invites (pure; their executors: invite-executor.ts).
 *
 * Inviting an address, from the invite request's answer:
 *   201, an invite for the address         invited
 *   201, the address skipped               unclear: the portal skips an address that holds a
 *                                          pending or accepted invite, and that may be this
 *                                          item's own earlier request (a lost answer, or the
 *                                          browser re-sending a POST by itself) or someone
 *                                          else's: the re-read below tells which
 *   201 mentioning neither                 lost (the answer is not about this request)
 *   409 no_seats                           not-invited: someone else took the seat meanwhile
 *   400 invalid_emails                     not-invited: the portal refused the address
 *   404                                    not-invited: the portal does not know the course
 *   signed out (any shape)                 stays in flight and is re-read once signed in, before
 *                                          anything is sent again; no try counted (policy.ts)
 * and from the re-read of the course's invites of that address (after a lost or unclear answer):
 *   one sent at or after `inviteFrom`      invited (this item's request applied; confirmed)
 *   else one pending or accepted           already-invited: someone else invited the address
 *                                          before this item's request: nothing sent again
 *   else                                   not applied: sent again (up to MAX_TRIES)
 * `inviteFrom` is a portal time that had certainly passed before the item's first invite
 * request left (written before it was sent), so the item's own invite is never taken for someone
 * else's; an invite someone else sent in the moments after it would be taken for the item's, and
 * nothing is then sent twice either way. With no `inviteFrom` (never the case for an item that
 * sent), every invite found counts as the item's, which errs on the side of sending nothing again.
 *
 * Cancelling then inviting: the cancel as cancelPolicy reads it; when it leaves the seat free
 * (revoked, already cancelled or already expired) the item proceeds to its invite, recording how
 * the seat was freed; an invite accepted meanwhile is kept and nothing is sent to the address;
 * an invite the portal does not know sends nothing either. The invite then as above.
 */

import { statusWord } from '../../portal/api/errors';
import type { Invite } from '../../portal/api/schemas';
import { addressKey } from '../../shared/addresses';
import { dateTime, t } from '../../shared/i18n';
import type { JobItem, SeatFreed } from '../../shared/types';
import type { InviteRead, InviteSent, PairRead, PairSent } from './invite-executor';
import { cancelPolicy, type KindPolicy, type Verdict } from './policy';

const sentAtMs = (invite: Invite): number => Date.parse(invite.sentAt);

/** The item's own invite among the address's (the first sent at or after its first request), if any. */
export function ownInvite(invites: readonly Invite[], inviteFrom: number | undefined): Invite | null {
  const from = inviteFrom ?? Number.NEGATIVE_INFINITY;
  let own: Invite | null = null;
  for (const invite of invites) {
    const at = sentAtMs(invite);
    if (at >= from && (!own || at < sentAtMs(own))) own = invite;
  }
  return own;
}

function readInvites(invites: readonly Invite[], item: JobItem): Verdict {
  const own = ownInvite(invites, item.inviteFrom);
  if (own) {
    return {
      outcome: 'invited',
      detail:
        own.status === 'pending' ? t('engineOwnApplied') : t('engineOwnAppliedSince', statusWord(own.status)),
      patch: { newInviteId: own.id },
    };
  }
  const held = invites.find((i) => i.status === 'pending' || i.status === 'accepted');
  if (held) {
    return {
      outcome: 'already-invited',
      detail: t('engineSomeoneElse', statusWord(held.status), dateTime(Date.parse(held.sentAt))),
    };
  }
  return 'not-applied';
}

export const invitePolicy: KindPolicy<InviteSent, InviteRead> = (result, item) => {
  if (result.step === 'settle') {
    return result.answer.ok ? readInvites(result.answer.value, item) : { failure: result.answer.error };
  }
  const answer = result.answer;
  if (!answer.ok) {
    switch (answer.error.kind) {
      case 'no-seats':
        return { outcome: 'not-invited', detail: t('engineSeatTaken') };
      case 'invalid-emails':
        return { outcome: 'not-invited', detail: t('errorInvalidEmail') };
      case 'not-found':
        return { outcome: 'not-invited', detail: t('engineUnknownCourse') };
      default:
        // Never sent twice: a sign-out answer is re-read once signed in (policy.ts).
        return { failure: answer.error, once: true };
    }
  }
  const key = addressKey(item.email ?? '');
  const created = answer.value.items.find((i) => addressKey(i.learner.email) === key);
  if (created) return { outcome: 'invited', detail: null, patch: { newInviteId: created.id } };
  if (answer.value.skipped.some((s) => addressKey(s.email) === key)) return { unclear: t('engineSkipped') };
  return { failure: { kind: 'malformed', message: t('engineNotMentioned') } };
};

const FREES_SEAT: ReadonlySet<string> = new Set<SeatFreed>([
  'revoked',
  'already-cancelled',
  'already-expired',
]);

/** The cancel's verdict, for an item that invites once the seat is free. */
function afterCancel(cancelled: Verdict, item: JobItem): Verdict {
  if (typeof cancelled !== 'object' || !('outcome' in cancelled)) return cancelled;
  const to = item.email ?? t('engineTheAddress');
  if (FREES_SEAT.has(cancelled.outcome)) {
    const seatFreed = cancelled.outcome as SeatFreed;
    return { proceed: { phase: 'invite', seatFreed }, outcome: seatFreed, detail: cancelled.detail };
  }
  if (cancelled.outcome === 'kept-accepted') {
    return { outcome: 'kept-accepted', detail: t('engineKeptMeanwhile', to) };
  }
  const why = cancelled.detail ?? t('engineInviteGone');
  return { outcome: cancelled.outcome, detail: t('engineNothingSentTo', why, to) };
}

export const cancelThenInvitePolicy: KindPolicy<PairSent, PairRead> = (result, item) => {
  if (result.step === 'send') {
    const sent = result.answer;
    return sent.phase === 'invite'
      ? invitePolicy({ step: 'send', answer: sent.answer }, item)
      : afterCancel(cancelPolicy({ step: 'send', answer: sent.answer }, item), item);
  }
  const read = result.answer;
  return read.phase === 'invite'
    ? invitePolicy({ step: 'settle', answer: read.answer }, item)
    : afterCancel(cancelPolicy({ step: 'settle', answer: read.answer }, item), item);
};
