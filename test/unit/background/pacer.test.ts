/**
 * The pacer against a simulated portal rate limit (token bucket, as the reference portal's),
 * under a virtual clock: many seconds of traffic in milliseconds, deterministic.
 */
import { describe, expect, it } from 'vitest';
import { Pacer } from '../../../src/portal/api/pacer';

class VirtualTime {
  t = 0;
  private timers: { at: number; resolve: () => void }[] = [];
  now = () => this.t;
  sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      this.timers.push({ at: this.t + Math.max(0, ms), resolve });
    });

  private async flush() {
    for (let k = 0; k < 5; k++) await new Promise<void>((r) => setImmediate(r));
  }

  async run(done: () => boolean) {
    for (;;) {
      await this.flush();
      if (done() || this.timers.length === 0) return;
      this.timers.sort((a, b) => a.at - b.at);
      const at = this.timers[0]?.at ?? this.t;
      this.t = Math.max(this.t, at);
      const due = this.timers.filter((x) => x.at <= this.t);
      this.timers = this.timers.filter((x) => x.at > this.t);
      for (const d of due) d.resolve();
    }
  }
}

/** The portal's limiter: refill `perSecond`, capacity `burst`; a 429 costs no token. */
function bucket(perSecond: number, burst: number, now: () => number) {
  let tokens = burst;
  let at = now();
  return () => {
    tokens = Math.min(burst, tokens + ((now() - at) / 1000) * perSecond);
    at = now();
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - tokens) / perSecond)) * 1000;
  };
}

async function simulate(opts: {
  n: number;
  perSecond: number;
  burst: number;
  paced: boolean;
  latencyMs?: number;
}) {
  const time = new VirtualTime();
  const take = bucket(opts.perSecond, opts.burst, time.now);
  const pacer = new Pacer({ now: time.now, sleep: time.sleep });
  const latency = opts.latencyMs ?? 40;
  const queue = Array.from({ length: opts.n }, (_, k) => ({ id: k, due: 0 }));
  let accepted = 0;
  let limited = 0;
  let finishedAt = 0;
  const worker = async () => {
    for (;;) {
      queue.sort((a, b) => a.due - b.due);
      const job = queue.shift();
      if (!job) return;
      if (job.due > time.now()) await time.sleep(job.due - time.now());
      const ticket = opts.paced ? await pacer.acquire() : null;
      await time.sleep(latency); // the portal checks its limit after its latency
      const wait = take();
      if (wait > 0) {
        limited++;
        ticket?.done('limited', wait);
        queue.push({ id: job.id, due: time.now() + wait });
        continue;
      }
      ticket?.done('ok');
      accepted++;
      finishedAt = time.now();
    }
  };
  const workers = Promise.all(Array.from({ length: 6 }, worker));
  await time.run(() => accepted === opts.n);
  await workers;
  const ideal = ((opts.n - opts.burst) / opts.perSecond) * 1000;
  return {
    seconds: finishedAt / 1000,
    ratio: finishedAt / ideal,
    limitedShare: limited / (opts.n + limited),
    rate: pacer.getStats().rate,
  };
}

describe('Pacer', () => {
  it('stays within 1.15x of the ideal time with under 5% of requests limited (20/s, burst 40)', async () => {
    const paced = await simulate({ n: 1000, perSecond: 20, burst: 40, paced: true });
    const naive = await simulate({ n: 1000, perSecond: 20, burst: 40, paced: false });
    console.info(JSON.stringify({ paced, naive }));
    expect(paced.ratio).toBeLessThanOrEqual(1.15);
    expect(paced.limitedShare).toBeLessThan(0.05);
    // The learned rate is close to the portal's.
    expect(paced.rate).toBeGreaterThan(17);
    expect(paced.rate).toBeLessThan(23);
    // Without pacing (Retry-After per request only) far more requests are refused.
    expect(naive.limitedShare).toBeGreaterThan(paced.limitedShare * 3);
  });

  it('adapts to other limits', async () => {
    for (const [perSecond, burst] of [
      [5, 10],
      [50, 100],
      [10, 5],
      [20, 10],
    ] as const) {
      const r = await simulate({ n: 600, perSecond, burst, paced: true });
      console.info(JSON.stringify({ perSecond, burst, ...r }));
      expect(r.ratio, `${perSecond}/s`).toBeLessThanOrEqual(1.15);
      expect(r.limitedShare, `${perSecond}/s`).toBeLessThan(0.05);
    }
  });

  it('learns from what was sent ahead of a 429, even when the 429 is answered before the 200s', async () => {
    const time = new VirtualTime();
    const pacer = new Pacer({ now: time.now, sleep: time.sleep });
    const round = async () => {
      const tickets = [];
      for (let k = 0; k < 6; k++) tickets.push(pacer.acquire());
      let all: Awaited<ReturnType<Pacer['acquire']>>[] = [];
      const p = Promise.all(tickets).then((t) => {
        all = t;
      });
      await time.run(() => all.length === 6);
      await p;
      return all;
    };
    // First burst: the sixth request is refused (the first event: nothing learned yet).
    const first = await round();
    for (const t of first.slice(0, 5)) t.done('ok');
    first[5]?.done('limited', 1000);
    // After the wait, six more go out together; the portal takes five, and the refusal of the
    // sixth arrives before the five acceptances.
    const second = await round();
    expect(time.t).toBeGreaterThanOrEqual(1000);
    second[5]?.done('limited', 1000);
    for (const t of second.slice(0, 5)) t.done('ok');
    // Five in about a second: not the 0.2/s floor that counting only answers in would give.
    expect(pacer.getStats().rate).toBeGreaterThanOrEqual(4);
    expect(pacer.getStats().capacity).toBe(5);
  });

  it('counts a 429 for a ticket handed out in the same millisecond as the first 429 as that same event', async () => {
    const time = new VirtualTime();
    const pacer = new Pacer({ now: time.now, sleep: time.sleep });
    const take = async (n: number) => {
      const out: Awaited<ReturnType<Pacer['acquire']>>[] = [];
      const p = (async () => {
        for (let k = 0; k < n; k++) out.push(await pacer.acquire());
      })();
      await time.run(() => out.length === n);
      await p;
      return out;
    };
    // Six requests go out at t=0; the portal takes four and refuses two. Both refusals arrive in
    // the same millisecond as the tickets were handed out (no clock tick in between).
    const first = await take(6);
    for (const t of first.slice(0, 4)) t.done('ok');
    first[4]?.done('limited', 1000);
    first[5]?.done('limited', 1000);
    // One event: the pacer does not yet know the portal's rate, and the next requests go out
    // together once Retry-After has passed, not one every five seconds.
    expect(pacer.getStats()).toMatchObject({ events: 1, limited: 2, rate: null });
    await take(6);
    expect(time.t).toBe(1000);
  });

  it('grows again from its 0.2/s floor while requests wait for it', async () => {
    const time = new VirtualTime();
    // Timers fire a little late, as real ones do.
    const pacer = new Pacer({ now: time.now, sleep: (ms) => time.sleep(ms + 1) });
    const take = async (n: number, outcome: 'ok' | 'limited') => {
      let got = 0;
      const p = (async () => {
        for (let k = 0; k < n; k++) {
          (await pacer.acquire()).done(outcome, 1000);
          got++;
        }
      })();
      await time.run(() => got === n);
      await p;
    };
    await take(1, 'limited');
    // Right after the wait the portal refuses again (someone else drained its bucket): the
    // first learned rate is the floor.
    await take(1, 'limited');
    expect(pacer.getStats().rate).toBeCloseTo(0.2);
    // From then on everything is accepted and requests queue up: slow start lifts the rate.
    const from = time.t;
    await take(20, 'ok');
    expect(pacer.getStats().rate).toBeGreaterThan(2);
    expect(time.t - from).toBeLessThan(30_000);
  });

  it('does not limit at all while the portal never answers 429', async () => {
    const time = new VirtualTime();
    const pacer = new Pacer({ now: time.now, sleep: time.sleep });
    let n = 0;
    const go = async () => {
      for (let k = 0; k < 50; k++) {
        const t = await pacer.acquire();
        t.done('ok');
        n++;
      }
    };
    const p = go();
    await time.run(() => n === 50);
    await p;
    expect(time.t).toBe(0);
  });
});
