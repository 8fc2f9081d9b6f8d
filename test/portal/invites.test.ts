/**
 * POST /api/courses/{id}/invites exactly as the contract says, every fault applied to it as to
 * cancels, and the journal of invite requests (with the audit helpers tests will judge by).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { invitedTwice, seatsFreedNotRefilled } from './audit';
import { type Api, type Booted, boot, LIFETIME, signedIn } from './helpers';
import type { Invite, Seats, SimState } from './types';

interface Sent {
  items: Invite[];
  skipped: { email: string; reason: string }[];
  seats: Seats;
}

let p: Booted;
let api: Api;

beforeAll(async () => {
  p = await boot();
});
afterAll(() => p.close());

/** 3 courses x 5 pending + 3 accepted, 12 seats each: 4 free. */
const SPEC = {
  seed: 21,
  courses: 3,
  learners: 60,
  pendingPerCourse: 5,
  acceptedPerCourse: 3,
  seatsPerCourse: 12,
};

beforeEach(async () => {
  await p.sim.resetFaults();
  await p.sim.setFaults({ latencyMs: 0, rateLimit: null });
  await p.sim.reset(SPEC);
  await p.sim.freeze(false);
  api = await signedIn(p.url);
});

const invite = (emails: unknown[], courseId = 'c-1', headers: Record<string, string> = {}) =>
  api.post<Sent & { error?: string; invalid?: string[] }>(
    `/api/courses/${courseId}/invites`,
    { emails },
    headers,
  );

const course = (s: SimState, id: string) => {
  const c = s.courses.find((x) => x.id === id);
  if (!c) throw new Error(`no course ${id}`);
  return c;
};

async function learnerOf(courseId: string, status: Invite['status']): Promise<Invite> {
  const [inv] = await p.sim.invites({ courseId, status });
  if (!inv) throw new Error(`no ${status} invite in ${courseId}`);
  return inv;
}

/** A seeded learner with no invite of any status in the course. */
async function outsider(courseId: string): Promise<{ id: string; email: string }> {
  const inCourse = new Set((await p.sim.invites({ courseId })).map((i) => i.learner.id));
  const all = (await api.get<{ items: { id: string; email: string }[] }>('/api/learners?page=1')).body.items;
  const l = all.find((x) => !inCourse.has(x.id));
  if (!l) throw new Error('every learner is in the course');
  return l;
}

describe('the answer', () => {
  it('is 201 {items, skipped, seats}: one pending invite per new address; held addresses skipped, matched case-insensitively', async () => {
    const pending = await learnerOf('c-1', 'pending');
    const accepted = await learnerOf('c-1', 'accepted');
    const known = await outsider('c-1');
    const before = course(await p.sim.state(), 'c-1');
    const learnersBefore = (await p.sim.state()).learners;
    const clock = await p.sim.freeze();

    const shouted = pending.learner.email.toUpperCase();
    const r = await invite([shouted, accepted.learner.email, 'New.Person@Example.test', known.email]);
    expect(r.status).toBe(201);
    expect(Object.keys(r.body).sort()).toEqual(['items', 'seats', 'skipped']);
    expect(r.body.skipped).toEqual([
      { email: shouted, reason: 'already_pending' },
      { email: accepted.learner.email, reason: 'already_accepted' },
    ]);
    expect(r.body.items).toHaveLength(2);
    const [fresh, again] = r.body.items as [Invite, Invite];
    for (const i of r.body.items) {
      expect(i).toMatchObject({ status: 'pending', progress: null, course: { id: 'c-1' } });
      expect(i.sentAt).toBe(new Date(clock.now).toISOString());
    }
    // An unknown address becomes a learner named by the address; a known one keeps its learner.
    expect(fresh.learner).toMatchObject({
      name: 'New.Person@Example.test',
      email: 'New.Person@Example.test',
    });
    expect(again.learner.id).toBe(known.id);
    expect(r.body.seats).toEqual({
      total: before.seats.total,
      assigned: before.seats.assigned + 2,
      available: before.seats.available - 2,
    });
    const after = await p.sim.state();
    expect(after.learners).toBe(learnersBefore + 1);
    expect(course(after, 'c-1').counts.pending).toBe(before.counts.pending + 2);
    expect(after.identityHolds).toBe(true);

    // The new learner is the same learner whatever the case of a later request.
    const later = await invite(['new.person@example.test']);
    expect(later.body.skipped).toEqual([{ email: 'new.person@example.test', reason: 'already_pending' }]);
    await p.sim.freeze(false);
  });

  it('sends a repeated address once; the repeat is skipped as already_pending', async () => {
    const r = await invite(['twice@example.test', ' TWICE@example.test ']);
    expect(r.status).toBe(201);
    expect(r.body.items.map((i) => i.learner.email)).toEqual(['twice@example.test']);
    expect(r.body.skipped).toEqual([{ email: 'TWICE@example.test', reason: 'already_pending' }]);
    const [entry] = await p.sim.inviteJournal();
    expect(entry?.skipped).toEqual([
      { email: 'TWICE@example.test', reason: 'already_pending', inviteId: r.body.items[0]?.id },
    ]);
  });

  it('is 400 invalid_emails, with nothing sent, when any address is malformed', async () => {
    const before = await p.sim.state();
    const r = await invite(['fine@example.test', 'not-an-address', 'Jo <jo@example.test>', 42, '']);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: 'invalid_emails',
      invalid: ['not-an-address', 'Jo <jo@example.test>', '42', ''],
    });
    const after = await p.sim.state();
    expect(after.courses).toEqual(before.courses);
    expect(after.learners).toBe(before.learners);
    expect(await p.sim.inviteJournal()).toMatchObject([
      { httpStatus: 400, error: 'invalid_emails', created: [], applied: false, invalid: r.body.invalid },
    ]);
  });

  it('is 400 bad_request for no list, an empty list or more than 1000 addresses', async () => {
    expect((await api.post('/api/courses/c-1/invites', {})).body).toEqual({
      error: 'bad_request',
      field: 'emails',
    });
    expect((await invite([])).body).toEqual({ error: 'bad_request', field: 'emails' });
    const many = Array.from({ length: 1001 }, (_, i) => `n${i}@example.test`);
    expect((await invite(many)).body).toEqual({ error: 'bad_request', field: 'emails', max: 1000 });
    const bad = await fetch(`${p.url}/api/courses/c-1/invites`, {
      method: 'POST',
      headers: { cookie: api.cookie, 'X-CSRF-Token': api.csrfToken },
      body: '{"emails": [',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'bad_json' });
  });

  it('is 409 no_seats, with nothing sent, when the new addresses outnumber the free seats', async () => {
    const held = await learnerOf('c-2', 'pending');
    const before = await p.sim.state();
    const free = course(before, 'c-2').seats.available;
    expect(free).toBe(4);
    const fresh = Array.from({ length: free + 1 }, (_, i) => `seat${i}@example.test`);
    const r = await invite([held.learner.email, ...fresh], 'c-2');
    expect(r.status).toBe(409);
    expect(r.body).toEqual({ error: 'no_seats', available: free, requested: free + 1 });
    const after = await p.sim.state();
    expect(after.courses).toEqual(before.courses);
    expect(after.learners).toBe(before.learners);
    expect(await p.sim.inviteJournal()).toMatchObject([
      { httpStatus: 409, error: 'no_seats', available: free, requested: free + 1, created: [] },
    ]);
    // A held address takes no seat: exactly the free seats' worth of new ones fit.
    const fits = await invite([held.learner.email, ...fresh.slice(1)], 'c-2');
    expect(fits.status).toBe(201);
    expect(fits.body.seats.available).toBe(0);
  });

  it('invites again the learner of a cancelled or expired invite: a new invite, a new 30 days', async () => {
    const cancelled = await learnerOf('c-1', 'pending');
    expect((await api.cancel(cancelled.id)).status).toBe(200);
    const r1 = await invite([cancelled.learner.email]);
    expect(r1.status).toBe(201);
    expect(r1.body.items[0]?.id).not.toBe(cancelled.id);
    expect(r1.body.items[0]?.learner.id).toBe(cancelled.learner.id);

    const old = await learnerOf('c-3', 'pending');
    const expiry = Date.parse(old.sentAt) + LIFETIME;
    await p.sim.setClock(expiry, { freeze: true });
    const r2 = await invite([old.learner.email], 'c-3');
    expect(r2.status).toBe(201);
    const renewed = r2.body.items[0] as Invite;
    expect(renewed.sentAt).toBe(new Date(expiry).toISOString());
    await p.sim.setClock(expiry + LIFETIME - 1, { freeze: true });
    const [stillPending] = (await p.sim.invites({ courseId: 'c-3' })).filter((i) => i.id === renewed.id);
    expect(stillPending?.status).toBe('pending');
    await p.sim.setClock(expiry + LIFETIME, { freeze: true });
    const [expired] = (await p.sim.invites({ courseId: 'c-3' })).filter((i) => i.id === renewed.id);
    expect(expired?.status).toBe('expired');
    await p.sim.freeze(false);
  });

  it('is 404 for an unknown course and another manager’s, 403 csrf for a foreign Origin; each journaled', async () => {
    await p.sim.reset({ ...SPEC, foreignCourses: 1 });
    api = await signedIn(p.url);
    const foreign = (await p.sim.state()).courses.find((c) => c.ownerId === 'm-2');
    expect((await invite(['x@example.test'], 'c-999')).status).toBe(404);
    expect((await invite(['x@example.test'], foreign?.id)).body).toEqual({ error: 'not_found' });
    const csrf = await invite(['x@example.test'], 'c-1', { Origin: 'chrome-extension://abc' });
    expect(csrf.status).toBe(403);
    expect(csrf.body).toEqual({ error: 'csrf' });
    expect((await p.sim.invites()).some((i) => i.learner.email === 'x@example.test')).toBe(false);
    expect(
      (await p.sim.inviteJournal()).map((e) => [e.courseId, e.httpStatus, e.error, e.origin, e.applied]),
    ).toEqual([
      ['c-999', 404, 'not_found', null, false],
      [foreign?.id, 404, 'not_found', null, false],
      ['c-1', 403, 'csrf', 'chrome-extension://abc', false],
    ]);
  });
});

describe('the journal of invite requests', () => {
  it('records time, course, addresses, what each created or skipped, seats, Origin; seq shared with cancels', async () => {
    const [held, toCancel] = (await p.sim.invites({ courseId: 'c-1', status: 'pending' })) as [
      Invite,
      Invite,
    ];
    const clock = await p.sim.freeze();
    await api.cancel(toCancel.id);
    const r = await invite([held.learner.email, 'j1@example.test'], 'c-1', { Origin: p.url });
    const { entries, invites } = await p.sim.journalAll();
    expect(entries.map((e) => [e.seq, e.inviteId, e.courseId])).toEqual([[1, toCancel.id, 'c-1']]);
    expect(invites).toEqual([
      {
        seq: 2,
        at: clock.now,
        courseId: 'c-1',
        emails: [held.learner.email, 'j1@example.test'],
        httpStatus: 201,
        created: [
          {
            email: 'j1@example.test',
            inviteId: r.body.items[0]?.id,
            learnerId: r.body.items[0]?.learner.id,
            newLearner: true,
          },
        ],
        skipped: [{ email: held.learner.email, reason: 'already_pending', inviteId: held.id }],
        applied: true,
        seatsAfter: r.body.seats,
        origin: p.url,
      },
    ]);
    await p.sim.clearJournal();
    expect(await p.sim.journalAll()).toEqual({ entries: [], invites: [] });
    await p.sim.freeze(false);
  });

  it('lets a test count addresses invited twice and seats freed and not refilled', async () => {
    const [a, b] = await p.sim.invites({ courseId: 'c-1', status: 'pending' });
    const c = await learnerOf('c-2', 'pending');
    for (const inv of [a, b, c]) expect((await api.cancel(inv?.id as string)).status).toBe(200);
    const first = await invite(['Again@example.test']);
    await api.cancel(first.body.items[0]?.id as string);
    const second = await invite(['again@example.test']);
    await invite([a?.learner.email as string]);
    const { entries, invites } = await p.sim.journalAll();
    expect(invitedTwice(invites)).toEqual([
      {
        courseId: 'c-1',
        email: 'again@example.test',
        inviteIds: [first.body.items[0]?.id, second.body.items[0]?.id],
      },
    ]);
    // c-1: 3 freed (a, b, the first "again"), 3 filled; c-2: 1 freed, none filled.
    expect(seatsFreedNotRefilled(entries, invites)).toEqual({ 'c-2': 1 });
  });
});

describe('faults on invites', () => {
  it('drops the connection before and after applying, and the journal says which', async () => {
    await p.sim.reset({ ...SPEC, seatsPerCourse: 20 });
    await p.sim.setFaults({ dropRate: 1, faultPaths: 'invite' });
    const emails = Array.from({ length: 24 }, (_, i) => `drop${i}@example.test`);
    for (const e of emails) await expect(invite([e], `c-${1 + (emails.indexOf(e) % 3)}`)).rejects.toThrow();
    const journal = await p.sim.inviteJournal();
    expect(journal.map((e) => e.emails[0])).toEqual(emails);
    const before = journal.filter((e) => e.dropped === 'before');
    const after = journal.filter((e) => e.dropped === 'after');
    expect(before.length + after.length).toBe(24);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    const pendingByEmail = new Map(
      (await p.sim.invites({ status: 'pending' })).map((i) => [i.learner.email, i.id]),
    );
    for (const e of before) {
      expect(e).toMatchObject({ httpStatus: 0, created: [], applied: false });
      expect(pendingByEmail.has(e.emails[0] as string)).toBe(false);
    }
    for (const e of after) {
      expect(e).toMatchObject({ httpStatus: 201, applied: true });
      expect(pendingByEmail.get(e.emails[0] as string)).toBe(e.created[0]?.inviteId);
    }
    expect((await p.sim.state()).identityHolds).toBe(true);
    // GETs are not dropped with faultPaths 'invite'.
    expect((await api.get('/api/courses')).status).toBe(200);

    // Sent again: 201 with the invite if it was dropped before, skipped already_pending if after.
    await p.sim.setFaults({ dropRate: 0 });
    for (const e of journal) {
      const r = await invite(e.emails, e.courseId);
      expect(r.status).toBe(201);
      expect(r.body.items.length).toBe(e.dropped === 'before' ? 1 : 0);
      expect(r.body.skipped.length).toBe(e.dropped === 'after' ? 1 : 0);
    }
    expect(invitedTwice(await p.sim.inviteJournal())).toEqual([]);
  });

  it('answers a 5xx before the handler: nothing sent, nothing journaled', async () => {
    await p.sim.setFaults({ errorRate: 1, faultPaths: 'invite' });
    const before = await p.sim.state();
    const r = await invite(['five@example.test']);
    expect([500, 502, 503]).toContain(r.status);
    expect(r.body).toMatchObject({ error: 'server_error' });
    expect((await api.get('/api/courses')).status).toBe(200);
    const pending = await learnerOf('c-1', 'pending');
    expect((await api.cancel(pending.id)).status).toBe(200);
    expect((await p.sim.state()).learners).toBe(before.learners);
    expect(await p.sim.inviteJournal()).toEqual([]);
  });

  it('hits cancels and invites but no read with faultPaths mutations', async () => {
    await p.sim.setFaults({ errorRate: 1, faultPaths: 'mutations' });
    expect((await api.get('/api/courses')).status).toBe(200);
    expect((await invite(['m@example.test'])).status).toBeGreaterThanOrEqual(500);
    const pending = await learnerOf('c-1', 'pending');
    expect((await api.cancel(pending.id)).status).toBeGreaterThanOrEqual(500);
  });

  it('sends the invites behind a malformed answer and journals it', async () => {
    await p.sim.setFaults({ malformedRate: 1, faultPaths: 'invite' });
    const r = await invite(['bad.answer@example.test']);
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body?.items) && Array.isArray(r.body?.skipped), r.text).toBe(false);
    const [inv] = (await p.sim.invites({ courseId: 'c-1', status: 'pending' })).filter(
      (i) => i.learner.email === 'bad.answer@example.test',
    );
    expect(inv).toBeDefined();
    expect(await p.sim.inviteJournal()).toMatchObject([
      { httpStatus: 201, malformed: true, applied: true, created: [{ inviteId: inv?.id }] },
    ]);
  });

  it('answers 429 with Retry-After past the rate limit; the limited requests send nothing', async () => {
    await p.sim.setFaults({ rateLimit: { perSecond: 1, burst: 2 } });
    const answers = await Promise.all([0, 1, 2, 3].map((i) => invite([`rl${i}@example.test`])));
    const limited = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(2);
    expect(limited).toHaveLength(2);
    for (const a of limited) {
      expect(a.body).toEqual({ error: 'rate_limited' });
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    const created = (await p.sim.invites({ courseId: 'c-1' })).filter((i) =>
      i.learner.email.startsWith('rl'),
    );
    expect(created).toHaveLength(2);
    expect(await p.sim.inviteJournal()).toHaveLength(2);
    expect((await p.sim.requests()).rateLimited).toBe(2);
  });

  it('delays invite answers by latencyMs', async () => {
    await p.sim.setFaults({ latencyMs: 200 });
    const t0 = performance.now();
    expect((await invite(['slow@example.test'])).status).toBe(201);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(200);
  });

  it('ends the session after N invite requests with faultPaths invite; reads do not count', async () => {
    await p.sim.setFaults({ sessionExpiryAfter: 2, faultPaths: 'invite' });
    expect((await invite(['s1@example.test'])).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await api.get('/api/courses')).status).toBe(200);
    expect((await invite(['s2@example.test'])).status).toBe(201);
    const third = await invite(['s3@example.test']);
    expect(third.status).toBe(401);
    expect(third.body).toEqual({ error: 'unauthenticated' });
    expect((await api.get('/api/courses')).status).toBe(401);
    expect((await p.sim.invites()).some((i) => i.learner.email === 's3@example.test')).toBe(false);
  });
});
