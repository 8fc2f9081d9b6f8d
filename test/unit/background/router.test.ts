import { afterEach, describe, expect, it } from 'vitest';
import { classifySender } from '../../../src/background/router';
import { installI18n } from '../../i18n';
import type { InviteSeed } from './fake-portal';
import { contentSender, daysAgo, EXT_BASE, EXT_ID, optionsSender, popupSender, setup } from './harness';

const seed: InviteSeed[] = [
  { id: 'i-1', courseId: 'c-1', learnerId: 'l-1', status: 'pending', sentAt: daysAgo(10) },
  { id: 'i-2', courseId: 'c-2', learnerId: 'l-1', status: 'pending', sentAt: daysAgo(3) },
  { id: 'i-3', courseId: 'c-1', learnerId: 'l-2', status: 'pending', sentAt: daysAgo(20) },
  { id: 'i-4', courseId: 'c-1', learnerId: 'l-3', status: 'accepted', sentAt: daysAgo(12) },
  { id: 'i-5', courseId: 'c-2', learnerId: 'l-2', status: 'pending', sentAt: daysAgo(1) },
];

const learnerPage = contentSender('/manager/learners/l-1', {
  url: 'http://127.0.0.1:4310/manager/learners/l-1?tab=invite-history',
});
const coursePage = contentSender('/manager/licenses/c-1/distribute?tab=usage');

describe('classifySender', () => {
  const ext = { id: EXT_ID, baseUrl: EXT_BASE };
  const origins = ['http://127.0.0.1', 'https://learn.example.com'];

  it('trusts extension pages fully and tells popup from options', () => {
    expect(classifySender(popupSender, ext, origins)).toEqual({ kind: 'extension', surface: 'popup' });
    expect(classifySender(optionsSender, ext, origins)).toEqual({ kind: 'extension', surface: 'options' });
  });

  it('binds a content script to the learner or course in its URL', () => {
    expect(classifySender(learnerPage, ext, origins)).toMatchObject({
      kind: 'content',
      origin: 'http://127.0.0.1:4310',
      context: { kind: 'learner', learnerId: 'l-1' },
    });
    expect(classifySender(coursePage, ext, origins)).toMatchObject({
      kind: 'content',
      context: { kind: 'course', courseId: 'c-1' },
    });
  });

  it.each([
    ['another extension', { ...popupSender, id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz' }],
    ['no id', { url: popupSender.url }],
    ['a sub-frame', { ...learnerPage, frameId: 2 }],
    ['no tab', { id: EXT_ID, url: 'http://127.0.0.1:4310/manager/learners/l-1', frameId: 0 }],
    ['an origin not allowed', contentSender('/x', { url: 'https://evil.example/manager/learners/l-1' })],
    ['a look-alike host', contentSender('/x', { url: 'http://127.0.0.1.evil.example/manager/learners/l-1' })],
    [
      'https where only http is allowed',
      contentSender('/x', { url: 'https://127.0.0.1/manager/learners/l-1' }),
    ],
    [
      'a wrong port on a port-pinned origin',
      contentSender('/x', { url: 'https://learn.example.com:9443/manager/learners/l-1' }),
    ],
  ])('refuses %s', (_name, sender) => {
    const pinned = ['http://127.0.0.1', 'https://learn.example.com:8443'];
    expect(classifySender(sender, ext, _name.includes('port-pinned') ? pinned : origins)).toEqual({
      kind: 'stranger',
    });
  });
});

describe('router trust rules', () => {
  afterEach(() => installI18n('en'));

  it('lets a learner page read its own learner only', async () => {
    const t = setup(seed);
    const own = await t.ask(
      { type: 'invites.get', target: { kind: 'learner', learnerId: 'l-1' } },
      learnerPage,
    );
    expect(own.ok).toBe(true);
    if (own.ok) expect(own.value.invites.map((i) => i.id).sort()).toEqual(['i-1', 'i-2']);
    for (const target of [
      { kind: 'learner', learnerId: 'l-2' },
      { kind: 'course', courseId: 'c-1' },
    ] as const) {
      expect(await t.route({ type: 'invites.get', target }, learnerPage)).toMatchObject({
        ok: false,
        error: { kind: 'refused' },
      });
    }
  });

  it('tells a page why it is refused in the browser’s language', async () => {
    installI18n('fr');
    const t = setup(seed);
    expect(
      await t.route({ type: 'invites.get', target: { kind: 'learner', learnerId: 'l-2' } }, learnerPage),
    ).toEqual({
      ok: false,
      error: { kind: 'refused', message: 'Cette page ne peut lire que ses propres invitations.' },
    });
    expect(await t.route({ type: 'job.get', jobId: 99 }, popupSender)).toEqual({
      ok: false,
      error: { kind: 'bad-request', message: 'Révocation introuvable.' },
    });
  });

  it('answers a course page its seats as the portal gives them, and a learner page none', async () => {
    const t = setup(seed);
    const r = await t.ask(
      { type: 'invites.get', target: { kind: 'course', courseId: 'c-1' }, refresh: true },
      coursePage,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const listed = (await t.db.courses.toArray()).find((c) => c.id === 'c-1');
    expect(listed).toBeDefined();
    expect(r.value.seats).toEqual({
      title: listed?.title,
      seats: listed?.seats,
      pending: 2,
      readAt: expect.any(Number),
    });
    expect(r.value.seats?.seats.assigned).toBe(3); // 2 pending + 1 accepted
    const own = await t.ask(
      { type: 'invites.get', target: { kind: 'learner', learnerId: 'l-1' } },
      learnerPage,
    );
    expect(own.ok && own.value.seats).toBeNull();
  });

  it('keeps cross-course work, settings changes, origins and the audit log for extension pages', async () => {
    const t = setup(seed);
    const asks = [
      { type: 'overview.get' },
      { type: 'job.start', scope: { kind: 'courses', courseIds: 'all' } },
      { type: 'preview', scope: { kind: 'courses', courseIds: ['c-1'] } },
      { type: 'job.start', scope: { kind: 'course', courseId: 'c-2' } },
      { type: 'job.start', scope: { kind: 'learner', learnerId: 'l-2' } },
      { type: 'settings.set', settings: { concurrency: 2 } },
      { type: 'origins.add', origin: 'https://evil.example' },
      { type: 'audit.csv' },
    ];
    for (const ask of asks) {
      expect(await t.route(ask, learnerPage), JSON.stringify(ask)).toMatchObject({
        ok: false,
        error: { kind: 'refused' },
      });
    }
    expect(t.portal.cancelCalls).toEqual([]);
    expect(t.getSettings().origins).not.toContain('https://evil.example');
    expect(await t.route({ type: 'settings.get' }, learnerPage)).toMatchObject({ ok: true });
    expect(
      await t.route({ type: 'settings.set', settings: { concurrency: 2 } }, optionsSender),
    ).toMatchObject({
      ok: true,
      value: { concurrency: 2 },
    });
  });

  it('refuses every request from a stranger, and malformed requests from anyone', async () => {
    const t = setup(seed);
    const stranger = contentSender('/x', { url: 'https://evil.example/manager/learners/l-1' });
    expect(await t.route({ type: 'settings.get' }, stranger)).toMatchObject({
      ok: false,
      error: { kind: 'refused' },
    });
    expect(
      await t.route({ type: 'job.start', scope: { kind: 'invites', inviteIds: [] } }, popupSender),
    ).toMatchObject({
      ok: false,
      error: { kind: 'bad-request' },
    });
    expect(await t.route({ type: 'nope' }, popupSender)).toMatchObject({
      ok: false,
      error: { kind: 'bad-request' },
    });
  });

  it('lets a course page revoke invites of its course only, checked with the portal', async () => {
    const t = setup(seed);
    await t.route({ type: 'settings.set', settings: { undoSeconds: 0 } }, optionsSender);
    // i-2 belongs to course c-2: the whole request is refused and nothing is sent.
    const mixed = await t.route(
      { type: 'job.start', scope: { kind: 'invites', inviteIds: ['i-1', 'i-2'] } },
      coursePage,
    );
    expect(mixed).toMatchObject({
      ok: false,
      error: { kind: 'refused', message: 'Some of these invites are not on this page.' },
    });
    expect(await t.db.jobs.count()).toBe(0);
    const mine = await t.route(
      { type: 'job.start', scope: { kind: 'invites', inviteIds: ['i-1', 'i-3'] } },
      coursePage,
    );
    expect(mine.ok).toBe(true);
    await t.runner.idle();
    expect(t.portal.applied.sort()).toEqual(['i-1', 'i-3']);
  });

  it('shows a content script only the jobs started from its own page', async () => {
    const t = setup(seed);
    const fromPopup = await t.ask(
      { type: 'job.start', scope: { kind: 'course', courseId: 'c-2' }, undoSeconds: 30 },
      popupSender,
    );
    await t.route({ type: 'settings.set', settings: { undoSeconds: 30 } }, optionsSender);
    const fromPage = await t.ask(
      { type: 'job.start', scope: { kind: 'learner', learnerId: 'l-1' } },
      learnerPage,
    );
    if (!fromPopup.ok || !fromPage.ok) throw new Error('start failed');
    const popupJob = fromPopup.value.job.id;
    const pageJob = fromPage.value.job.id;
    const otherLearner = contentSender('/manager/learners/l-2');
    expect(await t.route({ type: 'job.get', jobId: pageJob }, learnerPage)).toMatchObject({ ok: true });
    expect(await t.route({ type: 'job.undo', jobId: popupJob }, learnerPage)).toMatchObject({ ok: false });
    expect(await t.route({ type: 'job.undo', jobId: pageJob }, otherLearner)).toMatchObject({ ok: false });
    expect(await t.route({ type: 'job.current' }, otherLearner)).toEqual({ ok: true, value: null });
    expect(await t.route({ type: 'job.current' }, learnerPage)).toMatchObject({
      ok: true,
      value: { job: { id: pageJob } },
    });
    // The popup sees and controls both.
    expect(await t.route({ type: 'job.undo', jobId: pageJob }, popupSender)).toMatchObject({
      ok: true,
      value: { job: { state: 'undone' } },
    });
    expect(await t.route({ type: 'job.undo', jobId: popupJob }, popupSender)).toMatchObject({
      ok: true,
      value: { job: { state: 'undone' } },
    });
    await t.runner.idle();
    expect(t.portal.cancelCalls).toEqual([]);
  });

  it('answers the overview from the portal with seats, pending and soonest expiry', async () => {
    const t = setup(seed);
    const r = await t.ask({ type: 'overview.get', refresh: true }, popupSender);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.signedIn).toBe(true);
    const c1 = r.value.courses.find((c) => c.courseId === 'c-1');
    expect(c1).toMatchObject({ pending: 2, reclaimable: 2 });
    const oldest = Date.parse(seed[2]?.sentAt ?? '') + 30 * 86_400_000;
    expect(c1?.soonestExpiry).toBe(oldest);
    t.portal.signedIn = false;
    const out = await t.route({ type: 'overview.get', refresh: true }, popupSender);
    expect(out).toMatchObject({ ok: true, value: { signedIn: false, error: { kind: 'signed-out' } } });
  });
});

describe('no portal known to extension pages', () => {
  it('asks to open the portal once when origins are allowed but none was seen, and to add one when none is', async () => {
    const t = setup(seed, { portalOrigin: async () => null });
    const unseen = await t.ask({ type: 'overview.get', refresh: true }, popupSender);
    expect(unseen).toMatchObject({ ok: false, error: { kind: 'no-permission' } });
    expect(!unseen.ok && unseen.error.message).toMatch(/open it in a tab once/);
    const preview = await t.ask(
      { type: 'preview', scope: { kind: 'courses', courseIds: 'all', minAgeDays: 0 } },
      popupSender,
    );
    expect(!preview.ok && preview.error.message).toMatch(/open it in a tab once/);
    expect(t.portal.calls).toHaveLength(0);

    await t.ask({ type: 'origins.remove', origin: 'http://127.0.0.1' }, optionsSender);
    await t.ask({ type: 'origins.remove', origin: 'http://localhost' }, optionsSender);
    expect(t.getSettings().origins).toEqual([]);
    const none = await t.ask({ type: 'overview.get' }, popupSender);
    expect(!none.ok && none.error.message).toMatch(/add your portal’s address/);
  });
});
