/**
 * Jobs that invite (reassign, renew, invite and make room) against the reference portal, the
 * portal's journal as the judge: every seat freed is filled or reported with its reason, no
 * address is invited twice, nothing accepted is touched, and a lost answer to an invite is
 * settled by re-reading the course before anything is sent again, whatever became of it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { planInvites } from '../../src/background/jobs/invite-work';
import { JobRunner } from '../../src/background/jobs/runner';
import { PortalClient } from '../../src/portal/api/client';
import type { JobView } from '../../src/shared/types';
import { invitedTwice, seatsFreedNotRefilled } from '../portal/audit';
import { signedIn } from '../portal/helpers';
import { signIn } from '../portal/sim-client';
import type { Invite } from '../portal/types';
import { type Rig, rig, sleep } from './helpers';

/** No free seat anywhere: an invite can only go into a seat its job freed. */
const FULL = {
  seed: 11,
  courses: 2,
  learners: 80,
  pendingPerCourse: 20,
  acceptedPerCourse: 3,
  seatsPerCourse: 23,
};

let current: Rig | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

async function finished(r: Rig, jobId: number): Promise<JobView> {
  await r.runner.idle();
  const view = await r.runner.view(jobId);
  if (!view) throw new Error('no job');
  return view;
}

async function pendingOf(r: Rig, courseId: string): Promise<Invite[]> {
  return (await r.sim.invites({ courseId, status: 'pending' })).sort((a, b) =>
    a.sentAt.localeCompare(b.sentAt),
  );
}

const isInvitePost = (path: string, init: RequestInit) =>
  init.method === 'POST' && /^\/api\/courses\/[^/]+\/invites$/.test(path);
const lostAnswer = () => new TypeError('fetch failed: the connection was reset');

/** The invite journal's conclusions, and the seat identity: what every test here must hold. */
async function expectSeatsAccounted(r: Rig, view: JobView) {
  const { entries, invites } = await r.sim.journalAll();
  expect(invitedTwice(invites), 'an address invited twice').toEqual([]);
  // Seats freed and not refilled: each one reported on its line with a reason.
  const unfilled = seatsFreedNotRefilled(entries, invites);
  const reported = new Map<string, number>();
  for (const line of view.lines ?? [])
    if (line.seatLeftFree) reported.set(line.courseId, (reported.get(line.courseId) ?? 0) + 1);
  expect(Object.fromEntries(reported)).toEqual(unfilled);
  expect((await r.sim.state()).identityHolds).toBe(true);
  return { entries, invites };
}

describe('reassign and renew', () => {
  it('starts its Undo window once the portal was read: a slow portal never shortens it', async () => {
    const r = await rig({ data: FULL, faults: { latencyMs: 400 } });
    current = r;
    const [victim] = await pendingOf(r, 'c-1');
    if (!victim) throw new Error('seed');
    const before = Date.now();
    const jobId = await r.startInvites(
      { kind: 'reassign', pairs: [{ courseId: 'c-1', inviteId: victim.id, email: 'slow@example.test' }] },
      5,
    );
    const started = Date.now();
    expect(started - before).toBeGreaterThan(1000); // the course list, its pending and accepted invites
    const job = (await r.runner.view(jobId))?.job;
    expect(job?.state).toBe('waiting');
    expect((job?.startAt ?? 0) - started).toBeGreaterThan(4500);
    await r.runner.undo(jobId);
  });

  it('cancels each invite, then invites its address into the freed seat, once; audits both with the reason', async () => {
    const r = await rig({ data: FULL });
    current = r;
    const chosen = (await pendingOf(r, 'c-1')).slice(0, 6);
    const pairs = chosen.map((i, k) => ({
      courseId: 'c-1',
      inviteId: i.id,
      email: `New.Person${k}@example.test`,
    }));
    const view = await finished(r, await r.startInvites({ kind: 'reassign', pairs }));
    expect(view.job).toMatchObject({ state: 'done', reason: 'reassign' });
    expect(view.counts).toMatchObject({ total: 6, invited: 6, failed: 0 });
    const { entries, invites } = await expectSeatsAccounted(r, view);
    expect(
      entries
        .filter((e) => e.applied)
        .map((e) => e.inviteId)
        .sort(),
    ).toEqual(chosen.map((i) => i.id).sort());
    const created = invites.flatMap((e) => e.created.map((c) => ({ ...c, seq: e.seq })));
    expect(created.map((c) => c.email).sort()).toEqual(pairs.map((p) => p.email).sort());
    // Each invite went out after its own cancel had applied (there was no other free seat).
    for (const p of pairs) {
      const cancel = entries.find((e) => e.inviteId === p.inviteId && e.applied);
      const invite = created.find((c) => c.email === p.email);
      expect(cancel && invite && cancel.seq < invite.seq).toBe(true);
    }
    for (const line of view.lines ?? []) {
      expect(line).toMatchObject({ outcome: 'invited', seatLeftFree: null, revoked: { outcome: 'revoked' } });
      expect(line.newInviteId).toBe(created.find((c) => c.email === line.email)?.inviteId);
    }
    const audit = await r.db.audit.toArray();
    expect(audit.filter((a) => a.action === 'cancel' && a.outcome === 'revoked')).toHaveLength(6);
    expect(audit.filter((a) => a.action === 'invite' && a.outcome === 'invited')).toHaveLength(6);
    expect(audit.every((a) => a.reason === 'reassign' && a.jobId === view.job.id)).toBe(true);
  });

  it('renews: the same learner invited again, with a new 30 days', async () => {
    const r = await rig({ data: FULL });
    current = r;
    const [a, b] = await pendingOf(r, 'c-2');
    if (!a || !b) throw new Error('seed');
    const view = await finished(
      r,
      await r.startInvites({
        kind: 'renew',
        invites: [
          { courseId: 'c-2', inviteId: a.id },
          { courseId: 'c-2', inviteId: b.id },
        ],
      }),
    );
    expect(view.counts).toMatchObject({ invited: 2, failed: 0 });
    await expectSeatsAccounted(r, view);
    for (const old of [a, b]) {
      const mine = await r.sim.invites({ learnerId: old.learner.id, courseId: 'c-2' });
      expect(mine.find((i) => i.id === old.id)?.status).toBe('cancelled');
      const fresh = mine.find((i) => i.status === 'pending');
      expect(Date.parse(fresh?.sentAt ?? '')).toBeGreaterThan(Date.parse(old.sentAt));
    }
  });

  it('renews across courses, and sends nothing for an invite cancelled before the renew reached it', async () => {
    const r = await rig({ data: FULL });
    current = r;
    const [a] = await pendingOf(r, 'c-1');
    const [b, gone] = await pendingOf(r, 'c-2');
    if (!a || !b || !gone) throw new Error('seed');
    const cancelled = await r.client.cancel(gone.id);
    expect(cancelled.ok).toBe(true);
    const view = await finished(
      r,
      await r.startInvites({
        kind: 'renew',
        invites: [
          { courseId: 'c-1', inviteId: a.id },
          { courseId: 'c-2', inviteId: b.id },
          { courseId: 'c-2', inviteId: gone.id },
        ],
      }),
    );
    expect(view.counts).toMatchObject({ invited: 2, failed: 0 });
    const sent = (await r.sim.inviteJournal()).flatMap((e) => e.emails).sort();
    expect(sent).toEqual([a.learner.email, b.learner.email].sort());
    const skipped = view.lines?.find((l) => l.email === gone.learner.email);
    expect(skipped?.detail).toMatch(/Cancelled before the renew reached it: nothing was sent/);
  });

  it('sends nothing for an invite accepted before or during the job, and never touches it', async () => {
    const r = await rig({ data: FULL });
    current = r;
    const [early, late, other] = await pendingOf(r, 'c-1');
    if (!early || !late || !other) throw new Error('seed');
    await r.sim.accept(early.id);
    const pairs = [early, late, other].map((i, k) => ({
      courseId: 'c-1',
      inviteId: i.id,
      email: `x${k}@example.test`,
    }));
    const jobId = await r.startInvites({ kind: 'reassign', pairs }, 0.4);
    await r.sim.accept(late.id); // in the Undo window: after the job was read, before its first request
    const view = await finished(r, jobId);
    expect(view.counts).toMatchObject({ keptAccepted: 2, invited: 1 });
    const { entries, invites } = await expectSeatsAccounted(r, view);
    expect(entries.filter((e) => e.inviteId === early.id)).toEqual([]);
    expect(entries.filter((e) => e.inviteId === late.id).every((e) => !e.applied)).toBe(true);
    expect(invites.flatMap((e) => e.emails)).toEqual(['x2@example.test']);
    const kept = view.lines?.find((l) => l.email === 'x1@example.test');
    expect(kept?.detail).toMatch(/Accepted by the learner meanwhile.*nothing was sent to x1@example.test/);
  });

  it('refuses a malformed address or an address given twice, sending nothing', async () => {
    const r = await rig({ data: FULL });
    current = r;
    const [a, b] = await pendingOf(r, 'c-1');
    if (!a || !b) throw new Error('seed');
    const start = (emails: string[]) =>
      r.runner.startInvites({
        origin: r.portal.origin,
        work: {
          kind: 'reassign',
          pairs: emails.map((email, k) => ({ courseId: 'c-1', inviteId: [a, b][k]?.id ?? '', email })),
        },
        surface: 'popup',
        undoSeconds: 0,
        concurrency: 6,
        context: null,
      });
    expect(await start(['jane@example'])).toMatchObject({ refused: expect.stringMatching(/has no dot/) });
    expect(await start(['Jo@example.test', 'jo@EXAMPLE.test'])).toMatchObject({
      refused: expect.stringMatching(/twice/),
    });
    expect((await r.sim.journalAll()).entries).toEqual([]);
    expect(await r.db.jobs.count()).toBe(0);
  });
});

describe('invite and make room', () => {
  const ROOMY = { ...FULL, courses: 1, seatsPerCourse: 25 }; // 2 free seats

  it('plans free seats first, then the oldest pending invites of nobody on the list, and does exactly that', async () => {
    const r = await rig({ data: ROOMY });
    current = r;
    const pending = await pendingOf(r, 'c-1');
    const listed = pending[0] as Invite; // the oldest pending invite's learner is on the list
    const text = [
      'Ann Lee <ann@example.test>, "Doe, Bo" <bo@example.test>; cy@example.test',
      'dee@example.test',
      'not-an-address',
      'ANN@example.test',
      `${listed.learner.email}\teve@example.test`,
    ].join('\n');
    const plan = await planInvites(r.client, 'c-1', `${text}\n${listed.learner.email}`, 0, null);
    if (!plan.ok) throw new Error(JSON.stringify(plan));
    const p = plan.value;
    expect(p.problem).toBeNull();
    expect(p.malformed.map((m) => m.text)).toEqual([
      'not-an-address',
      `${listed.learner.email}\teve@example.test`,
    ]);
    expect(p.repeated).toEqual([{ email: 'ann@example.test', times: 2 }]);
    expect(p.holding.map((h) => h.email)).toEqual([listed.learner.email]);
    expect(p.toInvite).toEqual([
      'ann@example.test',
      'bo@example.test',
      'cy@example.test',
      'dee@example.test',
    ]);
    expect(p.free).toBe(2);
    // Oldest first, skipping the invite of the listed learner.
    expect(p.revokes.map((v) => v.inviteId)).toEqual([pending[1]?.id, pending[2]?.id]);
    expect(p.revokes.map((v) => v.for)).toEqual(['cy@example.test', 'dee@example.test']);

    const jobId = await r.startInvites({
      kind: 'make-room',
      courseId: 'c-1',
      emails: p.addresses,
      revokeIds: p.revokes.map((v) => v.inviteId),
      minAgeDays: 0,
    });
    const view = await finished(r, jobId);
    expect(view.counts).toMatchObject({ invited: 4, alreadyInvited: 1, failed: 0 });
    const { entries, invites } = await expectSeatsAccounted(r, view);
    expect(
      entries
        .filter((e) => e.applied)
        .map((e) => e.inviteId)
        .sort(),
    ).toEqual([pending[1]?.id, pending[2]?.id].sort());
    expect(invites.flatMap((e) => e.created.map((c) => c.email)).sort()).toEqual(p.toInvite.slice().sort());
    expect((await r.sim.invites({ courseId: 'c-1' })).find((i) => i.id === listed.id)?.status).toBe(
      'pending',
    );
  });

  it('says who stays unseated when the age filter leaves too few invites, and reports them', async () => {
    const r = await rig({ data: { ...ROOMY, seatsPerCourse: 23, pendingPerCourse: 20, maxAgeDays: 29 } });
    current = r;
    const now = (await r.sim.clock()).now;
    const old = (await pendingOf(r, 'c-1')).filter((i) => now - Date.parse(i.sentAt) >= 25 * 86_400_000);
    const emails = Array.from({ length: old.length + 2 }, (_, k) => `u${k}@example.test`);
    const plan = await planInvites(r.client, 'c-1', emails.join(';'), 25, null);
    if (!plan.ok) throw new Error('plan');
    expect(plan.value.revokes.map((v) => v.inviteId).sort()).toEqual(old.map((i) => i.id).sort());
    expect(plan.value.unseated).toEqual(emails.slice(-2));
    const view = await finished(
      r,
      await r.startInvites({
        kind: 'make-room',
        courseId: 'c-1',
        emails: plan.value.addresses,
        revokeIds: plan.value.revokes.map((v) => v.inviteId),
        minAgeDays: 25,
      }),
    );
    expect(view.counts).toMatchObject({ invited: old.length, notInvited: 2 });
    expect(view.lines?.filter((l) => l.outcome === 'not-invited').map((l) => l.email)).toEqual(
      emails.slice(-2),
    );
    await expectSeatsAccounted(r, view);
  });

  it('refuses to start when the course changed and would need an invite the manager was not shown', async () => {
    const r = await rig({ data: ROOMY });
    current = r;
    const plan = await planInvites(
      r.client,
      'c-1',
      'a@example.test, b@example.test, c@example.test',
      0,
      null,
    );
    if (!plan.ok) throw new Error('plan');
    expect(plan.value.revokes).toHaveLength(1);
    await r.sim.churn({ courseIds: ['c-1'], invites: 1 }); // someone takes a free seat
    const work = {
      kind: 'make-room' as const,
      courseId: 'c-1',
      emails: plan.value.addresses,
      revokeIds: plan.value.revokes.map((v) => v.inviteId),
      minAgeDays: 0,
    };
    const refused = await r.runner.startInvites({
      origin: r.portal.origin,
      work,
      surface: 'popup',
      undoSeconds: 0,
      concurrency: 6,
      context: null,
    });
    expect(refused).toEqual({
      ok: false,
      refused: 'The course changed since the plan was made: look at the new plan before starting.',
    });
    const { entries, invites } = await r.sim.journalAll();
    expect([entries.length, invites.length]).toEqual([0, 0]);
  });
});

describe('exactly once: a lost answer to an invite', () => {
  async function onePair(r: Rig, email: string) {
    const [victim] = await pendingOf(r, 'c-1');
    if (!victim) throw new Error('seed');
    return {
      victim,
      work: { kind: 'reassign' as const, pairs: [{ courseId: 'c-1', inviteId: victim.id, email }] },
    };
  }

  it('that applied is confirmed by re-reading the course, and never sent again', async () => {
    const r = await rig({ data: FULL });
    current = r;
    const { work } = await onePair(r, 'lost@example.test');
    let posts = 0;
    r.intercept = async (path, init, send) => {
      if (!isInvitePost(path, init)) return send();
      posts++;
      await send();
      if (posts === 1) throw lostAnswer();
      return send();
    };
    const view = await finished(r, await r.startInvites(work));
    expect(posts).toBe(1);
    expect(view.lines?.[0]).toMatchObject({ outcome: 'invited', seatLeftFree: null });
    expect(view.lines?.[0]?.detail).toMatch(/Confirmed on re-read: Reclaim’s own request had been applied/);
    await expectSeatsAccounted(r, view);
  });

  it('that applied is this job’s even when its invite was cancelled before the re-read: no second invite', async () => {
    const r = await rig({ data: FULL });
    current = r;
    const { work } = await onePair(r, 'gone@example.test');
    const other = await signedIn(r.portal.url);
    let posts = 0;
    r.intercept = async (path, init, send) => {
      if (!isInvitePost(path, init)) return send();
      posts++;
      const res = (await (await send()).json()) as { items: { id: string }[] };
      const made = res.items[0];
      if (posts === 1 && made) {
        await other.cancel(made.id); // someone cancels it before Reclaim hears of it
        throw lostAnswer();
      }
      return new Response(JSON.stringify(res), {
        status: 201,
        headers: { 'content-type': 'application/json' },
      });
    };
    const view = await finished(r, await r.startInvites(work));
    expect(posts).toBe(1);
    expect(view.lines?.[0]?.outcome).toBe('invited');
    expect(view.lines?.[0]?.detail).toMatch(/cancelled since/);
    const { invites } = await r.sim.journalAll();
    expect(invitedTwice(invites)).toEqual([]);
    expect(invites.flatMap((e) => e.created)).toHaveLength(1);
  });

  it('is settled from what the item wrote before sending: its cancel done, the time its invite left', async () => {
    const r = await rig({ data: FULL });
    current = r;
    const { victim, work } = await onePair(r, 'durable@example.test');
    let atSend: unknown = null;
    r.intercept = async (path, init, send) => {
      if (isInvitePost(path, init))
        atSend = await r.db.jobItems.filter((i) => i.inviteId === victim.id).first();
      return send();
    };
    const view = await finished(r, await r.startInvites(work));
    expect(atSend).toMatchObject({ state: 'in-flight', phase: 'invite', seatFreed: 'revoked', tries: 1 });
    const { invites } = await r.sim.journalAll();
    const sentAt = invites[0]?.at ?? 0;
    expect((atSend as { inviteFrom: number }).inviteFrom).toBeLessThanOrEqual(sentAt);
    expect(view.lines?.[0]?.outcome).toBe('invited');
  });

  it('that did not apply is sent again once the re-read shows nothing', async () => {
    const r = await rig({ data: FULL });
    current = r;
    const { work } = await onePair(r, 'again@example.test');
    let posts = 0;
    r.intercept = async (path, init, send) => {
      if (isInvitePost(path, init) && ++posts === 1) throw lostAnswer(); // dropped before the portal saw it
      return send();
    };
    const view = await finished(r, await r.startInvites(work));
    expect(posts).toBe(2);
    expect(view.lines?.[0]).toMatchObject({ outcome: 'invited', detail: null });
    await expectSeatsAccounted(r, view);
  });

  it('tells someone else’s invite of the address from its own, and reports the seat it freed', async () => {
    const r = await rig({ data: { ...FULL, seatsPerCourse: 24 } });
    current = r;
    const { work } = await onePair(r, 'taken@example.test');
    const other = await signedIn(r.portal.url);
    const jobId = await r.startInvites(work, 2);
    // In the Undo window, well before Reclaim's invite request: someone else invites the address.
    expect((await other.post('/api/courses/c-1/invites', { emails: ['taken@example.test'] })).status).toBe(
      201,
    );
    const view = await finished(r, jobId);
    const line = view.lines?.[0];
    expect(line?.outcome).toBe('already-invited');
    expect(line?.detail).toMatch(/Someone else invited this address/);
    expect(line?.seatLeftFree).toMatch(/Someone else invited this address/);
    // The journal cannot tell whose invite filled the seat; only Reclaim's report can.
    const { invites } = await r.sim.journalAll();
    expect(invitedTwice(invites)).toEqual([]);
    expect(
      invites.filter((e) => e.emails.includes('taken@example.test')).map((e) => e.created.length),
    ).toEqual([1, 0]);
  });

  it('reports a seat someone else took between the cancel and the invite (no_seats), never drops it', async () => {
    const r = await rig({ data: FULL });
    current = r;
    const { work } = await onePair(r, 'late@example.test');
    const other = await signedIn(r.portal.url);
    r.intercept = async (path, init, send) => {
      const res = await send();
      if (init.method === 'POST' && path.endsWith('/cancel'))
        await other.post('/api/courses/c-1/invites', { emails: ['quick@example.test'] });
      return res;
    };
    const view = await finished(r, await r.startInvites(work));
    expect(view.lines?.[0]).toMatchObject({
      outcome: 'not-invited',
      seatLeftFree: expect.stringMatching(/No free seat: someone else took it/),
      revoked: { outcome: 'revoked' },
    });
    const { invites } = await r.sim.journalAll();
    expect(invites.find((e) => e.emails.includes('late@example.test'))?.error).toBe('no_seats');
  });

  it('whose re-reads kept failing: Retry failed re-reads before sending anything', async () => {
    const r = await rig({ data: FULL }, { maxTries: 2 });
    current = r;
    const { work } = await onePair(r, 'retry@example.test');
    let posts = 0;
    let blockReads = true;
    r.intercept = async (path, init, send) => {
      if (isInvitePost(path, init)) {
        posts++;
        await send();
        throw lostAnswer();
      }
      if (blockReads && init.method === 'GET' && /\/api\/courses\/c-1\/invites/.test(path) && posts > 0)
        throw lostAnswer();
      return send();
    };
    const jobId = await r.startInvites(work);
    let view = await finished(r, jobId);
    expect(view.counts.failed).toBe(1);
    blockReads = false;
    expect((await r.runner.retryFailed(jobId)).ok).toBe(true);
    view = await finished(r, jobId);
    expect(posts).toBe(1);
    expect(view.lines?.[0]?.outcome).toBe('invited');
    await expectSeatsAccounted(r, view);
  });

  it('under drops, 5xx and malformed answers on every cancel and invite, and a worker stopped mid-job', async () => {
    const r = await rig({ data: { ...FULL, pendingPerCourse: 30, seatsPerCourse: 33 } });
    current = r;
    const chosen = [...(await pendingOf(r, 'c-1')), ...(await pendingOf(r, 'c-2'))].slice(0, 40);
    const pairs = chosen.map((i, k) => ({
      courseId: i.course.id,
      inviteId: i.id,
      email: `f${k}@example.test`,
    }));
    const jobId = await r.startInvites({ kind: 'reassign', pairs }, 0.2);
    await r.sim.setFaults({ dropRate: 0.15, errorRate: 0.1, malformedRate: 0.05, faultPaths: 'mutations' });
    while ((await r.db.jobItems.where('[jobId+state]').equals([jobId, 'invited']).count()) < 8)
      await sleep(10);
    r.kill();
    await sleep(300);
    await r.sim.setFaults({ dropRate: 0.1, errorRate: 0.05, malformedRate: 0.05 });
    const cookie = (await signIn(r.portal.url)).cookie;
    const client = new PortalClient({
      origin: r.portal.origin,
      fetch: (url, init) =>
        fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), cookie } }),
    });
    const second = new JobRunner({ db: r.db, client: () => client, now: Date.now, sleep, backoffBaseMs: 50 });
    expect(await second.wake()).toBe(1);
    await second.idle();
    let view = (await second.view(jobId)) as JobView;
    if (view.counts.failed > 0) {
      await r.sim.resetFaults();
      await second.retryFailed(jobId);
      await second.idle();
      view = (await second.view(jobId)) as JobView;
    }
    expect(view.counts).toMatchObject({ total: 40, invited: 40, failed: 0 });
    const { entries, invites } = await expectSeatsAccounted(r, view);
    const dropped = [...entries, ...invites].filter((e) => e.dropped === 'after').length;
    console.info(JSON.stringify({ test: 'invite-faults', dropped, invites: invites.length }));
    expect(dropped).toBeGreaterThan(0);
  });
});
