/**
 * Durable bulk-revoke jobs.
 *
 * A job and all its items are written to Dexie before its first request, and each item's state
 * after each answer, so a service worker stopped at any moment picks the job up again on
 * start-up or on the next alarm (`wake()`). No chrome.* in here: storage, portal, clock and
 * sleeping are injected, so the runner runs in Node against the reference portal.
 *
 * Item life: queued -> in-flight (written BEFORE the cancel is sent) -> an outcome.
 *
 * Outcomes, from the cancel's answer:
 *   200                          revoked
 *   409 not_pending accepted     kept-accepted (never retried)
 *   409 not_pending cancelled    revoked (see "Who cancelled it?")
 *   409 not_pending expired      already-expired
 *   404                          not-found
 *   401                          the job pauses as 'signed-out'; the item goes back to queued
 *   429                          the item waits Retry-After (not counted as a try)
 *   403 / other 4xx              failed, with the portal's reason
 *   5xx, network error, timeout, malformed 200: the answer is LOST (see below)
 *
 * Lost answers. Such a cancel may or may not have been applied. The item stays 'in-flight',
 * is marked `answerLost`, and the invite is re-read from the portal (its learner's invites)
 * before anything else is sent for it. An item found 'in-flight' at start-up is the same case
 * (the worker died between sending and recording). The re-read decides:
 *   pending   -> not applied: queued again (bounded by MAX tries, then failed)
 *   cancelled -> revoked. The invite was pending when this job resolved it, and this job had a
 *                cancel in flight for it; the portal's API cannot say who cancelled an invite,
 *                so Reclaim counts it as its own revoke (audit detail says it was confirmed on
 *                re-read). Likewise a later 409 'cancelled' for an item whose earlier answer
 *                was lost counts as revoked, not 'already cancelled': the earlier request must
 *                have applied. In tests the portal's journal confirms each such call applied
 *                exactly once.
 *   expired   -> already-expired;  accepted -> kept-accepted;  absent -> not-found.
 * Re-sending a cancel is always safe for the portal (a non-pending invite is never changed),
 * so no invite can be cancelled twice; the rule above only keeps the counts honest.
 *
 * Who cancelled it? Every item queued by a job was PENDING on the portal when the job resolved
 * its scope. A 409 'cancelled' to this job's request therefore means the invite was cancelled
 * after that read, and the usual cause is this job: a browser re-sends a POST by itself when a
 * reused connection drops before the answer (Chromium does), so the first transmission applied
 * the cancel and the second gets "already cancelled". Seen in Chromium against the reference
 * portal's drop-after-apply fault: the journal shows the job's first request applied. The
 * portal cannot tell Reclaim who cancelled an invite, so such an item counts as revoked (its
 * audit detail says how it was confirmed); a cancel by someone else in the same seconds is
 * counted the same way, and the seat was returned either way. 'already-cancelled' and
 * 'already-expired' are for invites that were not pending when the scope was resolved (explicit
 * invite ids), and 'already-expired' also when the portal answers 409 expired.
 */
import type { PortalClient, Result } from '../../portal/client';
import type { ReclaimDb } from '../../shared/db';
import type {
  AuditEntry,
  AuditOutcome,
  ItemState,
  Job,
  JobContext,
  JobItem,
  JobState,
  JobView,
  PortalError,
  Scope,
} from '../../shared/types';
import { FINAL_ITEM_STATES } from '../../shared/types';
import { type NewItem, type Resolution, resolveScope } from './resolve';
import { buildView } from './view';

export const MAX_TRIES = 5;
export const SIGNED_OUT_MESSAGE =
  'Sign in to the portal again: the revoke carries on by itself once you have.';

export interface RunnerDeps {
  db: ReclaimDb;
  client(origin: string): PortalClient;
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
}

export interface StartRequest {
  origin: string;
  scope: Scope;
  surface: Job['surface'];
  undoSeconds: number;
  concurrency: number;
  context: JobContext | null;
}

export type StartResult =
  | { ok: true; view: JobView }
  | { ok: false; error: PortalError }
  | { ok: false; refused: string };

type ControlError = { kind: 'bad-request'; message: string };
export type ControlResult = { ok: true; view: JobView } | { ok: false; error: ControlError };

interface Task {
  item: JobItem;
  /** Its 'in-flight' state (with this try counted) is committed: the cancel may be sent. */
  claimed?: boolean;
  due: number;
  recheck: boolean;
  recheckFails: number;
}

/** One group commit, awaited by whoever needs their staged writes durable. */
interface Commit {
  done: Promise<void>;
  settle(error?: unknown): void;
}

function newCommit(): Commit {
  let settle!: (error?: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  done.catch(() => undefined); // a failure is also kept in `writeError`
  return { done, settle };
}

class Run {
  stopped = false;
  private kickCtl = new AbortController();
  promise: Promise<void> = Promise.resolve();
  /** Invite ids with a request of this run in flight (any other 'in-flight' item is stale). */
  readonly active = new Set<string>();
  /** Item writes not yet committed (latest per invite), and audit entries for them. */
  readonly dirty = new Map<string, JobItem>();
  readonly audits: AuditEntry[] = [];
  /** Outcomes in `dirty`, announced (onItemsFinal, progress) once committed. */
  readonly finals: JobItem[] = [];
  /** The commit in progress, if any. */
  writing: Promise<void> | null = null;
  /** The commit that will take what is staged now (settles once that transaction has). */
  next: Commit | null = null;
  /** The commit whose transaction is running. */
  current: Commit | null = null;
  /** A commit failed: the run stops and every later wait for a commit rethrows it. */
  writeError: unknown = null;

  constructor(readonly jobId: number) {}

  stop(): void {
    this.stopped = true;
    this.kick();
  }

  kick(): void {
    this.kickCtl.abort();
    this.kickCtl = new AbortController();
  }

  get signal(): AbortSignal {
    return this.kickCtl.signal;
  }
}

const UNFINISHED: JobState[] = ['waiting', 'running', 'signed-out'];

export class JobRunner {
  private readonly runs = new Map<number, Run>();
  private readonly throttle = new Map<
    number,
    { last: number; scheduled: boolean; seq: number; emitted: number }
  >();
  private readonly maxTries: number;
  private readonly interval: number;
  private readonly random: () => number;

  constructor(private readonly deps: RunnerDeps) {
    this.maxTries = deps.maxTries ?? MAX_TRIES;
    this.interval = deps.progressIntervalMs ?? 100;
    this.random = deps.random ?? Math.random;
  }

  private get db() {
    return this.deps.db;
  }

  /** Resolves the scope fresh (a Preview), for the confirm step of a view. */
  resolve(origin: string, scope: Scope, context: JobContext | null): Promise<Result<Resolution>> {
    return resolveScope(this.deps.client(origin), scope, {
      origin,
      context,
      now: this.deps.now,
      learnersOf: (ids) => this.deps.learnersOf?.(origin, ids) ?? Promise.resolve(new Map()),
    });
  }

  /** Resolves the scope and writes the job and every item, in its Undo window, before any cancel. */
  async start(req: StartRequest): Promise<StartResult> {
    const r = await this.resolve(req.origin, req.scope, req.context);
    if (!r.ok) return r;
    const { items, unverified, keptAccepted } = r.value;
    if (req.context && unverified.length > 0) {
      return { ok: false, refused: 'Some of these invites are not on this page.' };
    }
    const now = this.deps.now();
    const all: NewItem[] = [
      ...items,
      ...unverified.map((inviteId) => ({
        inviteId,
        courseId: '',
        courseTitle: '',
        learnerId: '',
        learnerName: '',
        learnerEmail: '',
        state: 'not-found' as const,
        tries: 0,
        error: 'Reclaim could not find this invite on the portal; nothing was sent.',
        updatedAt: now,
      })),
    ];
    const toSend = all.filter((i) => i.state === 'queued').length;
    const job: Omit<Job, 'id'> = {
      origin: req.origin,
      scope: req.scope,
      state: toSend > 0 ? 'waiting' : 'done',
      surface: req.surface,
      createdAt: now,
      startAt: now + Math.round(req.undoSeconds * 1000),
      finishedAt: toSend > 0 ? null : now,
      concurrency: req.concurrency,
      message: null,
      keptAcceptedAtStart: keptAccepted,
    };
    if (req.context) job.context = req.context;
    const id = await this.db.transaction('rw', this.db.jobs, this.db.jobItems, this.db.audit, async () => {
      const jobId = (await this.db.jobs.add(job as Job)) as number;
      await this.db.jobItems.bulkAdd(all.map((i) => ({ ...i, jobId })));
      if (toSend === 0) await this.auditFinalAtStart({ ...job, id: jobId } as Job);
      return jobId;
    });
    const saved = await this.db.jobs.get(id);
    if (!saved) throw new Error('job vanished');
    if (toSend > 0) this.drive(id);
    else this.deps.onJobStopped?.(saved);
    return { ok: true, view: await buildView(this.db, saved) };
  }

  async view(jobId: number): Promise<JobView | null> {
    const job = await this.db.jobs.get(jobId);
    return job ? buildView(this.db, job) : null;
  }

  /** The newest unfinished job, else the newest job; optionally only those `match` accepts. */
  async current(match: (job: Job) => boolean = () => true): Promise<JobView | null> {
    const jobs = await this.db.jobs.orderBy('createdAt').reverse().limit(200).toArray();
    const mine = jobs.filter(match);
    const pick = mine.find((j) => UNFINISHED.includes(j.state) || j.state === 'paused') ?? mine[0];
    return pick ? buildView(this.db, pick) : null;
  }

  undo(jobId: number): Promise<ControlResult> {
    return this.control(
      jobId,
      ['waiting'],
      'undone',
      'Too late to undo: the revoke has started.',
      async () => {
        await this.db.jobItems
          .where('[jobId+state]')
          .equals([jobId, 'queued'])
          .modify({ state: 'skipped', updatedAt: this.deps.now() });
      },
    );
  }

  pause(jobId: number): Promise<ControlResult> {
    return this.control(jobId, ['running', 'signed-out'], 'paused', 'This revoke is not running.');
  }

  resume(jobId: number): Promise<ControlResult> {
    return this.control(jobId, ['paused', 'signed-out'], 'running', 'This revoke is not paused.');
  }

  cancel(jobId: number): Promise<ControlResult> {
    return this.control(
      jobId,
      ['waiting', 'running', 'paused', 'signed-out'],
      'cancelled',
      'This revoke has already stopped.',
    );
  }

  async retryFailed(jobId: number): Promise<ControlResult> {
    const failed = await this.db.jobItems.where('[jobId+state]').equals([jobId, 'failed']).count();
    if (failed === 0)
      return { ok: false, error: { kind: 'bad-request', message: 'Nothing failed in this revoke.' } };
    return this.control(
      jobId,
      ['done', 'running', 'paused', 'cancelled'],
      'running',
      'This revoke cannot be retried now.',
      async () => {
        await this.db.jobItems
          .where('[jobId+state]')
          .equals([jobId, 'failed'])
          .modify({ state: 'queued', tries: 0, error: null, updatedAt: this.deps.now() });
      },
    );
  }

  private async control(
    jobId: number,
    from: JobState[],
    to: JobState,
    refusal: string,
    alsoInTx?: () => Promise<void>,
  ): Promise<ControlResult> {
    const job = await this.transition(jobId, from, { state: to, message: null }, alsoInTx);
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
    this.notify(jobId, true);
    return { ok: true, view: await buildView(this.db, job) };
  }

  /** On start-up and on each alarm: pick up every job that is not finished. */
  async wake(): Promise<number> {
    const jobs = await this.db.jobs
      .where('state')
      .anyOf([...UNFINISHED, 'cancelled', 'paused'])
      .toArray();
    let woken = 0;
    for (const job of jobs) {
      if (job.state === 'cancelled' || job.state === 'paused') {
        // Only those with items still to settle (a worker died mid-request, or a cancel mid-run).
        const open = await this.db.jobItems
          .where('[jobId+state]')
          .anyOf(
            job.state === 'cancelled'
              ? [
                  [job.id, 'in-flight'],
                  [job.id, 'queued'],
                ]
              : [[job.id, 'in-flight']],
          )
          .count();
        if (open === 0 && (job.state !== 'cancelled' || job.finishedAt !== null)) continue;
      }
      woken++;
      this.drive(job.id);
    }
    return woken;
  }

  /** Whether any job still needs the alarm. */
  async hasUnfinished(): Promise<boolean> {
    return (await this.db.jobs.where('state').anyOf(UNFINISHED).count()) > 0;
  }

  /** Resolves when no run is active (tests). */
  async idle(): Promise<void> {
    while (this.runs.size > 0 || this.emitting.size > 0 || this.sideBusy > 0) {
      await Promise.all([...[...this.runs.values()].map((r) => r.promise), ...this.emitting, this.sideChain]);
    }
  }

  private drive(jobId: number): void {
    const existing = this.runs.get(jobId);
    if (existing) {
      existing.kick();
      return;
    }
    const run = new Run(jobId);
    this.runs.set(jobId, run);
    run.promise = this.loop(run)
      .catch((err) => console.error('Reclaim job', jobId, err))
      .finally(() => {
        this.runs.delete(jobId);
        this.notify(jobId, true);
      });
  }

  private async loop(run: Run): Promise<void> {
    let sessionChecked = false;
    for (;;) {
      const job = await this.db.jobs.get(run.jobId);
      if (!job) return;
      switch (job.state) {
        case 'waiting': {
          const wait = job.startAt - this.deps.now();
          if (wait > 0) {
            await this.deps.sleep(wait, run.signal);
            continue;
          }
          const started = await this.transition(job.id, ['waiting'], { state: 'running' }, () =>
            this.auditFinalAtStart(job),
          );
          if (started) this.notify(job.id, true);
          continue;
        }
        case 'running': {
          const end = await this.work(run, 'run');
          if (end === 'drained') {
            const done = await this.transition(job.id, ['running'], {
              state: 'done',
              finishedAt: this.deps.now(),
            });
            if (done) {
              this.notify(job.id, true);
              await this.sideChain;
              this.deps.onJobStopped?.(done);
            }
          }
          if (end === 'signed-out') return;
          continue;
        }
        case 'signed-out': {
          if (sessionChecked) return;
          sessionChecked = true;
          const s = await this.deps.client(job.origin).session();
          if (!s.ok) return;
          await this.transition(job.id, ['signed-out'], { state: 'running', message: null });
          this.notify(job.id, true);
          continue;
        }
        case 'paused': {
          await this.work(run, 'settle');
          return;
        }
        case 'cancelled': {
          await this.work(run, 'settle');
          const settled = await this.db.transaction('rw', this.db.jobs, this.db.jobItems, async () => {
            await this.db.jobItems
              .where('[jobId+state]')
              .equals([job.id, 'queued'])
              .modify({ state: 'skipped', updatedAt: this.deps.now() });
            const open = await this.db.jobItems.where('[jobId+state]').equals([job.id, 'in-flight']).count();
            const now = await this.db.jobs.get(job.id);
            if (open > 0 || !now || now.state !== 'cancelled' || now.finishedAt !== null) return null;
            const finished = { ...now, finishedAt: this.deps.now() };
            await this.db.jobs.put(finished);
            return finished;
          });
          if (settled) {
            this.notify(job.id, true);
            await this.sideChain;
            this.deps.onJobStopped?.(settled);
          }
          return;
        }
        default:
          return;
      }
    }
  }

  /**
   * Works through the job's open items. 'run': send cancels (and re-check lost answers) with the
   * job's concurrency. 'settle': only re-check stale in-flight items (paused or cancelled job).
   */
  private async work(run: Run, mode: 'run' | 'settle'): Promise<'drained' | 'stopped' | 'signed-out'> {
    run.stopped = false;
    const job = await this.db.jobs.get(run.jobId);
    if (!job) return 'stopped';
    if (mode === 'run' && job.state !== 'running') return 'stopped';
    const rows = await this.db.jobItems
      .where('[jobId+state]')
      .anyOf(
        mode === 'run'
          ? [
              [job.id, 'queued'],
              [job.id, 'in-flight'],
            ]
          : [[job.id, 'in-flight']],
      )
      .toArray();
    const fresh: Task[] = [];
    const later: Task[] = [];
    for (const item of rows) {
      if (run.active.has(item.inviteId)) continue;
      const task = { item, due: 0, recheck: item.state === 'in-flight', recheckFails: 0 };
      (task.recheck ? later : fresh).push(task);
    }
    let head = 0;
    let signedOut = false;
    const width = mode === 'settle' ? 2 : Math.max(1, job.concurrency);
    /** Fresh items marked in flight (one transaction per batch), not yet sent. */
    const claimed: Task[] = [];
    let claiming: Promise<void> | null = null;
    const claim = (): Promise<void> => {
      claiming ??= (async () => {
        const batch = fresh.slice(head, head + width);
        head += batch.length;
        for (const t of batch) {
          t.item = this.sendingOf(t.item);
          this.stage(run, job, t.item);
        }
        await this.flushed(run); // durable before any of them is sent
        for (const t of batch) t.claimed = true;
        claimed.push(...batch);
      })().finally(() => {
        claiming = null;
      });
      return claiming;
    };
    const next = (): Task | 'claim' | number | null => {
      const now = this.deps.now();
      let soonest = Number.POSITIVE_INFINITY;
      for (let k = 0; k < later.length; k++) {
        const t = later[k] as Task;
        if (t.due <= now) {
          later.splice(k, 1);
          return t;
        }
        soonest = Math.min(soonest, t.due);
      }
      const c = claimed.shift();
      if (c) {
        // Claim the next batch while this one is being sent, keeping about one claimed item
        // per worker in reserve, so no worker waits for a commit.
        if (!claiming && head < fresh.length && claimed.length <= width && !run.stopped)
          claim().catch(() => undefined); // a failed commit stops the run (writeError)
        return c;
      }
      if (head < fresh.length || claiming) return 'claim';
      return Number.isFinite(soonest) ? soonest - now : null;
    };
    const worker = async () => {
      for (;;) {
        if (run.stopped) return;
        const t = next();
        if (t === null) return;
        if (t === 'claim') {
          await claim();
          continue;
        }
        if (typeof t === 'number') {
          await this.deps.sleep(Math.max(1, t), run.signal);
          continue;
        }
        const back = t.recheck ? await this.recheck(run, job, t, mode) : await this.attempt(run, job, t);
        if (back === 'signed-out') {
          signedOut = true;
          run.stop();
        } else if (back) {
          later.push(back);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: width }, worker));
    } finally {
      if (claiming) await (claiming as Promise<void>).catch(() => undefined);
      // Claimed but never sent (the run stopped): back to queued, this try not counted.
      for (const t of claimed.splice(0)) this.requeue(run, job, t.item, { tries: t.item.tries - 1 });
      await this.flushed(run);
    }
    if (signedOut) return 'signed-out';
    if (run.stopped) return 'stopped';
    return 'drained';
  }

  private backoff(tries: number): number {
    const base = this.deps.backoffBaseMs ?? 500;
    const cap = Math.min(base * 16, base * 2 ** Math.max(0, tries - 1));
    return Math.round(cap / 2 + this.random() * (cap / 2));
  }

  /** Sends one cancel. Returns the task to retry later, 'signed-out', or null when settled. */
  private async attempt(run: Run, job: Job, task: Task): Promise<Task | 'signed-out' | null> {
    let sending = task.item;
    if (!task.claimed) {
      sending = this.sendingOf(task.item);
      this.stage(run, job, sending);
      await this.flushed(run); // durable before the request
    }
    run.active.add(sending.inviteId);
    let r: Awaited<ReturnType<PortalClient['cancel']>>;
    try {
      r = await this.deps.client(job.origin).cancel(sending.inviteId);
    } finally {
      run.active.delete(sending.inviteId);
    }
    if (r.ok) return this.finish(run, job, sending, 'revoked', null);
    const e = r.error;
    switch (e.kind) {
      case 'not-pending':
        if (e.status === 'accepted')
          return this.finish(run, job, sending, 'kept-accepted', 'Accepted by the learner: kept.');
        if (e.status === 'expired') return this.finish(run, job, sending, 'already-expired', null);
        return this.finish(
          run,
          job,
          sending,
          'revoked',
          sending.answerLost
            ? 'Confirmed cancelled after an earlier answer was lost.'
            : 'The portal reported it cancelled (pending when this revoke began; the answer to its request was lost and re-sent).',
        );
      case 'not-found':
        return this.finish(run, job, sending, 'not-found', e.message);
      case 'signed-out':
        this.requeue(run, job, sending, { tries: sending.tries - 1 });
        await this.signOut(job);
        return 'signed-out';
      case 'rate-limited': {
        const item = this.requeue(run, job, sending, { tries: sending.tries - 1 });
        return { item, due: this.deps.now() + (e.retryAfterMs ?? 1000), recheck: false, recheckFails: 0 };
      }
      case 'server-error':
      case 'network-error':
      case 'timeout':
      case 'malformed': {
        const item: JobItem = { ...sending, answerLost: true, error: e.message, updatedAt: this.deps.now() };
        this.stage(run, job, item);
        return { item, due: this.deps.now() + this.backoff(item.tries), recheck: true, recheckFails: 0 };
      }
      default:
        return this.finish(run, job, sending, 'failed', e.message);
    }
  }

  /** Re-reads an invite whose cancel answer was lost, to learn whether the cancel applied. */
  private async recheck(
    run: Run,
    job: Job,
    task: Task,
    mode: 'run' | 'settle',
  ): Promise<Task | 'signed-out' | null> {
    const item: JobItem = task.item.answerLost ? task.item : { ...task.item, answerLost: true };
    run.active.add(item.inviteId);
    let r: Awaited<ReturnType<PortalClient['learnerInvites']>>;
    try {
      r = await this.deps.client(job.origin).learnerInvites(item.learnerId);
    } finally {
      run.active.delete(item.inviteId);
    }
    if (!r.ok) {
      const e = r.error;
      if (e.kind === 'signed-out') {
        if (mode === 'run') await this.signOut(job);
        return 'signed-out';
      }
      if (e.kind === 'rate-limited')
        return { ...task, item, due: this.deps.now() + (e.retryAfterMs ?? 1000) };
      const fails = task.recheckFails + 1;
      if (fails >= this.maxTries) {
        return this.finish(
          run,
          job,
          item,
          'failed',
          `The answer was lost and the invite's state could not be read: ${e.message}`,
        );
      }
      return { ...task, item, due: this.deps.now() + this.backoff(fails), recheckFails: fails };
    }
    const invite = r.value.find((i) => i.id === item.inviteId);
    if (!invite) return this.finish(run, job, item, 'not-found', 'The portal no longer lists this invite.');
    switch (invite.status) {
      case 'cancelled':
        return this.finish(
          run,
          job,
          item,
          'revoked',
          'Confirmed cancelled on re-read (the answer was lost).',
        );
      case 'expired':
        return this.finish(run, job, item, 'already-expired', null);
      case 'accepted':
        return this.finish(run, job, item, 'kept-accepted', 'Accepted by the learner: kept.');
      default:
        break;
    }
    // Still pending: the cancel did not apply.
    if (mode === 'settle') {
      const current = await this.db.jobs.get(job.id);
      if (current?.state === 'cancelled') return this.finish(run, job, item, 'skipped', null);
      this.requeue(run, job, item, {});
      return null;
    }
    if (item.tries >= this.maxTries) {
      return this.finish(
        run,
        job,
        item,
        'failed',
        `Gave up after ${item.tries} tries: ${item.error ?? 'no answer'}`,
      );
    }
    const queued = this.requeue(run, job, item, {});
    return { item: queued, due: this.deps.now(), recheck: false, recheckFails: 0 };
  }

  private requeue(run: Run, job: Job, item: JobItem, patch: Partial<JobItem>): JobItem {
    const next: JobItem = { ...item, ...patch, state: 'queued', updatedAt: this.deps.now() };
    this.stage(run, job, next);
    return next;
  }

  private sendingOf(item: JobItem): JobItem {
    return { ...item, state: 'in-flight', tries: item.tries + 1, updatedAt: this.deps.now() };
  }

  private async signOut(job: Job): Promise<void> {
    const changed = await this.transition(job.id, ['running'], {
      state: 'signed-out',
      message: SIGNED_OUT_MESSAGE,
    });
    if (changed) this.notify(job.id, true);
  }

  /**
   * Records an outcome. The write is staged for the run's next commit, not awaited: until it
   * commits the item is still 'in-flight' in the database, so a worker stopped meanwhile
   * re-checks it on resume (never counted twice). Its audit entry commits with it.
   */
  private finish(run: Run, job: Job, item: JobItem, state: ItemState, detail: string | null): null {
    this.stage(run, job, { ...item, state, error: detail, updatedAt: this.deps.now() });
    return null;
  }

  /** Stages an item write (and, for an outcome, its audit entry) and starts a commit. */
  private stage(run: Run, job: Job, item: JobItem): void {
    run.dirty.set(item.inviteId, item);
    run.next ??= newCommit();
    if (FINAL_ITEM_STATES.includes(item.state)) {
      if (item.state !== 'skipped') run.audits.push(this.auditEntry(job, item));
      run.finals.push(item);
    }
    this.commitSoon(run, job);
  }

  private commitSoon(run: Run, job: Job): void {
    this.flush(run, job).catch((err) => {
      run.writeError ??= err;
      run.stop();
    });
  }

  /**
   * Group commit: one transaction writes everything staged; what is staged meanwhile goes in
   * the next one. Resolves once nothing staged is left uncommitted.
   */
  private flush(run: Run, job: Job): Promise<void> {
    run.writing ??= (async () => {
      while (run.dirty.size > 0) {
        const commit = run.next ?? newCommit();
        run.next = null;
        run.current = commit;
        const items = [...run.dirty.values()];
        const audits = run.audits.splice(0);
        const finals = run.finals.splice(0);
        run.dirty.clear();
        try {
          await this.db.transaction('rw', this.db.jobItems, this.db.audit, async () => {
            await this.db.jobItems.bulkPut(items);
            if (audits.length > 0) await this.db.audit.bulkAdd(audits);
          });
        } catch (err) {
          run.writeError ??= err;
          commit.settle(err);
          // Whatever was staged during this transaction fails with it (TS narrowed `next` to null).
          (run.next as Commit | null)?.settle(err);
          run.next = null;
          throw err;
        } finally {
          run.current = null;
        }
        commit.settle();
        if (finals.length > 0) {
          this.afterFinal(job.origin, finals);
          this.notify(job.id);
        }
      }
    })().finally(() => {
      run.writing = null;
      // Staged after the last loop check, before this settled.
      if (run.dirty.size > 0 && !run.writeError) this.commitSoon(run, job);
    });
    return run.writing;
  }

  /**
   * Waits until every write staged so far is committed (only the transactions that hold them,
   * not what others stage meanwhile); rethrows a failed commit.
   */
  private async flushed(run: Run): Promise<void> {
    if (run.writeError) throw run.writeError;
    const last = run.next ?? run.current;
    if (last) await last.done;
    if (run.writeError) throw run.writeError;
  }

  private sideChain: Promise<void> = Promise.resolve();
  private sideBusy = 0;

  /** Tells the cache of committed outcomes (one commit's worth), in order, off the request path. */
  private afterFinal(origin: string, items: JobItem[]): void {
    const onItemsFinal = this.deps.onItemsFinal;
    if (!onItemsFinal) return;
    this.sideBusy++;
    this.sideChain = this.sideChain
      .then(() => onItemsFinal(origin, items))
      .catch((err) => console.error('Reclaim: outcome side effect', items.length, 'items', err))
      .finally(() => {
        this.sideBusy--;
      });
  }

  private auditEntry(job: Job, item: JobItem): AuditEntry {
    return {
      at: this.deps.now(),
      origin: job.origin,
      jobId: job.id,
      surface: job.surface,
      inviteId: item.inviteId,
      learnerName: item.learnerName,
      learnerEmail: item.learnerEmail,
      courseId: item.courseId,
      courseTitle: item.courseTitle,
      outcome: item.state as AuditOutcome,
      detail: item.error,
    };
  }

  /** Items that were final from the start (explicit ids not pending) enter the audit log once the job starts. */
  private async auditFinalAtStart(job: Job): Promise<void> {
    const items = await this.db.jobItems.where('jobId').equals(job.id).toArray();
    const entries = items
      .filter(
        (i) => i.tries === 0 && i.state !== 'queued' && i.state !== 'in-flight' && i.state !== 'skipped',
      )
      .map((i) => this.auditEntry(job, i));
    if (entries.length > 0) await this.db.audit.bulkAdd(entries);
  }

  /** Conditional state change in one transaction: only from one of `from`. */
  private async transition(
    jobId: number,
    from: JobState[],
    patch: Partial<Job>,
    alsoInTx?: () => Promise<void>,
  ): Promise<Job | null> {
    return this.db.transaction('rw', this.db.jobs, this.db.jobItems, this.db.audit, async () => {
      const job = await this.db.jobs.get(jobId);
      if (!job || !from.includes(job.state)) return null;
      const next: Job = { ...job, ...patch };
      if (patch.state === 'running') next.finishedAt = null;
      if (patch.state === 'undone') next.finishedAt = this.deps.now();
      await this.db.jobs.put(next);
      await alsoInTx?.();
      return next;
    });
  }

  /** Progress to views: at once for state changes, else at most every `interval` ms per job. */
  private notify(jobId: number, immediate = false): void {
    if (!this.deps.onView) return;
    let t = this.throttle.get(jobId);
    if (!t) {
      t = { last: 0, scheduled: false, seq: 0, emitted: 0 };
      this.throttle.set(jobId, t);
    }
    const now = this.deps.now();
    const since = now - t.last;
    if (immediate || since >= this.interval) {
      t.last = now;
      void this.emit(jobId, t);
    } else if (!t.scheduled) {
      t.scheduled = true;
      const state = t;
      void this.deps.sleep(this.interval - since).then(() => {
        state.scheduled = false;
        state.last = this.deps.now();
        void this.emit(jobId, state);
      });
    }
  }

  private readonly emitting = new Set<Promise<void>>();

  private emit(jobId: number, t: { seq: number; emitted: number }): Promise<void> {
    const p = this.emitView(jobId, t).finally(() => this.emitting.delete(p));
    this.emitting.add(p);
    return p;
  }

  private async emitView(jobId: number, t: { seq: number; emitted: number }): Promise<void> {
    const seq = ++t.seq;
    const job = await this.db.jobs.get(jobId);
    if (!job) return;
    const view = await buildView(this.db, job);
    if (seq < t.emitted) return; // a newer view went out already
    t.emitted = seq;
    this.deps.onView?.(view);
  }
}
