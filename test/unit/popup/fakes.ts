/** Fake popup dependencies: a scripted background, an in-memory cache feed, a clock. */
import type { PopupDeps } from '../../../src/popup/state';
import { inviteKey, ReclaimDb } from '../../../src/shared/db';
import { expiringWithin } from '../../../src/shared/expiring';
import type { BackgroundEvent, Replies, Request, RequestType } from '../../../src/shared/messages';
import type { Overview } from '../../../src/shared/overview';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import type { AuditEntry, CachedInvite, CourseOverview, JobView, Settings } from '../../../src/shared/types';
import type { WatchStatus } from '../../../src/shared/watch-status';

export const NOW = Date.parse('2026-11-20T12:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;

export function course(
  id: string,
  title: string,
  pending: number,
  soonestInMs: number | null,
  inScope = pending,
  readAt: number | null = NOW - 5 * 60_000,
): CourseOverview {
  return {
    origin: 'http://127.0.0.1:4310',
    courseId: id,
    title,
    seats: { total: 20, assigned: pending, available: 20 - pending },
    pending,
    inScope,
    soonestExpiry: soonestInMs === null ? null : NOW + soonestInMs,
    readAt,
    readDue: false,
  };
}

export const COURSES: CourseOverview[] = [
  course('c-1', 'Fire Safety', 3, 5 * HOUR + 10 * 60_000, 1),
  course('c-2', 'GDPR Essentials', 2, 10 * DAY, 2),
];

export function jobView(
  id: number,
  state: JobView['job']['state'],
  counts: Partial<JobView['counts']> = {},
): JobView {
  return {
    job: {
      id,
      origin: 'http://127.0.0.1:4310',
      scope: { kind: 'courses', courseIds: 'all' },
      state,
      surface: 'popup',
      createdAt: NOW,
      startAt: NOW + 5000,
      finishedAt: state === 'done' || state === 'cancelled' ? NOW + 9000 : null,
      concurrency: 6,
      message: null,
    },
    counts: {
      total: 5,
      queued: 5,
      inFlight: 0,
      revoked: 0,
      alreadyGone: 0,
      keptAccepted: 0,
      skipped: 0,
      failed: 0,
      invited: 0,
      alreadyInvited: 0,
      notInvited: 0,
      ...counts,
    },
    seatsReturnedByCourse: [],
    failures: [],
  };
}

type Handler = {
  [T in RequestType]?: (req: Extract<Request, { type: T }>) => Replies[T] | Promise<Replies[T]>;
};

export interface Fake {
  deps: PopupDeps;
  sent: Request[];
  handlers: Handler;
  emit(event: BackgroundEvent): void;
  /** Pushes a new cache value to every live overview watch. */
  feed(overview: Overview): void;
  watches: { now: number; minAgeDays: number; origin: string | null }[];
  /** Replaces the cached invites (an IndexedDB of this fake's own, read by shared/expiring.ts) and reads every live Expiring soon watch again. */
  feedInvites(invites: CachedInvite[]): void;
  expiringWatches: { now: number; origin: string; withinDays: number }[];
  /** The expiry watch's status per origin, as the `meta` table holds it. */
  watchStatus: Map<string, WatchStatus>;
  storage: Map<string, string>;
  opened: string[];
  downloads: { filename: string; text: string }[];
  closePort(): void;
  clock: { now: number };
}

let fakeDbs = 0;

export function fakeDeps(
  opts: {
    settings?: Partial<Settings>;
    overview?: Overview;
    audit?: AuditEntry[];
    invites?: CachedInvite[];
    watchStatus?: WatchStatus[];
  } = {},
): Fake {
  const sent: Request[] = [];
  const clock = { now: NOW };
  const listeners = new Set<(e: BackgroundEvent) => void>();
  const closers = new Set<() => void>();
  const overviewSubs = new Set<(v: Overview) => void>();
  const storage = new Map<string, string>();
  const expiringSubs = new Set<() => void>();
  // The Expiring soon rows come from the real reading (shared/expiring.ts) of a cache of its own.
  const cache = new ReclaimDb(`popup-fake-${++fakeDbs}`);
  let seeded: Promise<unknown> = cache.invites.bulkPut(opts.invites ?? []);
  let current: Overview = opts.overview ?? {
    origin: 'http://127.0.0.1:4310',
    courses: COURSES,
    fetchedAt: NOW - 7 * 60_000,
  };
  const handlers: Handler = {
    'overview.get': () => ({
      courses: [],
      fetchedAt: clock.now,
      portalNow: clock.now,
      signedIn: true,
      error: null,
    }),
    'job.current': () => null,
    'settings.set': (req) => ({ ...DEFAULT_SETTINGS, ...opts.settings, ...req.settings }),
  };
  const fake: Fake = {
    sent,
    handlers,
    storage,
    opened: [],
    downloads: [],
    watches: [],
    expiringWatches: [],
    watchStatus: new Map((opts.watchStatus ?? []).map((w) => [w.origin, w])),
    feedInvites: (invites) => {
      seeded = seeded.then(() => cache.invites.clear()).then(() => cache.invites.bulkPut(invites));
      for (const s of expiringSubs) s();
    },
    clock,
    emit: (e) => {
      for (const l of listeners) l(e);
    },
    feed: (v) => {
      current = v;
      for (const s of overviewSubs) s(v);
    },
    closePort: () => {
      for (const c of [...closers]) c();
    },
    deps: {
      async send(request) {
        sent.push(request);
        const h = handlers[request.type] as ((r: typeof request) => unknown) | undefined;
        if (!h) return { ok: false, error: { kind: 'internal', message: `no fake for ${request.type}` } };
        return { ok: true, value: (await h(request)) as never };
      },
      connectEvents(onEvent, onClose) {
        listeners.add(onEvent);
        closers.add(onClose);
        return () => {
          listeners.delete(onEvent);
          closers.delete(onClose);
        };
      },
      watchOverview(query, onValue) {
        fake.watches.push(query);
        overviewSubs.add(onValue);
        queueMicrotask(() => onValue(current));
        return () => overviewSubs.delete(onValue);
      },
      watchExpiring(query, onValue) {
        fake.expiringWatches.push(query);
        let open = true;
        const read = () =>
          void seeded
            .then(() => expiringWithin(cache, query.origin, query.now, query.withinDays))
            .then((rows) => {
              if (open) onValue(rows);
            });
        expiringSubs.add(read);
        read();
        return () => {
          open = false;
          expiringSubs.delete(read);
        };
      },
      watchWatchStatus(origin, onValue) {
        queueMicrotask(() => onValue(fake.watchStatus.get(origin) ?? null));
        return () => {};
      },
      watchAudit(_limit, onValue) {
        queueMicrotask(() => onValue(opts.audit ?? []));
        return () => {};
      },
      readSettings: async () => ({ ...DEFAULT_SETTINGS, ...opts.settings }),
      storage: {
        getItem: (k) => storage.get(k) ?? null,
        setItem: (k, v) => void storage.set(k, v),
      },
      openTab: (url) => void fake.opened.push(url),
      openOptions: () => void fake.opened.push('options'),
      download: (filename, text) => void fake.downloads.push({ filename, text }),
      now: () => clock.now,
    },
  };
  return fake;
}

/** A cached invite of the fake portal, expiring `expiresInMs` after NOW. */
export function invite(
  id: string,
  courseId: string,
  courseTitle: string,
  learnerName: string,
  expiresInMs: number,
  origin = 'http://127.0.0.1:4310',
): CachedInvite {
  const expiresAt = NOW + expiresInMs;
  return {
    key: inviteKey(origin, id),
    origin,
    id,
    courseId,
    courseTitle,
    learnerId: `l-${id}`,
    learnerName,
    learnerEmail: `${learnerName.toLowerCase().replace(/\W+/g, '.')}@example.com`,
    sentAt: new Date(expiresAt - 30 * DAY).toISOString(),
    expiresAt,
    status: 'pending',
    progress: null,
    fetchedAt: NOW,
  };
}

/** Lets pending promises and microtasks settle. */
export async function settle(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise((r) => setTimeout(r, 0));
}
