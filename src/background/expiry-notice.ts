/**
 * What an expiry notification tells (pure): of the invites of one portal expiring within the
 * expiry window, only those never told of before; how many, in which courses, the soonest.
 * Nothing new, no notice.
 */
import type { CachedInvite } from '../shared/types';

export interface ExpiryNotice {
  origin: string;
  /** The invites told of, soonest first: what Renew all renews. */
  invites: { courseId: string; inviteId: string; expiresAt: number }[];
  /** Their courses, the one with the soonest expiry first. */
  courses: { courseId: string; title: string; count: number }[];
  /** The first of them to expire. */
  soonest: { sentAt: string; expiresAt: number; courseTitle: string };
}

/**
 * The notice for `expiring` (pending invites of `origin` within the window, any order), leaving
 * out invites whose key is in `told`; null when none is left.
 */
export function chooseNotice(
  origin: string,
  expiring: readonly CachedInvite[],
  told: ReadonlySet<string>,
): ExpiryNotice | null {
  const fresh = expiring
    .filter((i) => i.origin === origin && i.status === 'pending' && !told.has(i.key))
    .sort((a, b) => a.expiresAt - b.expiresAt || a.id.localeCompare(b.id));
  const first = fresh[0];
  if (!first) return null;
  const courses = new Map<string, { courseId: string; title: string; count: number }>();
  for (const i of fresh) {
    const c = courses.get(i.courseId) ?? { courseId: i.courseId, title: i.courseTitle, count: 0 };
    c.count += 1;
    courses.set(i.courseId, c);
  }
  return {
    origin,
    invites: fresh.map((i) => ({ courseId: i.courseId, inviteId: i.id, expiresAt: i.expiresAt })),
    courses: [...courses.values()],
    soonest: { sentAt: first.sentAt, expiresAt: first.expiresAt, courseTitle: first.courseTitle },
  };
}
