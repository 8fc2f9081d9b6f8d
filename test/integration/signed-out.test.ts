/**
 * A job whose session ends mid-way, against the reference portal, in every shape the portal can
 * answer a signed-out call (test/portal/README.md "Signed-out shapes"): the job pauses as
 * signed out with nothing failed and no try counted for the sign-out, stays paused while the
 * manager is signed out, and finishes after signing in again, each invite cancelled once.
 */
import { afterEach, describe, expect, it } from 'vitest';
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
