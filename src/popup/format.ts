/** Small text helpers for the popup. */
import { INVITE_LIFETIME_MS } from '../shared/expiry';
import { relative, t } from '../shared/i18n';
import type { AuditOutcome, InviteReason, JobView } from '../shared/types';

export { plural } from '../shared/ui/job-words';

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

export const OUTCOME_LABEL: Record<AuditOutcome, string> = {
  revoked: 'Revoked',
  'already-cancelled': 'Already cancelled',
  'already-expired': 'Already expired',
  'kept-accepted': 'Kept (accepted)',
  'not-found': 'Already gone',
  invited: 'Invited',
  'already-invited': 'Already invited',
  'not-invited': 'Not invited',
  failed: 'Failed',
};

export const REASON_LABEL: Record<InviteReason, string> = {
  reassign: 'reassign',
  renew: 'renew',
  'make-room': 'make room',
};

/** A finished job's heading. */
export function jobDone(view: JobView): string {
  const what = { reassign: 'Reassign', renew: 'Renew', 'make-room': 'Invite and make room' };
  const name = view.job.reason ? what[view.job.reason] : 'Revoke';
  return `${name} ${view.job.state === 'cancelled' ? 'stopped' : 'finished'}`;
}
