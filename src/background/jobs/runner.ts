/**
 * Durable jobs: the engine's front. A job and all its items are written to Dexie before its
 * first request, and each item's state after each answer, so a service worker stopped at any
 * moment picks the job up again on start-up or on the next alarm (`wake()`). No chrome.* in
 * here: storage, portal, clock and sleeping are injected, so the engine runs in Node against the
 * reference portal.
 *
 * The parts: policy.ts (what answers mean), kinds.ts (what each kind of item sends and reads),
 * store.ts (every Dexie read and write), holds.ts (one invite, one job), scheduler.ts (the
 * worker pool), work.ts (one pass over a job's items), run.ts (one job driven by this worker),
 * progress.ts (views and cache updates) and requests.ts (what a start and a control ask and
 * answer). Here: starting a job, the manager's controls, waking, and each job's loop.
 */
import type { Result } from '../../portal/api/client';
import type { ReclaimDb } from '../../shared/db';
import { t } from '../../shared/i18n';
import { ACTIVE_JOB_STATES, SELF_DRIVEN_JOB_STATES } from '../../shared/job-states';
import type { PortalPage } from '../../shared/portal-page';
import type { AuditEntry, Job, JobItem, JobState, JobView, Scope } from '../../shared/types';
import type { ClientOf } from '../portals';
import { previewWithoutHeld } from './holds';
import { planInviteJob } from './invite-work';
import { ITEM_KINDS, type KindRegistry } from './kinds';
import { MAX_TRIES } from './policy';
import { Progress } from './progress';
import { FINISHED_ITEMS_KEPT_MS, pruneFinished } from './prune';
import type { ControlResult, InviteStartRequest, StartRequest, StartResult } from './requests';
import { planJob, type Resolution, resolveScope } from './resolve';
import { Run } from './run';
import type { PassEnd } from './scheduler';
import { JobStore, type NewItem } from './store';
import { type WorkMode, workThrough } from './work';

export interface RunnerDeps {
  db: ReclaimDb;
  client: ClientOf;
  now(): number;
  /** Resolves after `ms`, or early (without error) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random?(): number;
  /** Progress and state changes of a job (throttled to `progressIntervalMs` while running). */
  onView?(view: JobView): void;
  /** Items reached their outcome (committed together, in the order they finished). */
  onItemsFinal?(origin: string, items: JobItem[]): void | Promise<void>;
  /** A job stopped for good: done, cancelled (and settled) or undone. */
  onJobStopped?(job: Job): void;
  learnersOf?(origin: string, inviteIds: string[]): Promise<Map<string, string>>;
  maxTries?: number;
  progressIntervalMs?: number;
  /** First back-off step after a server or network error (doubles per try, capped at 16x). */
  backoffBaseMs?: number;
  /** What each kind of item does (default: ITEM_KINDS). */
  kinds?: KindRegistry;
}

export class JobRunner {
  private readonly runs = new Map<number, Run>();
  private readonly store: JobStore;
  private readonly progress: Progress;
  private readonly kinds: KindRegistry;

  constructor(private readonly deps: RunnerDeps) {
    this.store = new JobStore(deps.db, deps.now);
    this.kinds = deps.kinds ?? ITEM_KINDS;
    this.progress = new Progress({
      now: deps.now,
      sleep: (ms) => deps.sleep(ms),
      intervalMs: deps.progressIntervalMs ?? 100,
      view: (jobId) => this.view(jobId),
      onView: deps.onView,
      onItemsFinal: deps.onItemsFinal,
    });
  }

  /** Resolves the scope fresh (a Preview), for the confirm step of a view. */
  resolve(origin: string, scope: Scope, context: PortalPage | null): Promise<Result<Resolution>> {
    return resolveScope(this.deps.client(origin), scope, {
      origin,
      context,
      now: this.deps.now,
      learnersOf: (ids) => this.deps.learnersOf?.(origin, ids) ?? Promise.resolve(new Map()),
    });
  }

  /** The scope as a job started now would take it: resolved fresh, invites other jobs hold left out. */
  async preview(origin: string, scope: Scope, context: PortalPage | null): Promise<Result<Resolution>> {
    const readAt = this.deps.now();
    const r = await this.resolve(origin, scope, context);
    if (!r.ok) return r;
    const holders = await this.store.holders(origin, r.value.preview.inviteIds, readAt);
    return {
      ok: true,
      value: { ...r.value, preview: previewWithoutHeld(r.value.preview, r.value.items, holders) },
    };
  }

  /** Resolves the scope and writes the job and every item, in its Undo window, before any request. */
  async start(req: StartRequest): Promise<StartResult> {
    const readAt = this.deps.now();
    const r = await this.resolve(req.origin, req.scope, req.context);
    if (!r.ok) return r;
    if (req.context && r.value.unverified.length > 0) return { ok: false, refused: t('engineNotOnPage') };
    const { job, items } = planJob(req, r.value, this.deps.now());
    return this.launch(job, items, readAt);
  }

  /** Reads a job that invites fresh from the portal and writes it, in its Undo window, before any request. */
  async startInvites(req: InviteStartRequest): Promise<StartResult> {
    const readAt = this.deps.now();
    const r = await planInviteJob(this.deps.client(req.origin), req, this.deps.now);
    return r.ok ? this.launch(r.job, r.items, readAt) : r;
  }

  /**
   * Writes a job and all its items in one transaction, then drives it (or reports it done).
   * Invites another job holds are left to it (holds.ts), decided in the job's own write;
   * `readAt`: when the job's scope was read.
   */
  private async launch(job: Omit<Job, 'id'>, items: NewItem[], readAt: number): Promise<StartResult> {
    const { jobId: id, toSend } = await this.store.create(job, items, readAt);
    const saved = await this.store.job(id);
    if (!saved) throw new Error(`JobRunner.launch: job ${id} is not in the store it was just written to`);
    // Told at once to every view that may see it (a page it covers offers its Undo from now on).
    if (toSend > 0) this.drive(id);
    else this.deps.onJobStopped?.(saved);
    return { ok: true, view: await this.store.view(saved) };
  }

  job(jobId: number): Promise<Job | undefined> {
    return this.store.job(jobId);
  }

  async view(jobId: number): Promise<JobView | null> {
    const job = await this.store.job(jobId);
    return job ? this.store.view(job) : null;
  }

  /** The newest active job, else the newest job; optionally only those `match` accepts. */
  async current(match: (job: Job) => boolean = () => true): Promise<JobView | null> {
    const mine = (await this.store.newest(200)).filter(match);
    const pick = mine.find((j) => ACTIVE_JOB_STATES.includes(j.state)) ?? mine[0];
    return pick ? this.store.view(pick) : null;
  }

  auditLog(): Promise<AuditEntry[]> {
    return this.store.auditLog();
  }

  undo(jobId: number): Promise<ControlResult> {
    return this.control(jobId, ['waiting'], 'undone', t('engineTooLateToUndo'), () =>
      this.store.skipQueued(jobId),
    );
  }

  pause(jobId: number): Promise<ControlResult> {
    return this.control(jobId, ['running', 'signed-out'], 'paused', t('engineNotRunning'));
  }

  resume(jobId: number): Promise<ControlResult> {
    return this.control(jobId, ['paused', 'signed-out'], 'running', t('engineNotPaused'));
  }

  cancel(jobId: number): Promise<ControlResult> {
    return this.control(jobId, ACTIVE_JOB_STATES, 'cancelled', t('engineAlreadyStopped'));
  }

  async retryFailed(jobId: number): Promise<ControlResult> {
    if ((await this.store.countItems(jobId, 'failed')) === 0)
      return { ok: false, error: { kind: 'bad-request', message: t('engineNothingFailed') } };
    return this.control(
      jobId,
      ['done', 'running', 'paused', 'cancelled'],
      'running',
      t('engineCannotRetry'),
      (job) => this.store.requeueFailed(job),
    );
  }

  private async control(
    jobId: number,
    from: readonly JobState[],
    to: JobState,
    refusal: string,
    alsoInTx?: (job: Job) => Promise<unknown>,
  ): Promise<ControlResult> {
    const job = await this.store.transition(jobId, from, { state: to, message: null }, async (before) => {
      await alsoInTx?.(before);
    });
    if (!job) return { ok: false, error: { kind: 'bad-request', message: refusal } };
    const run = this.runs.get(jobId);
    if (to === 'running') {
      this.drive(jobId);
    } else if (run) {
      run.stop();
    } else if (to === 'cancelled') {
      this.drive(jobId); // settles queued and stale in-flight items
    }
    if (to === 'undone') this.deps.onJobStopped?.(job);
    this.progress.notify(jobId, true);
    return { ok: true, view: await this.store.view(job) };
  }

  /** On start-up and on each alarm: pick up every job with something left to do. */
  async wake(): Promise<number> {
    const jobs = await this.store.jobsIn([...SELF_DRIVEN_JOB_STATES, 'cancelled', 'paused']);
    let woken = 0;
    for (const job of jobs) {
      if (job.state === 'cancelled' || job.state === 'paused') {
        // Only those with items still to settle (a worker died mid-request, or a cancel mid-run).
        const open = await this.store.countIn(
          job.id,
          job.state === 'cancelled' ? ['in-flight', 'queued'] : ['in-flight'],
        );
        if (open === 0 && (job.state !== 'cancelled' || job.finishedAt !== null)) continue;
      }
      woken++;
      this.drive(job.id);
    }
    return woken;
  }

  /**
   * The manager may just have signed in to `origin` (a portal page loaded, the portal answered):
   * its signed-out jobs check their session now, instead of on the next alarm. Cheap enough for
   * every portal page load: one indexed read when no job is signed out.
   */
  async wakeSignedOut(origin: string): Promise<number> {
    const jobs = (await this.store.jobsIn(['signed-out'])).filter((j) => j.origin === origin);
    for (const job of jobs) this.drive(job.id);
    return jobs.length;
  }

  /** Whether a job of an origin `covers` accepts is active, or still driven by this worker. */
  async busyOn(covers: (origin: string) => boolean): Promise<boolean> {
    const active = await this.store.jobsIn(ACTIVE_JOB_STATES);
    if (active.some((j) => covers(j.origin))) return true;
    for (const [jobId, run] of this.runs) {
      const job = run.over ? undefined : await this.store.job(jobId);
      if (job && covers(job.origin)) return true;
    }
    return false;
  }

  /**
   * Prunes what only the live views of jobs finished over a day ago needed (prune.ts); on
   * start-up and whenever a job stops.
   */
  pruneFinished(): Promise<number> {
    const now = this.deps.now();
    return pruneFinished(this.deps.db, now - FINISHED_ITEMS_KEPT_MS, now);
  }

  /** Whether any job still needs the alarm. */
  hasUnfinished(): Promise<boolean> {
    return this.store.hasSelfDriven();
  }

  /** Resolves when no run is active and every view and cache update has gone out (tests). */
  async idle(): Promise<void> {
    while (this.runs.size > 0 || this.progress.busy) {
      await Promise.all([...[...this.runs.values()].map((r) => r.promise), this.progress.settled()]);
    }
  }

  private drive(jobId: number): void {
    const existing = this.runs.get(jobId);
    if (existing && !existing.over) {
      existing.kick();
      return;
    }
    const run = new Run(jobId);
    this.runs.set(jobId, run);
    this.progress.notify(jobId, true);
    run.promise = this.loop(run)
      .catch((err) => console.error('Reclaim job', jobId, err))
      .finally(() => {
        if (this.runs.get(jobId) === run) this.runs.delete(jobId);
        this.progress.notify(jobId, true);
      });
  }

  /** A job's way through its states, for as long as this worker can move it. */
  private async loop(run: Run): Promise<void> {
    try {
      await this.steps(run);
    } finally {
      run.over = true; // at once, not a microtask later: a wake from now on starts a new run
    }
  }

  private async steps(run: Run): Promise<void> {
    /** The run's kick count when the session was last found ended, or null. */
    let checkedAtKick: number | null = null;
    for (;;) {
      const job = await this.store.job(run.jobId);
      if (!job) return;
      switch (job.state) {
        case 'waiting': {
          const wait = job.startAt - this.deps.now();
          if (wait > 0) {
            await this.deps.sleep(wait, run.signal);
            continue;
          }
          const started = await this.store.transition(job.id, ['waiting'], { state: 'running' }, () =>
            this.store.auditFinalAtStart(job),
          );
          if (started) this.progress.notify(job.id, true);
          continue;
        }
        case 'running': {
          const kicks: number = run.kicks;
          const end = await this.pass(run, 'run');
          if (end === 'drained') {
            const done = await this.store.transition(job.id, ['running'], {
              state: 'done',
              finishedAt: this.deps.now(),
            });
            if (done) await this.stopped(done);
          }
          // Signed out: the session is checked at once only if a wake came during the pass
          // (the manager may have signed in meanwhile); otherwise the next wake checks it.
          if (end === 'signed-out') checkedAtKick = kicks;
          continue;
        }
        case 'signed-out': {
          // Checked once per wake: a wake that came while a check was under way (the manager
          // signed in meanwhile) gets a check of its own, never a stale answer.
          if (checkedAtKick === run.kicks) return;
          const kicks: number = run.kicks;
          const s = await this.deps.client(job.origin).session();
          if (!s.ok) {
            checkedAtKick = kicks;
            continue;
          }
          await this.store.transition(job.id, ['signed-out'], { state: 'running', message: null });
          this.progress.notify(job.id, true);
          continue;
        }
        case 'paused': {
          await this.pass(run, 'settle');
          return;
        }
        case 'cancelled': {
          await this.pass(run, 'settle');
          const settled = await this.store.finishCancelled(job.id);
          if (settled) await this.stopped(settled);
          return;
        }
        default:
          return;
      }
    }
  }

  /** One pass over the job's open items (work.ts); 'stopped' when the job is gone or no longer running. */
  private async pass(run: Run, mode: WorkMode): Promise<PassEnd> {
    run.stopped = false;
    const job = await this.store.job(run.jobId);
    if (!job) return 'stopped';
    if (mode === 'run' && job.state !== 'running') return 'stopped';
    run.writes ??= this.store.writes(job, {
      committed: (finals) => {
        this.progress.outcomes(job.origin, finals);
        this.progress.notify(job.id);
      },
      failed: () => run.stop(),
    });
    return workThrough(run, job, run.writes, mode, {
      store: this.store,
      client: this.deps.client,
      kinds: this.kinds,
      now: this.deps.now,
      sleep: this.deps.sleep,
      random: this.deps.random ?? Math.random,
      maxTries: this.deps.maxTries ?? MAX_TRIES,
      backoffBaseMs: this.deps.backoffBaseMs ?? 500,
      signOut: (j) => this.signOut(j),
    });
  }

  /** A job stopped for good: its view goes out, and once the cache has its outcomes, the news. */
  private async stopped(job: Job): Promise<void> {
    this.progress.notify(job.id, true);
    await this.progress.outcomesApplied();
    this.deps.onJobStopped?.(job);
    await this.pruneFinished().catch((err) => console.warn('Reclaim: pruning finished jobs', err));
  }

  private async signOut(job: Job): Promise<void> {
    const changed = await this.store.transition(job.id, ['running'], {
      state: 'signed-out',
      message: t('engineSignedOut'),
    });
    if (changed) this.progress.notify(job.id, true);
  }
}
