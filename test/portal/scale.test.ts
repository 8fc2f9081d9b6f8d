/**
 * What a benchmark of a refresh at scale needs from the portal: changing a few courses' invites
 * as people outside Reclaim would (/__sim/churn), and request counters per route and per path
 * that it can read and reset (/__sim/requests).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Booted, boot } from './helpers';
import type { Seats, SimState } from './types';

interface CourseItem {
  id: string;
  seats: Seats;
  pending: number;
}

let p: Booted;

beforeAll(async () => {
  p = await boot();
});
afterAll(() => p.close());

const courses = async () =>
  new Map((await p.api.get<{ items: CourseItem[] }>('/api/courses')).body.items.map((c) => [c.id, c]));

const changed = (a: Map<string, CourseItem>, b: Map<string, CourseItem>) =>
  [...a.keys()].filter((id) => JSON.stringify(a.get(id)) !== JSON.stringify(b.get(id)));

const counts = (s: SimState, id: string) => s.courses.find((c) => c.id === id)?.counts;

describe('churn', () => {
  beforeAll(() => p.sim.reset({ preset: 'scale', seed: 1 }));

  it('by default invites one learner on 3 courses spread over the list; the course list shows those and no others', async () => {
    const before = await courses();
    const state0 = await p.sim.state();
    const r = await p.sim.churn();
    expect(r.courses.map((c) => c.id)).toEqual(['c-1', 'c-67', 'c-134']);
    const after = await courses();
    expect(changed(before, after)).toEqual(['c-1', 'c-67', 'c-134']);
    const state1 = await p.sim.state();
    for (const c of r.courses) {
      expect(c.created).toHaveLength(1);
      expect(counts(state1, c.id)?.pending).toBe((counts(state0, c.id)?.pending ?? 0) + 1);
      const [inv] = (await p.sim.invites({ courseId: c.id })).filter((i) => i.id === c.created[0]);
      expect(inv?.status).toBe('pending');
      // Never a second invite for a learner who already holds one in the course.
      const holders = (await p.sim.invites({ courseId: c.id }))
        .filter((i) => i.status === 'pending' || i.status === 'accepted')
        .map((i) => i.learner.id);
      expect(new Set(holders).size).toBe(holders.length);
    }
    expect(state1.identityHolds).toBe(true);
  });

  it('accepts the oldest and cancels the newest pending invites of exactly the courses named', async () => {
    const ids = ['c-5', 'c-200'];
    const before = new Map(
      await Promise.all(
        ids.map(async (id) => [id, await p.sim.invites({ courseId: id, status: 'pending' })] as const),
      ),
    );
    const r = await p.sim.churn({ courseIds: ids, invites: 0, accepts: 2, cancels: 1 });
    for (const c of r.courses) {
      const pending = [...(before.get(c.id) ?? [])].sort(
        (a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt),
      );
      expect(c.accepted.sort()).toEqual(
        pending
          .slice(0, 2)
          .map((i) => i.id)
          .sort(),
      );
      expect(c.cancelled).toEqual([pending.at(-1)?.id]);
      expect(c.created).toEqual([]);
    }
    const statuses = new Map(
      (await Promise.all(ids.map((courseId) => p.sim.invites({ courseId }))))
        .flat()
        .map((i) => [i.id, i.status]),
    );
    for (const c of r.courses) {
      for (const id of c.accepted) expect(statuses.get(id)).toBe('accepted');
      for (const id of c.cancelled) expect(statuses.get(id)).toBe('cancelled');
    }
  });

  it('changes nothing when any named course cannot take it, and refuses nonsense', async () => {
    const before = await p.sim.state();
    await expect(p.sim.churn({ courseIds: ['c-2', 'c-3'], invites: 11 })).rejects.toThrow(/409.*no_seats/);
    await expect(p.sim.churn({ courseIds: ['c-2'], accepts: 300 })).rejects.toThrow(/409.*too_few_pending/);
    await expect(p.sim.churn({ courses: 201 })).rejects.toThrow(/400/);
    await expect(p.sim.churn({ invites: -1 })).rejects.toThrow(/400/);
    await expect(p.sim.churn({ courseIds: ['c-999'] })).rejects.toThrow(/404/);
    expect((await p.sim.state()).courses).toEqual(before.courses);
  });
});

describe('request counters', () => {
  beforeEach(async () => {
    await p.sim.resetFaults();
    await p.sim.setFaults({ latencyMs: 0, rateLimit: null });
    await p.sim.reset({ seed: 2, courses: 4, pendingPerCourse: 5, acceptedPerCourse: 1 });
  });

  it('count every API request per route and every read per path, until reset', async () => {
    await p.api.get('/api/courses');
    await p.api.get('/api/courses/c-2/invites?status=pending&page=1&pageSize=100');
    await p.api.get('/api/courses/c-2/invites?status=pending&page=2&pageSize=100');
    await p.api.get('/api/courses/c-4/invites');
    const [inv] = await p.sim.invites({ courseId: 'c-1', status: 'pending' });
    await p.api.cancel(inv?.id as string);
    await p.api.post('/api/courses/c-3/invites', { emails: ['count@example.test'] });
    await p.api.get('/api/nowhere');
    const r = await p.sim.requests();
    expect(r).toEqual({
      api: 7,
      cancel: 1,
      invite: 1,
      rateLimited: 0,
      byRoute: {
        'GET /api/courses': 1,
        'GET /api/courses/{id}/invites': 3,
        'POST /api/invites/{id}/cancel': 1,
        'POST /api/courses/{id}/invites': 1,
        unmatched: 1,
      },
      reads: {
        '/api/courses': 1,
        '/api/courses/c-2/invites': 2,
        '/api/courses/c-4/invites': 1,
        '/api/nowhere': 1,
      },
    });
    // The state carries the totals and routes, not the per-path reads.
    const { reads: _, ...summary } = r;
    expect((await p.sim.state()).requests).toEqual(summary);

    expect(await p.sim.resetRequests()).toEqual({
      api: 0,
      cancel: 0,
      invite: 0,
      rateLimited: 0,
      byRoute: {},
      reads: {},
    });
    await p.api.get('/api/courses');
    expect((await p.sim.requests()).reads).toEqual({ '/api/courses': 1 });
  });

  it('count rate-limited requests under their route too', async () => {
    await p.sim.setFaults({ rateLimit: { perSecond: 1, burst: 1 } });
    await Promise.all([1, 2, 3].map(() => p.api.get('/api/courses')));
    const r = await p.sim.requests();
    expect(r.rateLimited).toBe(2);
    expect(r.byRoute['GET /api/courses']).toBe(3);
  });
});
