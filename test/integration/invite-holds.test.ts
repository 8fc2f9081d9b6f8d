/**
 * One invite, one job, and one address, one job, for jobs that invite (src/background/jobs/holds.ts),
 * against the reference portal: a reassign never cancels an invite a revoke holds (nor the
 * reverse), and two jobs never invite one address to one course. A job that invites keeps a line
 * for what it left to another job, saying which, and sends nothing for it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { JobView } from '../../src/shared/types';
import { invitedTwice } from '../portal/audit';
import type { Invite } from '../portal/types';
import { type Rig, rig } from './helpers';

/** Three free seats, so "invite and make room" invites without revoking. */
const DATA = {
  seed: 12,
  courses: 1,
  learners: 60,
  pendingPerCourse: 10,
  acceptedPerCourse: 3,
  seatsPerCourse: 16,
};

let current: Rig | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

async function pendingOf(r: Rig): Promise<Invite[]> {
  return (await r.sim.invites({ courseId: 'c-1', status: 'pending' })).sort((a, b) =>
    a.id.localeCompare(b.id),
  );
}

async function viewOf(r: Rig, jobId: number): Promise<JobView> {
  const view = await r.runner.view(jobId);
  if (!view) throw new Error('no job');
  return view;
}

const makeRoom = (emails: string[]) => ({
  kind: 'make-room' as const,
  courseId: 'c-1',
  emails,
  revokeIds: [],
  minAgeDays: 0,
});

describe('jobs that invite, beside other jobs of the portal', () => {
  it('a reassign of an invite a revoke holds: its line says so, nothing is cancelled or sent for it', async () => {
    const r = await rig({ data: DATA });
    current = r;
    const [held] = await pendingOf(r);
    if (!held) throw new Error('seed');
    const revoke = await r.start({ kind: 'course', courseId: 'c-1' }, 30); // in its Undo window
    const jobId = await r.startInvites({
      kind: 'reassign',
      pairs: [{ courseId: 'c-1', inviteId: held.id, email: 'held@example.test' }],
    });
    const view = await viewOf(r, jobId);
    expect(view.job.state).toBe('done');
    expect(view.counts).toMatchObject({ total: 1, notInvited: 1 });
    expect(view.lines?.[0]).toMatchObject({ outcome: 'not-invited', seatLeftFree: null });
    expect(view.lines?.[0]?.detail).toMatch(/^The job started at .+ is already revoking this invite/);
    await r.runner.undo(revoke);
    await r.runner.idle();
    const { entries, invites } = await r.sim.journalAll();
    expect([entries.length, invites.length]).toEqual([0, 0]);
  });

  it('a revoke leaves out an invite a reassign holds, and names that job', async () => {
    const r = await rig({ data: DATA });
    current = r;
    const [held] = await pendingOf(r);
    if (!held) throw new Error('seed');
    const reassign = await r.startInvites(
      { kind: 'reassign', pairs: [{ courseId: 'c-1', inviteId: held.id, email: 'new@example.test' }] },
      30,
    );
    const revoke = await r.start({ kind: 'course', courseId: 'c-1' });
    const revokeView = await viewOf(r, revoke);
    expect(revokeView.job.heldByOthers).toEqual([
      { jobId: reassign, startedAt: expect.any(Number), count: 1 },
    ]);
    await r.runner.undo(reassign);
    await r.runner.idle();
    const { entries } = await r.sim.journalAll();
    expect(entries.map((e) => e.inviteId)).not.toContain(held.id);
    expect((await viewOf(r, revoke)).counts.revoked).toBe(DATA.pendingPerCourse - 1);
  });

  it('two jobs inviting one address to one course: the second leaves it to the first; invited once', async () => {
    const r = await rig({ data: DATA });
    current = r;
    const [victim] = await pendingOf(r);
    if (!victim) throw new Error('seed');
    const first = await r.startInvites(makeRoom(['Same@example.test', 'one@example.test']), 1);
    // The same address (another case) from a second make-room, and as a reassign's new address.
    const second = await r.startInvites(makeRoom(['same@example.test', 'two@example.test']), 1);
    const third = await r.startInvites({
      kind: 'reassign',
      pairs: [{ courseId: 'c-1', inviteId: victim.id, email: 'SAME@example.test' }],
    });
    await r.runner.idle();
    const [a, b, c] = [await viewOf(r, first), await viewOf(r, second), await viewOf(r, third)];
    expect(a.counts).toMatchObject({ invited: 2, notInvited: 0 });
    expect(b.counts).toMatchObject({ invited: 1, notInvited: 1 });
    expect(b.lines?.find((l) => l.email === 'same@example.test')?.detail).toMatch(
      /^This address is already being invited to this course by the job started at/,
    );
    expect(c.job.state).toBe('done');
    expect(c.counts).toMatchObject({ total: 1, notInvited: 1 });
    expect(c.lines?.[0]?.detail).toMatch(/is already revoking this invite or inviting this address/);
    const { entries, invites } = await r.sim.journalAll();
    expect(invitedTwice(invites)).toEqual([]);
    expect(invites.flatMap((e) => e.created.map((x) => x.email.toLowerCase())).sort()).toEqual([
      'one@example.test',
      'same@example.test',
      'two@example.test',
    ]);
    // The reassign left its invite alone: nothing cancelled.
    expect(entries).toEqual([]);
  });
});
