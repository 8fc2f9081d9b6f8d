import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Api, type Booted, boot, signedIn } from './helpers';
import type { Invite } from './types';

let p: Booted;
let api: Api;

beforeAll(async () => {
  p = await boot();
  api = p.api;
});
afterAll(() => p.close());

beforeEach(async () => {
  await p.sim.resetFaults();
  await p.sim.setFaults({ latencyMs: 0, rateLimit: null });
  await p.sim.reset({ seed: 11, courses: 2, pendingPerCourse: 30, acceptedPerCourse: 3, learners: 80 });
  api = await signedIn(p.url);
});

async function pendingIds(courseId = 'c-1'): Promise<string[]> {
  return (await p.sim.invites({ courseId, status: 'pending' })).map((i) => i.id);
}

describe('defaults', () => {
  it('are latency 40 ms, 20/s with bursts of 40, everything else off', async () => {
    const f = await p.sim.resetFaults();
    expect(f).toEqual({
      latencyMs: 40,
      jitterMs: 0,
      errorRate: 0,
      dropRate: 0,
      malformedRate: 0,
      rateLimit: { perSecond: 20, burst: 40 },
      sessionExpiryAfter: null,
      faultPaths: 'all',
      signedOut: 'json401',
    });
    expect(await p.sim.faults()).toEqual(f);
  });

  it('rejects nonsense', async () => {
    await expect(p.sim.setFaults({ errorRate: 2 })).rejects.toThrow(/400/);
    await expect(p.sim.setFaults({ faultPaths: 'some' as 'all' })).rejects.toThrow(/400/);
  });
});

describe('rate limit', () => {
  it('answers 429 rate_limited with a whole-second Retry-After past the burst, then recovers', async () => {
    await p.sim.setFaults({ rateLimit: { perSecond: 2, burst: 5 } });
    const answers = await Promise.all(Array.from({ length: 12 }, () => api.get('/api/courses')));
    const ok = answers.filter((a) => a.status === 200);
    const limited = answers.filter((a) => a.status === 429);
    expect(ok.length).toBe(5);
    expect(limited.length).toBe(7);
    for (const a of limited) {
      expect(a.body).toEqual({ error: 'rate_limited' });
      const retry = a.headers.get('retry-after');
      expect(retry).toMatch(/^\d+$/);
      expect(Number(retry)).toBeGreaterThanOrEqual(1);
    }
    expect((await p.sim.state()).requests.rateLimited).toBe(7);
    // Another session has its own bucket.
    const other = await signedIn(p.url);
    expect((await other.get('/api/courses')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 600));
    expect((await api.get('/api/courses')).status).toBe(200);
  });

  it('with the default 20/s burst 40: a burst of 40 passes, more at once are limited', async () => {
    await p.sim.resetFaults();
    await p.sim.setFaults({ latencyMs: 0 });
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 50 }, () => api.get('/api/session')));
    const seconds = (performance.now() - started) / 1000;
    const statuses = answers.map((a) => a.status);
    const ok = statuses.filter((s) => s === 200).length;
    // 40 from the burst, plus at most what refilled at 20/s while the 50 were being answered (on
    // a loaded machine that can be all of them); every other answer is a 429.
    expect(ok).toBeGreaterThanOrEqual(40);
    expect(ok).toBeLessThanOrEqual(40 + Math.floor(20 * seconds));
    expect(statuses.filter((s) => s === 429).length).toBe(50 - ok);
  });
});

describe('errorRate', () => {
  it('at 1 replaces every API answer by a 5xx and changes nothing', async () => {
    await p.sim.setFaults({ errorRate: 1 });
    const before = await pendingIds();
    const codes = new Set<number>();
    for (let i = 0; i < 15; i++) codes.add((await api.get('/api/courses')).status);
    for (const c of codes) expect([500, 502, 503]).toContain(c);
    const r = await api.cancel(before[0] as string);
    expect(r.status).toBeGreaterThanOrEqual(500);
    expect(await pendingIds()).toEqual(before);
    expect(await p.sim.journal()).toEqual([]);
    // Sim controls and pages are never faulted.
    expect((await fetch(`${p.url}/manager/licenses`, { headers: { cookie: api.cookie } })).status).toBe(200);
  });

  it('with faultPaths cancel hits only cancels', async () => {
    await p.sim.setFaults({ errorRate: 1, faultPaths: 'cancel' });
    expect((await api.get('/api/courses')).status).toBe(200);
    const [id] = await pendingIds();
    expect((await api.cancel(id as string)).status).toBeGreaterThanOrEqual(500);
  });
});

describe('dropRate', () => {
  it('at 1 destroys the socket; half the cancels are applied before the drop, and the journal says which', async () => {
    await p.sim.setFaults({ dropRate: 1 });
    await expect(fetch(`${p.url}/api/courses`, { headers: { cookie: api.cookie } })).rejects.toThrow();
    const ids = (await pendingIds()).slice(0, 24);
    for (const id of ids) await expect(api.cancel(id)).rejects.toThrow();

    const journal = await p.sim.journal();
    expect(journal.map((e) => e.inviteId)).toEqual(ids);
    const before = journal.filter((e) => e.dropped === 'before');
    const after = journal.filter((e) => e.dropped === 'after');
    expect(before.length + after.length).toBe(ids.length);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);

    const stillPending = new Set(await pendingIds());
    for (const e of before) {
      expect(e).toMatchObject({ applied: false, statusBefore: 'pending', statusAfter: 'pending' });
      expect(stillPending.has(e.inviteId)).toBe(true);
    }
    for (const e of after) {
      expect(e).toMatchObject({
        applied: true,
        statusBefore: 'pending',
        statusAfter: 'cancelled',
        httpStatus: 200,
      });
      expect(stillPending.has(e.inviteId)).toBe(false);
    }
    expect((await p.sim.state()).identityHolds).toBe(true);

    // A retry after a lost answer: 200 if it was dropped before, 409 not_pending if after.
    await p.sim.setFaults({ dropRate: 0 });
    for (const e of journal) {
      const r = await api.cancel(e.inviteId);
      expect(r.status).toBe(e.dropped === 'before' ? 200 : 409);
    }
    const applied = (await p.sim.journal()).filter((e) => e.applied);
    expect(new Set(applied.map((e) => e.inviteId)).size).toBe(applied.length);
  });
});

describe('malformedRate', () => {
  it('at 1 answers 200 with a body that is not the contract’s', async () => {
    await p.sim.setFaults({ malformedRate: 1 });
    for (let i = 0; i < 10; i++) {
      const r = await api.get<{ items?: unknown }>('/api/courses');
      expect(r.status).toBe(200);
      const valid = r.body !== null && Array.isArray(r.body.items);
      expect(valid, r.text).toBe(false);
    }
  });

  it('runs the cancel behind a malformed answer and journals it', async () => {
    await p.sim.setFaults({ malformedRate: 1, faultPaths: 'cancel' });
    const [id] = await pendingIds();
    const r = await api.cancel<{ invite?: Invite }>(id as string);
    expect(r.status).toBe(200);
    expect(r.body?.invite?.status).not.toBe('cancelled');
    expect(await pendingIds()).not.toContain(id);
    expect((await p.sim.journal())[0]).toMatchObject({ inviteId: id, applied: true, malformed: true });
  });
});

describe('sessionExpiryAfter', () => {
  it('destroys the session after N more API requests; signing in again works', async () => {
    await p.sim.setFaults({ sessionExpiryAfter: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await api.get('/api/courses')).status);
    expect(statuses).toEqual([200, 200, 200, 401, 401]);
    expect(
      (await fetch(`${p.url}/manager/learners`, { headers: { cookie: api.cookie }, redirect: 'manual' }))
        .status,
    ).toBe(303);
    const again = await signedIn(p.url);
    expect((await again.get('/api/courses')).status).toBe(200);
  });
});

describe('latency', () => {
  it('delays API answers by latencyMs, and only API answers', async () => {
    const time = async (path: string) => {
      const t0 = performance.now();
      await fetch(`${p.url}${path}`, { headers: { cookie: api.cookie } });
      return performance.now() - t0;
    };
    const fast = await time('/api/session');
    await p.sim.setFaults({ latencyMs: 250 });
    const slow = await time('/api/session');
    const sim = await time('/__sim/clock');
    expect(slow).toBeGreaterThanOrEqual(250);
    expect(fast).toBeLessThan(150);
    expect(sim).toBeLessThan(150);
  });

  it('adds jitter below jitterMs', async () => {
    await p.sim.setFaults({ latencyMs: 0, jitterMs: 120 });
    const times: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t0 = performance.now();
      await api.get('/api/session');
      times.push(performance.now() - t0);
    }
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(10);
    expect(Math.max(...times)).toBeLessThan(120 + 100);
  });
});
