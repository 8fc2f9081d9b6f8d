/**
 * Every Dexie read and write of jobs, their items and the audit log (holds.ts reads, inside
 * these transactions, which invites other jobs hold). State changes are
 * conditional (only from the states named) and each is one transaction, so a control racing the
 * engine, or a worker stopped halfway, never leaves a job between two states.
 *
 * A run's item writes are grouped (item-writes.ts).
 *
 * Every write of items updates the job's tally (its items counted, on its row) in the same
 * transaction, so a view costs one read however large the job (prune.ts relies on it).
 */
import type { ReclaimDb } from '../../shared/db';
import { ITEM_STATES, isFinalItem, SELF_DRIVEN_JOB_STATES } from '../../shared/job-states';
import { retally, stateCounts, tallyOf } from '../../shared/job-tally';
import type { AuditEntry, ItemState, Job, JobItem, JobState, JobTally, JobView } from '../../shared/types';
import { findHolders, heldLines } from './holds';
import { heldItem } from './invite-items';
import { auditEntry, ItemWrites, type WriteHooks } from './item-writes';
import { failuresOf, inviteLines, seatsFromTally, toCounts } from './view';

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

  /**
   * Writes a job and its items in one transaction. Invites (and, for a job that invites,
   * addresses) another job holds (holds.ts; `since`: when the job's scope was read) are left to
   * it: a revoke leaves them out and names the holders on the job; a job that invites keeps a
   * line for each, decided and never sent (invite-items.ts). A job left with nothing to send is
   * done, and audited, at once.
   */
  create(
    job: Omit<Job, 'id'>,
    items: readonly NewItem[],
    since: number,
  ): Promise<{ jobId: number; toSend: number }> {
    return this.db.transaction('rw', this.db.jobs, this.db.jobItems, this.db.audit, async () => {
      const queued = items.filter((i) => i.state === 'queued');
      const holders = await findHolders(this.db, job.origin, queued, since, null);
      const heldBy = (i: NewItem) => (i.state === 'queued' ? holders.get(i.inviteId) : undefined);
      const mine = job.reason
        ? items.map((i) => {
            const holder = heldBy(i);
            return holder ? heldItem(i, holder) : i;
          })
        : items.filter((i) => !heldBy(i));
      const toSend = mine.filter((i) => i.state === 'queued').length;
      const row: Omit<Job, 'id'> = { ...job, tally: tallyOf(mine) };
      if (holders.size > 0 && !job.reason) row.heldByOthers = heldLines(holders);
      if (toSend === 0) Object.assign(row, { state: 'done', finishedAt: job.finishedAt ?? this.now() });
      const jobId = (await this.db.jobs.add(row as Job)) as number;
      await this.db.jobItems.bulkAdd(mine.map((i) => ({ ...i, jobId })));
      if (toSend === 0) await this.auditFinalAtStart({ ...row, id: jobId } as Job);
      return { jobId, toSend };
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

  /** Which of `inviteIds` other jobs of `origin` hold now (holds.ts), for a preview. */
  holders(origin: string, inviteIds: readonly string[], since: number): Promise<Map<string, Job>> {
    return this.db.transaction('r', this.db.jobs, this.db.jobItems, () =>
      findHolders(
        this.db,
        origin,
        inviteIds.map((inviteId) => ({ inviteId })),
        since,
        null,
      ),
    );
  }

  /** Queued items become skipped (inside a transition: the job was undone or cancelled). */
  skipQueued(jobId: number): Promise<number> {
    const now = this.now();
    return this.rewrite(jobId, 'queued', (i) => ({ ...i, state: 'skipped', updatedAt: now }));
  }

  /**
   * Failed items go again with their tries reset (inside a transition: Retry failed), except
   * those another job holds now (holds.ts): that job sends for them, this one stays failed. One
   * whose last answer was lost may have applied: it goes back in flight, so the portal is re-read
   * for it before anything is sent (an invite must never go out twice).
   */
  async requeueFailed(job: Job): Promise<number> {
    const failed = await this.items(job.id, 'failed').toArray();
    if (failed.length === 0) return 0;
    const since = Math.min(...failed.map((i) => i.updatedAt));
    const holders = await findHolders(this.db, job.origin, failed, since, job.id);
    const now = this.now();
    return this.rewrite(job.id, 'failed', (i) =>
      holders.has(i.inviteId)
        ? null
        : { ...i, state: i.answerLost ? 'in-flight' : 'queued', tries: 0, error: null, updatedAt: now },
    );
  }

  /**
   * Rewrites a job's items in one state (those `change` returns a new item for), and its tally
   * with them (inside the caller's transaction).
   */
  private async rewrite(
    jobId: number,
    state: ItemState,
    change: (item: JobItem) => JobItem | null,
  ): Promise<number> {
    const writes: { before: JobItem; after: JobItem }[] = [];
    for (const before of await this.items(jobId, state).toArray()) {
      const after = change(before);
      if (after) writes.push({ before, after });
    }
    if (writes.length === 0) return 0;
    await this.db.jobItems.bulkPut(writes.map((w) => w.after));
    await this.retally(jobId, writes);
    return writes.length;
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
    if (job.reason) {
      // A job that invites: its items, once, for its lines (a line per address).
      const items = await this.db.jobItems.where('jobId').equals(job.id).toArray();
      view.failures = failuresOf(items.filter((i) => i.state === 'failed'));
      view.lines = inviteLines(items);
      return view;
    }
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
