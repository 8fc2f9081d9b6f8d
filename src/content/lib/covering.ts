/**
 * A revoke started elsewhere (the toolbar popup, another tab of the same page) that covers this
 * page's course or learner, as the background tells the page of it (background/page-jobs.ts):
 * the page's bar offers its Undo for the rest of its window, so closing the popup does not lose
 * it, and says while it is under way. The page learns nothing about the job's other courses.
 */
import { t } from '../../shared/i18n';
import { isActiveJob } from '../../shared/job-states';
import type { CoveringJob } from '../../shared/messages';
import { samePage } from '../../shared/portal-page';
import type { JobView } from '../../shared/types';
import type { Controller } from './controller';
import type { ContentDeps } from './deps';

const STATES = new Set(['waiting', 'running', 'paused', 'signed-out', 'done', 'cancelled', 'undone']);

function isCoveringJob(value: unknown): value is CoveringJob {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<CoveringJob>;
  return (
    typeof v.id === 'number' &&
    typeof v.state === 'string' &&
    STATES.has(v.state) &&
    typeof v.startAt === 'number' &&
    typeof v.surface === 'string' &&
    typeof v.minAgeDays === 'number' &&
    typeof v.othersToo === 'boolean'
  );
}

export class Covering {
  private job: CoveringJob | null = null;
  private undoing = false;

  constructor(
    private readonly ctl: Controller,
    private readonly deps: ContentDeps,
    private readonly signal: AbortSignal,
  ) {}

  /** The job, while it is in its window or under way. */
  get current(): CoveringJob | null {
    return this.job;
  }

  /** In its Undo window now (this computer's clock; the background's is the same). */
  waiting(): boolean {
    return !!this.job && this.job.state === 'waiting' && this.job.startAt > Date.now() && !this.undoing;
  }

  active(): boolean {
    return !!this.job && isActiveJob(this.job.state);
  }

  /** Asks the background for a job in its window that covers this page (on load, and after a reconnect). */
  async ask(): Promise<void> {
    const reply = await this.deps.send({ type: 'job.covering' });
    if (this.signal.aborted || !reply.ok || !reply.value) return;
    this.told(reply.value);
  }

  /** The background's news of a covering job. */
  told(value: unknown): void {
    if (!isCoveringJob(value)) return;
    const known = this.job;
    if (known && known.id !== value.id && value.id < known.id && isActiveJob(known.state)) return;
    if (isActiveJob(value.state)) {
      const first = known?.id !== value.id;
      this.job = value;
      this.ctl.openLink();
      if (first && value.state === 'waiting')
        this.ctl.say.once(
          `covering:${value.id}`,
          t(
            'rowCoverSay',
            this.whence(value, true),
            Math.max(1, Math.ceil((value.startAt - Date.now()) / 1000)),
          ),
        );
    } else if (known?.id === value.id) {
      this.job = null;
      this.undoing = false;
      if (value.state === 'done' || value.state === 'cancelled') this.ctl.revokeEnded(value.finishedAt);
    } else return;
    this.ctl.emit([]);
  }

  /**
   * A full view of a job this page may see but did not start (another tab of the same page):
   * taken as covering when its scope is the page's whole learner or course. False when it is not.
   */
  fromView(view: JobView): boolean {
    const scope = view.job.scope;
    if (view.job.reason || (scope.kind !== 'course' && scope.kind !== 'learner')) return false;
    if (!samePage(scope, this.ctl.target)) return false;
    const { id, state, startAt, finishedAt, surface } = view.job;
    this.told({
      id,
      state,
      startAt,
      finishedAt,
      surface,
      minAgeDays: scope.minAgeDays ?? 0,
      othersToo: false,
    });
    return true;
  }

  /**
   * Who started it, for the bar: "the revoke started in the toolbar popup" (`start`: "The…", to
   * begin a sentence with).
   */
  whence(job: CoveringJob, start = false): string {
    const w = t(job.surface === 'popup' || job.surface === 'options' ? 'rowFromPopup' : 'rowFromTab');
    return start ? w.charAt(0).toUpperCase() + w.slice(1) : w;
  }

  async undo(): Promise<void> {
    const job = this.job;
    if (!job || !this.waiting()) return;
    this.undoing = true;
    this.ctl.emit([]);
    const reply = await this.deps.send({ type: 'job.undo', jobId: job.id });
    if (this.signal.aborted) return;
    this.undoing = false;
    if (reply.ok && reply.value.job.state === 'undone') {
      if (this.job?.id === job.id) this.job = null;
      this.ctl.say.now(t('rowCoverUndone', this.whence(job)));
    } else this.ctl.say.now(t('rowTooLate'));
    this.ctl.emit([]);
  }

  /** Undo was pressed and not yet answered. */
  get undoPending(): boolean {
    return this.undoing;
  }
}
