/**
 * A run's item writes, grouped: one transaction takes everything staged while the previous one
 * ran, with the audit entries of the outcomes among them and the job's tally kept in step, and
 * `written()` is the one way to wait until a write is durable.
 */
import type { ReclaimDb } from '../../shared/db';
import { isFinalItem } from '../../shared/job-states';
import { retally } from '../../shared/job-tally';
import type { AuditEntry, AuditOutcome, Job, JobItem, JobTally } from '../../shared/types';

/** The outcome of an item's first request, when it has a second (cancel-then-invite). */
export interface PhaseOutcome {
  outcome: AuditOutcome;
  detail: string | null;
}

/**
 * The audit entry of an item's outcome, or of its first request's (`phase`): a cancel names the
 * invite and its learner; an invite names the address and the invite created, if any.
 */
export function auditEntry(job: Job, item: JobItem, at: number, phase?: PhaseOutcome): AuditEntry {
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

export interface WriteHooks {
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
