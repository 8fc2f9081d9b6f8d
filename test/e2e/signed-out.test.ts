/**
 * A session that ends in the middle of a page's Revoke all, in Chromium, in the shapes where
 * the browser itself matters (a redirect, which a browser's fetch hides behind an opaque answer;
 * the sign-in page's HTML with 200): the job pauses as signed out with nothing failed, the
 * manager is told where they look (the page's bar, the popup, the toolbar button's title), and
 * signing in again through the portal's own form resumes it at once, without waiting for the
 * 30 s alarm. The portal's journal shows each invite cancelled once.
 *
 *   npm run build:dev && npx vitest run --project e2e test/e2e/signed-out.test.ts
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../src/shared/types';
import type { SignedOutShape } from '../portal/types';
import { launchReclaim, type Reclaim, signInPage } from './harness';
import { askOk, idb } from './popup-helpers';
import { type ReclaimUi, reclaimUi } from './reclaim-world';

const DATA = {
  seed: 3,
  courses: 1,
  learners: 400,
  pendingPerCourse: 300,
  acceptedPerCourse: 4,
  seatsPerCourse: 320,
};
/** The jobs alarm's period: a resume that took this long came from the alarm, not the sign-in. */
const ALARM_MS = 30_000;

let r: Reclaim;
let ext: Page;
/** The portal tab's Reclaim controls (closed shadow roots: read from Reclaim's world). */
let ui: ReclaimUi;

beforeAll(async () => {
  r = await launchReclaim({ portal: { data: DATA } });
  ext = await r.openOptions();
  ui = await reclaimUi(r.page);
  await askOk(ext, { type: 'settings.set', settings: { undoSeconds: 1 } });
});

afterAll(async () => {
  await ui?.detach();
  await r?.close();
});

/** The job the page started (the newest since `after`), once it exists and `done` holds. */
async function until(
  what: string,
  after: number,
  done: (v: JobView) => boolean,
  timeoutMs = 60_000,
): Promise<JobView> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await askOk(ext, { type: 'job.current' });
    if (v && v.job.id > after && done(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: ${JSON.stringify(v && [v.job.state, v.counts])}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

describe('signed out mid-job, in Chromium', () => {
  it.each<SignedOutShape>(['redirect', 'html200'])(
    '%s: pauses, says so in the bar, the popup and the button title, and resumes right after sign-in',
    async (shape) => {
      await r.sim.resetFaults();
      const last = (await askOk(ext, { type: 'job.current' }))?.job.id ?? 0;
      await r.sim.reset(DATA);
      await r.sim.setFaults({ latencyMs: 100, rateLimit: null, signedOut: shape });
      const course = (await r.sim.invites()).find((i) => i.status === 'pending')?.course.id as string;
      const pending = new Set((await r.sim.invites()).filter((i) => i.status === 'pending').map((i) => i.id));
      const page = r.page;
      await page.goto(`${r.portal.url}/manager/licenses/${course}/distribute?tab=usage`);
      // The portal's own page would go to its sign-in page on its next refresh; keep it here.
      await page.evaluate(() =>
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' }),
      );
      await ui.click(new RegExp(`^Revoke all pending \\(${pending.size}\\)$`));
      await until('started', last, (v) => v.counts.revoked >= 30);

      await r.sim.endSessions();
      const paused = await until('signed out', last, (v) => v.job.state === 'signed-out');
      expect(paused.counts.failed).toBe(0);
      expect(paused.counts.revoked).toBeLessThan(pending.size);
      await expect
        .poll(async () => (await ui.page()).bar.msg, { timeout: 10_000 })
        .toMatch(/Sign in to the portal again/);
      await expect
        .poll(() => ext.evaluate(() => chrome.action.getTitle({})), { timeout: 10_000 })
        .toMatch(/signed out of the portal/);
      const popup = await r.openPopup();
      await popup.getByText('You’re signed out of the portal. Sign in again').waitFor({ timeout: 10_000 });
      await popup.close();

      // Signing in through the portal's form, in another tab, as a person would.
      const tab = await r.context.newPage();
      await signInPage(tab, r.portal.url);
      const signedInAt = Date.now();
      await until('resumed', last, (v) => v.job.state !== 'signed-out', ALARM_MS);
      const resumedAfterMs = Date.now() - signedInAt;
      expect(resumedAfterMs).toBeLessThan(ALARM_MS / 2);
      await tab.close();

      const done = await until('done', last, (v) => v.job.state === 'done');
      expect(done.counts).toMatchObject({ total: pending.size, revoked: pending.size, failed: 0 });
      // No try was spent on the sign-out.
      const items = await idb<{ jobId: number; tries: number }[]>(ext, 'jobItems', 'getAll');
      expect(items.filter((i) => i.jobId === done.job.id && i.tries !== 1)).toEqual([]);
      const applied = new Map<string, number>();
      for (const e of await r.sim.journal())
        if (e.applied) applied.set(e.inviteId, (applied.get(e.inviteId) ?? 0) + 1);
      expect([...applied.values()].every((n) => n === 1)).toBe(true);
      expect(new Set(applied.keys())).toEqual(pending);
      console.info(JSON.stringify({ test: 'e2e-signed-out', shape, resumedAfterMs }));
    },
  );
});
