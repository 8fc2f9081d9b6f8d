/**
 * Jobs at size: items read a batch at a time, the tally on the job's row kept in step with every
 * write of its items, and a finished job's items pruned (failed ones kept) without changing what
 * its view, its Retry failed or the audit log show.
 */
import { describe, expect, it, vi } from 'vitest';
import { inviteTargetOf } from '../../../src/background/jobs/invite-items';
import { pruneFinished } from '../../../src/background/jobs/prune';
import { JobStore, type NewItem } from '../../../src/background/jobs/store';
import { stateCounts, tallyOf } from '../../../src/shared/job-tally';
import type { Job, JobTally, JobView } from '../../../src/shared/types';
import { type InviteSeed, json } from './fake-portal';
import { daysAgo, popupSender, setup } from './harness';

function pending(n: number, courses = 1): InviteSeed[] {
  return Array.from({ length: n }, (_, k) => ({
    id: `i-${String(k).padStart(4, '0')}`,
    courseId: `c-${(k % courses) + 1}`,
    learnerId: `l-${k}`,
    status: 'pending' as const,
    sentAt: daysAgo(1 + (k % 20)),
  }));
}

type T = ReturnType<typeof setup>;

async function start(t: T, undoSeconds = 0): Promise<JobView> {
  const r = await t.ask(
    { type: 'job.start', scope: { kind: 'courses', courseIds: 'all' }, undoSeconds },
    popupSender,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

async function view(t: T, jobId: number): Promise<JobView> {
  const r = await t.ask({ type: 'job.get', jobId }, popupSender);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

/** A tally with every state named and no empty course line, to compare two. */
function norm(tally: JobTally | undefined) {
  if (!tally) return null;
  const courses = Object.entries(tally.revokedByCourse).filter(([, c]) => c.seats !== 0);
  return { states: stateCounts(tally), courses: Object.fromEntries(courses) };
}

/** The job's tally as stored on its row, and as its items give it now. */
async function tallies(t: T, jobId: number) {
  const stored = (await t.db.jobs.get(jobId))?.tally;
  return [norm(stored), norm(tallyOf(await t.db.jobItems.where('jobId').equals(jobId).toArray()))];
}

describe('jobs at size', () => {
  it('reads queued items a batch at a time, and sends each of them exactly once', async () => {
    const t = setup(pending(450, 3));
    const reads: number[] = [];
    const queuedAfter = JobStore.prototype.queuedAfter;
    const spy = vi.spyOn(JobStore.prototype, 'queuedAfter').mockImplementation(async function (
      this: JobStore,
      ...args
    ) {
      const page = await queuedAfter.apply(this, args);
      reads.push(page.length);
      return page;
    });
    const itemsIn = vi.spyOn(JobStore.prototype, 'itemsIn');
    const started = await start(t);
    await t.runner.idle();
    spy.mockRestore();
    // No read of every queued item at once: batches of at most 200, 450 items in all.
    expect(itemsIn.mock.calls.filter(([, states]) => states.includes('queued'))).toEqual([]);
    itemsIn.mockRestore();
    expect(Math.max(...reads)).toBeLessThanOrEqual(200);
    expect(reads.reduce((a, b) => a + b, 0)).toBe(450);
    expect(t.portal.applied).toHaveLength(450);
    expect(new Set(t.portal.cancelCalls).size).toBe(450);
    expect(t.portal.cancelCalls).toHaveLength(450);
    const done = await view(t, started.job.id);
    expect(done.job.state).toBe('done');
    expect(done.counts).toMatchObject({ total: 450, revoked: 450, queued: 0, inFlight: 0 });
    expect(done.seatsReturnedByCourse.map((c) => c.seats)).toEqual([150, 150, 150]);
  });

  it('keeps the tally on the job row in step with its items through failures, Retry failed and a cancel', async () => {
    const t = setup(pending(40, 2));
    // Every cancel of the first 5 invites is refused: those items fail.
    const refused = new Set(['i-0000', 'i-0001', 'i-0002', 'i-0003', 'i-0004']);
    t.portal.fault = (call) =>
      call.method === 'POST' && [...refused].some((id) => call.path.includes(`/${id}/`))
        ? json(403, { error: 'forbidden' })
        : undefined;
    const job = await start(t);
    await t.runner.idle();
    let [stored, items] = await tallies(t, job.job.id);
    expect(stored).toEqual(items);
    expect((await view(t, job.job.id)).counts).toMatchObject({ revoked: 35, failed: 5 });

    t.portal.fault = null;
    const retried = await t.ask({ type: 'job.retryFailed', jobId: job.job.id }, popupSender);
    expect(retried.ok).toBe(true);
    await t.runner.idle();
    [stored, items] = await tallies(t, job.job.id);
    expect(stored).toEqual(items);
    expect((await view(t, job.job.id)).counts).toMatchObject({ revoked: 40, failed: 0 });

    // A job stopped before it started: its queued items are skipped, and the tally says so.
    const t2 = setup(pending(30));
    const waiting = await start(t2, 30);
    const undone = await t2.ask({ type: 'job.undo', jobId: waiting.job.id }, popupSender);
    expect(undone.ok && undone.value.counts.skipped).toBe(30);
    [stored, items] = await tallies(t2, waiting.job.id);
    expect(stored).toEqual(items);
  });

  it('views a job from its row: the counts hold even with its items gone', async () => {
    const t = setup(pending(12));
    const job = await start(t);
    await t.runner.idle();
    const before = await view(t, job.job.id);
    await t.db.jobItems.where('jobId').equals(job.job.id).delete();
    const after = await view(t, job.job.id);
    expect(after.counts).toEqual(before.counts);
    expect(after.seatsReturnedByCourse).toEqual(before.seatsReturnedByCourse);
  });

  it('prunes a finished job’s items after a day, keeps its failed ones, its view and the audit log, and Retry failed still works', async () => {
    const t = setup(pending(20));
    t.portal.fault = (call) =>
      call.method === 'POST' && call.path.includes('/i-0003/')
        ? json(403, { error: 'forbidden' })
        : undefined;
    const old = await start(t);
    await t.runner.idle();
    t.portal.fault = null;
    const running = await start(t, 60); // still in its Undo window: never pruned
    const oldView = await view(t, old.job.id);
    const audit = await t.db.audit.toArray();
    const finishedAt = (await t.db.jobs.get(old.job.id))?.finishedAt as number;

    // Less than a day after it finished: nothing goes.
    const store = new JobStore(t.db, Date.now);
    expect(await pruneFinished(t.db, finishedAt, Date.now())).toBe(0);
    expect(await t.db.jobItems.where('jobId').equals(old.job.id).count()).toBe(20);

    expect(await pruneFinished(t.db, finishedAt + 1, Date.now())).toBe(19);
    const left = await t.db.jobItems.where('jobId').equals(old.job.id).toArray();
    expect(left.map((i) => [i.inviteId, i.state])).toEqual([['i-0003', 'failed']]);
    expect(await t.db.jobItems.where('jobId').equals(running.job.id).count()).toBe(running.counts.total);
    const pruned = await view(t, old.job.id);
    expect(pruned.counts).toEqual(oldView.counts);
    expect(pruned.seatsReturnedByCourse).toEqual(oldView.seatsReturnedByCourse);
    expect(pruned.failures).toEqual(oldView.failures);
    expect(await t.db.audit.toArray()).toEqual(audit);
    // Pruned once: a second pass finds nothing to do.
    expect(await pruneFinished(t.db, Date.now() + 1, Date.now())).toBe(0);

    await t.ask({ type: 'job.undo', jobId: running.job.id }, popupSender);
    const retried = await t.ask({ type: 'job.retryFailed', jobId: old.job.id }, popupSender);
    expect(retried.ok).toBe(true);
    await t.runner.idle();
    const after = await store.view((await t.db.jobs.get(old.job.id)) as NonNullable<JobView['job']>);
    expect(after.counts).toMatchObject({ total: 20, revoked: 20, failed: 0 });
    expect(t.portal.applied).toContain('i-0003');
  });

  it('prunes a finished job that invites down to its failures and the seats it left free, which its report keeps', async () => {
    const t = setup([]);
    const store = new JobStore(t.db, Date.now);
    const pair = (n: number, state: NewItem['state'], seatFreed?: 'revoked'): NewItem => {
      const email = `new${n}@example.test`;
      const item: NewItem = {
        kind: 'cancel-then-invite',
        inviteId: `i-${n}`,
        courseId: 'c-1',
        courseTitle: 'Fire Safety',
        learnerId: `l-${n}`,
        learnerName: `Learner ${n}`,
        learnerEmail: `l${n}@example.test`,
        state,
        tries: 1,
        error: state === 'invited' ? null : `why ${n}`,
        updatedAt: Date.now(),
        email,
        inviteTarget: inviteTargetOf('c-1', email),
        reason: 'reassign',
        phase: seatFreed ? 'invite' : 'cancel',
      };
      if (seatFreed) item.seatFreed = seatFreed;
      return item;
    };
    const items = [
      pair(1, 'invited', 'revoked'),
      pair(2, 'invited', 'revoked'),
      pair(3, 'not-invited', 'revoked'), // a seat freed and left free: its line stays
      pair(4, 'kept-accepted'),
      pair(5, 'failed', 'revoked'),
    ];
    const finishedAt = Date.now() - 1000;
    const job: Omit<Job, 'id'> = {
      origin: 'http://127.0.0.1:4310',
      scope: { kind: 'invites', inviteIds: items.map((i) => i.inviteId) },
      state: 'done',
      surface: 'popup',
      createdAt: finishedAt - 5000,
      startAt: finishedAt - 5000,
      finishedAt,
      concurrency: 6,
      message: null,
      reason: 'reassign',
    };
    const { jobId } = await store.create(job, items, finishedAt - 6000);
    const before = await store.view((await t.db.jobs.get(jobId)) as Job);
    expect(before.seatsReturnedByCourse).toEqual([{ courseId: 'c-1', courseTitle: 'Fire Safety', seats: 4 }]);

    expect(await pruneFinished(t.db, finishedAt + 1, Date.now())).toBe(3);
    const left = await t.db.jobItems.where('jobId').equals(jobId).toArray();
    expect(left.map((i) => i.inviteId).sort()).toEqual(['i-3', 'i-5']);
    const after = await store.view((await t.db.jobs.get(jobId)) as Job);
    expect(after.job.itemsPrunedAt).toBeDefined();
    expect(after.counts).toEqual(before.counts);
    expect(after.seatsReturnedByCourse).toEqual(before.seatsReturnedByCourse);
    expect(after.failures).toEqual(before.failures);
    // Every seat left free is still on the report, with its reason.
    const free = (v: JobView) =>
      (v.lines ?? []).filter((l) => l.seatLeftFree).map((l) => [l.email, l.seatLeftFree]);
    expect(free(after)).toEqual(free(before));
    expect(free(after)).toHaveLength(2);
  });
});
