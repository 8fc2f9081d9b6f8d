/**
 * Every Dexie read and write of jobs, their items and the audit log. State changes are
 * conditional (only from the states named) and each is one transaction, so a control racing the
 * engine, or a worker stopped halfway, never leaves a job between two states.
 *
 * A run's item writes are grouped (ItemWrites): one transaction takes everything staged while the
 * previous one ran, and `written()` is the one way to wait until a write is durable.
 *
 * Every write of items updates the job's tally (its items counted, on its row) in the same
 * transaction, so a view costs one read however large the job (prune.ts relies on it).
 */
import type { ReclaimDb } from '../../shared/db';
import { ITEM_STATES, isFinalItem, SELF_DRIVEN_JOB_STATES } from '../../shared/job-states';
import { retally, stateCounts, tallyOf } from '../../shared/job-tally';
import type {
  AuditEntry,
  AuditOutcome,
  ItemState,
  Job,
  JobItem,
  JobState,
  JobTally,
  JobView,
} from '../../shared/types';
import { failuresOf, seatsFromTally, toCounts } from './view';

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
      const jobId = (await this.db.jobs.add({ ...job, tally: tallyOf(items) } as Job)) as number;
      await this.db.jobItems.bulkAdd(items.map((i) => ({ ...i, jobId })));
      if (nothingToSend) await this.auditFinalAtStart({ ...job, id: jobId } as Job);
      return jobId;
    });
  }

  /**
   * Conditional state change in one transaction: only from one of `from`, else null. `alsoInTx`
   * writes items (or the audit) in the same transaction, the tally with them (`retally`).
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
      if (!alsoInTx) return next;
      await alsoInTx(job);
      return (await this.db.jobs.get(jobId)) ?? next;
    });
  }

  /** Queued items become skipped (inside a transition: the job was undone or cancelled). */
  skipQueued(jobId: number): Promise<number> {
    const now = this.now();
    return this.rewrite(jobId, 'queued', (i) => ({ ...i, state: 'skipped', updatedAt: now }));
  }

  /** Failed items are queued again with their tries reset (inside a transition: Retry failed). */
  requeueFailed(jobId: number): Promise<number> {
    const now = this.now();
    return this.rewrite(jobId, 'failed', (i) => ({
      ...i,
      state: 'queued',
      tries: 0,
      error: null,
      updatedAt: now,
    }));
  }

  /** Rewrites a job's items in one state, and its tally with them (inside the caller's transaction). */
  private async rewrite(
    jobId: number,
    state: ItemState,
    change: (item: JobItem) => JobItem,
  ): Promise<number> {
    const before = await this.items(jobId, state).toArray();
    if (before.length === 0) return 0;
    const after = before.map(change);
    await this.db.jobItems.bulkPut(after);
    await this.retally(
      jobId,
      before.map((b, k) => ({ before: b, after: after[k] as JobItem })),
    );
    return before.length;
  }

  /**
   * The job's tally after `writes` of its items (inside the caller's transaction, which wrote
   * them). A job without a tally yet is counted from its items, which already hold the writes.
   */
  private async retally(
    jobId: number,
    writes: { before: JobItem | undefined; after: JobItem }[],
  ): Promise<void> {
    const job = await this.db.jobs.get(jobId);
    if (!job) return;
    const tally = job.tally ? retally(job.tally, writes) : await this.recount(jobId);
    await this.db.jobs.put({ ...job, tally });
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

  /** Up to `limit` queued items of a job, in invite id order, after `after` (from the first when null). */
  queuedAfter(jobId: number, after: string | null, limit: number): Promise<JobItem[]> {
    return (
      this.db.jobItems
        .where('[jobId+inviteId]')
        // Every key of this job sorts below the next job's first possible one.
        .between([jobId, after ?? ''], [jobId + 1, ''], after === null, false)
        .filter((i) => i.state === 'queued')
        .limit(limit)
        .toArray()
    );
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
    // Only final states, from the index: the queued items, however many, are not read.
    const items = await this.itemsIn(job.id, ITEM_STATES.filter(isFinalItem));
    const at = this.now();
    const entries = items
      .filter((i) => i.tries === 0 && i.state !== 'skipped')
      .map((i) => auditEntry(job, i, at));
    if (entries.length > 0) await this.db.audit.bulkAdd(entries);
  }

  /**
   * What views show of a job: counts always, seats and failures once it stops moving. From the
   * job's tally: only failed items are read (a job written before tallies is counted).
   */
  async view(job: Job): Promise<JobView> {
    const tally = job.tally ?? (await this.recount(job.id));
    const view: JobView = {
      job,
      counts: toCounts(stateCounts(tally)),
      seatsReturnedByCourse: [],
      failures: [],
    };
    if (job.state === 'running' || job.state === 'waiting') return view;
    view.seatsReturnedByCourse = seatsFromTally(tally);
    if (view.counts.failed > 0) view.failures = failuresOf(await this.items(job.id, 'failed').toArray());
    return view;
  }

  /** A job's items counted from scratch: for a job written before tallies existed. */
  private async recount(jobId: number): Promise<JobTally> {
    return tallyOf(await this.db.jobItems.where('jobId').equals(jobId).toArray());
  }

  /** The audit log, oldest first. */
  auditLog(): Promise<AuditEntry[]> {
    return this.db.audit.orderBy('at').toArray();
  }

  /** The grouped item writes of one run of `job`. */
  writes(job: Job, hooks: WriteHooks): ItemWrites {
    return new ItemWrites(this.db, job, this.now, hooks, (jobId) => this.recount(jobId));
  }

  private items(jobId: number, state: ItemState) {
    return this.db.jobItems.where('[jobId+state]').equals([jobId, state]);
  }
}

function auditEntry(job: Job, item: JobItem, at: number): AuditEntry {
  return {
    at,
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
    /** Counts a job's items from the index (a job written before tallies: once, then kept in step). */
    private readonly recount: (jobId: number) => Promise<JobTally>,
  ) {}

  /** Stages an item write (and, for an outcome, its audit entry) and starts a commit. */
  stage(item: JobItem): void {
    this.dirty.set(item.inviteId, item);
    this.next ??= newCommit();
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
          await this.db.transaction('rw', this.db.jobs, this.db.jobItems, this.db.audit, async () => {
            const before = await this.db.jobItems.bulkGet(items.map((i) => [i.jobId, i.inviteId]));
            const job = await this.db.jobs.get(this.job.id);
            await this.db.jobItems.bulkPut(items);
            if (audits.length > 0) await this.db.audit.bulkAdd(audits);
            if (!job) return;
            // The tally follows the items: from each one's stored state to its new one.
            const tally = job.tally
              ? retally(
                  job.tally,
                  items.map((after, k) => ({ before: before[k], after })),
                )
              : await this.recount(job.id);
            await this.db.jobs.put({ ...job, tally });
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
