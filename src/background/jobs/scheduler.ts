/**
 * The worker pool of one pass over a job: `width` workers take due tasks until none is left or
 * the run stops. It knows nothing of the portal: it hands each task to `execute` and gets back
 * done (null), the task to take again at its `due` time, or 'signed-out'.
 *
 * Claim-ahead: a fresh item may only be sent once its 'in-flight' state (with the try counted) is
 * durable, and waiting for that write before each send would put a commit between every two
 * requests. So fresh items are claimed in batches of `width` (one grouped write per batch), and
 * the next batch is claimed while the current one is being sent, keeping about one claimed item
 * per worker in reserve: no worker waits for a commit. Fresh items are asked for a batch at a
 * time, so a pass holds a few batches in memory, not the whole job.
 */
import type { JobItem } from '../../shared/types';

export interface Task {
  item: JobItem;
  /** Its 'in-flight' state (with this try counted) is committed: its request may be sent. */
  claimed?: boolean;
  /** When it may be taken (extension clock, ms). */
  due: number;
  /** Its answer was lost (or it was found in flight): re-read the portal before anything is sent. */
  settle: boolean;
  /** Re-reads of it that failed in this pass. */
  settleFails: number;
}

/** What a task came to: done (null), taken again at its `due` time, or the manager is signed out. */
export type TaskResult = Task | 'signed-out' | null;

export type PassEnd = 'drained' | 'stopped' | 'signed-out';

export interface PoolRun {
  readonly stopped: boolean;
  /** Aborts (without error) when the run is kicked or stopped: a sleeping worker wakes. */
  readonly signal: AbortSignal;
  stop(): void;
}

interface Pool {
  run: PoolRun;
  width: number;
  /** The next `n` queued items, in order (fewer only when none are left): claimed before they are sent. */
  fresh(n: number): Promise<Task[]>;
  /** Tasks taken at their `due` time (re-reads, and retries). */
  later: Task[];
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Marks a batch in flight; resolves once that is durable (rejects when the write failed). */
  claim(batch: Task[]): Promise<void>;
  execute(task: Task): Promise<TaskResult>;
  /** Claimed but never sent (the run stopped): back to queued; resolves once every write is durable. */
  release(unsent: Task[]): Promise<void>;
}

export async function runPool(pool: Pool): Promise<PassEnd> {
  const { run, width, later } = pool;
  /** No fresh item is left to claim. */
  let exhausted = false;
  let signedOut = false;
  /** Fresh items marked in flight (one transaction per batch), not yet sent. */
  const claimed: Task[] = [];
  let claiming: Promise<void> | null = null;
  const claim = (): Promise<void> => {
    claiming ??= (async () => {
      const batch = await pool.fresh(width);
      if (batch.length < width) exhausted = true;
      if (batch.length === 0) return;
      await pool.claim(batch); // durable before any of them is sent
      for (const t of batch) t.claimed = true;
      claimed.push(...batch);
    })().finally(() => {
      claiming = null;
    });
    return claiming;
  };
  const next = (): Task | 'claim' | number | null => {
    const now = pool.now();
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
      // Claim the next batch while this one is being sent (see the header).
      if (!claiming && !exhausted && claimed.length <= width && !run.stopped) claim().catch(() => undefined); // a failed write stops the run
      return c;
    }
    if (!exhausted || claiming) return 'claim';
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
        await pool.sleep(Math.max(1, t), run.signal);
        continue;
      }
      const back = await pool.execute(t);
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
    await pool.release(claimed.splice(0));
  }
  if (signedOut) return 'signed-out';
  if (run.stopped) return 'stopped';
  return 'drained';
}
