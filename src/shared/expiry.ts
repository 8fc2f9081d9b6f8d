/**
 * Invite expiry: the one rule every context uses.
 * A pending invite expires exactly 30 x 24 h after it was sent, and per the portal contract it
 * has expired AT that instant: it is still pending only while expiresAt > now.
 */
import { relative, t } from './i18n';
import type { InviteStatus } from './types';

export const INVITE_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** Urgent means fewer than this many days left, unless a view says otherwise (the renew window). */
const URGENT_DAYS = 3;

export function expiresAt(sentAt: string | number | Date): number {
  const sent = typeof sentAt === 'number' ? sentAt : new Date(sentAt).getTime();
  return sent + INVITE_LIFETIME_MS;
}

/** Milliseconds left before the invite expires; 0 or less once expired. */
function msUntilExpiry(sentAt: string | number | Date, now: number): number {
  return expiresAt(sentAt) - now;
}

export function isExpired(sentAt: string | number | Date, now: number): boolean {
  return msUntilExpiry(sentAt, now) <= 0;
}

/** Whether an invite with this status and expiry (ms) still holds a seat at `now`: pending and not expired. */
export function isPendingAt(status: InviteStatus, expiresAtMs: number, now: number): boolean {
  return status === 'pending' && expiresAtMs > now;
}

/** Whether fewer than `withinDays` are left (the "Renew expiring" window, where a view has it). */
export function isUrgent(sentAt: string | number | Date, now: number, withinDays = URGENT_DAYS): boolean {
  const left = msUntilExpiry(sentAt, now);
  return left > 0 && left < withinDays * DAY;
}

/** Whole days since the invite was sent (rounded down). */
export function ageInDays(sentAt: string | number | Date, now: number): number {
  const sent = typeof sentAt === 'number' ? sentAt : new Date(sentAt).getTime();
  return Math.floor((now - sent) / DAY);
}

/**
 * Human countdown: "expires in 6 days", "expires in 5 hours", "expires in 12 minutes", "expired"
 * (in the reader's language). Rounds down, so the label never promises more time than is left.
 */
export function formatCountdown(sentAt: string | number | Date, now: number): string {
  const left = msUntilExpiry(sentAt, now);
  if (left <= 0) return t('countdownExpired');
  const when =
    left >= DAY
      ? relative(Math.floor(left / DAY), 'day')
      : left >= HOUR
        ? relative(Math.floor(left / HOUR), 'hour')
        : relative(Math.max(1, Math.floor(left / 60000)), 'minute');
  return t('countdownExpires', when);
}

/** How long until the countdown label can next change, for scheduling a refresh. */
export function msUntilLabelChanges(sentAt: string | number | Date, now: number): number {
  const left = msUntilExpiry(sentAt, now);
  if (left <= 0) return Number.POSITIVE_INFINITY;
  const unit = left >= DAY ? DAY : left >= HOUR ? HOUR : 60000;
  const rem = left % unit;
  return rem === 0 ? unit : rem;
}
