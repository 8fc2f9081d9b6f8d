/**
 * The expiry watch in Chromium against the reference portal: its alarm's work run as the alarm
 * runs it (the development build's `__reclaimExpiry` hook, which production builds do not
 * have), the notification read in the service worker, its buttons clicked as the browser
 * delivers a click, and the portal's journal checked for what was (and was not) sent.
 */
import type { Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invite } from '../../src/portal/api/schemas';
import { launchReclaim, type Reclaim } from './harness';

const DAY = 86_400_000;
const LIFETIME = 30 * DAY;

interface Shown {
  title: string;
  message: string;
  contextMessage: string;
  buttons?: { title: string }[];
}

/** The hook's calls, in the service worker. */
const run = (sw: Worker) =>
  sw.evaluate(() =>
    (globalThis as unknown as { __reclaimExpiry: { run(): Promise<string[]> } }).__reclaimExpiry.run(),
  );
const click = (sw: Worker, id: string, action: 'review' | 'renew-all') =>
  sw.evaluate(
    ([i, a]) =>
      (
        globalThis as unknown as { __reclaimExpiry: { click(id: string, a: string): Promise<unknown> } }
      ).__reclaimExpiry.click(i as string, a as string),
    [id, action],
  );
const shown = (sw: Worker, id: string) =>
  sw.evaluate(
    (i) =>
      (
        globalThis as unknown as { __reclaimExpiry: { shown(id: string): Shown | null } }
      ).__reclaimExpiry.shown(i),
    id,
  );
const notifications = (sw: Worker) => sw.evaluate(() => chrome.notifications.getAll());

/** Pending invites of the portal expiring within `days` of `at` (the portal's clock), by the portal's own data. */
async function expiringAt(r: Reclaim, at: number, days = 3): Promise<Invite[]> {
  return (await r.sim.invites({ status: 'pending' })).filter((i) => {
    const left = Date.parse(i.sentAt) + LIFETIME - at;
    return left > 0 && left <= days * DAY;
  });
}

/**
 * The address of the popup the background opened (a real toolbar popup, which Playwright does
 * not list among its pages: found through the worker's `runtime.getContexts`), or of the tab it
 * opened instead where it could not show one. It is closed after it is read.
 */
async function openedView(r: Reclaim, sw: Worker, re: RegExp): Promise<string> {
  const find = async () => {
    const contexts = await sw.evaluate(() =>
      chrome.runtime.getContexts({
        contextTypes: ['POPUP' as chrome.runtime.ContextType, 'TAB' as chrome.runtime.ContextType],
      }),
    );
    return contexts.map((c) => c.documentUrl ?? '').find((u) => re.test(u));
  };
  await expect.poll(async () => (await find()) !== undefined, { timeout: 15_000 }).toBe(true);
  const url = (await find()) as string;
  const cdp = await r.context.newCDPSession(r.page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as {
    targetInfos: { targetId: string; url: string }[];
  };
  for (const t of targetInfos.filter((t) => t.url === url))
    await cdp.send('Target.closeTarget', { targetId: t.targetId });
  await cdp.detach();
  return url;
}

describe('expiry watch (Chromium)', () => {
  let r: Reclaim;
  let sw: Worker;
  let clock: number;
  let first: Invite[];
  let firstId: string;

  beforeAll(async () => {
    r = await launchReclaim();
    clock = Date.now();
    await r.sim.setClock(clock, { freeze: true });
    // Reclaim knows the portal once the manager has opened the popup there (its refresh).
    const popup = await r.openPopup();
    const refreshed = await popup.evaluate(() =>
      chrome.runtime.sendMessage({ type: 'overview.get', refresh: true }),
    );
    expect(refreshed).toMatchObject({ ok: true });
    await popup.close();
    sw = await r.serviceWorker();
  });
  afterAll(async () => {
    await r?.close();
  });

  it('notifies once of the invites expiring within 3 days: how many, in which courses, the soonest', async () => {
    first = await expiringAt(r, clock);
    expect(first.length).toBeGreaterThan(1);
    const ids = await run(sw);
    expect(ids).toHaveLength(1);
    firstId = ids[0] as string;
    expect(Object.keys(await notifications(sw))).toContain(firstId);
    const n = (await shown(sw, firstId)) as Shown;
    expect(n.title).toBe(`${first.length} invites expire within 3 days`);
    const perCourse = new Map<string, number>();
    for (const i of first) perCourse.set(i.course.title, (perCourse.get(i.course.title) ?? 0) + 1);
    const soonest = [...first].sort((a, b) => a.sentAt.localeCompare(b.sentAt))[0] as Invite;
    // The soonest's course is named first, with its count.
    expect(n.message.startsWith(`In ${soonest.course.title} (${perCourse.get(soonest.course.title)})`)).toBe(
      true,
    );
    expect(n.message).toMatch(/The soonest expires in \d+ (h|min|day)/);
    expect(n.contextMessage).toBe(new URL(r.portal.url).host);
    expect(n.buttons?.map((b) => b.title)).toEqual(['Review', 'Renew all']);
  });

  it('makes no second notification when nothing new expires', async () => {
    expect(await run(sw)).toEqual([]);
    expect(Object.keys(await notifications(sw))).toEqual([firstId]);
  });

  it('Review opens the popup on its Expiring soon view, listing them', async () => {
    await click(sw, firstId, 'review');
    const url = await openedView(r, sw, /\/src\/popup\/index\.html#expiring$/);
    // The same page, in a tab the test can read.
    const view = await r.context.newPage();
    await view.goto(url);
    await expect
      .poll(() => view.locator('body').textContent(), { timeout: 15_000 })
      .toContain(first[0]?.learner.email as string);
    expect(Object.keys(await notifications(sw))).toEqual([]);
    await view.close();
  });

  it('tells of newly expiring invites only, and Renew all renews exactly those after the Undo window', async () => {
    clock += DAY;
    await r.sim.setClock(clock, { freeze: true });
    const told = new Set(first.map((i) => i.id));
    const now = (await expiringAt(r, clock)).filter((i) => !told.has(i.id));
    expect(now.length).toBeGreaterThan(0);
    await r.sim.clearJournal();
    const [id] = await run(sw);
    expect(id).toBeDefined();
    const n = (await shown(sw, id as string)) as Shown;
    expect(n.title).toBe(
      `${now.length} ${now.length === 1 ? 'invite expires' : 'invites expire'} within 3 days`,
    );
    const started = (await click(sw, id as string, 'renew-all')) as {
      ok: boolean;
      view: { job: { id: number; state: string; reason: string } };
    };
    expect(started).toMatchObject({ ok: true, view: { job: { state: 'waiting', reason: 'renew' } } });
    // The Undo window: the badge counts it down and the popup is open on the job.
    await expect
      .poll(() => sw.evaluate(() => chrome.action.getBadgeText({})), { timeout: 5000 })
      .toMatch(/^⟲\d+$/);
    await openedView(r, sw, /\/src\/popup\/index\.html$/);
    const popup = await r.openPopup();
    await expect.poll(() => popup.locator('body').textContent(), { timeout: 10_000 }).toMatch(/Undo/);
    // Nothing is sent before the window ends; then each invite is cancelled and its learner invited once.
    expect(await r.sim.journal()).toEqual([]);
    await expect
      .poll(
        async () =>
          (
            (await popup.evaluate(
              (jobId) => chrome.runtime.sendMessage({ type: 'job.get', jobId }),
              started.view.job.id,
            )) as {
              value: { job: { state: string } };
            }
          ).value.job.state,
        { timeout: 60_000 },
      )
      .toBe('done');
    const cancelled = (await r.sim.journal()).filter((e) => e.applied).map((e) => e.inviteId);
    expect(cancelled.sort()).toEqual(now.map((i) => i.id).sort());
    const invited = (await r.sim.inviteJournal()).flatMap((e) => e.created.map((c) => c.email));
    expect(invited.sort()).toEqual(now.map((i) => i.learner.email).sort());
    await popup.close();
  });

  it('signed out: no read beyond the course list, no notification, and the badge title says so', async () => {
    clock += DAY;
    await r.sim.setClock(clock, { freeze: true });
    expect((await expiringAt(r, clock)).length).toBeGreaterThan(0);
    await r.sim.endSessions();
    // The renew's own re-read of its courses (after a job, in the background) is over first.
    await expect
      .poll(
        async () => {
          const before = (await r.sim.requests()).api;
          await new Promise((resolve) => setTimeout(resolve, 1000));
          return (await r.sim.requests()).api === before;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await r.sim.resetRequests();
    expect(await run(sw)).toEqual([]);
    expect(Object.keys(await notifications(sw))).toEqual([]);
    const requests = await r.sim.requests();
    expect(requests).toMatchObject({ byRoute: { 'GET /api/courses': 1 } });
    expect(Object.keys(requests.byRoute ?? {})).toEqual(['GET /api/courses']);
    await expect
      .poll(() => sw.evaluate(() => chrome.action.getTitle({})), { timeout: 5000 })
      .toContain(`Signed out of ${new URL(r.portal.url).host}: not checking for expiring invites`);
  });
});
