/**
 * Who may plan and start jobs that invite (src/background/invite-routes.ts): extension pages any
 * course; a content script only its own page's course or learner, checked against the portal;
 * strangers nothing. Nothing is sent in these tests: jobs wait in their Undo window.
 */
import { describe, expect, it } from 'vitest';
import type { InviteSeed } from './fake-portal';
import { contentSender, daysAgo, popupSender, setup } from './harness';

const seed: InviteSeed[] = [
  { id: 'i-1', courseId: 'c-1', learnerId: 'l-1', status: 'pending', sentAt: daysAgo(10) },
  { id: 'i-2', courseId: 'c-2', learnerId: 'l-1', status: 'pending', sentAt: daysAgo(29.5) },
  { id: 'i-3', courseId: 'c-1', learnerId: 'l-2', status: 'pending', sentAt: daysAgo(20) },
  { id: 'i-4', courseId: 'c-1', learnerId: 'l-3', status: 'accepted', sentAt: daysAgo(12) },
];

const learnerPage = contentSender('/manager/learners/l-1', {
  url: 'http://127.0.0.1:4310/manager/learners/l-1?tab=invite-history',
});
const coursePage = contentSender('/manager/licenses/c-1/distribute?tab=usage');
const stranger = { id: 'someone-else', url: 'https://evil.example/' };

/** As a page asks: its Undo window is the manager's (5 s by default), never the page's. */
const reassign = (courseId: string, inviteId: string) => ({
  type: 'invite.start' as const,
  work: { kind: 'reassign' as const, pairs: [{ courseId, inviteId, email: 'new@example.test' }] },
});
const plan = (courseId: string) => ({
  type: 'invite.plan' as const,
  courseId,
  text: 'a@example.test',
  minAgeDays: 0,
});

describe('routing jobs that invite', () => {
  it('lets a course page plan and start only for its own course', async () => {
    const t = setup(seed);
    const own = await t.ask(plan('c-1'), coursePage);
    expect(own).toMatchObject({ ok: true, value: { courseId: 'c-1', toInvite: ['a@example.test'] } });
    expect(await t.ask(plan('c-2'), coursePage)).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(await t.ask(reassign('c-2', 'i-2'), coursePage)).toMatchObject({
      ok: false,
      error: { kind: 'refused', message: 'This page may only act on its own course.' },
    });
    const started = await t.ask(reassign('c-1', 'i-3'), coursePage);
    expect(started).toMatchObject({
      ok: true,
      value: { job: { state: 'waiting', reason: 'reassign', surface: 'usage' } },
    });
    expect(t.portal.cancelCalls).toEqual([]);
  });

  it('refuses a page that names its own Undo window, and starts nothing', async () => {
    const t = setup(seed);
    expect(await t.ask({ ...reassign('c-1', 'i-3'), undoSeconds: 0 }, coursePage)).toEqual({
      ok: false,
      error: { kind: 'refused', message: 'A page cannot choose the Undo window.' },
    });
    expect(await t.db.jobs.count()).toBe(0);
  });

  it('lets a learner page reassign or renew its learner’s invites, never another’s, and never a whole course', async () => {
    const t = setup(seed);
    expect(await t.ask(reassign('c-1', 'i-1'), learnerPage)).toMatchObject({ ok: true });
    expect(await t.ask(reassign('c-1', 'i-3'), learnerPage)).toMatchObject({
      ok: false,
      error: { message: 'Some of these invites are not on this page.' },
    });
    const renewAll = {
      type: 'invite.start' as const,
      work: { kind: 'renew-expiring' as const, courseId: 'c-2', withinDays: 3 },
    };
    expect(await t.ask(renewAll, learnerPage)).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(await t.ask(plan('c-1'), learnerPage)).toMatchObject({ ok: false, error: { kind: 'refused' } });
  });

  it('lets the popup act on any course, and refuses strangers everything', async () => {
    const t = setup(seed);
    const renew = {
      type: 'invite.start' as const,
      work: { kind: 'renew-expiring' as const, courseId: 'c-2', withinDays: 3 },
      undoSeconds: 30,
    };
    expect(await t.ask(renew, popupSender)).toMatchObject({
      ok: true,
      value: { counts: { total: 1, queued: 1 } },
    });
    for (const req of [plan('c-1'), reassign('c-1', 'i-1'), { type: 'learners.suggest' as const, q: 'l-1' }])
      expect(await t.ask(req, stranger)).toMatchObject({ ok: false, error: { kind: 'refused' } });
  });

  it('suggests learners the cache knows by name or address, each once', async () => {
    const t = setup(seed);
    await t.cache.refreshAll('http://127.0.0.1:4310').done;
    const byName = await t.ask({ type: 'learners.suggest', q: 'learner L-1' }, coursePage);
    expect(byName).toEqual({
      ok: true,
      value: { learners: [{ name: 'Learner l-1', email: 'l-1@example.test' }] },
    });
    const byMail = await t.ask({ type: 'learners.suggest', q: '@EXAMPLE' }, popupSender);
    expect(byMail.ok && byMail.value.learners.map((l) => l.email)).toEqual([
      'l-1@example.test',
      'l-2@example.test',
      'l-3@example.test',
    ]);
  });

  it('parses the request: an over-long paste or a bad work shape is refused before anything is read', async () => {
    const t = setup(seed);
    const huge = await t.route(
      { type: 'invite.plan', courseId: 'c-1', text: 'x'.repeat(2_000_001), minAgeDays: 0 },
      popupSender,
    );
    expect(huge).toMatchObject({ ok: false, error: { kind: 'bad-request' } });
    const bad = await t.route({ type: 'invite.start', work: { kind: 'reassign', pairs: [] } }, popupSender);
    expect(bad).toMatchObject({ ok: false, error: { kind: 'bad-request' } });
    expect(t.portal.calls).toEqual([]);
  });
});
