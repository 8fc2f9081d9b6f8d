/**
 * What the popup reads straight from Reclaim's Dexie cache (read only: every change goes
 * through the background). Counts come from the [origin+courseId+status+expiresAt] index, so
 * the first paint never loads the invites themselves.
 */
import Dexie from 'dexie';
import { db, type ReclaimDb, SETTINGS_KEY } from '../shared/db';
import { INVITE_LIFETIME_MS } from '../shared/expiry';
import {
  type AuditEntry,
  type CachedCourse,
  DEFAULT_SETTINGS,
  type Seats,
  type Settings,
} from '../shared/types';

const DAY = 24 * 60 * 60 * 1000;

export interface CourseLine {
  origin: string;
  courseId: string;
  title: string;
  seats: Seats;
  /** Pending invites not yet expired at `now`. */
  pending: number;
  /** Pending invites the age filter keeps: seats a revoke of this course would return. */
  inScope: number;
  /** Soonest expiry among pending invites (ms), or null. */
  soonestExpiry: number | null;
}

export interface CachedOverview {
  /** The portal these courses come from, or null when nothing is cached yet. */
  origin: string | null;
  courses: CourseLine[];
  /** When the oldest of these courses was read from the portal (extension clock), or null. */
  fetchedAt: number | null;
}

/** The portal origin the cache knows best: the one read most recently. */
export function pickOrigin(courses: CachedCourse[], prefer?: string | null): string | null {
  if (prefer && courses.some((c) => c.origin === prefer)) return prefer;
  let best: CachedCourse | null = null;
  for (const c of courses) if (!best || c.fetchedAt > best.fetchedAt) best = c;
  return best?.origin ?? null;
}

/**
 * Per-course lines for one portal origin.
 * `now` is portal time; `minAgeDays` keeps only invites sent at least that many days ago
 * (sentAt <= now - N days, i.e. expiresAt <= now + (30 - N) days).
 */
export async function readOverview(
  now: number,
  minAgeDays: number,
  prefer?: string | null,
  database: ReclaimDb = db(),
): Promise<CachedOverview> {
  const all = await database.courses.toArray();
  const origin = pickOrigin(all, prefer);
  if (!origin) return { origin: null, courses: [], fetchedAt: null };
  const mine = all.filter((c) => c.origin === origin);
  const index = database.invites.where('[origin+courseId+status+expiresAt]');
  const ageCut = now + INVITE_LIFETIME_MS - Math.max(0, minAgeDays) * DAY;
  const courses = await Promise.all(
    mine.map(async (c): Promise<CourseLine> => {
      const live = () =>
        index.between([origin, c.id, 'pending', now], [origin, c.id, 'pending', Dexie.maxKey], false, true);
      const [pending, first, inScope] = await Promise.all([
        live().count(),
        live().first(),
        minAgeDays > 0
          ? index
              .between([origin, c.id, 'pending', now], [origin, c.id, 'pending', ageCut], false, true)
              .count()
          : null,
      ]);
      return {
        origin,
        courseId: c.id,
        title: c.title,
        seats: c.seats,
        pending,
        inScope: inScope ?? pending,
        soonestExpiry: first?.expiresAt ?? null,
      };
    }),
  );
  courses.sort((a, b) => a.title.localeCompare(b.title) || a.courseId.localeCompare(b.courseId));
  let fetchedAt: number | null = null;
  for (const c of mine) fetchedAt = fetchedAt === null ? c.fetchedAt : Math.min(fetchedAt, c.fetchedAt);
  return { origin, courses, fetchedAt };
}

export async function readSettings(database: ReclaimDb = db()): Promise<Settings> {
  const row = await database.meta.get(SETTINGS_KEY);
  return { ...DEFAULT_SETTINGS, ...((row?.value as Partial<Settings> | undefined) ?? {}) };
}

/** The newest audit entries, newest first. */
export function readAudit(limit: number, database: ReclaimDb = db()): Promise<AuditEntry[]> {
  return database.audit.orderBy('at').reverse().limit(limit).toArray();
}
