import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Api, type Booted, boot, DAY, firstInvite, LIFETIME, signedIn } from './helpers';
import type { Invite, Seats, SimState } from './types';

interface CourseItem {
  id: string;
  title: string;
  seats: Seats;
  pending: number;
}
interface InvitePage {
  items: Invite[];
  page: number;
  pageSize: number;
  total: number;
}

let p: Booted;
let api: Api;

beforeAll(async () => {
  p = await boot();
  api = p.api;
});
afterAll(() => p.close());

const SPEC = {
  seed: 7,
  courses: 3,
  learners: 60,
  pendingPerCourse: 12,
  acceptedPerCourse: 4,
  seatsPerCourse: 20,
};

/**
 * The seat identity, checked from outside: the API's seats must equal what the invites
 * themselves (every status, via /__sim/invites) add up to, and the sim's own recount must agree.
 */
async function expectSeatIdentity(): Promise<void> {
  const state = await p.sim.state();
  expect(state.identityHolds).toBe(true);
  const courses = (await api.get<{ items: CourseItem[] }>('/api/courses')).body.items;
  for (const c of courses) {
    const invites = await p.sim.invites({ courseId: c.id });
    const pending = invites.filter((i) => i.status === 'pending').length;
    const accepted = invites.filter((i) => i.status === 'accepted').length;
    expect(c.seats.assigned, `${c.id} assigned`).toBe(pending + accepted);
    expect(c.seats.available, `${c.id} available`).toBe(c.seats.total - c.seats.assigned);
    expect(c.seats.available).toBeGreaterThanOrEqual(0);
    expect(c.pending).toBe(pending);
  }
}

function counts(state: SimState, courseId: string) {
  const c = state.courses.find((x) => x.id === courseId);
  if (!c) throw new Error(`no course ${courseId}`);
  return { counts: c.counts, seats: c.seats };
}

describe('seats', () => {
  beforeEach(async () => {
    await p.sim.reset(SPEC);
    await p.sim.freeze(false);
  });

  it('holds the seat identity after every kind of operation', async () => {
    await expectSeatIdentity();

    const toCancel = await firstInvite(p.sim, 'c-1', 'pending');
    const before = counts(await p.sim.state(), 'c-1');
    const cancelled = await api.cancel<{ invite: Invite; seats: Seats }>(toCancel.id);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.invite.status).toBe('cancelled');
    expect(cancelled.body.seats.available).toBe(before.seats.available + 1);
    await expectSeatIdentity();

    const sent = await api.post<{ items: Invite[]; seats: Seats }>('/api/courses/c-1/invites', {
      emails: ['new.person@example.test', 'another.one@example.test'],
    });
    expect(sent.status).toBe(201);
    expect(sent.body.items.map((i) => i.status)).toEqual(['pending', 'pending']);
    expect(sent.body.seats.available).toBe(before.seats.available - 1);
    await expectSeatIdentity();

    const toAccept = await firstInvite(p.sim, 'c-2', 'pending');
    await p.sim.accept(toAccept.id);
    const afterAccept = counts(await p.sim.state(), 'c-2');
    expect(afterAccept.counts.accepted).toBe(SPEC.acceptedPerCourse + 1);
    await expectSeatIdentity();

    await p.sim.advance({ days: 31 });
    const expired = await p.sim.state();
    for (const c of expired.courses) expect(c.counts.pending).toBe(0);
    await expectSeatIdentity();

    const refused = await api.cancel(toCancel.id);
    expect(refused.status).toBe(409);
    await expectSeatIdentity();
  });

  it('refuses invites past the pool with no_seats and sends none of them', async () => {
    const before = counts(await p.sim.state(), 'c-3');
    expect(before.seats.available).toBe(SPEC.seatsPerCourse - SPEC.pendingPerCourse - SPEC.acceptedPerCourse);
    const emails = Array.from({ length: before.seats.available + 1 }, (_, i) => `extra${i}@example.test`);
    const r = await api.post<{ error: string; available: number }>('/api/courses/c-3/invites', { emails });
    expect(r.status).toBe(409);
    expect(r.body.error).toBe('no_seats');
    expect(r.body.available).toBe(before.seats.available);
    expect(counts(await p.sim.state(), 'c-3')).toEqual(before);

    const exact = await api.post<{ items: Invite[]; seats: Seats }>('/api/courses/c-3/invites', {
      emails: emails.slice(1),
    });
    expect(exact.status).toBe(201);
    expect(exact.body.seats.available).toBe(0);
    await expectSeatIdentity();
  });

  it('stamps new invites with the portal clock', async () => {
    const t = Date.parse('2027-03-01T09:00:00.000Z');
    await p.sim.setClock(t, { freeze: true });
    const r = await api.post<{ items: Invite[] }>('/api/courses/c-1/invites', {
      emails: ['clock@example.test'],
    });
    expect(r.body.items[0]?.sentAt).toBe('2027-03-01T09:00:00.000Z');
    expect(r.headers.get('date')).toBe(new Date(t).toUTCString());
  });
});

describe('expiry at exactly 30 x 24 h', () => {
  beforeEach(() => p.sim.reset(SPEC));
  afterAll(() => p.sim.freeze(false));

  it('is pending one ms before and expired at the instant, everywhere', async () => {
    const inv = await firstInvite(p.sim, 'c-1', 'pending');
    const sentAt = Date.parse(inv.sentAt);
    const pendingIds = async () =>
      (await api.get<InvitePage>('/api/courses/c-1/invites?status=pending&pageSize=100')).body.items.map(
        (i) => i.id,
      );

    await p.sim.setClock(sentAt + LIFETIME - 1, { freeze: true });
    const before = counts(await p.sim.state(), 'c-1');
    expect((await p.sim.invites({ courseId: 'c-1', status: 'pending' })).map((i) => i.id)).toContain(inv.id);
    expect(await pendingIds()).toContain(inv.id);

    await p.sim.setClock(sentAt + LIFETIME, { freeze: true });
    const after = counts(await p.sim.state(), 'c-1');
    expect(after.counts.pending).toBe(before.counts.pending - 1);
    expect(after.counts.expired).toBe(before.counts.expired + 1);
    expect(after.seats.available).toBe(before.seats.available + 1);
    expect(await pendingIds()).not.toContain(inv.id);
    const [again] = await p.sim.invites({ courseId: 'c-1', status: 'expired' });
    expect(again?.id).toBe(inv.id);
    const history = await api.get<{ items: Invite[] }>(
      `/api/learners/${inv.learner.id}/invites?status=pending`,
    );
    expect(history.body.items.map((i) => i.id)).not.toContain(inv.id);

    const r = await api.cancel<{ error: string; status: string }>(inv.id);
    expect(r.status).toBe(409);
    expect(r.body).toEqual({ error: 'not_pending', status: 'expired' });
  });

  it('stays expired when the clock is set back', async () => {
    const inv = await firstInvite(p.sim, 'c-2', 'pending');
    const sentAt = Date.parse(inv.sentAt);
    await p.sim.setClock(sentAt + LIFETIME, { freeze: true });
    await p.sim.state();
    await p.sim.setClock(sentAt + DAY, { freeze: true });
    const [same] = (await p.sim.invites({ courseId: 'c-2' })).filter((i) => i.id === inv.id);
    expect(same?.status).toBe('expired');
  });

  it('reports the portal clock in the Date header of every answer', async () => {
    const t = Date.parse('2026-12-24T18:30:00Z');
    await p.sim.setClock(t, { freeze: true });
    for (const path of ['/api/courses', '/__sim/state', '/manager/learners', '/nowhere']) {
      const res = await fetch(`${p.url}${path}`, { headers: { cookie: api.cookie } });
      expect(res.headers.get('date'), path).toBe('Thu, 24 Dec 2026 18:30:00 GMT');
    }
  });
});

describe('cancelling what is not pending', () => {
  beforeEach(async () => {
    await p.sim.reset(SPEC);
  });

  it.each(['accepted', 'cancelled', 'expired'] as const)(
    'answers 409 not_pending for %s and changes nothing',
    async (status) => {
      const pending = await firstInvite(p.sim, 'c-1', 'pending');
      if (status === 'cancelled') expect((await api.cancel(pending.id)).status).toBe(200);
      if (status === 'expired') await p.sim.setClock(Date.parse(pending.sentAt) + LIFETIME, { freeze: true });
      const target = status === 'accepted' ? await firstInvite(p.sim, 'c-1', 'accepted') : pending;
      await p.sim.clearJournal();
      const before = await p.sim.state();

      const r = await api.cancel<{ error: string; status: string }>(target.id);
      expect(r.status).toBe(409);
      expect(r.body).toEqual({ error: 'not_pending', status });

      const after = await p.sim.state();
      expect(after.courses).toEqual(before.courses);
      const [entry] = await p.sim.journal();
      expect(entry).toMatchObject({
        inviteId: target.id,
        httpStatus: 409,
        statusBefore: status,
        statusAfter: status,
      });
      expect(entry?.applied).toBe(false);
      await p.sim.freeze(false);
    },
  );

  it('journals each cancel: one applied, the repeat refused', async () => {
    const inv = await firstInvite(p.sim, 'c-2', 'pending');
    await api.cancel(inv.id);
    await api.cancel(inv.id);
    const entries = await p.sim.journal();
    expect(entries.map((e) => [e.seq, e.httpStatus, e.statusBefore, e.statusAfter, e.applied])).toEqual([
      [1, 200, 'pending', 'cancelled', true],
      [2, 409, 'cancelled', 'cancelled', false],
    ]);
    expect(entries.filter((e) => e.applied && e.inviteId === inv.id)).toHaveLength(1);
    await p.sim.clearJournal();
    expect(await p.sim.journal()).toEqual([]);
  });
});

describe('CSRF and Origin', () => {
  beforeEach(async () => {
    await p.sim.reset(SPEC);
  });

  async function tryCancel(headers: Record<string, string>) {
    const inv = await firstInvite(p.sim, 'c-1', 'pending');
    const res = await fetch(`${p.url}/api/invites/${inv.id}/cancel`, {
      method: 'POST',
      headers: { cookie: api.cookie, ...headers },
    });
    const [now] = (await p.sim.invites({ courseId: 'c-1' })).filter((i) => i.id === inv.id);
    return { status: res.status, body: (await res.json()) as { error?: string }, after: now?.status };
  }

  it('refuses a missing token', async () => {
    const r = await tryCancel({});
    expect(r).toMatchObject({ status: 403, body: { error: 'csrf' }, after: 'pending' });
  });

  it('refuses a wrong token', async () => {
    const r = await tryCancel({ 'X-CSRF-Token': `${api.csrfToken}x` });
    expect(r).toMatchObject({ status: 403, body: { error: 'csrf' }, after: 'pending' });
  });

  it('refuses a foreign Origin even with the right token, and journals it', async () => {
    const r = await tryCancel({
      'X-CSRF-Token': api.csrfToken,
      Origin: 'chrome-extension://abcdefghijklmnop',
    });
    expect(r).toMatchObject({ status: 403, body: { error: 'csrf' }, after: 'pending' });
    const [entry] = await p.sim.journal();
    expect(entry).toMatchObject({
      httpStatus: 403,
      error: 'csrf',
      applied: false,
      origin: 'chrome-extension://abcdefghijklmnop',
    });
  });

  it('accepts the portal’s own Origin, and no Origin', async () => {
    const own = await tryCancel({ 'X-CSRF-Token': api.csrfToken, Origin: p.url });
    expect(own).toMatchObject({ status: 200, after: 'cancelled' });
    const none = await tryCancel({ 'X-CSRF-Token': api.csrfToken });
    expect(none).toMatchObject({ status: 200, after: 'cancelled' });
  });

  it('also guards sending invites', async () => {
    const r = await api.post(
      '/api/courses/c-1/invites',
      { emails: ['x@example.test'] },
      { Origin: 'https://evil.example' },
    );
    expect(r.status).toBe(403);
    expect(
      (await p.sim.invites({ learnerId: undefined })).some((i) => i.learner.email === 'x@example.test'),
    ).toBe(false);
  });
});

describe('sessions, unknown ids and paths', () => {
  beforeAll(() => p.sim.reset({ ...SPEC, foreignCourses: 1 }));

  it('answers 401 when signed out, and after signing out', async () => {
    const anon = await fetch(`${p.url}/api/courses`);
    expect(anon.status).toBe(401);
    expect(await anon.json()).toEqual({ error: 'unauthenticated' });
    const inv = await firstInvite(p.sim, 'c-1', 'pending');
    const anonCancel = await fetch(`${p.url}/api/invites/${inv.id}/cancel`, { method: 'POST' });
    expect(anonCancel.status).toBe(401);

    const mine = await signedIn(p.url);
    expect((await mine.get('/api/session')).status).toBe(200);
    const out = await fetch(`${p.url}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: mine.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: mine.csrfToken }).toString(),
    });
    expect(out.status).toBe(303);
    expect((await mine.get('/api/session')).status).toBe(401);
    expect((await mine.cancel(inv.id)).status).toBe(401);
    expect((await p.sim.invites({ courseId: 'c-1', status: 'pending' })).map((i) => i.id)).toContain(inv.id);
  });

  it('gives the session and its token', async () => {
    const r = await api.get<{ manager: { email: string }; csrfToken: string }>('/api/session');
    expect(r.body.manager.email).toBe('manager@example.test');
    expect(r.body.csrfToken).toBe(api.csrfToken);
  });

  it('answers 404 not_found for unknown ids and another manager’s invites', async () => {
    expect((await api.cancel('i-999999')).body).toEqual({ error: 'not_found' });
    expect((await api.cancel('i-999999')).status).toBe(404);
    expect((await api.get('/api/courses/c-99/invites')).status).toBe(404);
    expect((await api.get('/api/learners/l-99999/invites')).status).toBe(404);

    const foreign = (await p.sim.state()).courses.find((c) => c.ownerId === 'm-2');
    if (!foreign) throw new Error('no foreign course');
    const theirs = await firstInvite(p.sim, foreign.id, 'pending');
    expect((await api.cancel(theirs.id)).status).toBe(404);
    expect((await api.get(`/api/courses/${foreign.id}/invites`)).status).toBe(404);
    const mine = (await api.get<{ items: CourseItem[] }>('/api/courses')).body.items.map((c) => c.id);
    expect(mine).not.toContain(foreign.id);
    const [theirsNow] = (await p.sim.invites({ courseId: foreign.id })).filter((i) => i.id === theirs.id);
    expect(theirsNow?.status).toBe('pending');

    const other = await signedIn(p.url, 'other@example.test');
    expect((await other.cancel(theirs.id)).status).toBe(200);
  });

  it('answers 405 for a wrong method and 404 for an unknown path', async () => {
    const wrong = await api.get('/api/invites/i-1/cancel');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((await api.post('/api/courses', {})).status).toBe(405);
    expect((await api.get('/api/nothing-here')).status).toBe(404);
    expect((await api.get('/api/nothing-here')).body).toEqual({ error: 'not_found' });
    expect((await fetch(`${p.url}/__sim/nothing`)).status).toBe(404);
    expect((await fetch(`${p.url}/__sim/state`, { method: 'POST' })).status).toBe(405);
  });
});

describe('listing', () => {
  beforeAll(() =>
    p.sim.reset({ seed: 3, courses: 2, pendingPerCourse: 57, acceptedPerCourse: 9, learners: 120 }),
  );

  it('pages through every pending invite once, newest first, never listing others as pending', async () => {
    const expected = (await p.sim.invites({ courseId: 'c-1', status: 'pending' })).map((i) => i.id).sort();
    const seen: Invite[] = [];
    for (let page = 1; ; page++) {
      const r = await api.get<InvitePage>(`/api/courses/c-1/invites?status=pending&page=${page}&pageSize=10`);
      expect(r.body).toMatchObject({ page, pageSize: 10, total: 57 });
      if (r.body.items.length === 0) break;
      expect(r.body.items.length).toBe(page <= 5 ? 10 : 7);
      seen.push(...r.body.items);
    }
    expect(seen.every((i) => i.status === 'pending' && i.progress === null)).toBe(true);
    expect(seen.map((i) => i.id).sort()).toEqual(expected);
    const times = seen.map((i) => Date.parse(i.sentAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('clamps pageSize to 100 and rejects nonsense', async () => {
    const r = await api.get<InvitePage>('/api/courses/c-1/invites?status=all&pageSize=500');
    expect(r.body.pageSize).toBe(100);
    expect(r.body.items.length).toBe(66);
    expect((await api.get('/api/courses/c-1/invites?page=0')).status).toBe(400);
    expect((await api.get('/api/courses/c-1/invites?status=weird')).status).toBe(400);
  });

  it('filters accepted, with progress', async () => {
    const r = await api.get<InvitePage>('/api/courses/c-2/invites?status=accepted');
    expect(r.body.total).toBe(9);
    for (const i of r.body.items) {
      expect(i.status).toBe('accepted');
      expect(i.progress).toBeGreaterThanOrEqual(0);
      expect(i.progress).toBeLessThanOrEqual(100);
    }
  });

  it('searches learners and lists a learner’s invites', async () => {
    const all = await api.get<{
      items: { id: string; name: string; email: string }[];
      total: number;
      pageSize: number;
    }>('/api/learners');
    expect(all.body.total).toBe(120);
    expect(all.body.items).toHaveLength(all.body.pageSize);
    const someone = all.body.items[3];
    if (!someone) throw new Error('no learner');
    const found = await api.get<{ items: { id: string }[] }>(
      `/api/learners?q=${encodeURIComponent(someone.email)}`,
    );
    expect(found.body.items.map((l) => l.id)).toContain(someone.id);
    const none = await api.get<{ items: unknown[]; total: number }>('/api/learners?q=zzzz-nobody');
    expect(none.body.total).toBe(0);

    const invites = await api.get<{ items: Invite[] }>(`/api/learners/${someone.id}/invites`);
    const viaSim = await p.sim.invites({ learnerId: someone.id });
    expect(invites.body.items.map((i) => i.id).sort()).toEqual(viaSim.map((i) => i.id).sort());
  });
});
