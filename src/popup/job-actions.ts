/**
 * The job on the popup's screen: starting one, its controls, and keeping the view in step with
 * the background (its 'job' events, and `job.current` when the popup opens or reconnects).
 *
 * A job's Undo window starts at the click: the popup shows its countdown and Undo at once
 * (`starting`), while the background reads the scope from the portal and writes the job. An Undo
 * pressed before that answer undoes the job as soon as it comes, well inside the background's own
 * window, which began later.
 */
import type { StoreApi } from 'zustand/vanilla';
import { t } from '../shared/i18n';
import type { Request } from '../shared/messages';
import { DEFAULT_SETTINGS } from '../shared/settings';
import type { JobView } from '../shared/types';
import type { FailedAction } from '../shared/ui/failure-words';
import { doingWords } from '../shared/ui/job-words';
import { readReportSeen } from './memory';
import { couldNot, isActive, scopeOf, selectionOf } from './selectors';
import type { PopupActions, PopupDeps, PopupState } from './state';

/**
 * A job that finished while the popup was closed has its report shown on the next opening
 * (once: a report the popup has shown is not shown again), if it finished this recently.
 */
const REPORT_KEEP_MS = 15 * 60 * 1000;
/** What the popup says after an Undo of a revoke (or of a job that invites): nothing was sent. */
const undoneNotice = (revoke: boolean): string => t(revoke ? 'popupRevokeUndone' : 'popupUndone');

type Api = StoreApi<PopupState & PopupActions>;
type JobControl = 'job.undo' | 'job.pause' | 'job.resume' | 'job.cancel' | 'job.retryFailed';
/** What each control does, for "Couldn't …" when it fails. */
const CONTROL_WORDS: Record<JobControl, FailedAction> = {
  'job.undo': 'undo',
  'job.pause': 'pause',
  'job.resume': 'resume',
  'job.cancel': 'stop',
  'job.retryFailed': 'retry',
};
/** The requests that start a job. */
export type StartRequest = Extract<Request, { type: 'job.start' | 'invite.start' }>;

export function jobActions(deps: PopupDeps, set: Api['setState'], get: Api['getState']) {
  /** A job view from the background: shown unless another active job is on screen. */
  const showJob = (view: JobView) => {
    // A job started here has not been answered yet: its view comes with that answer.
    if (get().starting?.jobId === null) return;
    const current = get().job;
    if (current && current.job.id !== view.job.id && isActive(current)) return;
    if (!current && !isActive(view)) return;
    if (view.job.state === 'undone') {
      set({ job: null, notice: undoneNotice(!view.job.reason) });
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
    if (get().starting) return;
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
      set({ jobError: couldNot(CONTROL_WORDS[type], reply.error) });
      return null;
    }
    set({ job: reply.value });
    return reply.value;
  };

  /**
   * Starts a job, in its Undo window from now on (see the header). Answers why it did not
   * start, in words, or null (started, or undone before it was).
   */
  const launch = async (request: StartRequest, doing: string): Promise<string | null> => {
    if (get().starting?.jobId === null || get().jobBusy) return null;
    const undoMs = (get().settings?.undoSeconds ?? DEFAULT_SETTINGS.undoSeconds) * 1000;
    set({
      starting: { doing, endsAt: deps.now() + undoMs, jobId: null, undone: false },
      // Without an Undo window there is nothing to press until the job is written.
      jobBusy: undoMs === 0,
      jobError: null,
      notice: null,
    });
    const reply = await deps.send(request);
    const undone = get().starting?.undone === true;
    if (!reply.ok) {
      set({ starting: null, jobBusy: false });
      if (reply.error.kind === 'signed-out') set({ signedIn: false });
      if (undone) {
        set({ notice: undoneNotice(request.type === 'job.start') });
        return null;
      }
      return couldNot('start', reply.error);
    }
    const view = reply.value;
    if (undone && view.job.state === 'waiting') {
      const back = await deps.send({ type: 'job.undo', jobId: view.job.id });
      if (back.ok && back.value.job.state === 'undone') {
        set({ starting: null, jobBusy: false, notice: undoneNotice(!view.job.reason) });
        return null;
      }
      // Not undone after all: the job is shown as it is, with why.
      set({ jobError: back.ok ? null : couldNot('undo', back.error) });
    }
    const starting = get().starting;
    set({
      job: view,
      starting: starting ? { ...starting, jobId: view.job.id } : null,
      jobBusy: false,
    });
    return null;
  };

  const actions = {
    async revoke() {
      const scope = scopeOf(get());
      if (!scope) return;
      const selection = selectionOf(get());
      const doing = doingWords(undefined, selection.invites, selection.courseIds.length);
      const error = await launch({ type: 'job.start', scope }, doing);
      if (error) set({ jobError: error });
    },
    async undo() {
      const starting = get().starting;
      if (starting && starting.jobId === null) {
        if (!starting.undone) set({ starting: { ...starting, undone: true } });
        return;
      }
      if (get().job?.job.state !== 'waiting') return;
      const view = await control('job.undo');
      if (view && view.job.state === 'undone') set({ job: null, notice: undoneNotice(!view.job.reason) });
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

  return { showJob, resync, launch, actions };
}
