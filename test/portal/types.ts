/**
 * Types of the reference portal: its data, its injected faults and its simulation API.
 * Shared by the server, the sim client and every Node test that drives the portal.
 */

export type InviteStatus = 'pending' | 'accepted' | 'cancelled' | 'expired';

export interface Seats {
  total: number;
  assigned: number;
  available: number;
}

export interface Learner {
  id: string;
  name: string;
  email: string;
}

/** An invite exactly as the JSON API (and /__sim/invites) answers it. */
export interface Invite {
  id: string;
  course: { id: string; title: string };
  learner: Learner;
  /** ISO-8601. */
  sentAt: string;
  status: InviteStatus;
  /** 0-100 for accepted invites, null otherwise. */
  progress: number | null;
}

export interface RateLimit {
  perSecond: number;
  burst: number;
}

export type { TableMarkup } from './assets/table-markup';

export interface Faults {
  /** Added to every /api/ answer. */
  latencyMs: number;
  /** Extra random latency in [0, jitterMs). */
  jitterMs: number;
  /** Share of /api/ answers replaced by a 500/502/503 (the handler does not run). */
  errorRate: number;
  /** Share of /api/ requests whose socket is destroyed with no answer. */
  dropRate: number;
  /** Share of /api/ answers replaced by a 200 with a broken or wrongly shaped body (the handler runs). */
  malformedRate: number;
  /** Token bucket per session over /api/; null = no limit. */
  rateLimit: RateLimit | null;
  /** A session is destroyed after this many more /api/ requests; null = never. */
  sessionExpiryAfter: number | null;
  /** Which API calls errorRate, dropRate, malformedRate and sessionExpiryAfter hit. Default 'all'. */
  faultPaths?: FaultPaths;
  /** How an API call without a valid session is answered. Default 'json401'. */
  signedOut?: SignedOutShape;
}

/** 'mutations': cancels and invite sends; 'cancel' / 'invite': only that call. */
export type FaultPaths = 'all' | 'mutations' | 'cancel' | 'invite';

/**
 * The ways a web application answers an API call whose session has ended (README: "Signed-out
 * shapes" gives each answer's status, headers and body).
 */
export type SignedOutShape =
  | 'json401'
  | 'redirect'
  | 'html200'
  | 'forbidden403'
  | 'forbidden403-json'
  | 'json-other'
  | 'json-other-401';

export interface DataSpec {
  /** 'demo' tells a small story; 'bench' and 'scale' are large. Omitted with any number given: a plain generated set. */
  preset?: 'demo' | 'bench' | 'scale';
  seed?: number;
  courses?: number;
  learners?: number;
  pendingPerCourse?: number;
  acceptedPerCourse?: number;
  seatsPerCourse?: number;
  /** Pending ages are spread over [0, maxAgeDays). Default 29.9. */
  maxAgeDays?: number;
  /** Extra courses owned by a second manager (other@example.test / demo). Default 0. */
  foreignCourses?: number;
}

export interface SimCourseState {
  id: string;
  title: string;
  /** 'm-1' for the seeded manager; 'm-2' for foreign courses. */
  ownerId: string;
  seats: Seats;
  counts: Record<InviteStatus, number>;
  /** assigned = pending + accepted and available = total - assigned, recounted from the invites. */
  identityHolds: boolean;
}

export interface SimState {
  now: number;
  identityHolds: boolean;
  courses: SimCourseState[];
  learners: number;
  invites: number;
  requests: Omit<RequestCounts, 'reads'>;
}

/** Request counters since the last data reset or /__sim/requests/reset. */
export interface RequestCounts {
  /** Every /api/ request, answered or not. */
  api: number;
  /** POST /api/invites/{id}/cancel. */
  cancel: number;
  /** POST /api/courses/{id}/invites. */
  invite: number;
  /** Answered 429. */
  rateLimited: number;
  /** Per route, keyed by method and path pattern, e.g. "GET /api/courses/{id}/invites"; "unmatched" for the rest. */
  byRoute: Record<string, number>;
  /** GET requests per concrete path without its query, e.g. "/api/courses/c-7/invites". */
  reads: Record<string, number>;
}

/** One cancel request (POST /api/invites/{id}/cancel) that got past the rate limit, the session and injected 5xx. */
export interface JournalEntry {
  /** Shared with InviteJournalEntry: the order of all journaled requests. */
  seq: number;
  /** Portal clock, ms. */
  at: number;
  inviteId: string;
  /** The invite's course; null for an unknown invite or another manager's. */
  courseId: string | null;
  /** Status the handler answered with (0 when the request was dropped before the handler). */
  httpStatus: number;
  error?: string;
  /** null for an unknown invite. */
  statusBefore: InviteStatus | null;
  statusAfter: InviteStatus | null;
  /** This call changed the invite. */
  applied: boolean;
  /** The request's Origin header. */
  origin: string | null;
  dropped?: 'before' | 'after';
  /** The answer on the wire was replaced by a malformed 200. */
  malformed?: true;
}

/** One invite request (POST /api/courses/{id}/invites) that got past the rate limit, the session and injected 5xx. */
export interface InviteJournalEntry {
  /** Shared with cancel entries (JournalEntry): the order of all journaled requests. */
  seq: number;
  /** Portal clock, ms. */
  at: number;
  courseId: string;
  /** The request's addresses as sent (non-strings as JSON); [] when the body had no list. */
  emails: string[];
  /** Status the handler answered with (0 when the request was dropped before the handler). */
  httpStatus: number;
  error?: string;
  /** One invite per address it created; `newLearner` when the address was unknown. */
  created: { email: string; inviteId: string; learnerId: string; newLearner: boolean }[];
  /** Addresses skipped, with the invite that already held the seat. */
  skipped: { email: string; reason: 'already_pending' | 'already_accepted'; inviteId: string }[];
  /** 400 invalid_emails: the malformed addresses. */
  invalid?: string[];
  /** 409 no_seats: what the answer said. */
  available?: number;
  requested?: number;
  /** This call created at least one invite. */
  applied: boolean;
  /** The course's seats after the call (null for an unknown course). */
  seatsAfter: Seats | null;
  origin: string | null;
  dropped?: 'before' | 'after';
  /** The answer on the wire was replaced by a malformed 200. */
  malformed?: true;
}

export interface JournalAnswer {
  /** Cancel requests. */
  entries: JournalEntry[];
  /** Invite requests. */
  invites: InviteJournalEntry[];
}

/** POST /__sim/churn: changes some courses' invites as people outside Reclaim would. */
export interface ChurnSpec {
  /** How many of the manager's courses to change (spread evenly over the list). Default 3. */
  courses?: number;
  /** Or exactly these courses. */
  courseIds?: string[];
  /** New pending invites per course (to known learners with no active invite there). Default 1. */
  invites?: number;
  /** Oldest pending invites accepted per course. Default 0. */
  accepts?: number;
  /** Newest pending invites cancelled per course. Default 0. */
  cancels?: number;
}

export interface ChurnResult {
  courses: { id: string; created: string[]; accepted: string[]; cancelled: string[] }[];
}

export interface ClockState {
  now: number;
  frozen: boolean;
}
