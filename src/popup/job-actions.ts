/**
 * The job on the popup's screen: starting a revoke, its controls, and keeping the view in step
 * with the background (its 'job' events, and `job.current` when the popup opens or reconnects).
 */
import type { StoreApi } from 'zustand/vanilla';
import type { JobView } from '../shared/types';
import { readReportSeen } from './memory';
import { errorText, isActive, scopeOf } from './selectors';
import type { PopupActions, PopupDeps, PopupState } from './state';

/**
 * A job that finished while the popup was closed has its report shown on the next opening
 * (once: a report the popup has shown is not shown again), if it finished this recently.
 */
const REPORT_KEEP_MS = 15 * 60 * 1000;
/** What the popup says after an Undo: nothing was sent. */
const undoneNotice = (view: JobView): string =>
  `${view.job.reason ? 'Undone' : 'Revoke undone'}. Nothing was sent to the portal.`;

type Api = StoreApi<PopupState & PopupActions>;
type JobControl = 'job.undo' | 'job.pause' | 'job.resume' | 'job.cancel' | 'job.retryFailed';

export function jobActions(deps: PopupDeps, set: Api['setState'], get: Api['getState']) {
  /** A job view from the background: shown unless another active job is on screen. */
  const showJob = (view: JobView) => {
    const current = get().job;
    if (current && current.job.id !== view.job.id && isActive(current)) return;
    if (!current && !isActive(view)) return;
    if (view.job.state === 'undone') {
      set({ job: null, notice: undoneNotice(view) });
      return;
    }
    set({ job: view, notice: null });
  };

  /** Asks the background which job to show: an active one, or a recent report not yet seen. */
  const resync = async (signal: AbortSignal) => {
    const reply = await deps.send({ type: 'job.current' });
    if (signal.aborted || !reply.ok || !reply.value) return;
    const view = reply.value;
    if (get().job?.job.id === view.job.id) {
      showJob(view);
      return;
    }
    const recent =
      view.job.finishedAt !== null &&
      deps.now() - view.job.finishedAt < REPORT_KEEP_MS &&
      view.job.id > readReportSeen(deps.storage);
    if (isActive(view) || (recent && view.job.state !== 'undone')) set({ job: view });
  };

  const control = async (type: JobControl): Promise<JobView | null> => {
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

  const actions = {
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
      const view = await control('job.undo');
      if (view && view.job.state === 'undone') set({ job: null, notice: undoneNotice(view) });
    },
    async pause() {
      await control('job.pause');
    },
    async resume() {
      await control('job.resume');
    },
    async stop() {
      await control('job.cancel');
    },
    async retryFailed() {
      await control('job.retryFailed');
    },
    dismissJob() {
      set({ job: null, jobError: null });
      void get().refresh();
    },
  } satisfies Partial<PopupActions>;

  return { showJob, resync, actions };
}
