/**
 * Domain types shared by every context (background, content scripts, popup, options).
 * Plain data only: everything here crosses the message boundary or lives in Dexie. The portal's
 * API adapter parses answers into these shapes (src/portal/api/schemas.ts).
 */
import type { PortalPage } from './portal-page';

/** An invite's status on the portal (portal contract). */
export const INVITE_STATUSES = ['pending', 'accepted', 'cancelled', 'expired'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

/** A course's licences: assigned = pending + accepted, available = total - assigned. */
export interface Seats {
  total: number;
  assigned: number;
  available: number;
}

/** An invite as Reclaim caches it. `key` is `${origin}#${id}`: ids are unique per portal only. */
export interface CachedInvite {
  key: string;
  origin: string;
  id: string;
  courseId: string;
  courseTitle: string;
  learnerId: string;
  learnerName: string;
  learnerEmail: string;
  /** ISO-8601, as the portal sent it. */
  sentAt: string;
  /** expiresAt(sentAt), in ms since the epoch. */
  expiresAt: number;
  status: InviteStatus;
  progress: number | null;
  /** When Reclaim last saw this invite in a portal answer (extension clock, ms). */
  fetchedAt: number;
}

export interface CachedCourse {
  key: string;
  origin: string;
  id: string;
  title: string;
  seats: Seats;
  pending: number;
  fetchedAt: number;
  /** When this course's pending and accepted invites were last read in full (ms), if ever. */
  invitesFetchedAt?: number;
  /** The last course list asked for its invites to be read (shared/freshness.ts); cleared by the read. */
  readDue?: boolean;
}

/** One course's line in the overview (src/shared/overview.ts computes it). */
export interface CourseOverview {
  origin: string;
  courseId: string;
  title: string;
  seats: Seats;
  /** Pending invites not yet expired at the overview's `now`. */
  pending: number;
  /** Of those, the ones the age filter keeps: the seats a revoke of this course would return. */
  inScope: number;
  /** Soonest expiry among the pending invites (ms), or null. */
  soonestExpiry: number | null;
  /** Pending invites that expire within the "renew expiring" window, when one was asked for. */
  expiring?: number;
  /** When its invites were last read in full (extension clock, ms), or null if never. */
  readAt: number | null;
  /** The last course list showed it changed and its invites have not been read since. */
  readDue: boolean;
}

/** What a bulk revoke covers. Resolved fresh from the portal before any request. */
type ScopeTarget =
  | { kind: 'invites'; inviteIds: string[] }
  | { kind: 'learner'; learnerId: string }
  | { kind: 'course'; courseId: string }
  | { kind: 'courses'; courseIds: string[] | 'all' };

export type Scope = ScopeTarget & {
  /** Only invites sent at least this many days ago. */
  minAgeDays?: number;
};

export interface PreviewCourse {
  courseId: string;
  courseTitle: string;
  /** Pending invites in scope: what will be revoked. */
  toRevoke: number;
  /** Accepted invites that the scope touches: kept, never revoked. */
  keptAccepted: number;
  /** Seats returned to this course's pool if every revoke succeeds. */
  seatsReturned: number;
}

export interface Preview {
  origin: string;
  scope: Scope;
  inviteIds: string[];
  keptAcceptedIds: string[];
  courses: PreviewCourse[];
  /** Portal clock at the time of the preview (ms). */
  now: number;
  /** Invites of the scope another job holds: left out of `inviteIds` and `courses`. */
  heldByOthers?: HeldBy[];
}

/**
 * Invites of a job's scope that another job of the same portal holds (it will send, or has just
 * sent, their requests): the job leaves them out, and says so. One line per holding job.
 */
export interface HeldBy {
  jobId: number;
  /** When that job was started (its createdAt, extension clock ms). */
  startedAt: number;
  count: number;
}

/** A job's states; src/shared/job-states.ts groups them (active, self-driven, finished). */
export type JobState =
  | 'waiting' // in its Undo window: no request sent yet
  | 'running'
  | 'paused' // by the manager
  | 'signed-out' // paused until the manager signs in again
  | 'done'
  | 'undone' // undone inside its Undo window: nothing was sent
  | 'cancelled'; // stopped by the manager after it started; unsent items stay pending

/** An item's states; src/shared/job-states.ts groups them (open, final). */
export type ItemState =
  | 'queued'
  | 'in-flight' // a request was sent; its answer not yet recorded
  | 'revoked'
  | 'already-cancelled'
  | 'already-expired'
  | 'kept-accepted'
  | 'not-found'
  | 'invited' // the address got a new invite (after its seat was freed, for an item that cancels first)
  | 'already-invited' // the address already held a pending or accepted invite of the course
  | 'not-invited' // no invite went out: no seat, the portal refused the address, or the plan had none
  | 'skipped' // job cancelled before this item was sent
  | 'failed';

/** An item's outcome: every state but the two it passes through on the way. */
export type FinalItemState = Exclude<ItemState, 'queued' | 'in-flight'>;

/**
 * What an item does on the portal (src/background/jobs/kinds.ts has one executor and policy each):
 * cancel an invite; invite an address; or cancel an invite and, once its seat is free, invite an
 * address (reassign, renew, and the pairs of "invite and make room").
 */
export type ItemKind = 'cancel' | 'invite' | 'cancel-then-invite';

/** Why a job sends invites; a job without one is a revoke. */
export type InviteReason = 'reassign' | 'renew' | 'make-room';

/** How the cancel of a cancel-then-invite item ended when it left its seat free. */
export type SeatFreed = 'revoked' | 'already-cancelled' | 'already-expired';

export interface Job {
  id: number;
  origin: string;
  scope: Scope;
  state: JobState;
  /** Which surface started it. */
  surface: 'popup' | 'invite-history' | 'usage' | 'options' | 'notification';
  createdAt: number;
  /** First request no earlier than this (end of the Undo window), extension clock ms. */
  startAt: number;
  finishedAt: number | null;
  concurrency: number;
  /** Why the job is paused or stopped, for the manager. */
  message: string | null;
  /** The page a content script started it from: only that page may see and control it. */
  context?: PortalPage;
  /** Accepted invites the scope touched when it was resolved: kept, never sent a cancel. */
  keptAcceptedAtStart?: number;
  /** Set on jobs that send invites: reassign, renew or make room. */
  reason?: InviteReason;
  /** Invites of its scope other jobs held when it started: left to them, not items of this job. */
  heldByOthers?: HeldBy[];
  /**
   * Its items counted, kept in step with every write of them (in the same transaction), so a
   * view reads the job's row and no item. Jobs written before it existed are counted on read.
   */
  tally?: JobTally;
  /** When the items only its live view needed were pruned (jobs/prune.ts); failed ones stay. */
  itemsPrunedAt?: number;
}

/** A job's items counted: per state, and the seats its cancels returned per course (shared/job-tally.ts). */
export interface JobTally {
  states: Partial<Record<ItemState, number>>;
  revokedByCourse: Record<string, { courseTitle: string; seats: number }>;
}

export interface JobItem {
  jobId: number;
  /** What this item does; rows written before kinds existed were all cancels (db.ts upgrades them). */
  kind: ItemKind;
  /**
   * The invite the item cancels. An item that only invites has no invite yet: its key is
   * its `inviteTarget`, unique per address and course.
   */
  inviteId: string;
  courseId: string;
  courseTitle: string;
  learnerId: string;
  learnerName: string;
  learnerEmail: string;
  state: ItemState;
  tries: number;
  /** Human reason for the last failure. */
  error: string | null;
  updatedAt: number;
  /** Set once a request's answer was lost (network, timeout, 5xx, malformed): see jobs/policy.ts. */
  answerLost?: boolean;
  /**
   * Its last request (one that must never go twice: an invite) was answered signed out: it is
   * re-read once signed in, and that try is given back if it did not apply (jobs/policy.ts).
   */
  signedOut?: boolean;
  /** Items that invite: the address, as the manager gave it (trimmed). learner* are then the cancelled invite's. */
  email?: string;
  /**
   * Items that invite: the course and address, as one key (`inviteTargetOf` in
   * src/background/jobs/invite-items.ts), indexed with the job: two jobs never invite one address
   * to one course at the same time (src/background/jobs/holds.ts).
   */
  inviteTarget?: string;
  /** Items that invite: why. */
  reason?: InviteReason;
  /** Cancel-then-invite: the request still to do. Written 'invite' (durably) before the invite is sent. */
  phase?: 'cancel' | 'invite';
  /** Cancel-then-invite: how the cancel ended, once it left the seat free. */
  seatFreed?: SeatFreed;
  /**
   * Items that invite: portal time (ms) no later than the moment this item's first invite
   * request left, written before it is sent. An invite of the address sent at or after it is
   * this item's; one sent before is someone else's (jobs/invite-policy.ts).
   */
  inviteFrom?: number;
  /** Items that invite: the invite the portal created for the address. */
  newInviteId?: string;
}

export interface JobCounts {
  total: number;
  queued: number;
  inFlight: number;
  revoked: number;
  alreadyGone: number; // already-cancelled + already-expired + not-found
  keptAccepted: number;
  skipped: number;
  failed: number;
  invited: number;
  alreadyInvited: number;
  notInvited: number;
}

/** One address of a job that invites, with the invite it cancelled to free a seat, if any (views). */
export interface InviteLine {
  /** The item's key (its inviteId). */
  key: string;
  email: string;
  courseId: string;
  courseTitle: string;
  outcome: ItemState;
  detail: string | null;
  newInviteId: string | null;
  /** The invite cancelled for this address: its learner and how the cancel ended. */
  revoked: { inviteId: string; learnerName: string; learnerEmail: string; outcome: string } | null;
  /** A seat this item freed and did not fill: why (never left out of a report). */
  seatLeftFree: string | null;
}

/** What views show of a job: the job, its counts, and (when finished) per-course seats and failures. */
export interface JobView {
  job: Job;
  counts: JobCounts;
  seatsReturnedByCourse: { courseId: string; courseTitle: string; seats: number }[];
  failures: { inviteId: string; learnerName: string; courseTitle: string; error: string }[];
  /** Jobs that invite, once they stop moving: one line per address. */
  lines?: InviteLine[];
}

/** Outcomes the audit log records: a skipped item sent nothing, so it is not one. */
export type AuditOutcome = Exclude<FinalItemState, 'skipped'>;

export interface AuditEntry {
  id?: number;
  at: number;
  origin: string;
  jobId: number | null;
  surface: Job['surface'];
  inviteId: string;
  learnerName: string;
  learnerEmail: string;
  courseId: string;
  courseTitle: string;
  outcome: AuditOutcome;
  detail: string | null;
  /** What the request did: a cancel (rows written before invites existed have none) or an invite. */
  action?: 'cancel' | 'invite';
  /** Jobs that invite: why (reassign, renew, make room). */
  reason?: InviteReason;
}

export interface Settings {
  /** Portal origins Reclaim works on, e.g. "http://127.0.0.1" or "https://learn.example.com". */
  origins: string[];
  undoSeconds: number;
  concurrency: number;
  /** Popup's "only sent more than N days ago" filter; 0 means off. */
  minAgeDays: number;
  /**
   * The expiry window, in days: pending invites that expire within it are "expiring" (Renew
   * expiring, the popup's Expiring view, the badge's urgent count, the expiry notifications).
   */
  renewDays: number;
  /** Whether the expiry watch tells the manager, by a notification, of invites newly expiring. */
  notifyExpiring: boolean;
  /** How often, in hours, the expiry watch reads each signed-in portal (background/expiry-watch.ts). */
  watchHours: number;
  /** Audit entries, and finished revokes with their reports, are kept this many days. */
  auditRetentionDays: number;
  /** Cached courses and invites not read from the portal again for this many days are dropped. */
  cacheRetentionDays: number;
  /** A course whose counts look unchanged is read again once its last read is this old (shared/freshness.ts). */
  rereadAfterMinutes: number;
  /**
   * Whether the portal's own Cancel stays visible beside Reclaim's Revoke on the rows Reclaim
   * controls (off: one control per action, Reclaim's).
   */
  showPortalCancel: boolean;
}

/** An invite the expiry watch told the manager of (key: inviteKey(origin, inviteId)). */
export interface NotifiedInvite {
  key: string;
  origin: string;
  inviteId: string;
  /** The invite's expiry (ms): the row is dropped after it. */
  expiresAt: number;
  /** When the notification was made (ms). */
  at: number;
}

/** Typed outcomes of a portal call (see src/portal/api/client.ts). */
type PortalErrorKind =
  | 'signed-out'
  | 'forbidden'
  | 'not-found'
  | 'not-pending'
  | 'rate-limited'
  | 'server-error'
  | 'network-error'
  | 'timeout'
  | 'malformed'
  | 'no-permission'
  | 'no-seats'
  | 'invalid-emails';

export interface PortalError {
  kind: PortalErrorKind;
  message: string;
  /** For not-pending: the invite's status. */
  status?: InviteStatus;
  /** For rate-limited: how long to wait, ms. */
  retryAfterMs?: number;
  httpStatus?: number;
}
