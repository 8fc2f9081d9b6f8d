/**
 * Expiring invites: the pending invites of a portal that expire within the expiry window
 * (`renewDays`), read from the cache's [status+expiresAt] keys. One reading for the badge's count,
 * the expiry watch's notifications and the popup's Expiring view.
 */
import type { ReclaimDb } from './db';
import type { CachedInvite } from './types';

const DAY = 86_400_000;

/** The [status+expiresAt] range of invites pending at `now` that expire within `withinDays` days. */
function expiringRange(db: ReclaimDb, now: number, withinDays: number) {
  return db.invites
    .where('[status+expiresAt]')
    .between(['pending', now], ['pending', now + withinDays * DAY], false, true);
}

/** Pending invites of `origin` expiring within `withinDays` days of `now` (the portal's clock), soonest first. */
export function expiringWithin(
  db: ReclaimDb,
  origin: string,
  now: number,
  withinDays: number,
): Promise<CachedInvite[]> {
  return expiringRange(db, now, withinDays)
    .filter((i) => i.origin === origin)
    .toArray();
}

/** How many pending invites of every portal expire within `withinDays` days (keys only, no invite read). */
export function countExpiring(db: ReclaimDb, now: number, withinDays: number): Promise<number> {
  return expiringRange(db, now, withinDays).count();
}
