/**
 * One invite, one job: a job never sends for an invite another job of the same portal holds.
 * Two pages, the popup and a page, a double click, and the races around a job that just sent;
 * the portal (MiniPortal) counts the cancels each invite got.
 */
import { describe, expect, it } from 'vitest';
import { holds } from '../../../src/background/jobs/holds';
import { JobStore } from '../../../src/background/jobs/store';
import { heldText } from '../../../src/shared/held';
import type { Reply } from '../../../src/shared/messages';
import type { Job, JobItem, JobView } from '../../../src/shared/types';
import type { InviteSeed } from './fake-portal';
import { contentSender, daysAgo, PORTAL, popupSender, setup } from './harness';

function course(courseId: string, n: number): InviteSeed[] {
  return Array.from({ length: n }, (_, k) => ({
    id: `${courseId}-p${k + 1}`,
    courseId,
    learnerId: `l-${courseId}-${k + 1}`,
    status: 'pending' as const,
    sentAt: daysAgo(2 + k),
  }));
}

const usagePage = (courseId: string, tab: number) =>
  contentSender(`/manager/licenses/${courseId}/distribute?tab=usage`, { tab: { id: tab } });

function viewOf(reply: Reply<'job.start'>): JobView {
  if (!reply.ok) throw new Error(JSON.stringify(reply.error));
  return reply.value;
}

/** Cancel requests that reached the portal, per invite (refused ones included). */
function cancelsPerInvite(t: ReturnType<typeof setup>): Map<string, number> {
  const n = new Map<string, number>();
  for (const c of t.portal.calls) {
    const id = c.method === 'POST' ? /\/api\/invites\/([^/]+)\/cancel$/.exec(c.path)?.[1] : undefined;
    if (id) n.set(id, (n.get(id) ?? 0) + 1);
  }
  return n;
}

async function itemsOf(t: ReturnType<typeof setup>, jobId: number): Promise<string[]> {
  return (await t.db.jobItems.where('jobId').equals(jobId).toArray()).map((i) => i.inviteId).sort();
}

describe('one invite, one job', () => {
  it('two pages of one course, Revoke all in both: the second takes nothing and says who holds it', async () => {
    const t = setup(course('c-1', 12));
    t.portal.postDelayMs = 5;
    const [a, b] = await Promise.all([
      t.ask({ type: 'job.start', scope: { kind: 'course', courseId: 'c-1' } }, usagePage('c-1', 7)),
      t.ask({ type: 'job.start', scope: { kind: 'course', courseId: 'c-1' } }, usagePage('c-1', 8)),
    ]);
    const [first, second] = [viewOf(a), viewOf(b)].sort((x, y) => x.job.id - y.job.id) as [JobView, JobView];
    expect(first.counts.total).toBe(12);
    expect(second.counts.total).toBe(0);
    expect(second.job.state).toBe('done');
    expect(second.job.heldByOthers).toEqual([
      { jobId: first.job.id, startedAt: first.job.createdAt, count: 12 },
    ]);
    await t.ask({ type: 'job.undo', jobId: first.job.id }, usagePage('c-1', 7));
    await t.runner.idle();
    expect(cancelsPerInvite(t).size).toBe(0);
  });

  it('the popup (every course) and a page (one course): the popup’s job takes the rest, each invite sent once', async () => {
    const t = setup([...course('c-1', 6), ...course('c-2', 5)]);
    const page = viewOf(
      await t.ask({ type: 'job.start', scope: { kind: 'course', courseId: 'c-1' } }, usagePage('c-1', 7)),
    );
    expect(page.job.state).toBe('waiting');
    const preview = await t.ask(
      { type: 'preview', scope: { kind: 'courses', courseIds: 'all' } },
      popupSender,
    );
    expect(preview).toMatchObject({
      ok: true,
      value: { heldByOthers: [{ jobId: page.job.id, count: 6 }] },
    });
    if (preview.ok) {
      expect(preview.value.inviteIds.every((id) => id.startsWith('c-2'))).toBe(true);
      expect(preview.value.courses.find((c) => c.courseId === 'c-1')?.toRevoke).toBe(0);
    }
    const popup = viewOf(
      await t.ask(
        { type: 'job.start', scope: { kind: 'courses', courseIds: 'all' }, undoSeconds: 0 },
        popupSender,
      ),
    );
    expect(popup.counts.total).toBe(5);
    expect(popup.job.heldByOthers).toEqual([{ jobId: page.job.id, startedAt: page.job.createdAt, count: 6 }]);
    expect(await itemsOf(t, popup.job.id)).toEqual(
      course('c-2', 5)
        .map((i) => i.id)
        .sort(),
    );
    // The page's Undo window ends; both jobs run to the end.
    await t.db.jobs.update(page.job.id, { startAt: Date.now() });
    await t.runner.wake();
    await t.runner.idle();
    expect([...cancelsPerInvite(t).values()].every((n) => n === 1)).toBe(true);
    expect(cancelsPerInvite(t).size).toBe(11);
  });

  it('a double click in the popup: the second job is wholly held, sends nothing and says so', async () => {
    const t = setup(course('c-1', 8));
    const scope = { kind: 'courses' as const, courseIds: 'all' as const };
    const [a, b] = await Promise.all([
      t.ask({ type: 'job.start', scope, undoSeconds: 0 }, popupSender),
      t.ask({ type: 'job.start', scope, undoSeconds: 0 }, popupSender),
    ]);
    const views = [viewOf(a), viewOf(b)].sort((x, y) => x.job.id - y.job.id);
    expect(views.map((v) => v.counts.total)).toEqual([8, 0]);
    expect(views[1]?.job.heldByOthers?.[0]).toMatchObject({ jobId: views[0]?.job.id, count: 8 });
    await t.runner.idle();
    expect(cancelsPerInvite(t).size).toBe(8);
    expect([...cancelsPerInvite(t).values()].every((n) => n === 1)).toBe(true);
    expect((await t.runner.view(views[1]?.job.id ?? 0))?.job.state).toBe('done');
  });

  it('Retry failed leaves an invite another job now holds to that job', async () => {
    const t = setup(course('c-1', 3));
    let refuse = true;
    t.portal.fault = (call) =>
      refuse && call.path.endsWith('/c-1-p2/cancel') ? new Response('{}', { status: 400 }) : undefined;
    const a = viewOf(
      await t.ask(
        { type: 'job.start', scope: { kind: 'course', courseId: 'c-1' }, undoSeconds: 0 },
        popupSender,
      ),
    );
    await t.runner.idle();
    expect((await t.runner.view(a.job.id))?.counts.failed).toBe(1);
    refuse = false;
    // Another job takes the failed invite (it is still pending), and is in its Undo window.
    const b = viewOf(
      await t.ask(
        { type: 'job.start', scope: { kind: 'course', courseId: 'c-1' }, undoSeconds: 30 },
        popupSender,
      ),
    );
    expect(await itemsOf(t, b.job.id)).toEqual(['c-1-p2']);
    await t.ask({ type: 'job.retryFailed', jobId: a.job.id }, popupSender);
    await t.db.jobs.update(b.job.id, { startAt: Date.now() });
    await t.runner.wake();
    await t.runner.idle();
    expect(cancelsPerInvite(t).get('c-1-p2')).toBe(2); // the refused one, then b's
    expect((await t.runner.view(a.job.id))?.counts.failed).toBe(1);
    expect((await t.runner.view(b.job.id))?.counts.revoked).toBe(1);
  });
});

describe('what holds an invite', () => {
  const job = (state: Job['state'], finishedAt: number | null = null): Job =>
    ({ id: 1, origin: PORTAL, state, finishedAt, createdAt: 0 }) as Job;
  const item = (state: JobItem['state'], tries: number, updatedAt: number): JobItem =>
    ({ inviteId: 'i-1', state, tries, updatedAt }) as JobItem;

  it('an active job holds what it has not skipped; a finished one what it sent since the read', () => {
    expect(holds(job('waiting'), item('queued', 0, 0), 100)).toBe(true);
    expect(holds(job('paused'), item('failed', 5, 0), 100)).toBe(true);
    expect(holds(job('signed-out'), item('in-flight', 1, 0), 100)).toBe(true);
    expect(holds(job('running'), item('skipped', 0, 0), 100)).toBe(false);
    expect(holds(job('cancelled'), item('in-flight', 1, 0), 100)).toBe(true);
    expect(holds(job('cancelled', 50), item('skipped', 0, 200), 100)).toBe(false);
    // Sent after the new job's read: the portal may not have shown its effect to that read.
    expect(holds(job('done', 150), item('revoked', 1, 150), 100)).toBe(true);
    expect(holds(job('done', 90), item('revoked', 1, 90), 100)).toBe(false);
    expect(holds(job('done', 150), item('failed', 5, 150), 100)).toBe(false);
  });

  it('an item decided when its job was written, nothing sent for it, holds nothing', () => {
    for (const state of ['kept-accepted', 'not-found', 'already-invited', 'not-invited'] as const) {
      expect(holds(job('running'), item(state, 0, 0), 100)).toBe(false);
      // The same outcome after a request was sent does hold while the job is active.
      expect(holds(job('running'), item(state, 1, 0), 100)).toBe(true);
    }
    // A failure before any send may still be retried (Retry failed).
    expect(holds(job('paused'), item('failed', 0, 0), 100)).toBe(true);
  });

  it('a job finishing between a new job’s read and its write keeps the new one from sending again', async () => {
    const t = setup(course('c-1', 2));
    const store = new JobStore(t.db, Date.now);
    const readAt = Date.now();
    const a = viewOf(
      await t.ask(
        { type: 'job.start', scope: { kind: 'course', courseId: 'c-1' }, undoSeconds: 0 },
        popupSender,
      ),
    );
    await t.runner.idle();
    expect((await t.runner.view(a.job.id))?.job.state).toBe('done');
    const stale = (await t.db.jobItems.where('jobId').equals(a.job.id).toArray()).map(
      ({ jobId: _j, ...i }) => ({ ...i, state: 'queued' as const, tries: 0 }),
    );
    const { jobId, toSend } = await store.create(
      { ...a.job, id: undefined } as unknown as Omit<Job, 'id'>,
      stale,
      readAt,
    );
    expect(toSend).toBe(0);
    expect((await t.db.jobs.get(jobId))?.heldByOthers?.[0]).toMatchObject({ jobId: a.job.id, count: 2 });
  });
});

describe('how a job says what others hold', () => {
  it('names the count and the holding job’s start time, once per holding job', () => {
    const time = (ms: number) => `t${ms}`;
    expect(heldText(undefined, time)).toBeNull();
    expect(heldText([{ jobId: 3, startedAt: 600, count: 12 }], time)).toBe(
      '12 already being revoked by the job started at t600',
    );
    expect(
      heldText(
        [
          { jobId: 3, startedAt: 600, count: 12 },
          { jobId: 4, startedAt: 700, count: 1 },
        ],
        time,
      ),
    ).toBe(
      '12 already being revoked by the job started at t600; 1 already being revoked by the job started at t700',
    );
  });
});
