/**
 * Client-side pacing for one portal session: a token bucket whose rate and size are learned
 * from the portal's 429 answers.
 *
 * The portal limits each session with a token bucket of its own (by default 20 requests a
 * second, bursts of 40) and answers 429 with Retry-After when it is empty. We mirror it:
 *
 * - Until the first 429 nothing is limited (the portal's burst is free).
 * - An "event" is a 429 for a request sent after the previous event: the portal's bucket was
 *   empty then. After an event nothing at all is sent before Retry-After (the request itself
 *   and every other one); our bucket refills during the wait as the portal's does, so the
 *   burst that follows costs no time.
 * - An event inside that post-wait burst means the portal's bucket is smaller than ours: our
 *   size is set to what it accepted. An event later, while requests were paced, measures the
 *   portal's refill rate: what it accepted after the burst divided by the time since. We pace
 *   at 97 % of that.
 * - Until the first measurement the rate (a lower bound from the first burst) grows 25 % a
 *   second ("slow start"); after it, 0.5 % a second while saturated, so a raised limit is found
 *   again. The occasional 429 this causes re-measures the rate.
 *
 * Pure: time and sleeping are injected, so it runs under a simulated clock in tests.
 */

interface PacerDeps {
  now(): number;
  sleep(ms: number): Promise<void>;
}

interface PacerTicket {
  /** Report the answer: 'limited' for a 429 (with its Retry-After), 'ok' for anything else. */
  done(outcome: 'ok' | 'limited', retryAfterMs?: number): void;
}

interface PacerStats {
  /** Requests/second the pacer currently allows; null while unknown (no limit yet). */
  rate: number | null;
  /** Largest burst it allows. */
  capacity: number;
  events: number;
  limited: number;
  sent: number;
}

const SAFETY = 0.97;
const SLOW_START_PER_SECOND = 0.25;
const CREEP_PER_SECOND = 0.005;
const MIN_RATE = 0.2;
/** A gap with nobody waiting longer than this means the pacer was not saturated. */
const IDLE_MS = 250;
/** Shortest paced stretch that measures the rate. */
const MIN_MEASURE_MS = 800;

interface Sent {
  at: number;
  /** Its place in the order of sends (1, 2, ...). */
  seq: number;
  /** Sent within the burst that followed the last wait. */
  inBurst: boolean;
}

export class Pacer {
  private rate: number | null = null;
  private steady = false;
  private capacity = Number.POSITIVE_INFINITY;
  private tokens = 0;
  private refilledAt: number;
  private gateUntil = 0;
  private lastEventAt: number | null = null;
  /** Tickets handed out up to the last event: later ones went out after its wait. */
  private sentAtEvent = 0;
  /** Since the wait after the last event: sends still inside the burst, accepted counts. */
  private burstLeft = 0;
  private burstAccepted = 0;
  private pacedSince: number | null = null;
  private pacedAccepted = 0;
  private afterGateAccepted = 0;
  private saturated = true;
  private lastAcquireAt: number;
  private lastGrowAt: number;
  private chain: Promise<void> = Promise.resolve();
  private readonly stats = { events: 0, limited: 0, sent: 0 };

  constructor(private readonly deps: PacerDeps) {
    this.refilledAt = deps.now();
    this.lastAcquireAt = deps.now();
    this.lastGrowAt = deps.now();
  }

  getStats(): PacerStats {
    return { rate: this.rate, capacity: this.capacity, ...this.stats };
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
    let waited = false;
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
      waited = true;
      await this.deps.sleep(Math.max(1, Math.ceil(((1 - this.tokens) / this.rate) * 1000)));
    }
    const now = this.deps.now();
    this.grow(now, waited);
    this.lastAcquireAt = now;
    this.stats.sent++;
    const sent: Sent = { at: now, seq: this.stats.sent, inBurst: this.burstLeft > 0 };
    if (this.burstLeft > 0) {
      this.burstLeft--;
      if (this.burstLeft === 0) {
        this.pacedSince = now;
        this.pacedAccepted = 0;
      }
    }
    let reported = false;
    return {
      done: (outcome, retryAfterMs) => {
        if (reported) return;
        reported = true;
        this.report(sent, outcome, retryAfterMs ?? 1000);
      },
    };
  }

  private report(sent: Sent, outcome: 'ok' | 'limited', retryAfterMs: number): void {
    const now = this.deps.now();
    // Current: its ticket was handed out after the last event was reported. Told by the order
    // of tickets, not by the clock: a ticket handed out in the same millisecond as a 429 arrived,
    // but before it was reported, went out before the wait and belongs to that event.
    const current = sent.seq > this.sentAtEvent;
    if (outcome === 'ok') {
      if (!current) return;
      this.afterGateAccepted++;
      if (sent.inBurst) this.burstAccepted++;
      else if (this.pacedSince !== null && sent.at >= this.pacedSince) this.pacedAccepted++;
      return;
    }
    this.stats.limited++;
    if (!current) {
      // Sent before we reacted to the last event: part of that same event.
      this.gateUntil = Math.max(this.gateUntil, now + retryAfterMs);
      return;
    }
    this.stats.events++;
    if (this.lastEventAt !== null) this.learn(sent, now, retryAfterMs);
    this.lastEventAt = now;
    this.sentAtEvent = this.stats.sent;
    this.gateUntil = Math.max(this.gateUntil, now + retryAfterMs);
    this.tokens = 0;
    this.refilledAt = this.gateUntil;
    // The next burst is what the bucket holds after the wait.
    this.burstLeft =
      this.rate === null ? 0 : Math.floor(Math.min(this.capacity, (this.rate * retryAfterMs) / 1000));
    this.burstAccepted = 0;
    this.afterGateAccepted = 0;
    this.pacedSince = this.burstLeft === 0 ? this.gateUntil : null;
    this.pacedAccepted = 0;
    this.saturated = true;
  }

  private learn(sent: Sent, now: number, retryAfterMs: number): void {
    if (this.rate === null) {
      // Second event: everything since the wait was accepted from a bucket that refilled
      // for Retry-After. A lower bound on the rate, and a first size.
      // Counted by what was sent before this request since the wait, not only by the answers
      // already in: with several requests in flight, the 429 can arrive before the 200s that
      // were sent ahead of it (then accepted would be 0 and the rate would collapse).
      const span = (retryAfterMs + Math.max(0, now - this.gateUntil)) / 1000;
      const accepted = Math.max(this.afterGateAccepted, sent.seq - this.sentAtEvent - 1);
      this.rate = Math.max(MIN_RATE, accepted / span);
      this.capacity = Math.max(1, accepted);
      this.steady = false;
      return;
    }
    if (sent.inBurst) {
      // The portal's bucket holds less than our burst.
      this.capacity = Math.max(1, this.burstAccepted);
      return;
    }
    const pacedMs = this.pacedSince === null ? 0 : now - this.pacedSince;
    if (this.saturated && pacedMs >= MIN_MEASURE_MS && this.pacedAccepted >= 3) {
      this.rate = Math.max(MIN_RATE, (this.pacedAccepted / pacedMs) * 1000 * SAFETY);
      this.steady = true;
    } else {
      this.rate = Math.max(MIN_RATE, this.rate * 0.85);
    }
    if (!Number.isFinite(this.capacity)) this.capacity = Math.max(1, this.rate);
  }

  /** The rate grows while requests wait for it: fast until first measured, then slowly. */
  private grow(now: number, waited: boolean): void {
    const seconds = (now - this.lastGrowAt) / 1000;
    this.lastGrowAt = now;
    // A longer gap is idle time (or a long Retry-After), not waiting for the rate; but at a rate
    // under 0.4/s the wait for one token is itself that long, and the rate must still grow.
    if (this.rate === null || !waited || seconds <= 0 || seconds > Math.max(5, 2 / this.rate)) return;
    this.rate *= 1 + (this.steady ? CREEP_PER_SECOND : SLOW_START_PER_SECOND) * seconds;
  }
}
