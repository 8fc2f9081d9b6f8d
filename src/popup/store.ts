/**
 * The popup's state (zustand, vanilla store) and every action it takes.
 *
 * What the popup shows comes from the Dexie cache (first paint from its snapshot, then a live
 * read), and the job from the background's replies and events. Every change (refresh, revoke,
 * undo, settings) is a message to the background. All I/O is injected, so the store runs in unit
 * tests with fakes.
 */
import { createStore } from 'zustand/vanilla';
import { pages } from '../portal/page/routes';
import { t, tn } from '../shared/i18n';
import type { BackgroundEvent } from '../shared/messages';
import { expiringActions } from './expiring-actions';
import { inviteActions } from './invite-actions';
import { jobActions } from './job-actions';
import {
  readClockOffset,
  readOrigin,
  readReportSeen,
  readSnapshot,
  saveClockOffset,
  saveOrigin,
  saveReportSeen,
  saveSnapshot,
} from './memory';
import { couldNot, csvFileName, isActive } from './selectors';
import type { PopupActions, PopupDeps, PopupState, PopupStore } from './state';

const AUDIT_LIMIT = 100;

/** How the popup opens: `expiring` shows the Expiring soon view first (popup/index.html#expiring). */
export interface Opening {
  expiring?: boolean;
}

export function createPopupStore(deps: PopupDeps, opening: Opening = {}): PopupStore {
  let stopOverview: (() => void) | null = null;
  let stopAudit: (() => void) | null = null;
  let overviewKey = '';
  /** The overview watch was asked for (and the popup not closed since). */
  let wantOverview = false;
  let rewatch = () => {};
  let syncExpiring: (on: boolean) => void = () => {};
  let preferOrigin: string | null = readOrigin(deps.storage);
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
      const renewDays = get().settings?.renewDays ?? 0;
      const key = `${minAgeDays}|${tick}|${preferOrigin ?? ''}|${renewDays}`;
      if (key === overviewKey && stopOverview) return;
      overviewKey = key;
      stopOverview?.();
      stopOverview = deps.watchOverview(
        { now: portalNow(), minAgeDays, origin: preferOrigin, renewDays },
        (overview) => {
          set({ overview, overviewAge: minAgeDays });
          saveSnapshot(deps.storage, { minAgeDays, overview });
        },
        (err) => set({ refreshError: t('popupCacheError', String(err)) }),
      );
    };

    rewatch = watchCache;

    const jobs = jobActions(deps, set, get);
    const expiring = expiringActions(deps, set, get, jobs.launch);
    syncExpiring = expiring.sync;

    const onEvent = (event: BackgroundEvent) => {
      if (event.type === 'job') jobs.showJob(event.view);
      else if (event.type === 'session' && event.origin === get().overview?.origin) {
        set({ signedIn: event.signedIn });
      }
    };

    return {
      view: 'overview',
      settings: null,
      overview: snapshot?.overview ?? null,
      overviewAge: snapshot?.minAgeDays ?? null,
      clockOffset: readClockOffset(deps.storage),
      tick: 0,
      refreshing: false,
      noPortal: false,
      signedIn: null,
      refreshError: null,
      unticked: {},
      minAgeDays: snapshot?.minAgeDays ?? 0,
      job: null,
      starting: null,
      jobBusy: false,
      jobError: null,
      notice: null,
      audit: null,
      auditError: null,
      exportStatus: null,
      inviting: null,
      expiringOpen: opening.expiring === true,
      expiring: null,
      expiringError: null,
      picked: {},
      watchStatus: null,
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
        syncExpiring(true);

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
        const resync = () => jobs.resync(signal);
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
            syncExpiring(false);
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

      async refresh(full = false) {
        if (get().refreshing) return;
        set({ refreshing: true, refreshError: null });
        const reply = await deps.send(
          full
            ? { type: 'overview.get', refresh: true, full: true }
            : { type: 'overview.get', refresh: true },
        );
        if (!reply.ok) {
          // No portal origin known (none allowed, or never seen in a tab): say how to fix that.
          const noPortal = reply.error.kind === 'no-permission';
          set({
            refreshing: false,
            noPortal,
            refreshError: noPortal ? null : couldNot('refresh', reply.error),
          });
          return;
        }
        const { portalNow: serverNow, signedIn, error } = reply.value;
        const clockOffset = serverNow - deps.now();
        saveClockOffset(deps.storage, clockOffset);
        // The reply's course lines are not used: what the popup shows comes from its own cache read.
        const origin = reply.value.origin ?? null;
        if (origin && origin !== preferOrigin) {
          preferOrigin = origin;
          saveOrigin(deps.storage, origin);
        }
        set({
          refreshing: false,
          noPortal: false,
          clockOffset,
          signedIn: signedIn ?? (error?.kind === 'signed-out' ? false : get().signedIn),
          refreshError: error && error.kind !== 'signed-out' ? couldNot('refresh', error) : null,
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
            (err) => set({ auditError: t('popupAuditError', String(err)) }),
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

      ...jobs.actions,
      ...inviteActions(deps, set, get, jobs.launch),
      ...expiring.actions,

      async exportCsv() {
        set({ exportStatus: t('popupCsvPreparing') });
        const reply = await deps.send({ type: 'audit.csv' });
        if (!reply.ok) {
          set({ exportStatus: couldNot('export', reply.error) });
          return;
        }
        deps.download(csvFileName(new Date(deps.now())), reply.value.csv);
        set({ exportStatus: tn('popupCsvExported', reply.value.rows) });
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
    // A job started here is in its Undo window until it leaves it, or another takes the screen.
    const started = s.starting?.jobId ?? null;
    if (started !== null && (s.job?.job.id !== started || s.job.job.state !== 'waiting')) {
      store.setState({ starting: null });
    }
    if (s.job !== prev.job && s.job && s.job.job.finishedAt !== null) {
      if (s.job.job.id > readReportSeen(deps.storage)) saveReportSeen(deps.storage, s.job.job.id);
    }
    // The Expiring soon rows and the watch status follow the portal, the window, the clock and the view.
    if (wantOverview) syncExpiring(true);
  });
  return store;
}
