/**
 * The one message protocol between content scripts, popup, options and the background.
 *
 * Requests go by `runtime.sendMessage` and are parsed by `Request` at the background, which
 * answers with `Reply<T>`. Live updates (job progress, cache changes) go over a long-lived
 * port named `EVENTS_PORT`, background to views only.
 *
 * Trust comes from the sender, not from the message: see src/background/router.ts.
 */
import * as v from 'valibot';
import type { InvitePlan } from './invite-work';
import { type InviteWork, MAX_PASTE_CHARS, MAX_PASTED_ADDRESSES } from './invite-work';
import type { PortalPage } from './portal-page';
import type { SiteEnabled } from './sites';
import type {
  CachedInvite,
  CourseOverview,
  Job,
  JobState,
  JobView,
  PortalError,
  Preview,
  Seats,
  Settings,
} from './types';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const MinAge = v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(30)));

const ScopeSchema = v.variant('kind', [
  v.object({
    kind: v.literal('invites'),
    inviteIds: v.pipe(v.array(Id), v.minLength(1), v.maxLength(10000)),
    minAgeDays: MinAge,
  }),
  v.object({ kind: v.literal('learner'), learnerId: Id, minAgeDays: MinAge }),
  v.object({ kind: v.literal('course'), courseId: Id, minAgeDays: MinAge }),
  v.object({
    kind: v.literal('courses'),
    courseIds: v.union([v.literal('all'), v.pipe(v.array(Id), v.minLength(1))]),
    minAgeDays: MinAge,
  }),
]);

const PageSchema = v.variant('kind', [
  v.object({ kind: v.literal('learner'), learnerId: Id }),
  v.object({ kind: v.literal('course'), courseId: Id }),
]) satisfies v.GenericSchema<unknown, PortalPage>;

const JobId = v.pipe(v.number(), v.integer(), v.minValue(1));

/** An address as the manager typed it: checked for what it is by the background, not here. */
const Email = v.pipe(v.string(), v.maxLength(320));
const Addresses = v.pipe(v.array(Email), v.minLength(1), v.maxLength(MAX_PASTED_ADDRESSES));
const Days = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(30));

const WorkSchema = v.variant('kind', [
  v.object({
    kind: v.literal('reassign'),
    pairs: v.pipe(
      v.array(v.object({ courseId: Id, inviteId: Id, email: Email })),
      v.minLength(1),
      v.maxLength(MAX_PASTED_ADDRESSES),
    ),
  }),
  v.object({
    kind: v.literal('renew'),
    invites: v.pipe(
      v.array(v.object({ courseId: Id, inviteId: Id })),
      v.minLength(1),
      v.maxLength(MAX_PASTED_ADDRESSES),
    ),
  }),
  v.object({
    kind: v.literal('renew-expiring'),
    courseId: Id,
    withinDays: v.pipe(Days, v.minValue(1), v.maxValue(29)),
  }),
  v.object({
    kind: v.literal('make-room'),
    courseId: Id,
    emails: Addresses,
    revokeIds: v.pipe(v.array(Id), v.maxLength(MAX_PASTED_ADDRESSES)),
    minAgeDays: Days,
  }),
]) satisfies v.GenericSchema<unknown, InviteWork>;
const Origin = v.pipe(v.string(), v.url(), v.maxLength(300));

/** Every request the background accepts. */
export const Request = v.variant('type', [
  /**
   * Cached invites of a learner or course page. With `refresh`, or when the page was never read,
   * they are re-read from the portal first; otherwise a read older than 15 s is re-read in the
   * background after answering (the fresh one follows as `invites-changed`).
   */
  v.object({
    type: v.literal('invites.get'),
    target: PageSchema,
    refresh: v.optional(v.boolean()),
  }),
  /**
   * The per-course overview of the portal extension pages act on, from the cache. `refresh`
   * reads the course list and then the courses that changed or were read too long ago
   * (shared/freshness.ts); `full` (with `refresh`) reads every course. Either answers once the
   * reads are in, or after 4 s with what is; without `refresh`, a cache older than 15 s is
   * refreshed in the background after answering. The popup sends it only to refresh: it shows
   * what it reads from the cache itself.
   */
  v.object({
    type: v.literal('overview.get'),
    refresh: v.optional(v.boolean()),
    full: v.optional(v.boolean()),
  }),
  v.object({ type: v.literal('preview'), scope: ScopeSchema }),
  /**
   * Start a bulk revoke after the Undo window. `undoSeconds` defaults to the setting; only
   * extension pages may give it (a page that does is refused).
   */
  v.object({
    type: v.literal('job.start'),
    scope: ScopeSchema,
    undoSeconds: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(60))),
  }),
  /**
   * "Invite and make room", planned from a paste before anything is sent: content scripts only
   * for their own course's Usage tab.
   */
  v.object({
    type: v.literal('invite.plan'),
    courseId: Id,
    text: v.pipe(v.string(), v.maxLength(MAX_PASTE_CHARS)),
    minAgeDays: Days,
  }),
  /** Start a job that invites (reassign, renew, make room) after the Undo window. */
  v.object({
    type: v.literal('invite.start'),
    work: WorkSchema,
    undoSeconds: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(60))),
  }),
  /** Learners Reclaim knows (from its cache of this portal) whose name or address contains `q`. */
  v.object({ type: v.literal('learners.suggest'), q: v.pipe(v.string(), v.minLength(1), v.maxLength(100)) }),
  v.object({ type: v.literal('job.undo'), jobId: JobId }),
  v.object({ type: v.literal('job.pause'), jobId: JobId }),
  v.object({ type: v.literal('job.resume'), jobId: JobId }),
  v.object({ type: v.literal('job.cancel'), jobId: JobId }),
  v.object({ type: v.literal('job.retryFailed'), jobId: JobId }),
  v.object({ type: v.literal('job.get'), jobId: JobId }),
  /** The newest job not yet finished, or the last finished one (popup reopening). */
  v.object({ type: v.literal('job.current') }),
  /** A portal page: the newest job in its Undo window that covers its course or learner, if any. */
  v.object({ type: v.literal('job.covering') }),
  v.object({ type: v.literal('settings.get') }),
  v.object({
    type: v.literal('settings.set'),
    settings: v.partial(
      v.object({
        undoSeconds: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(30)),
        concurrency: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(16)),
        minAgeDays: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(30)),
        renewDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(29)),
        auditRetentionDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650)),
        cacheRetentionDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(365)),
        rereadAfterMinutes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1440)),
        showPortalCancel: v.boolean(),
        notifyExpiring: v.boolean(),
        watchHours: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(24)),
      }),
    ),
  }),
  /** Options page: after the host permission was granted by the manager. */
  v.object({ type: v.literal('origins.add'), origin: Origin }),
  v.object({ type: v.literal('origins.remove'), origin: Origin }),
  /**
   * Popup: enable Reclaim on the site of tab `tabId` ("Use Reclaim on <host>",
   * background/site-enabler.ts): sent just before the popup asks the browser for the site's
   * access, and again once it is granted; `on: false` while it is not.
   */
  v.object({
    type: v.literal('origins.enable'),
    origin: Origin,
    tabId: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  }),
  /**
   * Options page: forget a portal: everything Reclaim stored for it (cache, revokes and their
   * items, audit entries, content scripts, header rule, host permission; a built-in origin keeps
   * its access). Refused while a revoke there is under way.
   */
  v.object({ type: v.literal('origins.forget'), origin: Origin }),
  /** Audit log as CSV text. */
  v.object({ type: v.literal('audit.csv') }),
]);
export type Request = v.InferOutput<typeof Request>;
export type RequestType = Request['type'];

/** What forgetting a portal removed from Reclaim's database, counted. */
export interface Forgotten {
  invites: number;
  courses: number;
  jobs: number;
  items: number;
  audit: number;
}

/** The settings a portal page is told: only what its controls use. */
export type PageSettings = Pick<Settings, 'undoSeconds' | 'renewDays' | 'showPortalCancel'>;

/** A `settings.get` answer in full (what extension pages get). */
export const isFullSettings = (s: Settings | PageSettings): s is Settings => 'origins' in s;

/**
 * A job that covers a portal page's course or learner, as that page is told of it (whoever
 * started it): when its Undo window ends and whether it takes in other courses too, nothing
 * about those (background/page-jobs.ts).
 */
export interface CoveringJob {
  id: number;
  state: JobState;
  /** End of its Undo window (extension clock, ms). */
  startAt: number;
  finishedAt: number | null;
  surface: Job['surface'];
  /** Only invites sent at least this many days ago (0: all). */
  minAgeDays: number;
  /** It covers more than this page's course or learner. */
  othersToo: boolean;
}

/** A course page's seat figures as the portal last gave them. */
export interface PageSeats {
  title: string;
  seats: Seats;
  pending: number;
  /** When they were read from the portal (extension clock, ms): its course list, or the course's invites counted. */
  readAt: number;
}

/** What each request answers on success. */
export interface Replies {
  'invites.get': {
    invites: CachedInvite[];
    fetchedAt: number | null;
    portalNow: number;
    error: PortalError | null;
    /** A course page's seats (null for a learner's page, or a course Reclaim has not read). */
    seats: PageSeats | null;
  };
  'overview.get': {
    /** Every course of `origin`, no age filter; `reclaimable`: the seats revoking all its pending invites returns. */
    courses: (CourseOverview & { reclaimable: number })[];
    fetchedAt: number | null;
    portalNow: number;
    signedIn: boolean | null;
    error: PortalError | null;
    /** The portal origin this overview is about (for its sign-in link), or null when none is set up. */
    origin?: string | null;
  };
  preview: Preview;
  'job.start': JobView;
  'invite.plan': InvitePlan;
  'invite.start': JobView;
  'learners.suggest': { learners: { name: string; email: string }[] };
  'job.undo': JobView;
  'job.pause': JobView;
  'job.resume': JobView;
  'job.cancel': JobView;
  'job.retryFailed': JobView;
  'job.get': JobView;
  'job.current': JobView | null;
  'job.covering': CoveringJob | null;
  /** Everything for extension pages; a content script gets PageSettings only. */
  'settings.get': Settings | PageSettings;
  'settings.set': Settings;
  'origins.add': Settings;
  'origins.remove': Settings;
  'origins.enable': SiteEnabled;
  'origins.forget': { settings: Settings; forgotten: Forgotten };
  'audit.csv': { csv: string; rows: number };
}

export type Reply<T extends RequestType> =
  | { ok: true; value: Replies[T] }
  | { ok: false; error: PortalError | { kind: 'refused' | 'bad-request' | 'internal'; message: string } };

/** Long-lived port the background pushes events on. */
export const EVENTS_PORT = 'reclaim-events';

export type BackgroundEvent =
  | { type: 'job'; view: JobView }
  /** To a portal page only, for a job that covers it but is not its own (see CoveringJob). */
  | { type: 'covering-job'; job: CoveringJob }
  | { type: 'invites-changed'; origin: string; courseIds: string[]; learnerIds: string[] }
  | { type: 'session'; origin: string; signedIn: boolean };
