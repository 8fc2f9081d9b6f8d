/** Small text helpers for the popup. */
import { INVITE_LIFETIME_MS } from '../shared/expiry';
import type { AuditOutcome, InviteReason, JobView } from '../shared/types';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** "just now", "7 min ago", "2 h ago", "3 days ago". */
export function ago(then: number, now: number): string {
  const d = Math.max(0, now - then);
  if (d < MIN) return 'just now';
  if (d < HOUR) return `${Math.floor(d / MIN)} min ago`;
  if (d < DAY) return `${Math.floor(d / HOUR)} h ago`;
  const days = Math.floor(d / DAY);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/** expiry.ts speaks in sentAt; the cache indexes expiresAt. */
export const sentAtOf = (expiresAt: number): number => expiresAt - INVITE_LIFETIME_MS;

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

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

/** Date and time in the manager's locale, e.g. "27 Nov, 17:05". */
export function when(at: number): string {
  return new Date(at).toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export const REASON_LABEL: Record<InviteReason, string> = {
  reassign: 'reassign',
  renew: 'renew',
  'make-room': 'make room',
};

/** What a job is doing, for its headings: "Revoking 5 pending invites", "Renewing 3 invites"… */
export function jobDoing(view: JobView): string {
  const n = view.counts.total;
  switch (view.job.reason) {
    case 'reassign':
      return `Reassigning ${plural(n, 'invite', 'invites')}`;
    case 'renew':
      return `Renewing ${plural(n, 'invite', 'invites')}`;
    case 'make-room':
      return `Inviting ${plural(n, 'address', 'addresses')} and making room`;
    default:
      return `Revoking ${plural(n, 'pending invite', 'pending invites')}`;
  }
}

/** A finished job's heading. */
export function jobDone(view: JobView): string {
  const what = { reassign: 'Reassign', renew: 'Renew', 'make-room': 'Invite and make room' };
  const name = view.job.reason ? what[view.job.reason] : 'Revoke';
  return `${name} ${view.job.state === 'cancelled' ? 'stopped' : 'finished'}`;
}
