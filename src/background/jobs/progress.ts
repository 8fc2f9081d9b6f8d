/**
 * What follows a job's writes, off the request path: its view for open pages (at once for a
 * state change, otherwise at most every `intervalMs` per job, newest wins), and the cache
 * updates that follow committed outcomes (in commit order, one commit at a time).
 */
import type { JobItem, JobView } from '../../shared/types';

interface ProgressDeps {
  now(): number;
  sleep(ms: number): Promise<void>;
  intervalMs: number;
  /** The job's view as stored now, or null when it is gone. */
  view(jobId: number): Promise<JobView | null>;
  onView?(view: JobView): void;
  onItemsFinal?(origin: string, items: JobItem[]): void | Promise<void>;
}

interface Throttle {
  last: number;
  scheduled: boolean;
  /** Views asked for, and the newest one sent: an older one arriving later is dropped. */
  seq: number;
  emitted: number;
}

export class Progress {
  private readonly throttle = new Map<number, Throttle>();
  private readonly emitting = new Set<Promise<void>>();
  private outcomeChain: Promise<void> = Promise.resolve();
  private outcomesBusy = 0;
  /** Outcomes told while the cache was still taking earlier ones: taken together, in order, next. */
  private waiting: { origin: string; items: JobItem[] }[] = [];

  constructor(private readonly deps: ProgressDeps) {}

  /** Sends the job's view to open pages: at once when `immediate` (a state change), else throttled. */
  notify(jobId: number, immediate = false): void {
    if (!this.deps.onView) return;
    let t = this.throttle.get(jobId);
    if (!t) {
      t = { last: 0, scheduled: false, seq: 0, emitted: 0 };
      this.throttle.set(jobId, t);
    }
    const now = this.deps.now();
    const since = now - t.last;
    if (immediate || since >= this.deps.intervalMs) {
      t.last = now;
      void this.emit(jobId, t);
    } else if (!t.scheduled) {
      t.scheduled = true;
      const state = t;
      void this.deps.sleep(this.deps.intervalMs - since).then(() => {
        state.scheduled = false;
        state.last = this.deps.now();
        void this.emit(jobId, state);
      });
    }
  }

  /**
   * Tells the cache of committed outcomes, in order. Commits that arrive while the cache is still
   * busy with earlier ones are handed over together (per origin), one cache transaction for all.
   */
  outcomes(origin: string, items: JobItem[]): void {
    const onItemsFinal = this.deps.onItemsFinal;
    if (!onItemsFinal) return;
    const last = this.waiting[this.waiting.length - 1];
    if (last && last.origin === origin) {
      last.items.push(...items);
      return;
    }
    const batch = { origin, items: [...items] };
    this.waiting.push(batch);
    this.outcomesBusy++;
    this.outcomeChain = this.outcomeChain
      .then(() => {
        this.waiting.splice(this.waiting.indexOf(batch), 1); // from here on, later commits queue anew
        return onItemsFinal(batch.origin, batch.items);
      })
      .catch((err) => console.error('Reclaim: outcome side effect', batch.items.length, 'items', err))
      .finally(() => {
        this.outcomesBusy--;
      });
  }

  /** Resolves once the cache has every outcome told so far (before a job is reported stopped). */
  outcomesApplied(): Promise<void> {
    return this.outcomeChain;
  }

  /** Whether a view or a cache update is still under way. */
  get busy(): boolean {
    return this.emitting.size > 0 || this.outcomesBusy > 0;
  }

  /** Resolves when what is under way now has finished. */
  settled(): Promise<unknown> {
    return Promise.all([...this.emitting, this.outcomeChain]);
  }

  private emit(jobId: number, t: Throttle): Promise<void> {
    const p = this.emitView(jobId, t).finally(() => this.emitting.delete(p));
    this.emitting.add(p);
    return p;
  }

  private async emitView(jobId: number, t: Throttle): Promise<void> {
    const seq = ++t.seq;
    const view = await this.deps.view(jobId);
    if (!view) return;
    if (seq < t.emitted) return; // a newer view went out already
    t.emitted = seq;
    this.deps.onView?.(view);
  }
}
