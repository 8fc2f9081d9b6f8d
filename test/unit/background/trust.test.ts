/**
 * What a portal page may ask and is told (issue 18, findings 5 to 7): the Undo window is the
 * manager's, the sender's origin is the one the browser vouches for, and a page is told its Undo
 * setting and the news of its own learner or course, nothing else.
 */
import { describe, expect, it } from 'vitest';
import { eventFor } from '../../../src/background/events';
import { type Caller, classifySender } from '../../../src/background/router';
import type { BackgroundEvent } from '../../../src/shared/messages';
import type { JobView } from '../../../src/shared/types';
import type { InviteSeed } from './fake-portal';
import {
  contentSender,
  daysAgo,
  EXT_BASE,
  EXT_ID,
  optionsSender,
  PORTAL,
  popupSender,
  setup,
} from './harness';

const seed: InviteSeed[] = [
  { id: 'i-1', courseId: 'c-1', learnerId: 'l-1', status: 'pending', sentAt: daysAgo(10) },
  { id: 'i-2', courseId: 'c-1', learnerId: 'l-2', status: 'pending', sentAt: daysAgo(3) },
];
const coursePage = contentSender('/manager/licenses/c-1/distribute?tab=usage');
const learnerPage = contentSender('/manager/learners/l-1?tab=invite-history');

describe('the Undo window of anything a page starts is the manager’s (finding 5)', () => {
  it('refuses a page that names its own Undo window, and sends nothing', async () => {
    const t = setup(seed);
    for (const undoSeconds of [0, 2, 30]) {
      const r = await t.route(
        { type: 'job.start', scope: { kind: 'course', courseId: 'c-1' }, undoSeconds },
        coursePage,
      );
      expect(r).toMatchObject({ ok: false, error: { kind: 'refused' } });
    }
    expect(await t.db.jobs.count()).toBe(0);
    await t.runner.idle();
    expect(t.portal.cancelCalls).toEqual([]);
  });

  it('gives a page’s job the manager’s setting', async () => {
    const t = setup(seed);
    await t.route({ type: 'settings.set', settings: { undoSeconds: 12 } }, optionsSender);
    const r = await t.ask({ type: 'job.start', scope: { kind: 'course', courseId: 'c-1' } }, coursePage);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.job.startAt - r.value.job.createdAt).toBe(12_000);
    expect(await t.route({ type: 'job.undo', jobId: r.value.job.id }, coursePage)).toMatchObject({
      ok: true,
    });
    // The popup may still choose one (the manager's own click, its own window).
    const fromPopup = await t.ask(
      { type: 'job.start', scope: { kind: 'course', courseId: 'c-1' }, undoSeconds: 1 },
      popupSender,
    );
    if (!fromPopup.ok) throw new Error(JSON.stringify(fromPopup.error));
    expect(fromPopup.value.job.startAt - fromPopup.value.job.createdAt).toBe(1000);
    await t.route({ type: 'job.undo', jobId: fromPopup.value.job.id }, popupSender);
    await t.runner.idle();
  });
});

describe('trust from the origin the browser vouches for (finding 6)', () => {
  const ext = { id: EXT_ID, baseUrl: EXT_BASE };
  const origins = ['http://127.0.0.1'];

  it('refuses a sandboxed page ("null" origin) at an allowed URL', () => {
    expect(classifySender({ ...coursePage, origin: 'null' }, ext, origins)).toEqual({ kind: 'stranger' });
  });

  it.each([
    ['another site', 'https://evil.example'],
    ['another port of the same host', 'http://127.0.0.1:9999'],
    ['https for an http URL', 'https://127.0.0.1:4310'],
    ['an extension', `chrome-extension://${EXT_ID}`],
  ])('refuses an origin that disagrees with the URL: %s', (_what, origin) => {
    expect(classifySender({ ...coursePage, origin }, ext, origins)).toEqual({ kind: 'stranger' });
  });

  it('accepts a page whose origin agrees with its URL, and the URL alone where no origin is given', () => {
    const expected = { kind: 'content', origin: PORTAL, context: { kind: 'course', courseId: 'c-1' } };
    expect(classifySender({ ...coursePage, origin: PORTAL }, ext, origins)).toMatchObject(expected);
    expect(classifySender(coursePage, ext, origins)).toMatchObject(expected);
  });

  it('checks extension pages the same way', () => {
    const extOrigin = EXT_BASE.replace(/\/$/, '');
    expect(classifySender({ ...popupSender, origin: extOrigin }, ext, origins)).toEqual({
      kind: 'extension',
      surface: 'popup',
    });
    expect(classifySender({ ...popupSender, origin: 'null' }, ext, origins)).toEqual({ kind: 'stranger' });
    expect(classifySender({ ...popupSender, origin: PORTAL }, ext, origins)).toEqual({ kind: 'stranger' });
  });

  it('answers nothing to a sandboxed page', async () => {
    const t = setup(seed);
    const sandboxed = { ...learnerPage, origin: 'null' };
    expect(await t.route({ type: 'settings.get' }, sandboxed)).toMatchObject({
      ok: false,
      error: { kind: 'refused' },
    });
    expect(
      await t.route({ type: 'invites.get', target: { kind: 'learner', learnerId: 'l-1' } }, sandboxed),
    ).toMatchObject({ ok: false, error: { kind: 'refused' } });
  });
});

describe('a page is told only what it needs (finding 7)', () => {
  it('settings.get answers a page its Undo and renew windows and nothing else; extension pages everything', async () => {
    const t = setup(seed);
    await t.route({ type: 'settings.set', settings: { undoSeconds: 7, renewDays: 4 } }, optionsSender);
    expect(await t.route({ type: 'settings.get' }, coursePage)).toEqual({
      ok: true,
      value: { undoSeconds: 7, renewDays: 4 },
    });
    expect(await t.route({ type: 'settings.get' }, popupSender)).toMatchObject({
      ok: true,
      value: { undoSeconds: 7, origins: expect.any(Array), concurrency: expect.any(Number) },
    });
  });

  const course: Caller = {
    kind: 'content',
    origin: PORTAL,
    context: { kind: 'course', courseId: 'c-1' },
    surface: 'usage',
  };
  const learner: Caller = {
    kind: 'content',
    origin: PORTAL,
    context: { kind: 'learner', learnerId: 'l-1' },
    surface: 'invite-history',
  };
  const changed: BackgroundEvent = {
    type: 'invites-changed',
    origin: PORTAL,
    courseIds: ['c-1', 'c-2'],
    learnerIds: ['l-1', 'l-2', 'l-3'],
  };

  it('tells a page of a change to its own course or learner, naming only that one', () => {
    expect(eventFor(course, changed)).toEqual({
      type: 'invites-changed',
      origin: PORTAL,
      courseIds: ['c-1'],
      learnerIds: [],
    });
    expect(eventFor(learner, changed)).toEqual({
      type: 'invites-changed',
      origin: PORTAL,
      courseIds: [],
      learnerIds: ['l-1'],
    });
    expect(eventFor({ kind: 'extension', surface: 'popup' }, changed)).toBe(changed);
  });

  it('tells a page nothing of other learners, other courses, other portals or the session', () => {
    const other: BackgroundEvent = { ...changed, courseIds: ['c-2'], learnerIds: ['l-2'] };
    expect(eventFor(course, other)).toBeNull();
    expect(eventFor(learner, other)).toBeNull();
    expect(eventFor(course, { ...changed, origin: 'http://127.0.0.1:9999' })).toBeNull();
    expect(eventFor(course, { type: 'session', origin: PORTAL, signedIn: false })).toBeNull();
    const noPage: Caller = { kind: 'content', origin: PORTAL, context: null, surface: 'usage' };
    expect(eventFor(noPage, changed)).toBeNull();
  });

  it('tells a page only its own jobs', () => {
    const view = (context: JobView['job']['context']): BackgroundEvent => ({
      type: 'job',
      view: { job: { origin: PORTAL, context }, counts: {}, failures: [] } as unknown as JobView,
    });
    expect(eventFor(course, view({ kind: 'course', courseId: 'c-1' }))).not.toBeNull();
    expect(eventFor(course, view({ kind: 'course', courseId: 'c-2' }))).toBeNull();
    expect(eventFor(course, view(undefined))).toBeNull();
  });
});
