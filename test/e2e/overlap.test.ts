/**
 * One invite, one job, in Chromium: overlapping revokes started the ways a manager starts them
 * (the same course's Usage tab open twice, the popup and a page, a double click) send at most one
 * cancel per invite, and the later job says which invites it left to the earlier one. The
 * portal's journal is the judge.
 *
 *   npm run build:dev && npx vitest run --project e2e test/e2e/overlap.test.ts
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobView } from '../../src/shared/types';
import type { JournalEntry } from '../portal/types';
import { launchReclaim, type Reclaim } from './harness';
import { askOk, settleJobs, totalPendingShown, until } from './popup-helpers';
import { type ReclaimUi, reclaimUi } from './reclaim-world';

const DATA = {
  seed: 9,
  courses: 2,
  learners: 120,
  pendingPerCourse: 40,
  acceptedPerCourse: 3,
  seatsPerCourse: 50,
};
const HELD = /(\d+) already being revoked by the job started at \d{1,2}:\d{2}/;

let r: Reclaim;
let ext: Page;
/** The Reclaim views of this test's portal tabs, detached with them. */
let views: ReclaimUi[] = [];

beforeAll(async () => {
  r = await launchReclaim({ portal: { data: DATA } });
  ext = await r.openOptions();
});

afterAll(async () => {
  await r?.close();
});

beforeEach(async () => {
  await settleJobs(ext);
  await r.sim.resetFaults();
  await r.sim.reset(DATA);
  await r.sim.setFaults({ latencyMs: 60 });
  await r.sim.clearJournal();
  await askOk(ext, { type: 'settings.set', settings: { undoSeconds: 2, concurrency: 4, minAgeDays: 0 } });
  for (const v of views) await v.detach();
  views = [];
  for (const p of r.context.pages()) if (p !== r.page && p !== ext) await p.close();
});

/** Cancel requests per invite in the journal (every request, applied or not). */
function cancelsPerInvite(journal: JournalEntry[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const e of journal) n.set(e.inviteId, (n.get(e.inviteId) ?? 0) + 1);
  return n;
}

/** Waits until no job is active, then checks the journal: each pending invite, one cancel. */
async function expectOneCancelEach(pending: Set<string>): Promise<void> {
  await until(
    'every job finished',
    async () => {
      const v = await askOk(ext, { type: 'job.current' });
      return !v || ['done', 'cancelled', 'undone'].includes(v.job.state);
    },
    60_000,
  );
  await until('every invite cancelled', async () =>
    (await r.sim.invites({ status: 'pending' })).every((i) => !pending.has(i.id)),
  );
  const journal = await r.sim.journal();
  const perInvite = cancelsPerInvite(journal);
  expect([...perInvite].filter(([, n]) => n > 1)).toEqual([]);
  expect(new Set(perInvite.keys())).toEqual(pending);
  expect(journal.every((e) => e.applied)).toBe(true);
}

/** A course's Usage tab, with its Reclaim controls (closed shadow roots: read from Reclaim's world). */
async function usageTab(courseId: string): Promise<{ page: Page; ui: ReclaimUi }> {
  const page = await r.context.newPage();
  const ui = await reclaimUi(page);
  views.push(ui);
  await page.goto(`${r.portal.url}/manager/licenses/${courseId}/distribute?tab=usage`);
  return { page, ui };
}

/** The bar's message, e.g. what a job left to another. */
const barMsg = async (ui: ReclaimUi) => (await ui.page()).bar.msg ?? '';

/**
 * The popup on its course list. The jobs of earlier tests finished with reports the popup never
 * showed, and it would show the newest one first: it is told it has seen them (its own memory).
 */
async function popupWithCourses(): Promise<Page> {
  const p = await r.context.newPage();
  await p.addInitScript(() =>
    localStorage.setItem('reclaim.popup.reportSeen', String(Number.MAX_SAFE_INTEGER)),
  );
  await p.goto(`chrome-extension://${r.extensionId}/src/popup/index.html`);
  await p.locator('li[data-course-id]').first().waitFor({ timeout: 20_000 });
  return p;
}

const revokeAll = (n: number) => new RegExp(`^Revoke all ${n} pending invites of .+$`);

describe('overlapping revokes', () => {
  it('two tabs of one course: the second offers the first’s Undo instead of a second Revoke all, and a click where its button was starts nothing and undoes nothing', async () => {
    const pending = await r.sim.invites({ status: 'pending' });
    const course = pending[0]?.course.id as string;
    const mine = new Set(pending.filter((i) => i.course.id === course).map((i) => i.id));
    const [a, b] = [await usageTab(course), await usageTab(course)];
    // b's button seen first, so that its click follows a's at once, inside a's job.
    const bButton = await b.ui.settle(revokeAll(mine.size));
    await a.ui.click(revokeAll(mine.size));
    await expect
      .poll(async () => (await a.ui.page()).bar.undo)
      .toMatch(new RegExp(`^Undo revoking all ${mine.size} pending invites of `));
    await expect
      .poll(async () => (await b.ui.page()).bar.undo, { timeout: 10_000 })
      .toBe('Undo the revoke started in another tab');
    expect((await b.ui.page()).bar.main).toBeNull();
    expect(await barMsg(b.ui)).toMatch(
      new RegExp(
        `^The revoke started in another tab takes this page's ${mine.size} pending invites: it starts in \\d s\\.$`,
      ),
    );
    await b.page.mouse.click(bButton.x, bButton.y); // a click meant for b's own Revoke all
    await expectOneCancelEach(mine);
  });

  it('the popup, then a course page: the page offers the popup’s Undo, no Revoke all of its own', async () => {
    await askOk(ext, { type: 'settings.set', settings: { undoSeconds: 10 } });
    const pending = await r.sim.invites({ status: 'pending' });
    const course = pending[0]?.course.id as string;
    const onPage = pending.filter((i) => i.course.id === course).length;
    const tab = await usageTab(course);
    await tab.ui.settle(revokeAll(onPage));

    const popup = await popupWithCourses();
    await until('the popup’s count', async () => (await totalPendingShown(popup)) === pending.length);
    await popup.getByRole('button', { name: `Revoke ${pending.length} pending` }).click();
    await popup.getByTestId('undo-countdown').waitFor();
    await popup.close(); // the browser closes a toolbar popup at a click elsewhere: its Undo must not go with it
    await expect
      .poll(async () => (await tab.ui.page()).bar.undo, { timeout: 10_000 })
      .toBe('Undo the revoke started in the toolbar popup');
    expect((await tab.ui.page()).bar.main).toBeNull();
    expect(await barMsg(tab.ui)).toMatch(
      new RegExp(
        `^The revoke started in the toolbar popup takes this page's ${onPage} pending invites \\(and other courses\\): it starts in \\d+ s\\.$`,
      ),
    );
    // Escape where the focus is, in the bar: the popup's whole revoke is undone, nothing sent.
    expect(await tab.ui.focus(/^Undo the revoke started in the toolbar popup$/)).toBe(true);
    await tab.page.keyboard.press('Escape');
    await expect
      .poll(async () => (await tab.ui.page()).bar.live)
      .toBe('Undone: the revoke started in the toolbar popup sends nothing.');
    await expect.poll(async () => (await tab.ui.page()).bar.main).toMatch(revokeAll(onPage));
    const last = await askOk(ext, { type: 'job.current' });
    expect(last?.job.state).toBe('undone');
    await tab.page.waitForTimeout(11_000); // past the popup's window
    expect(await r.sim.journal()).toEqual([]);
  });

  it('the popup, then a learner’s page it covers without being told: the page’s job takes nothing the popup’s holds, and says so', async () => {
    const pending = await r.sim.invites({ status: 'pending' });
    const learner = pending[0]?.learner.id as string;
    const hers = pending.filter((i) => i.learner.id === learner).length;
    const page = await r.context.newPage();
    const ui = await reclaimUi(page);
    views.push(ui);
    await page.goto(`${r.portal.url}/manager/learners/${learner}?tab=invite-history`);
    const revokeHers = new RegExp(`^Revoke .+'s ${hers} pending invites? \\(\\d+ courses?\\)$`);
    // Seen before the popup's job starts, so that its click lands inside that job.
    const button = await ui.settle(revokeHers);

    const popup = await popupWithCourses();
    await until('the popup’s count', async () => (await totalPendingShown(popup)) === pending.length);
    await popup.getByRole('button', { name: `Revoke ${pending.length} pending` }).click();
    await popup.getByTestId('undo-countdown').waitFor();
    // The popup counts down from the click; the page's click must come once the job is written.
    await until(
      'the popup’s job written',
      async () => (await askOk(ext, { type: 'job.current' }))?.job.state === 'waiting',
    );
    await page.mouse.click(button.x, button.y);
    await expect.poll(() => barMsg(ui), { timeout: 10_000 }).toMatch(HELD);
    expect(HELD.exec(await barMsg(ui))?.[1]).toBe(String(hers));
    await popup.getByRole('heading', { name: 'Revoke finished' }).waitFor({ timeout: 60_000 });
    expect(await popup.getByTestId('report-revoked').textContent()).toBe(String(pending.length));
    await expectOneCancelEach(new Set(pending.map((i) => i.id)));
  });

  it('a double click: one job sends, the other is wholly held and sends nothing', async () => {
    const pending = await r.sim.invites({ status: 'pending' });
    const popup = await popupWithCourses();
    await until('the popup’s count', async () => (await totalPendingShown(popup)) === pending.length);
    await popup.getByRole('button', { name: `Revoke ${pending.length} pending` }).dblclick();
    // A double click that reached the background twice (the popup's own guard aside).
    const scope = { kind: 'courses' as const, courseIds: 'all' as const };
    const views = await Promise.all([
      askOk(ext, { type: 'job.start', scope, undoSeconds: 1 }),
      askOk(ext, { type: 'job.start', scope, undoSeconds: 1 }),
    ]);
    const byTotal = (v: JobView) => v.counts.total;
    expect(views.map(byTotal).filter((n) => n > 0).length).toBeLessThanOrEqual(1);
    const wholly = views.filter((v) => v.counts.total === 0);
    expect(wholly.length).toBeGreaterThanOrEqual(1);
    for (const v of wholly) {
      expect(v.job.state).toBe('done');
      expect(v.job.heldByOthers?.reduce((n, h) => n + h.count, 0)).toBe(pending.length);
    }
    await expectOneCancelEach(new Set(pending.map((i) => i.id)));
  });
});
