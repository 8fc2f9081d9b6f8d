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
  faultPaths?: 'all' | 'cancel';
}

export interface DataSpec {
  /** 'demo' tells a small story; 'bench' is large. Omitted with any number given: a plain generated set. */
  preset?: 'demo' | 'bench';
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
  requests: { api: number; cancel: number; rateLimited: number };
}

export interface JournalEntry {
  seq: number;
  /** Portal clock, ms. */
  at: number;
  inviteId: string;
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

export interface ClockState {
  now: number;
  frozen: boolean;
}
