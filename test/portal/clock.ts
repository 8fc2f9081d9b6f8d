/** The portal's simulated clock: all expiry and every answer's Date header follow it. */
import { performance } from 'node:perf_hooks';
import type { ClockState } from './types';

/** Runs in real time from the last set point, unless frozen. */
export class Clock {
  private base: number;
  private setAt = performance.now();
  frozen = false;
  constructor(now: number) {
    this.base = now;
  }
  now(): number {
    return this.frozen ? this.base : Math.floor(this.base + (performance.now() - this.setAt));
  }
  set(now: number, frozen = this.frozen): void {
    this.base = now;
    this.setAt = performance.now();
    this.frozen = frozen;
  }
  state(): ClockState {
    return { now: this.now(), frozen: this.frozen };
  }
}

/** A time given as ms or an ISO string; null when it is neither. */
export function parseTime(x: unknown): number | null {
  if (typeof x === 'number' && Number.isFinite(x)) return Math.floor(x);
  if (typeof x === 'string') {
    const t = Date.parse(x);
    if (!Number.isNaN(t)) return t;
  }
  return null;
}
