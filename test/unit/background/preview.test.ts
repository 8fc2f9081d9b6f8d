import { describe, expect, it } from 'vitest';
import type { InviteSeed } from './fake-portal';
import { daysAgo, popupSender, setup } from './harness';

const seed: InviteSeed[] = [
  { id: 'i-1', courseId: 'c-1', learnerId: 'l-1', status: 'pending', sentAt: daysAgo(10) },
  { id: 'i-2', courseId: 'c-2', learnerId: 'l-1', status: 'pending', sentAt: daysAgo(3) },
  { id: 'i-3', courseId: 'c-1', learnerId: 'l-2', status: 'pending', sentAt: daysAgo(20) },
  { id: 'i-4', courseId: 'c-1', learnerId: 'l-1', status: 'accepted', sentAt: daysAgo(12) },
  { id: 'i-5', courseId: 'c-2', learnerId: 'l-2', status: 'cancelled', sentAt: daysAgo(1) },
  // Sent 30 days and one minute ago: expired by now, though the portal's row still says pending.
  { id: 'i-6', courseId: 'c-2', learnerId: 'l-3', status: 'pending', sentAt: daysAgo(30 + 1 / 1440) },
];

describe('preview', () => {
  it('resolves every course: what will be revoked, what is kept, seats returned per course', async () => {
    const t = setup(seed);
    const r = await t.ask({ type: 'preview', scope: { kind: 'courses', courseIds: 'all' } }, popupSender);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.inviteIds.sort()).toEqual(['i-1', 'i-2', 'i-3']);
    expect(r.value.courses).toEqual([
      { courseId: 'c-1', courseTitle: 'Course c-1', toRevoke: 2, keptAccepted: 1, seatsReturned: 2 },
      { courseId: 'c-2', courseTitle: 'Course c-2', toRevoke: 1, keptAccepted: 0, seatsReturned: 1 },
    ]);
    expect(t.portal.cancelCalls).toEqual([]);
  });

  it('resolves a learner, naming the accepted invites it keeps', async () => {
    const t = setup(seed);
    const r = await t.ask({ type: 'preview', scope: { kind: 'learner', learnerId: 'l-1' } }, popupSender);
    expect(r).toMatchObject({ ok: true, value: { inviteIds: ['i-1', 'i-2'], keptAcceptedIds: ['i-4'] } });
  });

  it('turns explicit ids into outcomes without sending anything for those not pending', async () => {
    const t = setup(seed);
    // The cache knows which learner each invite belongs to once a view has read it.
    await t.ask({ type: 'invites.get', target: { kind: 'learner', learnerId: 'l-2' } }, popupSender);
    await t.ask({ type: 'invites.get', target: { kind: 'learner', learnerId: 'l-1' } }, popupSender);
    const r = await t.ask(
      {
        type: 'job.start',
        scope: { kind: 'invites', inviteIds: ['i-3', 'i-4', 'i-5', 'i-404'] },
        undoSeconds: 0,
      },
      popupSender,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    await t.runner.idle();
    const items = await t.db.jobItems.where('jobId').equals(r.value.job.id).toArray();
    const state = Object.fromEntries(items.map((i) => [i.inviteId, i.state]));
    expect(state).toEqual({
      'i-3': 'revoked',
      'i-4': 'kept-accepted',
      'i-5': 'already-cancelled',
      'i-404': 'not-found',
    });
    expect(t.portal.cancelCalls).toEqual(['i-3']);
    // Each outcome is in the audit log once the job ran.
    expect((await t.db.audit.toArray()).map((a) => a.inviteId).sort()).toEqual([
      'i-3',
      'i-4',
      'i-404',
      'i-5',
    ]);
  });
});

describe('progress to views', () => {
  it('streams at most ~10 progress views a second, and the final one', async () => {
    const many: InviteSeed[] = Array.from({ length: 120 }, (_, k) => ({
      id: `p-${k}`,
      courseId: 'c-1',
      learnerId: `l-${k}`,
      status: 'pending',
      sentAt: daysAgo(2),
    }));
    const t = setup(many);
    t.portal.postDelayMs = 5;
    const started = Date.now();
    const r = await t.ask(
      { type: 'job.start', scope: { kind: 'course', courseId: 'c-1' }, undoSeconds: 0 },
      popupSender,
    );
    if (!r.ok) throw new Error('start');
    await t.runner.idle();
    const seconds = (Date.now() - started) / 1000;
    const progress = t.views.filter((v) => v.job.id === r.value.job.id);
    expect(progress.at(-1)?.job.state).toBe('done');
    expect(progress.at(-1)?.counts.revoked).toBe(120);
    // Throttled: far fewer views than items, bounded by ~10 a second plus state changes.
    expect(progress.length).toBeLessThan(10 * seconds + 6);
    expect(progress.length).toBeGreaterThan(2);
  });
});
