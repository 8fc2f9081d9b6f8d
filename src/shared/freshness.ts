/**
 * How fresh a course's cached invites are, defined once: when a refresh reads a course again
 * (the background) and when a view calls it stale (the popup).
 *
 * A refresh reads the course list first. A course is then read in full only when it was never
 * read, its last full read is older than the `rereadAfterMinutes` setting, or the list shows
 * counts other than the cache holds: pending (not yet expired), assigned (pending + accepted)
 * or seats in total. Equal counts can hide a change: an invite cancelled and another sent to
 * someone else in the same course between two reads leave pending and assigned as they were,
 * and an accepted invite's progress is not a count. Such a change reaches the cache at the
 * latest when the course's last full read grows older than the setting (README "Many courses,
 * many invites").
 */
import type { Seats } from './types';

const MINUTE = 60_000;

/** What the course list says of a course, and what the cache holds for it. */
export interface CourseCheck {
  listed: { pending: number; seats: Seats };
  /** The previous course list's total seats, or null when the course was not listed before. */
  listedTotalBefore: number | null;
  /** Invites the cache holds: pending ones not expired at the list's portal time, accepted ones. */
  cached: { pending: number; accepted: number };
  /** When its invites were last read in full (extension clock), or null. */
  readAt: number | null;
  /** The previous list asked for a read that has not happened yet. */
  readDue: boolean;
}

export const rereadAfterMs = (minutes: number): number => Math.max(1, minutes) * MINUTE;

/** Whether a refresh must read the course's invites (see the header). */
export function needsRead(c: CourseCheck, now: number, maxAgeMs: number): boolean {
  if (c.readAt === null || c.readDue || now - c.readAt > maxAgeMs) return true;
  if (c.listedTotalBefore !== c.listed.seats.total) return true;
  return (
    c.listed.pending !== c.cached.pending || c.listed.seats.assigned !== c.cached.pending + c.cached.accepted
  );
}

/** A course's cached invites as a view should present them: never read, stale, or read at a time. */
export type Freshness =
  | { kind: 'unread' }
  | { kind: 'stale'; readAt: number }
  | { kind: 'fresh'; readAt: number };

export function freshnessOf(
  course: { readAt: number | null; readDue: boolean },
  now: number,
  maxAgeMs: number,
): Freshness {
  if (course.readAt === null) return { kind: 'unread' };
  if (course.readDue || now - course.readAt > maxAgeMs) return { kind: 'stale', readAt: course.readAt };
  return { kind: 'fresh', readAt: course.readAt };
}
