/** Small text helpers for the popup. */
import { INVITE_LIFETIME_MS } from '../shared/expiry';
import { type MessageKey, relative, t } from '../shared/i18n';
import type { FinalItemState, InviteReason, JobView } from '../shared/types';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** "just now", "7 minutes ago", "2 hours ago", "3 days ago" (in the reader's language). */
export function ago(then: number, now: number): string {
  const d = Math.max(0, now - then);
  if (d < MIN) return t('agoJustNow');
  if (d < HOUR) return relative(-Math.floor(d / MIN), 'minute');
  if (d < DAY) return relative(-Math.floor(d / HOUR), 'hour');
  return relative(-Math.floor(d / DAY), 'day');
}

/** expiry.ts speaks in sentAt; the cache indexes expiresAt. */
export const sentAtOf = (expiresAt: number): number => expiresAt - INVITE_LIFETIME_MS;

/** The catalogue's word for each outcome of an item (the audit log's and a job's lines), looked up when shown. */
const OUTCOME_KEY: Record<FinalItemState, MessageKey> = {
  revoked: 'outcomeRevoked',
  'already-cancelled': 'outcomeAlreadyCancelled',
  'already-expired': 'outcomeAlreadyExpired',
  'kept-accepted': 'outcomeKeptAccepted',
  'not-found': 'outcomeNotFound',
  invited: 'outcomeInvited',
  'already-invited': 'outcomeAlreadyInvited',
  'not-invited': 'outcomeNotInvited',
  skipped: 'outcomeSkipped',
  failed: 'outcomeFailed',
};

/** "Revoked", "Kept (accepted)"… in the reader's language; an outcome Reclaim does not know, as written. */
export function outcomeLabel(outcome: string): string {
  return Object.hasOwn(OUTCOME_KEY, outcome) ? t(OUTCOME_KEY[outcome as FinalItemState]) : outcome;
}

const REASON_KEY: Record<InviteReason, MessageKey> = {
  reassign: 'auditReasonReassign',
  renew: 'auditReasonRenew',
  'make-room': 'auditReasonMakeRoom',
};

/** Why an invite was revoked or sent: "reassign", "renew", "make room". */
export const reasonLabel = (reason: InviteReason): string => t(REASON_KEY[reason]);

/** A finished or stopped job's heading, one whole message per kind of job and end. */
const DONE_KEY: Record<InviteReason | 'revoke', [done: MessageKey, stopped: MessageKey]> = {
  revoke: ['workDoneRevoke', 'workStoppedRevoke'],
  reassign: ['workDoneReassign', 'workStoppedReassign'],
  renew: ['workDoneRenew', 'workStoppedRenew'],
  'make-room': ['workDoneMakeRoom', 'workStoppedMakeRoom'],
};

/** A finished job's heading: "Revoke finished", "Renew stopped"… */
export function jobDone(view: JobView): string {
  const [done, stopped] = DONE_KEY[view.job.reason ?? 'revoke'];
  return t(view.job.state === 'cancelled' ? stopped : done);
}
