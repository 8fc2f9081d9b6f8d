/**
 * The table's Revoke all: every pending invite of the page's course or learner, on every page
 * of the table. Its Undo window begins at the click (an Undo pressed before the background has
 * answered the start is sent as soon as it has); then its progress, said at 25, 50 and 75 %; at
 * the end each covered row's outcome, from the job's failures or, where the counts are mixed,
 * from the invites read fresh after it.
 */
import { t, tn } from '../../shared/i18n';
import { isActiveJob } from '../../shared/job-states';
import type { JobView } from '../../shared/types';
import type { Controller } from './controller';
import type { ContentDeps } from './deps';
import { what } from './labels';
import { ACTIVE_ROW, type BulkState, bulkRowPhase, checkedPhase, FINAL_ROW, summary } from './phases';

/** Rows still "checking" this long after Revoke all ended fall back to what the row says. */
const CHECKING_LIMIT_MS = 15_000;

const IDLE: BulkState = { phase: 'idle', view: null, ids: new Set(), message: null, startAt: null };

export class BulkRevoke {
  private s: BulkState = IDLE;
  private undoAsked = false;
  private checkingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ctl: Controller,
    private readonly deps: ContentDeps,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => clearTimeout(this.checkingTimer));
  }

  get state(): BulkState {
    return this.s;
  }

  /** Its job is in its window or under way (or its start is not yet answered). */
  active(): boolean {
    const p = this.s.phase;
    return p === 'waiting' || p === 'undoing' || p === 'running';
  }

  /** Started, and the background has not yet said which job it is. */
  unanswered(): boolean {
    return this.active() && this.s.view === null;
  }

  /** The job under way, for asking after it again. */
  activeJobId(): number | null {
    return this.active() ? (this.s.view?.job.id ?? null) : null;
  }

  isJob(jobId: number): boolean {
    return this.s.view?.job.id === jobId;
  }

  async start(): Promise<void> {
    const ctl = this.ctl;
    if (this.active() || ctl.covering.waiting()) return;
    const ids = ctl.pendingIds();
    if (!ids?.length) return;
    const secs = ctl.undoSeconds;
    this.undoAsked = false;
    this.set(
      { phase: 'waiting', view: null, ids: new Set(ids), message: null, startAt: Date.now() + secs * 1000 },
      ids,
    );
    ctl.say.now(t('rowAllSay', what(ctl.scopeOf(ids)), secs));
    ctl.openLink();
    const reply = await this.deps.send({ type: 'job.start', scope: ctl.target });
    if (this.signal.aborted) return;
    if (!reply.ok) {
      const undone = this.undoAsked;
      const message = reply.error.message;
      this.set({ ...IDLE, phase: undone ? 'undone' : 'error', message }, ids);
      ctl.say.now(undone ? t('rowNothing') : t('rowNoStart', message));
      return;
    }
    this.apply(ctl.takeEarly(reply.value));
    if (this.undoAsked) await this.sendUndo(reply.value.job.id);
  }

  async undo(): Promise<void> {
    const s = this.s;
    if (s.phase !== 'waiting') return;
    this.set({ ...s, phase: 'undoing' }, [...s.ids]);
    if (s.view) await this.sendUndo(s.view.job.id);
    else this.undoAsked = true;
  }

  private async sendUndo(jobId: number): Promise<void> {
    const reply = await this.deps.send({ type: 'job.undo', jobId });
    if (this.signal.aborted) return;
    if (reply.ok) {
      this.apply(reply.value);
      return;
    }
    if (this.s.phase === 'undoing') this.set({ ...this.s, phase: 'running' }, [...this.s.ids]);
    this.ctl.say.now(t('rowTooLate'));
  }

  /** A newer view of this job. */
  apply(view: JobView): void {
    const ctl = this.ctl;
    const prev = this.s;
    const { job, counts } = view;
    const ids = [...prev.ids];
    const key = `job:${job.id}`;
    if (isActiveJob(job.state)) {
      const waiting = job.state === 'waiting';
      // The window shown began at the click; an Undo under way stays so until it is answered.
      const phase = waiting ? (prev.phase === 'undoing' ? 'undoing' : 'waiting') : 'running';
      const startAt = waiting ? (prev.startAt ?? job.startAt) : null;
      this.set(
        { phase, view, ids: prev.ids, message: job.message, startAt },
        prev.phase !== phase ? ids : [],
      );
      if (job.message) ctl.say.once(`${key}:${job.message}`, t('rowPausedWhy', job.message));
      if (!waiting) {
        const done = counts.total - counts.queued - counts.inFlight;
        ctl.say.milestone(key, done, counts.total, (p) => tn('rowMilestone', counts.total, p, done));
      }
      return;
    }
    if (job.state === 'undone') {
      this.set({ ...IDLE, phase: 'undone', view }, ids);
      ctl.say.once(`${key}:end`, t('rowNothing'));
      return;
    }
    // done, or stopped from elsewhere: each row gets its outcome.
    const failed = new Map(view.failures.map((f) => [f.inviteId, f.error]));
    for (const id of ids) {
      const own = ctl.ownRow(id)?.kind;
      if (own && (FINAL_ROW.has(own) || ACTIVE_ROW.has(own))) continue;
      ctl.putRow(id, bulkRowPhase(view, failed, id));
    }
    this.set({ ...IDLE, phase: 'done', view, message: job.message }, ids);
    ctl.say.once(`${key}:end`, summary(view));
    clearTimeout(this.checkingTimer);
    this.checkingTimer = setTimeout(() => this.settleChecking(true), CHECKING_LIMIT_MS);
    ctl.revokeEnded(job.finishedAt);
  }

  /** Rows waiting on fresh invites after the job: decided from the cache once it was read after the job. */
  settleChecking(force: boolean): void {
    const view = this.s.view;
    if (!view) return;
    const at = this.ctl.fetchedAtMs;
    const fresh = force || (at !== null && at >= (view.job.finishedAt ?? 0));
    const changed: string[] = [];
    for (const id of this.ctl.rowsIn('checking')) {
      const next = checkedPhase(this.ctl.invite(id), view, fresh);
      if (next) {
        this.ctl.putRow(id, next);
        changed.push(id);
      }
    }
    if (changed.length) this.ctl.emit(changed);
  }

  private set(state: BulkState, rows: readonly string[]): void {
    this.s = state;
    this.ctl.emit(rows);
  }
}
