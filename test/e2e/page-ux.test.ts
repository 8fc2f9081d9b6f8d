/**
 * What a manager checks on the portal's two tables with Reclaim on them (issue 19, in-page):
 * one control per action per row, the row and the seats after a revoke, Undo by Escape, labels
 * that say the scope with counts that add up, a screen reader's live region over a 100-invite
 * job, and no horizontal scroll added on a narrow window. Chromium, the built extension, the
 * reference portal; the portal's journal and state are the judges.
 *
 *   npm run build:dev && npx vitest run --project e2e test/e2e/page-ux.test.ts
 */
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MarkupPreset } from '../portal/assets/table-markup';
import type { Invite } from '../portal/types';
import { CHROMIUM, launchReclaim, type Reclaim, signInPage } from './harness';
import { askOk } from './popup-helpers';
import { type ReclaimUi, reclaimUi, type SeenRow } from './reclaim-world';

let r: Reclaim;
let page: Page;
let ui: ReclaimUi;
let ext: Page;

beforeAll(async () => {
  r = await launchReclaim();
  page = r.page;
  ui = await reclaimUi(page);
  ext = await r.openOptions();
});

afterAll(async () => {
  await ui?.detach();
  await r?.close();
});

beforeEach(async () => {
  await r.sim.resetFaults();
  await r.sim.resetMarkup();
  await r.sim.setClock(Date.now());
  await r.sim.reset({ preset: 'demo', seed: 1 });
  await r.sim.clearJournal();
  await askOk(ext, { type: 'settings.set', settings: { undoSeconds: 5, showPortalCancel: false } });
  await page.setViewportSize({ width: 1280, height: 860 });
});

const usageUrl = (courseId: string, pageNo = 1) =>
  `${r.portal.url}/manager/licenses/${courseId}/distribute?tab=usage&page=${pageNo}`;
const learnerUrl = (learnerId: string) => `${r.portal.url}/manager/learners/${learnerId}?tab=invite-history`;
const REVOKE_ALL = /^Revoke (all \d+ pending invites? of .+|.+'s \d+ pending invites? \(\d+ courses?\))$/;

async function courseByTitle(title: string): Promise<{ id: string; pending: Invite[]; all: Invite[] }> {
  const all = (await r.sim.invites()).filter((i) => i.course.title === title);
  const id = all[0]?.course.id;
  if (!id) throw new Error(`no course ${title}`);
  return { id, all, pending: all.filter((i) => i.status === 'pending') };
}

async function open(url: string): Promise<void> {
  await page.goto(url);
  await expect.poll(async () => (await ui.page()).bar.main, { timeout: 15_000 }).toMatch(REVOKE_ALL);
}

const rowOf = async (id: string): Promise<SeenRow | undefined> =>
  (await ui.page()).rows.find((x) => x.inviteId === id);
const bar = async () => (await ui.page()).bar;
/** The seats line Reclaim must show, from the portal's own state now. */
async function seatsLine(courseId: string): Promise<string> {
  const course = (await r.sim.state()).courses.find((c) => c.id === courseId);
  if (!course) throw new Error(`no course ${courseId}`);
  const { total, assigned, available } = course.seats;
  const pending = (await r.sim.invites({ courseId, status: 'pending' })).length;
  return `Seats now: ${total} total · ${assigned} assigned · ${available} available. This table now lists ${assigned} invites (${pending} pending).`;
}

describe('one visible control per action per row', () => {
  it('Usage and Invite History: each pending row has Reclaim’s Revoke and nothing of the portal’s to press; one Tab stop each', async () => {
    const course = await courseByTitle('First Aid at Work');
    await open(usageUrl(course.id));
    const rows = (await ui.page()).rows;
    expect(rows).toHaveLength(25);
    for (const x of rows) {
      const inv = course.all.find((i) => i.id === x.inviteId);
      if (inv?.status === 'pending')
        expect({ ours: x.buttons, portal: x.portalButtons }).toEqual({ ours: 1, portal: 0 });
      // The portal's own disabled Cancel and its badge say it for an accepted row; Reclaim adds nothing.
      else
        expect({ ours: x.buttons, note: x.note, portal: x.portalButtons }).toEqual({
          ours: 0,
          note: '',
          portal: 1,
        });
    }
    // Tab from the first row's learner link: one stop per action (Revoke, then Reassign and Renew,
    // the reassign work's), none for the portal's hidden Cancel, then the next row's link.
    const first = rows[0] as SeenRow;
    const second = rows[1] as SeenRow;
    await page.locator(`tr[data-invite-id="${first.inviteId}"] td[data-col="learner"] a`).focus();
    await page.keyboard.press('Tab');
    expect(await ui.focused()).toMatch(/^Revoke invite: /);
    const rowOfFocus = () =>
      page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-invite-id'));
    let stops = 1;
    for (; stops < 6 && (await rowOfFocus()) === first.inviteId; stops++) await page.keyboard.press('Tab');
    expect(stops - 1).toBe(3);
    expect(await rowOfFocus()).toBe(second.inviteId);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('A');

    const jane = (await r.sim.invites()).filter((i) => i.learner.name === 'Jane Doe');
    await open(learnerUrl(jane[0]?.learner.id as string));
    for (const x of (await ui.page()).rows) {
      const pending = jane.find((i) => i.id === x.inviteId)?.status === 'pending';
      expect({ ours: x.buttons, portal: x.portalButtons }).toEqual(
        pending ? { ours: 1, portal: 0 } : { ours: 0, portal: 1 },
      );
    }
  });

  it('“Show the portal’s own Cancel buttons” brings it back beside Reclaim’s, and it goes inert once Reclaim revokes', async () => {
    await askOk(ext, { type: 'settings.set', settings: { showPortalCancel: true, undoSeconds: 1 } });
    const course = await courseByTitle('Fire Safety');
    const target = course.pending[0] as Invite;
    await open(usageUrl(course.id));
    await expect.poll(async () => (await rowOf(target.id))?.portalButtons).toBe(1);
    await ui.click(new RegExp(`^Revoke invite: ${target.learner.name}, Fire Safety$`));
    await expect.poll(async () => (await rowOf(target.id))?.status, { timeout: 20_000 }).toBe('Revoked');
    expect((await rowOf(target.id))?.portalButtons).toBe(0); // there, but inert
    const other = (await ui.page()).rows.find((x) => x.inviteId === course.pending[1]?.id);
    expect(other?.portalButtons).toBe(1);
  });
});

describe('after a revoke the page reads as revoked', () => {
  it('one row: its status says Revoked, its note the seat, and the bar the course’s seats as the portal has them now', async () => {
    const course = await courseByTitle('Manual Handling');
    const target = course.pending[0] as Invite;
    await open(usageUrl(course.id));
    expect((await bar()).seats).toBeNull(); // the portal's own seat line is right until a revoke
    await ui.click(new RegExp(`^Revoke invite: ${target.learner.name}, Manual Handling$`));
    await expect.poll(async () => (await rowOf(target.id))?.status, { timeout: 20_000 }).toBe('Revoked');
    const row = await rowOf(target.id);
    expect(row?.note).toBe('Seat returned');
    expect(row?.buttons).toBe(0);
    expect(row?.text).not.toMatch(/pending/i); // the portal's stale badge is covered
    await expect.poll(async () => (await bar()).seats, { timeout: 20_000 }).toBe(await seatsLine(course.id));
    expect((await r.sim.journal()).filter((e) => e.applied).map((e) => e.inviteId)).toEqual([target.id]);

    // The portal re-renders its table from answers that still list the invite as pending (a
    // cache of its own): Reclaim's word survives the new rows, once.
    await page.route('**/api/courses/*/invites*', async (route) => {
      const res = await route.fetch();
      const data = (await res.json()) as { items: Invite[] };
      if (!data.items.some((i) => i.id === target.id)) data.items.unshift(target);
      await route.fulfill({ response: res, json: data });
    });
    try {
      await page.evaluate(() =>
        (window as unknown as { __portal: { rerender(): Promise<void> } }).__portal.rerender(),
      );
      const again = await rowOf(target.id);
      expect(again?.status).toBe('Revoked');
      expect(again?.buttons).toBe(0);
      expect(again?.portalButtons).toBe(0);
      expect(again?.text).not.toMatch(/pending/i);
      expect(await page.locator(`tr[data-invite-id="${target.id}"] reclaim-status`).count()).toBe(1);
    } finally {
      await page.unroute('**/api/courses/*/invites*');
    }
  });

  it('Revoke all on page 2 of 3: every pending row says Revoked, the seats add up, no button for nothing', async () => {
    const course = await courseByTitle('First Aid at Work');
    await open(usageUrl(course.id, 2));
    await ui.click(REVOKE_ALL);
    await expect
      .poll(async () => (await bar()).msg, { timeout: 60_000 })
      .toBe(`Done: ${course.pending.length} revoked. No pending invites left.`);
    expect((await bar()).main).toBeNull();
    for (const x of (await ui.page()).rows) {
      const pending = course.pending.some((i) => i.id === x.inviteId);
      expect(x.status).toBe(pending ? 'Revoked' : null);
      expect(x.text).not.toMatch(/pending/i);
    }
    await expect.poll(async () => (await bar()).seats, { timeout: 20_000 }).toBe(await seatsLine(course.id));
  });
});

describe('Undo by Escape', () => {
  it('from a row in its window, and from the bar for Revoke all: nothing reaches the portal', async () => {
    const course = await courseByTitle('Lone Working');
    const target = course.pending[0] as Invite;
    await askOk(ext, { type: 'settings.set', settings: { undoSeconds: 10 } });
    await open(usageUrl(course.id));
    await ui.click(new RegExp(`^Revoke invite: ${target.learner.name}, Lone Working$`));
    await expect.poll(async () => (await rowOf(target.id))?.note).toMatch(/^Revoking in \d+ s ·$/);
    expect(await ui.focused()).toMatch(/^Undo revoke: /); // the click left the focus on Undo
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await rowOf(target.id))?.button).toMatch(/^Revoke invite: /);

    await ui.click(REVOKE_ALL);
    await expect
      .poll(async () => (await bar()).undo)
      .toMatch(/^Undo revoking all \d+ pending invites of Lone Working$/);
    expect(await ui.focused()).toMatch(/^Undo revoking all /);
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await bar()).main).toMatch(REVOKE_ALL);
    expect((await bar()).live).toBe('Undone: nothing was revoked.');
    await page.waitForTimeout(11_000); // past both windows
    expect(await r.sim.journal()).toEqual([]);
  });
});

describe('labels that say the scope, and counts that add up', () => {
  it('Usage, on each of its pages: “Revoke all N pending invites of <course>”, and how many are on this page and on others', async () => {
    const course = await courseByTitle('First Aid at Work');
    const n = course.pending.length;
    for (const pageNo of [1, 3]) {
      await open(usageUrl(course.id, pageNo));
      expect((await bar()).main).toBe(`Revoke all ${n} pending invites of First Aid at Work`);
      const here = (await ui.page()).rows.filter((x) =>
        course.pending.some((i) => i.id === x.inviteId),
      ).length;
      expect((await bar()).msg).toBe(
        `Every page of this table: ${here} on this page, ${n - here} on other pages.`,
      );
      // The portal's own footer counts the same table: pending and accepted.
      expect(await page.locator('[data-pager]').textContent()).toContain(
        `${course.all.filter((i) => i.status !== 'cancelled' && i.status !== 'expired').length} invites`,
      );
    }
  });

  it('Invite History: “Revoke Jane Doe’s N pending invites (M courses)”', async () => {
    const jane = (await r.sim.invites()).filter(
      (i) => i.learner.name === 'Jane Doe' && i.status === 'pending',
    );
    await open(learnerUrl(jane[0]?.learner.id as string));
    const courses = new Set(jane.map((i) => i.course.id)).size;
    expect((await bar()).main).toBe(`Revoke Jane Doe's ${jane.length} pending invites (${courses} courses)`);
    expect(
      (await ui.page()).rows.filter((x) => x.button?.startsWith('Revoke invite: Jane Doe, ')),
    ).toHaveLength(jane.length);
  });
});

describe('a screen reader’s view', () => {
  it('over a 100-invite Revoke all: one live region, its start, 25/50/75 % and its end, each once', async () => {
    await r.sim.reset({ seed: 4, courses: 1, learners: 150, pendingPerCourse: 100, acceptedPerCourse: 5 });
    await r.sim.setFaults({ latencyMs: 150, rateLimit: null });
    await askOk(ext, { type: 'settings.set', settings: { undoSeconds: 3 } });
    const course = (await r.sim.invites({ status: 'pending' }))[0]?.course.id as string;
    await open(usageUrl(course));
    expect((await ui.page()).liveRegions).toBe(1);
    expect(await ui.listen()).toBe(true);
    await ui.click(/^Revoke all 100 pending invites of /);
    await expect
      .poll(async () => (await bar()).msg, { timeout: 60_000 })
      .toBe('Done: 100 revoked. No pending invites left.');
    await page.waitForTimeout(500);
    const heard = await ui.heard();
    console.info(JSON.stringify({ test: 'e2e-live-region-100', announcements: heard.length, heard }));
    expect(heard[0]).toMatch(
      /^Revoking all 100 pending invites of .+ in 3 s\. Undo, or Escape, keeps them\.$/,
    );
    expect(heard.at(-1)).toBe('Done: 100 revoked.');
    expect(new Set(heard).size).toBe(heard.length); // nothing said twice
    expect(heard.slice(1, -1).every((t) => /^(25|50|75)% done: \d+ of 100 invites\.$/.test(t))).toBe(true);
    expect(heard.length).toBeGreaterThanOrEqual(3);
    expect(heard.length).toBeLessThanOrEqual(5);
    expect((await ui.page()).liveRegions).toBe(1);
  });
});

describe('a narrow window (420 px)', () => {
  let plain: Browser;
  let bare: Page;
  beforeAll(async () => {
    plain = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    bare = await (await plain.newContext({ viewport: { width: 420, height: 860 } })).newPage();
    await signInPage(bare, r.portal.url);
  });
  afterAll(async () => {
    await plain?.close();
  });

  const scrollWidth = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth);

  /** The page's scroll width without Reclaim (plain Chromium) and with it, same data, same clock. */
  async function widths(url: string): Promise<{ without: number; with: number }> {
    await bare.goto(url);
    await bare.locator('[data-panel]:not([hidden]) tbody tr td + td').first().waitFor();
    await page.setViewportSize({ width: 420, height: 860 });
    await open(url);
    return { without: await scrollWidth(bare), with: await scrollWidth(page) };
  }

  it.each<MarkupPreset>(['hooks', 'hookless'])(
    '%s markup: Reclaim adds no horizontal scroll to either table',
    async (preset) => {
      await r.sim.setMarkup({ preset });
      const course = await courseByTitle('First Aid at Work');
      const jane = (await r.sim.invites()).find((i) => i.learner.name === 'Jane Doe')?.learner.id as string;
      const usage = await widths(usageUrl(course.id));
      const history = await widths(learnerUrl(jane));
      console.info(JSON.stringify({ test: 'e2e-scroll-width-420', preset, usage, history }));
      expect(usage.with).toBeLessThanOrEqual(usage.without);
      expect(history.with).toBeLessThanOrEqual(history.without);
    },
  );

  it('a long failure message wraps in its row, with Retry in the row and no scroll added', async () => {
    const course = await courseByTitle('Food Hygiene');
    const target = course.pending[0] as Invite;
    const { without } = await widths(usageUrl(course.id));
    await page.evaluate(() =>
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' }),
    ); // the portal's own refresh would drop the row meanwhile
    await r.sim.setFaults({ errorRate: 1, faultPaths: 'cancel' });
    await ui.click(new RegExp(`^Revoke invite: ${target.learner.name}, Food Hygiene$`));
    await expect
      .poll(async () => (await rowOf(target.id))?.note, { timeout: 60_000 })
      .toBe("Couldn't cancel: the portal had an error (tried 5 times)");
    const retry = await ui.button(new RegExp(`^Retry revoke: ${target.learner.name}`));
    const rowBox = await page.locator(`tr[data-invite-id="${target.id}"]`).boundingBox();
    if (!retry || !rowBox) throw new Error('no Retry or no row');
    expect(retry.x + retry.width / 2).toBeLessThanOrEqual(rowBox.x + rowBox.width);
    expect(retry.y).toBeGreaterThan(rowBox.y);
    expect(retry.y).toBeLessThan(rowBox.y + rowBox.height);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(without);
  });
});
