/**
 * Client-side pacing for one portal session: a token bucket whose rate is learned from the
 * portal's 429 answers.
 *
 * The portal limits each session with a token bucket of its own (by default 20 requests a
 * second, bursts of 40) and answers 429 with Retry-After when it is empty. We mirror it:
 *
 * - Until the first 429 the pacer does not limit at all (the portal's burst is free).
 * - A 429 for a request sent after the previous "event" is a new event: the portal's bucket
 *   was empty then. Between two events with demand throughout, the number of requests the
 *   portal accepted divided by the time between them is its refill rate. We pace at just
 *   under that estimate.
 * - After an event nothing is sent before Retry-After; our bucket refills during the wait
 *   exactly as the portal's does, so the burst that follows costs nothing.
 * - While saturated without a 429 the rate creeps up (0.5 % a second) so a raised limit is
 *   found again; the occasional 429 this causes re-calibrates the estimate.
 *
 * Pure: time and sleeping are injected, so it runs under a simulated clock in tests.
 */

export interface PacerDeps {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface PacerTicket {
  /** Report the answer: 'limited' for a 429 (with its Retry-After), 'ok' for anything else. */
  done(outcome: 'ok' | 'limited', retryAfterMs?: number): void;
}

export interface PacerStats {
  /** Requests/second the pacer currently allows; null while unknown (no limit yet). */
  rate: number | null;
  events: number;
  limited: number;
  sent: number;
}

const SAFETY = 0.97;
const CREEP_PER_SECOND = 0.005;
const MIN_RATE = 0.5;
/** A gap with nobody waiting longer than this means the pacer was not saturated. */
const IDLE_MS = 250;

export class Pacer {
  private rate: number | null = null;
  private capacity = 1;
  private tokens = 0;
  private refilledAt: number;
  private gateUntil = 0;
  private lastEventAt: number | null = null;
  private acceptedSinceEvent = 0;
  private saturated = true;
  private lastAcquireAt: number;
  private chain: Promise<void> = Promise.resolve();
  private readonly stats = { events: 0, limited: 0, sent: 0 };

  constructor(private readonly deps: PacerDeps) {
    this.refilledAt = deps.now();
    this.lastAcquireAt = deps.now();
  }

  getStats(): PacerStats {
    return { rate: this.rate, ...this.stats };
  }

  /** Waits for this request's turn (first come, first served). */
  acquire(): Promise<PacerTicket> {
    const turn = this.chain.then(() => this.waitTurn());
    this.chain = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private refill(now: number): void {
    if (this.rate !== null) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.rate);
    }
    this.refilledAt = now;
  }

  private async waitTurn(): Promise<PacerTicket> {
    const arrived = this.deps.now();
    if (arrived - this.lastAcquireAt > IDLE_MS) this.saturated = false;
    this.refill(arrived);
    if (this.rate !== null && this.tokens >= this.capacity && arrived >= this.gateUntil)
      this.saturated = false;
    for (;;) {
      const now = this.deps.now();
      if (now < this.gateUntil) {
        await this.deps.sleep(this.gateUntil - now);
        continue;
      }
      this.refill(now);
      if (this.rate === null) break;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        break;
      }
      await this.deps.sleep(Math.max(1, Math.ceil(((1 - this.tokens) / this.rate) * 1000)));
    }
    const sentAt = this.deps.now();
    this.lastAcquireAt = sentAt;
    this.stats.sent++;
    let reported = false;
    return {
      done: (outcome, retryAfterMs) => {
        if (reported) return;
        reported = true;
        this.report(sentAt, outcome, retryAfterMs ?? 1000);
      },
    };
  }

  private report(sentAt: number, outcome: 'ok' | 'limited', retryAfterMs: number): void {
    const now = this.deps.now();
    const afterEvent = this.lastEventAt === null || sentAt >= this.lastEventAt;
    if (outcome === 'ok') {
      if (afterEvent) this.acceptedSinceEvent++;
      this.creep(now);
      return;
    }
    this.stats.limited++;
    if (!afterEvent) {
      // Sent before we reacted to the last event: part of that same event.
      this.gateUntil = Math.max(this.gateUntil, now + retryAfterMs);
      return;
    }
    this.stats.events++;
    if (this.lastEventAt !== null && now > this.lastEventAt) {
      const seconds = (now - this.lastEventAt) / 1000;
      const estimate = this.acceptedSinceEvent / seconds;
      if (this.saturated && this.acceptedSinceEvent >= 3) {
        this.rate = Math.max(MIN_RATE, estimate * SAFETY);
      } else if (this.rate !== null) {
        this.rate = Math.max(MIN_RATE, this.rate * 0.8);
      }
    }
    if (this.rate !== null) this.capacity = Math.max(1, (this.rate * Math.max(1000, retryAfterMs)) / 1000);
    this.lastEventAt = now;
    this.acceptedSinceEvent = 0;
    this.saturated = true;
    this.tokens = 0;
    this.refilledAt = now;
    this.gateUntil = Math.max(this.gateUntil, now + retryAfterMs);
  }

  private lastCreepAt = 0;
  private creep(now: number): void {
    if (this.rate === null || !this.saturated) {
      this.lastCreepAt = now;
      return;
    }
    const seconds = (now - this.lastCreepAt) / 1000;
    if (seconds <= 0 || seconds > 5) {
      this.lastCreepAt = now;
      return;
    }
    this.rate *= 1 + CREEP_PER_SECOND * seconds;
    this.capacity = Math.max(this.capacity, this.rate);
    this.lastCreepAt = now;
  }
}
