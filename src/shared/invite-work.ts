/**
 * What a manager asks of a job that invites (reassign, renew, invite and make room), and the plan
 * "invite and make room" shows before anything is sent. Plain data: it crosses the message
 * boundary (src/shared/messages.ts parses it) and the background plans it
 * (src/background/jobs/invite-plan.ts).
 */
import type { Malformed } from './addresses';
import type { Seats } from './types';

/** The most addresses one paste may hold, and the longest paste read. */
export const MAX_PASTED_ADDRESSES = 10_000;
export const MAX_PASTE_CHARS = 2_000_000;

export type InviteWork =
  /** Each invite cancelled and its seat given to the address beside it. */
  | { kind: 'reassign'; pairs: { courseId: string; inviteId: string; email: string }[] }
  /**
   * Each invite cancelled and its learner invited again: a new 30 days. Any courses: a row's
   * renew, or the expiring invites the popup or a notification shows across courses.
   */
  | { kind: 'renew'; invites: { courseId: string; inviteId: string }[] }
  /** The same for every pending invite of the course that expires within `withinDays` days. */
  | { kind: 'renew-expiring'; courseId: string; withinDays: number }
  /**
   * The addresses of a plan invited, with the invites it showed revoked to make room: the plan is
   * made again from the portal, and refused if it would now revoke one the manager was not shown.
   */
  | { kind: 'make-room'; courseId: string; emails: string[]; revokeIds: string[]; minAgeDays: number };

/** A pending invite the plan would revoke to make room, and the address its seat goes to. */
export interface PlannedRevoke {
  inviteId: string;
  learnerName: string;
  learnerEmail: string;
  sentAt: string;
  /** The address that gets its seat. */
  for: string;
}

export interface InvitePlan {
  courseId: string;
  courseTitle: string;
  /** The course's seats as just read. */
  seats: Seats;
  /** Entries read from the paste (good or bad). */
  entries: number;
  /** Well-formed addresses, each once, in paste order: what a start sends back. */
  addresses: string[];
  malformed: Malformed[];
  repeated: { email: string; times: number }[];
  /** Addresses that already hold a pending or accepted invite of the course: nothing is sent to them. */
  holding: { email: string; status: 'pending' | 'accepted'; sentAt: string }[];
  /** New addresses that get a seat, in order: the first `free` take free seats, the rest the revoked invites'. */
  toInvite: string[];
  free: number;
  /** Oldest first. */
  revokes: PlannedRevoke[];
  /** New addresses left without a seat: more of them than free seats and revocable invites together. */
  unseated: string[];
  /** Only invites sent at least this many days ago are revoked (0: any). */
  minAgeDays: number;
  /** Pending invites that could be revoked (older than the filter, of no address on the list). */
  revocable: number;
  /** The portal's clock when the course was read (ms). */
  now: number;
  /** Why nothing can be sent, in words (an empty paste, nothing well formed, too many), or null. */
  problem: string | null;
}
