/**
 * The per-course overview, computed here once for every reader: the popup's live view of the
 * cache and the background's `overview.get` answer. Counts come from the
 * [origin+courseId+status+expiresAt] index, so no invite is loaded to count it.
 *
 * Pending means not yet expired at `now` (expiresAt > now: an invite has expired AT its
 * expiresAt instant, as isPendingAt in expiry.ts says).
 */
import Dexie from 'dexie';
import type { ReclaimDb } from './db';
import { INVITE_LIFETIME_MS } from './expiry';
import type { CachedCourse, CourseOverview } from './types';

const DAY = 24 * 60 * 60 * 1000;

export interface Overview {
  /** The portal these courses come from, or null when nothing is cached yet. */
  origin: string | null;
  courses: CourseOverview[];
  /** When the oldest of these courses was read from the portal (extension clock), or null. */
  fetchedAt: number | null;
}

/** The portal origin the cache knows best: `prefer` when it has courses, else the one read most recently. */
function pickOrigin(courses: CachedCourse[], prefer?: string | null): string | null {
  if (prefer && courses.some((c) => c.origin === prefer)) return prefer;
  let best: CachedCourse | null = null;
  for (const c of courses) if (!best || c.fetchedAt > best.fetchedAt) best = c;
  return best?.origin ?? null;
}

/**
 * Per-course lines of the portal the cache knows best (see pickOrigin), for the popup.
 * `now` is portal time; `minAgeDays` keeps only invites sent at least that many days ago;
 * `renewDays`, when set, counts the pending invites expiring within that many days.
 */
export async function readOverview(
  now: number,
  minAgeDays: number,
  prefer: string | null | undefined,
  database: ReclaimDb,
  renewDays = 0,
): Promise<Overview> {
  const all = await database.courses.toArray();
  const origin = pickOrigin(all, prefer);
  if (!origin) return { origin: null, courses: [], fetchedAt: null };
  return linesOf(
    database,
    all.filter((c) => c.origin === origin),
    now,
    minAgeDays,
    renewDays,
  );
}

/** Per-course lines of one portal origin (none when nothing of it is cached). */
export async function readOriginOverview(
  database: ReclaimDb,
  origin: string,
  now: number,
  minAgeDays: number,
): Promise<Overview> {
  const courses = await database.courses.where('origin').equals(origin).toArray();
  if (courses.length === 0) return { origin, courses: [], fetchedAt: null };
  return linesOf(database, courses, now, minAgeDays);
}

/** `courses` all belong to one origin. */
async function linesOf(
  database: ReclaimDb,
  courses: CachedCourse[],
  now: number,
  minAgeDays: number,
  renewDays = 0,
): Promise<Overview> {
  const origin = (courses[0] as CachedCourse).origin;
  const index = database.invites.where('[origin+courseId+status+expiresAt]');
  // sentAt <= now - N days, i.e. expiresAt <= now + (30 - N) days.
  const ageCut = now + INVITE_LIFETIME_MS - Math.max(0, minAgeDays) * DAY;
  const lines = await Promise.all(
    courses.map(async (c): Promise<CourseOverview> => {
      // Lower bound excluded: an invite whose expiresAt is `now` has expired.
      const live = () =>
        index.between([origin, c.id, 'pending', now], [origin, c.id, 'pending', Dexie.maxKey], false, true);
      const [pending, first, inScope, expiring] = await Promise.all([
        live().count(),
        live().first(),
        minAgeDays > 0
          ? index
              .between([origin, c.id, 'pending', now], [origin, c.id, 'pending', ageCut], false, true)
              .count()
          : null,
        renewDays > 0
          ? index
              .between(
                [origin, c.id, 'pending', now],
                [origin, c.id, 'pending', now + renewDays * DAY],
                false,
                true,
              )
              .count()
          : null,
      ]);
      const line: CourseOverview = {
        origin,
        courseId: c.id,
        title: c.title,
        seats: c.seats,
        pending,
        inScope: inScope ?? pending,
        soonestExpiry: first?.expiresAt ?? null,
        readAt: c.invitesFetchedAt ?? null,
        readDue: c.readDue === true,
      };
      if (expiring !== null) line.expiring = expiring;
      return line;
    }),
  );
  lines.sort((a, b) => a.title.localeCompare(b.title) || a.courseId.localeCompare(b.courseId));
  let fetchedAt: number | null = null;
  for (const c of courses) fetchedAt = fetchedAt === null ? c.fetchedAt : Math.min(fetchedAt, c.fetchedAt);
  return { origin, courses: lines, fetchedAt };
}

/**
 * The invites the cache holds for one course, counted from keys alone: pending ones not yet
 * expired at `now` (portal time), and accepted ones.
 */
export async function cachedCounts(
  database: ReclaimDb,
  origin: string,
  courseId: string,
  now: number,
): Promise<{ pending: number; accepted: number }> {
  const index = database.invites.where('[origin+courseId+status+expiresAt]');
  const [pending, accepted] = await Promise.all([
    index
      .between([origin, courseId, 'pending', now], [origin, courseId, 'pending', Dexie.maxKey], false, true)
      .count(),
    index
      .between([origin, courseId, 'accepted', Dexie.minKey], [origin, courseId, 'accepted', Dexie.maxKey])
      .count(),
  ]);
  return { pending, accepted };
}
