/**
 * A job whose session ends mid-way, against the reference portal, in every shape the portal can
 * answer a signed-out call (test/portal/README.md "Signed-out shapes"): the job pauses as
 * signed out with nothing failed and no try counted for the sign-out, stays paused while the
 * manager is signed out, and finishes after signing in again, each invite cancelled once. A
 * sign-out on an invite request is never a failed try and never turns into a second invite.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { invitedTwice } from '../portal/audit';
import { signedIn } from '../portal/helpers';
import type { SignedOutShape } from '../portal/types';
import { expectJournal, type Rig, rig, snapshot } from './helpers';

const SHAPES: SignedOutShape[] = [
  'json401',
  'redirect',
  'html200',
  'forbidden403',
  'forbidden403-json',
  'json-other',
  'json-other-401',
];

const DATA = {
  seed: 5,
  courses: 1,
  learners: 60,
  pendingPerCourse: 40,
  acceptedPerCourse: 3,
  seatsPerCourse: 50,
};

let current: Rig | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

describe('a signed-out session mid-job, in every shape', () => {
  it.each(SHAPES)('%s: pauses as signed out, nothing failed, and finishes after sign-in', async (shape) => {
    const r = await rig({ data: DATA, faults: { latencyMs: 5 } });
    current = r;
    const before = await snapshot(r.sim);
    // The session ends after 12 cancels; every later call gets this shape.
    await r.sim.setFaults({ signedOut: shape, sessionExpiryAfter: 12, faultPaths: 'cancel' });
    const jobId = await r.start({ kind: 'courses', courseIds: 'all' });
    await r.runner.idle();
    const paused = await r.runner.view(jobId);
    expect(paused?.job.state).toBe('signed-out');
    expect(paused?.job.message).toMatch(/Sign in/);
    expect(paused?.counts).toMatchObject({ failed: 0, inFlight: 0 });
    expect(paused?.counts.revoked).toBeGreaterThan(0);
    expect(paused?.counts.revoked).toBeLessThan(before.pending.size);

    // Still signed out: a wake (the alarm, a portal page load) leaves it paused.
    await r.sim.setFaults({ sessionExpiryAfter: null });
    await r.runner.wakeSignedOut(r.portal.origin);
    await r.runner.idle();
    expect((await r.runner.view(jobId))?.job.state).toBe('signed-out');

    await r.signInAgain();
    expect(await r.runner.wakeSignedOut(r.portal.origin)).toBe(1);
    await r.runner.idle();
    const done = await r.runner.view(jobId);
    expect(done?.job.state).toBe('done');
    expect(done?.counts).toMatchObject({ revoked: before.pending.size, failed: 0 });
    // The sign-out cost no item a try: each was sent once to be revoked.
    const items = await r.db.jobItems.where('jobId').equals(jobId).toArray();
    expect(items.filter((i) => i.tries !== 1)).toEqual([]);
    await expectJournal(r.sim, before.pending, before.accepted);
  });
});

/** No free seat: each address can only get a seat its own pair freed. */
const FULL = {
  seed: 11,
  courses: 1,
  learners: 60,
  pendingPerCourse: 20,
  acceptedPerCourse: 3,
  seatsPerCourse: 23,
};

async function reassignPairs(r: Rig, n: number) {
  const pending = (await r.sim.invites({ courseId: 'c-1', status: 'pending' })).slice(0, n);
  return pending.map((i, k) => ({ courseId: 'c-1', inviteId: i.id, email: `Signed.Out${k}@example.test` }));
}

describe('a signed-out session on an invite request, in every shape', () => {
  it.each(SHAPES)('%s: no try counted, re-read once signed in, each address invited once', async (shape) => {
    const r = await rig({ data: FULL, faults: { latencyMs: 5 } });
    current = r;
    const pairs = await reassignPairs(r, 8);
    // The session ends after 3 invite requests: the next ones get this shape.
    await r.sim.setFaults({ signedOut: shape, sessionExpiryAfter: 3, faultPaths: 'invite' });
    const jobId = await r.startInvites({ kind: 'reassign', pairs });
    await r.runner.idle();
    const paused = await r.runner.view(jobId);
    expect(paused?.job.state).toBe('signed-out');
    expect(paused?.counts).toMatchObject({ failed: 0, notInvited: 0 });
    expect(paused?.counts.invited).toBeLessThan(pairs.length);

    await r.sim.setFaults({ sessionExpiryAfter: null });
    await r.signInAgain();
    expect(await r.runner.wakeSignedOut(r.portal.origin)).toBe(1);
    await r.runner.idle();
    const done = await r.runner.view(jobId);
    expect(done?.job.state).toBe('done');
    expect(done?.counts).toMatchObject({ invited: pairs.length, failed: 0 });
    // The sign-out cost no item a try: each invite went once, and applied.
    const items = await r.db.jobItems.where('jobId').equals(jobId).toArray();
    expect(items.filter((i) => i.tries !== 1)).toEqual([]);
    const { invites } = await r.sim.journalAll();
    expect(invitedTwice(invites)).toEqual([]);
    expect(invites.flatMap((e) => e.created.map((c) => c.email.toLowerCase())).sort()).toEqual(
      pairs.map((p) => p.email.toLowerCase()).sort(),
    );
    expect((await r.sim.state()).identityHolds).toBe(true);
  });

  it('an invite that applied, answered with the sign-in page, then cancelled by someone else: no second invite', async () => {
    const r = await rig({ data: FULL });
    current = r;
    const pairs = await reassignPairs(r, 1);
    const other = await signedIn(r.portal.url);
    let posts = 0;
    r.intercept = async (path, init, send) => {
      if (!(init.method === 'POST' && /^\/api\/courses\/[^/]+\/invites$/.test(path))) return send();
      posts++;
      const made = ((await (await send()).json()) as { items: { id: string }[] }).items[0];
      if (posts > 1 || !made) throw new Error('a second invite request');
      // Applied; then someone cancels it, the session ends, and the answer is the sign-in page.
      await other.cancel(made.id);
      await r.sim.endSessions();
      return new Response('<!doctype html><title>Sign in</title><form action="/login"></form>', {
        status: 200,
        headers: { 'content-type': 'text/html' },
      });
    };
    const jobId = await r.startInvites({ kind: 'reassign', pairs });
    await r.runner.idle();
    expect((await r.runner.view(jobId))?.job.state).toBe('signed-out');
    const [waiting] = await r.db.jobItems.where('jobId').equals(jobId).toArray();
    expect(waiting).toMatchObject({ state: 'in-flight', phase: 'invite', signedOut: true, tries: 1 });

    await r.signInAgain();
    await r.runner.wakeSignedOut(r.portal.origin);
    await r.runner.idle();
    const done = await r.runner.view(jobId);
    expect(done?.job.state).toBe('done');
    expect(posts).toBe(1);
    expect(done?.lines?.[0]).toMatchObject({ outcome: 'invited', seatLeftFree: null });
    expect(done?.lines?.[0]?.detail).toMatch(/Confirmed on re-read.*cancelled since/);
    const { invites } = await r.sim.journalAll();
    expect(invitedTwice(invites)).toEqual([]);
    expect(invites.flatMap((e) => e.created)).toHaveLength(1);
  });
});
