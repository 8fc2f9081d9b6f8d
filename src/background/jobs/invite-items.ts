/** The items of jobs that invite, as they are written before the job's first request. */
import type { Invite } from '../../portal/api/schemas';
import { addressKey } from '../../shared/addresses';
import { clock, t } from '../../shared/i18n';
import type { FinalItemState, InviteReason, Job, SeatFreed } from '../../shared/types';
import { cancelItem } from './resolve';
import type { NewItem } from './store';

/**
 * The course and address an item invites, as one key. An item that only invites has no invite
 * yet to name it, so this is its key too: one per address and course, so an address is never in
 * one job twice, and never an invite id.
 */
export const inviteTargetOf = (courseId: string, email: string): string =>
  `invite:${courseId}:${addressKey(email)}`;

/**
 * Cancel `invite`, then invite `email` once its seat is free. An invite already cancelled or
 * expired left its seat free: the item starts at its invite (`seatFreed` says how).
 */
export function pairItem(
  invite: Invite,
  email: string,
  reason: InviteReason,
  now: number,
  seatFreed?: SeatFreed,
): NewItem {
  const item: NewItem = {
    ...cancelItem(invite, 'queued', now),
    kind: 'cancel-then-invite',
    email,
    inviteTarget: inviteTargetOf(invite.course.id, email),
    reason,
    phase: seatFreed ? 'invite' : 'cancel',
  };
  if (seatFreed) item.seatFreed = seatFreed;
  return item;
}

/** A pair that sends nothing: the invite it would cancel was kept, or is not the portal's. */
export function pairOutcome(
  invite: Invite,
  email: string,
  reason: InviteReason,
  now: number,
  state: FinalItemState,
  detail: string,
): NewItem {
  return { ...pairItem(invite, email, reason, now), state, error: detail };
}

/** Invite `email` to the course: queued, or already decided (`state`, with why) and never sent. */
export function inviteItem(
  course: { id: string; title: string },
  email: string,
  reason: InviteReason,
  now: number,
  decided?: { state: FinalItemState; detail: string },
): NewItem {
  const target = inviteTargetOf(course.id, email);
  return {
    kind: 'invite',
    inviteId: target,
    courseId: course.id,
    courseTitle: course.title,
    learnerId: '',
    learnerName: email,
    learnerEmail: email,
    state: decided?.state ?? 'queued',
    tries: 0,
    error: decided?.detail ?? null,
    updatedAt: now,
    email,
    inviteTarget: target,
    reason,
  };
}

/**
 * An item of a job that invites, left to `holder`, another job that holds its invite or its
 * address (holds.ts): decided at once, so the job's report has a line for it, and never sent.
 */
export function heldItem(item: NewItem, holder: Job): NewItem {
  const at = clock(holder.createdAt);
  const error = item.kind === 'invite' ? t('engineHeldInvite', at) : t('engineHeldPair', at);
  return { ...item, state: 'not-invited', error };
}
