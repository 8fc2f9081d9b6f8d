/**
 * One job driven by this worker (runner.ts): kicked awake by controls and wakes, stopped by
 * controls or by a failed write. Its kick count lets a session check tell whether a wake came
 * while it was under way.
 */
import type { ItemWrites } from './item-writes';

export class Run {
  stopped = false;
  private kickCtl = new AbortController();
  promise: Promise<void> = Promise.resolve();
  readonly active = new Set<string>();
  /** The run's grouped item writes (made on its first pass). */
  writes: ItemWrites | null = null;
  /** Times the run was kicked: a kick during a session check asks for another check. */
  kicks = 0;
  /** Its loop has returned: a kick can no longer reach it, a new run must start. */
  over = false;

  constructor(readonly jobId: number) {}

  stop(): void {
    this.stopped = true;
    this.interrupt();
  }

  /** Something changed for this job (a control, a wake): sleeping workers look again. */
  kick(): void {
    this.kicks++;
    this.interrupt();
  }

  private interrupt(): void {
    this.kickCtl.abort();
    this.kickCtl = new AbortController();
  }

  get signal(): AbortSignal {
    return this.kickCtl.signal;
  }
}
