/**
 * Everything the reference portal holds while it runs: its clock, data, sessions, faults, table
 * markup, journal and request counters. Handlers (api.ts, sim.ts, site.ts) read and change it.
 */
import { DEFAULT_MARKUP, type TableMarkup } from './assets/table-markup';
import { Clock } from './clock';
import { RequestCounters } from './counters';
import { prng, type Store, seed } from './data';
import { defaultFaults, normalizeFaults, RateLimiter } from './faults';
import { Replier } from './http';
import { Journal } from './journal';
import { Sessions } from './sessions';
import type { DataSpec, Faults } from './types';

export interface StateOptions {
  data?: DataSpec;
  faults?: Partial<Faults>;
  now?: number;
  /** Simulation controls on: /__sim/ answers, and a non-default table markup reaches the pages. */
  sim: boolean;
  quiet: boolean;
}

export class PortalState {
  readonly clock: Clock;
  readonly reply: Replier;
  readonly sessions = new Sessions();
  readonly limiter = new RateLimiter();
  readonly journal = new Journal();
  readonly counters = new RequestCounters();
  readonly sim: boolean;
  readonly quiet: boolean;
  faults: Faults;
  markup: TableMarkup = { ...DEFAULT_MARKUP };
  dataSpec: DataSpec;
  store: Store;
  /** Drives every injected fault; reseeded with the data. */
  rand: () => number;

  constructor(opts: StateOptions) {
    this.sim = opts.sim;
    this.quiet = opts.quiet;
    this.clock = new Clock(opts.now ?? Date.now());
    this.reply = new Replier(this.clock);
    this.faults = normalizeFaults(defaultFaults(), opts.faults ?? {});
    this.dataSpec = opts.data ?? { preset: 'demo', seed: 1 };
    this.store = seed(this.dataSpec, this.clock.now());
    this.rand = prng((this.dataSpec.seed ?? 1) ^ 0xfa17);
  }

  /** The portal clock's reading, with every invite whose 30 days are up expired first. */
  now(): number {
    const t = this.clock.now();
    this.store.settle(t);
    return t;
  }

  /** A new data set; the journal and the request counters start over with it. */
  resetData(spec: DataSpec): void {
    this.dataSpec = spec;
    this.store = seed(spec, this.clock.now());
    this.rand = prng((spec.seed ?? 1) ^ 0xfa17);
    this.journal.clear(true);
    this.counters.reset();
  }

  setFaults(next: Faults): void {
    if (next.sessionExpiryAfter !== this.faults.sessionExpiryAfter) this.sessions.resetUse();
    if (JSON.stringify(next.rateLimit) !== JSON.stringify(this.faults.rateLimit)) this.limiter.clear();
    this.faults = next;
  }
}
