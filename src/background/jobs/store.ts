/**
 * Every Dexie read and write of jobs, their items and the audit log. State changes are
 * conditional (only from the states named) and each is one transaction, so a control racing the
 * engine, or a worker stopped halfway, never leaves a job between two states.
 *
 * A run's item writes are grouped (ItemWrites): one transaction takes everything staged while the
 * previous one ran, and `written()` is the one way to wait until a write is durable.
 */
import type { ReclaimDb } from '../../shared/db';
import { ITEM_STATES, isFinalItem, SELF_DRIVEN_JOB_STATES } from '../../shared/job-states';
import type {
  AuditEntry,
  AuditOutcome,
  ItemState,
  Job,
  JobItem,
  JobState,
  JobView,
} from '../../shared/types';
import { failuresOf, freedBy, inviteLines, seatsByCourse, toCounts } from './view';

export type NewItem = Omit<JobItem, 'jobId'>;

export class JobStore {
  constructor(
    private readonly db: ReclaimDb,
    private readonly now: () => number,
  ) {}

  job(jobId: number): Promise<Job | undefined> {
    return this.db.jobs.get(jobId);
  }

  /** The newest jobs first (at most `limit`). */
  newest(limit: number): Promise<Job[]> {
    return this.db.jobs.orderBy('createdAt').reverse().limit(limit).toArray();
  }

  /** Writes a job and every item in one transaction; a job with nothing to send is audited at once. */
  create(job: Omit<Job, 'id'>, items: readonly NewItem[], nothingToSend: boolean): Promise<number> {
    return this.db.transaction('rw', this.db.jobs, this.db.jobItems, this.db.audit, async () => {
      const jobId = (await this.db.jobs.add(job as Job)) as number;
      await this.db.jobItems.bulkAdd(items.map((i) => ({ ...i, jobId })));
      if (nothingToSend) await this.auditFinalAtStart({ ...job, id: jobId } as Job);
      return jobId;
    });
  }

  /**
   * Conditional state change in one transaction: only from one of `from`, else null. `alsoInTx`
   * writes items (or the audit) in the same transaction.
   */
  transition(
    jobId: number,
    from: readonly JobState[],
    patch: Partial<Job>,
    alsoInTx?: (job: Job) => Promise<void>,
  ): Promise<Job | null> {
    return this.db.transaction('rw', this.db.jobs, this.db.jobItems, this.db.audit, async () => {
      const job = await this.db.jobs.get(jobId);
      if (!job || !from.includes(job.state)) return null;
      const next: Job = { ...job, ...patch };
      if (patch.state === 'running') next.finishedAt = null;
      if (patch.state === 'undone') next.finishedAt = this.now();
      await this.db.jobs.put(next);
      await alsoInTx?.(job);
      return next;
    });
  }

  /** Queued items become skipped (inside a transition: the job was undone or cancelled). */
  skipQueued(jobId: number): Promise<number> {
    return this.items(jobId, 'queued').modify({ state: 'skipped', updatedAt: this.now() });
  }

  /**
   * Failed items go again with their tries reset (inside a transition: Retry failed). One whose
   * last answer was lost may have applied: it goes back in flight, so the portal is re-read for
   * it before anything is sent (an invite must never go out twice).
   */
  requeueFailed(jobId: number): Promise<number> {
    const now = this.now();
    return this.items(jobId, 'failed').modify((item: JobItem) => {
      item.state = item.answerLost ? 'in-flight' : 'queued';
      item.tries = 0;
      item.error = null;
      item.updatedAt = now;
    });
  }

  countItems(jobId: number, state: ItemState): Promise<number> {
    return this.items(jobId, state).count();
  }

  /** Items of a job in any of `states`. */
  itemsIn(jobId: number, states: readonly ItemState[]): Promise<JobItem[]> {
    return this.db.jobItems
      .where('[jobId+state]')
      .anyOf(states.map((s) => [jobId, s]))
      .toArray();
  }

  /** Items of a job in any of `states`, counted. */
  countIn(jobId: number, states: readonly ItemState[]): Promise<number> {
    return this.db.jobItems
      .where('[jobId+state]')
      .anyOf(states.map((s) => [jobId, s]))
      .count();
  }

  /** Jobs in any of `states`. */
  jobsIn(states: readonly JobState[]): Promise<Job[]> {
    return this.db.jobs.where('state').anyOf(states).toArray();
  }

  /** Whether a job the engine moves on by itself exists (so the alarm must stay). */
  async hasSelfDriven(): Promise<boolean> {
    return (await this.db.jobs.where('state').anyOf(SELF_DRIVEN_JOB_STATES).count()) > 0;
  }

  /**
   * A cancelled job whose in-flight items are all settled: its queued items are skipped and it
   * gets its finishedAt, once. Null while an item is still in flight, or when already finished.
   */
  finishCancelled(jobId: number): Promise<Job | null> {
    return this.db.transaction('rw', this.db.jobs, this.db.jobItems, async () => {
      await this.skipQueued(jobId);
      const open = await this.countItems(jobId, 'in-flight');
      const job = await this.db.jobs.get(jobId);
      if (open > 0 || !job || job.state !== 'cancelled' || job.finishedAt !== null) return null;
      const finished = { ...job, finishedAt: this.now() };
      await this.db.jobs.put(finished);
      return finished;
    });
  }

  /** Items that were final from the start (explicit ids not pending) enter the audit log once the job starts. */
  async auditFinalAtStart(job: Job): Promise<void> {
    const items = await this.db.jobItems.where('jobId').equals(job.id).toArray();
    const at = this.now();
    const entries = items
      .filter((i) => i.tries === 0 && isFinalItem(i.state) && i.state !== 'skipped')
      .map((i) => auditEntry(job, i, at));
    if (entries.length > 0) await this.db.audit.bulkAdd(entries);
  }

  /** What views show of a job: counts always, seats and failures once it stops moving. */
  async view(job: Job): Promise<JobView> {
    // One read transaction for all the counts, not one each.
    const n = await this.db.transaction('r', this.db.jobItems, () =>
      Promise.all(ITEM_STATES.map((s) => this.countItems(job.id, s))),
    );
    const counts = toCounts(
      Object.fromEntries(ITEM_STATES.map((s, k) => [s, n[k] ?? 0])) as Record<ItemState, number>,
    );
    const view: JobView = { job, counts, seatsReturnedByCourse: [], failures: [] };
    if (job.state === 'running' || job.state === 'waiting') return view;
    if (job.reason) {
      // A job that invites: every item, once, for its lines (the seats it freed are among them).
      const items = await this.db.jobItems.where('jobId').equals(job.id).toArray();
      view.seatsReturnedByCourse = seatsByCourse(items.filter(freedBy));
      view.failures = failuresOf(items.filter((i) => i.state === 'failed'));
      view.lines = inviteLines(items);
      return view;
    }
    view.seatsReturnedByCourse = seatsByCourse(await this.items(job.id, 'revoked').toArray());
    view.failures = failuresOf(await this.items(job.id, 'failed').toArray());
    return view;
  }

  /** The audit log, oldest first. */
  auditLog(): Promise<AuditEntry[]> {
    return this.db.audit.orderBy('at').toArray();
  }

  /** The grouped item writes of one run of `job`. */
  writes(job: Job, hooks: WriteHooks): ItemWrites {
    return new ItemWrites(this.db, job, this.now, hooks);
  }

  private items(jobId: number, state: ItemState) {
    return this.db.jobItems.where('[jobId+state]').equals([jobId, state]);
  }
}

/** The outcome of an item's first request, when it has a second (cancel-then-invite). */
export interface PhaseOutcome {
  outcome: AuditOutcome;
  detail: string | null;
}

/**
 * The audit entry of an item's outcome, or of its first request's (`phase`): a cancel names the
 * invite and its learner; an invite names the address and the invite created, if any.
 */
function auditEntry(job: Job, item: JobItem, at: number, phase?: PhaseOutcome): AuditEntry {
  const invites = !phase && (item.kind === 'invite' || item.phase === 'invite');
  const entry: AuditEntry = {
    at,
    origin: job.origin,
    jobId: job.id,
    surface: job.surface,
    inviteId: invites ? (item.newInviteId ?? '') : item.inviteId,
    learnerName: invites ? (item.email ?? '') : item.learnerName,
    learnerEmail: invites ? (item.email ?? '') : item.learnerEmail,
    courseId: item.courseId,
    courseTitle: item.courseTitle,
    outcome: phase?.outcome ?? (item.state as AuditOutcome),
    detail: phase ? phase.detail : item.error,
    action: invites ? 'invite' : 'cancel',
  };
  if (job.reason) entry.reason = job.reason;
  return entry;
}

interface WriteHooks {
  /** Items reached their outcome and are committed (in the order they finished). */
  committed(finals: JobItem[]): void;
  /** A commit failed: the run must stop; every later `written()` rethrows it. */
  failed(error: unknown): void;
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
  done.catch(() => undefined); // a failure is also kept in `failure`
  return { done, settle };
}

/**
 * A run's item writes, grouped: the first write staged starts a transaction at once; whatever is
 * staged while it runs goes into the next one (latest write per item), with the audit entries of
 * the outcomes among them.
 */
export class ItemWrites {
  /** Item writes not yet committed (latest per invite), and audit entries for them. */
  private readonly dirty = new Map<string, JobItem>();
  private readonly audits: AuditEntry[] = [];
  /** Outcomes in `dirty`, announced once committed. */
  private readonly finals: JobItem[] = [];
  /** The commit loop in progress, if any. */
  private writing: Promise<void> | null = null;
  /** The commit that will take what is staged now (settles once that transaction has). */
  private next: Commit | null = null;
  /** The commit whose transaction is running. */
  private current: Commit | null = null;
  /** A commit failed: every later wait rethrows it. */
  private failure: unknown = null;

  constructor(
    private readonly db: ReclaimDb,
    private readonly job: Job,
    private readonly now: () => number,
    private readonly hooks: WriteHooks,
  ) {}

  /**
   * Stages an item write (and, for an outcome, its audit entry; for the end of its first request,
   * `phase`, that one's) and starts a commit.
   */
  stage(item: JobItem, phase?: PhaseOutcome): void {
    this.dirty.set(item.inviteId, item);
    this.next ??= newCommit();
    if (phase) this.audits.push(auditEntry(this.job, item, this.now(), phase));
    if (isFinalItem(item.state)) {
      if (item.state !== 'skipped') this.audits.push(auditEntry(this.job, item, this.now()));
      this.finals.push(item);
    }
    this.commitSoon();
  }

  /**
   * Waits until every write staged so far is committed (only the transactions that hold them,
   * not what others stage meanwhile); rethrows a failed commit.
   */
  async written(): Promise<void> {
    if (this.failure) throw this.failure;
    const last = this.next ?? this.current;
    if (last) await last.done;
    if (this.failure) throw this.failure;
  }

  private commitSoon(): void {
    this.commit().catch((err) => {
      this.failure ??= err;
      this.hooks.failed(err);
    });
  }

  /**
   * One transaction writes everything staged; what is staged meanwhile goes in the next one.
   * Resolves once nothing staged is left uncommitted.
   */
  private commit(): Promise<void> {
    this.writing ??= (async () => {
      while (this.dirty.size > 0) {
        const commit = this.next ?? newCommit();
        this.next = null;
        this.current = commit;
        const items = [...this.dirty.values()];
        const audits = this.audits.splice(0);
        const finals = this.finals.splice(0);
        this.dirty.clear();
        try {
          await this.db.transaction('rw', this.db.jobItems, this.db.audit, async () => {
            await this.db.jobItems.bulkPut(items);
            if (audits.length > 0) await this.db.audit.bulkAdd(audits);
          });
        } catch (err) {
          this.failure ??= err;
          commit.settle(err);
          // Whatever was staged during this transaction fails with it (TS narrowed `next` to null).
          (this.next as Commit | null)?.settle(err);
          this.next = null;
          throw err;
        } finally {
          this.current = null;
        }
        commit.settle();
        if (finals.length > 0) this.hooks.committed(finals);
      }
    })().finally(() => {
      this.writing = null;
      // Staged after the last loop check, before this settled.
      if (this.dirty.size > 0 && !this.failure) this.commitSoon();
    });
    return this.writing;
  }
}
