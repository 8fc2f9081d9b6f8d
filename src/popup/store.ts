/**
 * The popup's state (zustand, vanilla store) and every action it takes.
 *
 * Reads come from the Dexie cache (first paint) and the background's replies; every change
 * (refresh, revoke, undo, settings) is a message to the background. All I/O is injected, so the
 * store runs in unit tests with fakes.
 */
import { createContext } from 'preact';
import { useContext, useSyncExternalStore } from 'preact/compat';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { pages } from '../portal/routes';
import type { BackgroundEvent, Reply, Request, RequestType } from '../shared/messages';
import type { AuditEntry, JobState, JobView, PortalError, Scope, Settings } from '../shared/types';
import type { CachedOverview } from './cache';

/** The cache is called stale past this age: the popup says so while it refreshes. */
export const STALE_MS = 3 * 60 * 1000;
/**
 * A job that finished while the popup was closed has its report shown on the next opening
 * (once: a report the popup has shown is not shown again), if it finished this recently.
 */
export const REPORT_KEEP_MS = 15 * 60 * 1000;
const AUDIT_LIMIT = 100;
const UNDONE_NOTICE = 'Revoke undone. Nothing was sent to the portal.';

export const ACTIVE_JOB_STATES: readonly JobState[] = ['waiting', 'running', 'paused', 'signed-out'];
export const isActive = (view: JobView | null): boolean =>
  !!view && ACTIVE_JOB_STATES.includes(view.job.state);

export type Send = <T extends RequestType>(request: Extract<Request, { type: T }>) => Promise<Reply<T>>;

export interface PopupDeps {
  send: Send;
  /** Opens the background's events port; returns a function that closes it. */
  connectEvents(onEvent: (event: BackgroundEvent) => void, onClose: () => void): () => void;
  /** Watches the cache for one (now, filter, origin); returns a function that stops watching. */
  watchOverview(
    query: { now: number; minAgeDays: number; origin: string | null },
    onValue: (value: CachedOverview) => void,
    onError: (err: unknown) => void,
  ): () => void;
  watchAudit(
    limit: number,
    onValue: (rows: AuditEntry[]) => void,
    onError: (err: unknown) => void,
  ): () => void;
  readSettings(): Promise<Settings>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  openTab(url: string): void;
  openOptions(): void;
  download(filename: string, text: string): void;
  now(): number;
}

export type View = 'overview' | 'audit';

export interface PopupState {
  view: View;
  settings: Settings | null;
  /** Cached per-course lines; null until the first cache read answers. */
  overview: CachedOverview | null;
  /** The age filter `overview` was counted with; while it differs from minAgeDays, counts are pending. */
  overviewAge: number | null;
  /** Portal clock minus the extension clock (ms), as last seen from the background. */
  clockOffset: number;
  /** Re-evaluated every time countdown labels can change. */
  tick: number;
  refreshing: boolean;
  /** The background knows no portal to read: none allowed, or never opened in a tab. */
  noPortal: boolean;
  /** null: not known yet (no answer from the portal). */
  signedIn: boolean | null;
  /** Why the last refresh failed, for the manager; null when it worked. */
  refreshError: string | null;
  /** Courses the manager unticked (all are ticked by default). */
  unticked: Record<string, true>;
  /** "Only invites sent more than N days ago"; 0 is off. */
  minAgeDays: number;
  /** The job on screen: running, in its Undo window, or its report. */
  job: JobView | null;
  jobBusy: boolean;
  jobError: string | null;
  /** Set after an Undo: nothing was sent. */
  notice: string | null;
  audit: AuditEntry[] | null;
  auditError: string | null;
  exportStatus: string | null;
}

export interface PopupActions {
  init(signal: AbortSignal): Promise<void>;
  refresh(): Promise<void>;
  setView(view: View): void;
  toggleCourse(courseId: string, ticked: boolean): void;
  setAllTicked(ticked: boolean): void;
  setMinAgeDays(days: number): Promise<void>;
  revoke(): Promise<void>;
  undo(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
  retryFailed(): Promise<void>;
  dismissJob(): void;
  exportCsv(): Promise<void>;
  signIn(): void;
  openOptions(): void;
  /** The portal's now, from the extension clock and the last known offset. */
  portalNow(): number;
  /** The extension's clock (fetchedAt, startAt and finishedAt are on it). */
  now(): number;
}

export type PopupStore = StoreApi<PopupState & PopupActions>;

const OFFSET_KEY = 'reclaim.popup.clockOffset';
const SEEN_KEY = 'reclaim.popup.reportSeen';
const SNAPSHOT_KEY = 'reclaim.popup.snapshot';

interface Snapshot {
  minAgeDays: number;
  overview: CachedOverview;
}

/**
 * The course lines the popup last computed from the cache, kept in its own localStorage: counting
 * 10,000 cached invites in IndexedDB takes longer than a first paint may, so the popup paints
 * these at once and replaces them with the live cache read a moment later.
 */
function readSnapshot(storage: PopupDeps['storage']): Snapshot | null {
  try {
    const raw = storage.getItem(SNAPSHOT_KEY);
    if (!raw) return null;
    const snap = JSON.parse(raw) as Snapshot;
    return Array.isArray(snap?.overview?.courses) && typeof snap.minAgeDays === 'number' ? snap : null;
  } catch {
    return null;
  }
}
const ORIGIN_KEY = 'reclaim.popup.origin';

export function errorText(error: PortalError | { kind: string; message: string }): string {
  switch (error.kind) {
    case 'signed-out':
      return 'You’re signed out of the portal.';
    case 'network-error':
    case 'timeout':
      return 'The portal could not be reached.';
    case 'no-permission':
      return 'Reclaim has no access to this portal yet.';
    default:
      return error.message || 'Something went wrong.';
  }
}

/** Courses a revoke covers: 'all' when every course is ticked. */
export function scopeOf(state: PopupState): Scope | null {
  const courses = state.overview?.courses ?? [];
  const ticked = courses.filter((c) => !state.unticked[c.courseId]).map((c) => c.courseId);
  if (courses.length > 0 && ticked.length === 0) return null;
  const courseIds = ticked.length === courses.length ? 'all' : ticked;
  return state.minAgeDays > 0
    ? { kind: 'courses', courseIds, minAgeDays: state.minAgeDays }
    : { kind: 'courses', courseIds };
}

/** The age filter changed and the cache has not been counted again yet. */
export const isCounting = (state: PopupState): boolean =>
  state.overview !== null && state.overviewAge !== state.minAgeDays;

/** Pending invites the revoke button would cover, from the cache. */
export function inScopeCount(state: PopupState): number {
  let n = 0;
  for (const c of state.overview?.courses ?? []) if (!state.unticked[c.courseId]) n += c.inScope;
  return n;
}

export function totalPending(state: PopupState): number {
  let n = 0;
  for (const c of state.overview?.courses ?? []) n += c.pending;
  return n;
}

export function createPopupStore(deps: PopupDeps): PopupStore {
  let stopOverview: (() => void) | null = null;
  let stopAudit: (() => void) | null = null;
  let overviewKey = '';
  /** The overview watch was asked for (and the popup not closed since). */
  let wantOverview = false;
  let rewatch = () => {};
  let preferOrigin: string | null = deps.storage.getItem(ORIGIN_KEY);
  const snapshot = readSnapshot(deps.storage);

  const store = createStore<PopupState & PopupActions>()((set, get) => {
    const portalNow = () => deps.now() + get().clockOffset;

    /** (Re)starts the cache watch when what it depends on changed. */
    const watchCache = () => {
      wantOverview = true;
      // While a job is active the popup shows it from the throttled 'job' events, not the
      // cache: watching the cache then would re-read it on each of the job's writes.
      if (isActive(get().job)) {
        stopOverview?.();
        stopOverview = null;
        return;
      }
      const { minAgeDays, tick } = get();
      const key = `${minAgeDays}|${tick}|${preferOrigin ?? ''}`;
      if (key === overviewKey && stopOverview) return;
      overviewKey = key;
      stopOverview?.();
      stopOverview = deps.watchOverview(
        { now: portalNow(), minAgeDays, origin: preferOrigin },
        (overview) => {
          set({ overview, overviewAge: minAgeDays });
          deps.storage.setItem(SNAPSHOT_KEY, JSON.stringify({ minAgeDays, overview } satisfies Snapshot));
        },
        (err) => set({ refreshError: `Reclaim could not read its cache: ${String(err)}` }),
      );
    };

    rewatch = watchCache;

    const showJob = (view: JobView) => {
      const current = get().job;
      if (current && current.job.id !== view.job.id && isActive(current)) return;
      if (!current && !isActive(view)) return;
      if (view.job.state === 'undone') {
        set({ job: null, notice: UNDONE_NOTICE });
        return;
      }
      set({ job: view, notice: null });
    };

    const jobCall = async (
      type: 'job.undo' | 'job.pause' | 'job.resume' | 'job.cancel' | 'job.retryFailed',
    ): Promise<JobView | null> => {
      const job = get().job;
      if (!job) return null;
      set({ jobBusy: true, jobError: null });
      const reply = await deps.send({ type, jobId: job.job.id });
      set({ jobBusy: false });
      if (!reply.ok) {
        set({ jobError: errorText(reply.error) });
        return null;
      }
      set({ job: reply.value });
      return reply.value;
    };

    const onEvent = (event: BackgroundEvent) => {
      if (event.type === 'job') showJob(event.view);
      else if (event.type === 'session' && event.origin === get().overview?.origin) {
        set({ signedIn: event.signedIn });
      }
    };

    return {
      view: 'overview',
      settings: null,
      overview: snapshot?.overview ?? null,
      overviewAge: snapshot?.minAgeDays ?? null,
      clockOffset: Number(deps.storage.getItem(OFFSET_KEY)) || 0,
      tick: 0,
      refreshing: false,
      noPortal: false,
      signedIn: null,
      refreshError: null,
      unticked: {},
      minAgeDays: snapshot?.minAgeDays ?? 0,
      job: null,
      jobBusy: false,
      jobError: null,
      notice: null,
      audit: null,
      auditError: null,
      exportStatus: null,
      portalNow,
      now: () => deps.now(),

      async init(signal) {
        // The refresh starts first: called before the first render, it marks the snapshot on
        // screen as being refreshed from that render on.
        const refreshed = get().refresh();
        // The first paint came from the snapshot; now the live cache, with the stored filter.
        const settings = await deps.readSettings().catch(() => null);
        if (signal.aborted) return;
        set({ settings, minAgeDays: settings?.minAgeDays ?? 0 });
        watchCache();

        // Live job progress; reconnect when the service worker restarts.
        let closeEvents: (() => void) | null = null;
        let retry: ReturnType<typeof setTimeout> | undefined;
        const connect = () => {
          closeEvents = deps.connectEvents(onEvent, () => {
            closeEvents = null;
            if (signal.aborted) return;
            retry = setTimeout(() => {
              connect();
              void resync();
            }, 500);
          });
        };
        const resync = async () => {
          const reply = await deps.send({ type: 'job.current' });
          if (signal.aborted || !reply.ok || !reply.value) return;
          const view = reply.value;
          const current = get().job;
          if (current?.job.id === view.job.id) {
            showJob(view);
            return;
          }
          const seen = Number(deps.storage.getItem(SEEN_KEY)) || 0;
          const recent =
            view.job.finishedAt !== null &&
            deps.now() - view.job.finishedAt < REPORT_KEEP_MS &&
            view.job.id > seen;
          if (isActive(view) || (recent && view.job.state !== 'undone')) set({ job: view });
        };
        connect();

        // A job the manager cannot see moving: ask again now and then.
        const watchdog = setInterval(() => {
          if (isActive(get().job)) void resync();
        }, 3000);

        signal.addEventListener(
          'abort',
          () => {
            closeEvents?.();
            clearTimeout(retry);
            clearInterval(watchdog);
            clearTimeout(tickTimer);
            wantOverview = false;
            stopOverview?.();
            stopOverview = null;
            stopAudit?.();
            stopAudit = null;
          },
          { once: true },
        );

        // Countdowns and "Updated N min ago" move by the minute: count the cache again each minute.
        let tickTimer: ReturnType<typeof setTimeout> | undefined;
        const scheduleTick = () => {
          clearTimeout(tickTimer);
          tickTimer = setTimeout(() => {
            set({ tick: get().tick + 1 });
            watchCache();
            scheduleTick();
          }, 60_000);
        };
        scheduleTick();

        await Promise.all([resync(), refreshed]);
      },

      async refresh() {
        if (get().refreshing) return;
        set({ refreshing: true, refreshError: null });
        const reply = await deps.send({ type: 'overview.get', refresh: true });
        if (!reply.ok) {
          // No portal origin known (none allowed, or never seen in a tab): say how to fix that.
          const noPortal = reply.error.kind === 'no-permission';
          set({ refreshing: false, noPortal, refreshError: noPortal ? null : errorText(reply.error) });
          return;
        }
        const { portalNow: serverNow, signedIn, error, courses } = reply.value;
        const clockOffset = serverNow - deps.now();
        deps.storage.setItem(OFFSET_KEY, String(clockOffset));
        const origin = reply.value.origin ?? courses[0]?.origin ?? null;
        if (origin && origin !== preferOrigin) {
          preferOrigin = origin;
          deps.storage.setItem(ORIGIN_KEY, origin);
        }
        set({
          refreshing: false,
          noPortal: false,
          clockOffset,
          signedIn: signedIn ?? (error?.kind === 'signed-out' ? false : get().signedIn),
          refreshError: error && error.kind !== 'signed-out' ? errorText(error) : null,
          tick: get().tick + 1,
        });
        // Count the cache again with the new clock, unless init has not read the filter yet.
        if (wantOverview) watchCache();
      },

      setView(view) {
        set({ view });
        if (view === 'audit' && !stopAudit) {
          stopAudit = deps.watchAudit(
            AUDIT_LIMIT,
            (audit) => set({ audit, auditError: null }),
            (err) => set({ auditError: `Reclaim could not read its audit log: ${String(err)}` }),
          );
        }
      },

      toggleCourse(courseId, ticked) {
        const unticked = { ...get().unticked };
        if (ticked) delete unticked[courseId];
        else unticked[courseId] = true;
        set({ unticked });
      },

      setAllTicked(ticked) {
        if (ticked) {
          set({ unticked: {} });
          return;
        }
        const unticked: Record<string, true> = {};
        for (const c of get().overview?.courses ?? []) unticked[c.courseId] = true;
        set({ unticked });
      },

      async setMinAgeDays(days) {
        const minAgeDays = Math.max(0, Math.min(30, Math.floor(Number.isFinite(days) ? days : 0)));
        set({ minAgeDays });
        watchCache();
        const reply = await deps.send({ type: 'settings.set', settings: { minAgeDays } });
        if (reply.ok) set({ settings: reply.value });
      },

      async revoke() {
        const scope = scopeOf(get());
        if (!scope || get().jobBusy) return;
        set({ jobBusy: true, jobError: null, notice: null });
        const reply = await deps.send({ type: 'job.start', scope });
        set({ jobBusy: false });
        if (!reply.ok) {
          set({ jobError: errorText(reply.error) });
          if (reply.error.kind === 'signed-out') set({ signedIn: false });
          return;
        }
        set({ job: reply.value });
      },

      async undo() {
        const view = await jobCall('job.undo');
        if (view && view.job.state === 'undone') {
          set({ job: null, notice: UNDONE_NOTICE });
        }
      },
      async pause() {
        await jobCall('job.pause');
      },
      async resume() {
        await jobCall('job.resume');
      },
      async stop() {
        await jobCall('job.cancel');
      },
      async retryFailed() {
        await jobCall('job.retryFailed');
      },

      dismissJob() {
        set({ job: null, jobError: null });
        void get().refresh();
      },

      async exportCsv() {
        set({ exportStatus: 'Preparing the CSV…' });
        const reply = await deps.send({ type: 'audit.csv' });
        if (!reply.ok) {
          set({ exportStatus: `Export failed: ${errorText(reply.error)}` });
          return;
        }
        deps.download(csvFileName(new Date(deps.now())), reply.value.csv);
        set({
          exportStatus: `Exported ${reply.value.rows} ${reply.value.rows === 1 ? 'entry' : 'entries'}.`,
        });
      },

      signIn() {
        const origin = get().overview?.origin ?? preferOrigin ?? get().settings?.origins[0] ?? null;
        if (origin) deps.openTab(`${origin}${pages.login}`);
      },

      openOptions() {
        deps.openOptions();
      },
    };
  });
  // A report on screen counts as seen: reopening the popup goes back to the courses.
  store.subscribe((s, prev) => {
    const active = isActive(s.job);
    if (active !== isActive(prev.job)) {
      if (active) {
        stopOverview?.();
        stopOverview = null;
      } else if (wantOverview) {
        rewatch();
      }
    }
    if (s.job !== prev.job && s.job && s.job.job.finishedAt !== null) {
      const seen = Number(deps.storage.getItem(SEEN_KEY)) || 0;
      if (s.job.job.id > seen) deps.storage.setItem(SEEN_KEY, String(s.job.job.id));
    }
  });
  return store;
}

/** reclaim-audit-YYYY-MM-DD.csv, in the manager's local date. */
export function csvFileName(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `reclaim-audit-${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}.csv`;
}

export const StoreContext = createContext<PopupStore | null>(null);

/** Reads a slice of the popup store and re-renders when it changes. */
export function useApp<T>(select: (state: PopupState & PopupActions) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp outside StoreContext');
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
