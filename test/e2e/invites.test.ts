/**
 * Reassign, renew and invite with room made, end to end: the built extension in Chromium against
 * the reference portal (demo data), from both tables and from the popup, each with its Undo
 * window, checked against the portal's journal of cancel and invite requests.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { invitedTwice } from '../portal/audit';
import type { Invite } from '../portal/types';
import { launchReclaim, type Reclaim } from './harness';
import { askOk, settleJobs } from './popup-helpers';

let r: Reclaim;
let page: Page;
let ext: Page;

beforeAll(async () => {
  r = await launchReclaim();
  page = r.page;
  ext = await r.openOptions();
});

afterAll(async () => {
  await r?.close();
});

beforeEach(async () => {
  await settleJobs(ext);
  await r.sim.resetFaults();
  await r.sim.setClock(Date.now());
  await r.sim.reset({ preset: 'demo', seed: 1 });
  await r.sim.clearJournal();
  await askOk(ext, { type: 'settings.set', settings: { undoSeconds: 2, renewDays: 3, minAgeDays: 0 } });
});

const usageUrl = (courseId: string) => `${r.portal.url}/manager/licenses/${courseId}/distribute?tab=usage`;
const row = (id: string) => page.locator(`tr[data-invite-id="${id}"]`);
const rowNote = (id: string) => row(id).locator('reclaim-invite-row .acts > .info');
const inviteBar = () => page.locator('reclaim-invite-bar');

/** Opens the popup on its courses (a report of an earlier job, shown once, is dismissed). */
async function popupOnCourses(): Promise<Page> {
  const popup = await r.openPopup();
  await popup.locator('li[data-course-id], #report-title').first().waitFor({ timeout: 20_000 });
  if (await popup.locator('#report-title').count()) await popup.getByRole('button', { name: 'Done' }).click();
  await popup.locator('li[data-course-id]').first().waitFor();
  return popup;
}

async function pendingOf(courseId: string): Promise<Invite[]> {
  const all = await r.sim.invites({ courseId, status: 'pending' });
  return all.sort((a, b) => a.sentAt.localeCompare(b.sentAt));
}

/** Stops the portal page's own 30 s refresh (see content.test.ts): rows stay while outcomes show. */
async function pausePortalRefresh(p: Page): Promise<void> {
  await p.evaluate(() =>
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' }),
  );
}

async function journal() {
  const { entries, invites } = await r.sim.journalAll();
  return {
    cancelled: entries.filter((e) => e.applied).map((e) => e.inviteId),
    invited: invites.flatMap((e) => e.created.map((c) => c.email)),
    requests: entries.length + invites.length,
    twice: invitedTwice(invites),
  };
}

/** 5,000 addresses as a spreadsheet column pasted with its names. */
const FIVE_THOUSAND = Array.from({ length: 5000 }, (_, k) => `Person ${k} <p${k}@example.com>`).join('\n');
/** A task this long would be a visible freeze (the page takes no input meanwhile). */
const FROZEN_MS = 500;

/** A paste: the whole text lands at once, with one input event (as the browser's paste gives). */
async function paste(box: ReturnType<Page['locator']>, text: string): Promise<void> {
  await box.evaluate((el, v) => {
    (el as HTMLTextAreaElement).value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

/** Runs `act` and says how long it took and the longest task the page ran meanwhile. */
async function timed(p: Page, act: () => Promise<void>): Promise<{ ms: number; longest: number }> {
  await p.evaluate(() => {
    const w = window as unknown as { __long: number[]; __obs?: PerformanceObserver };
    w.__long = [];
    w.__obs?.disconnect();
    w.__obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push(e.duration);
    });
    w.__obs.observe({ type: 'longtask' });
  });
  const t0 = Date.now();
  await act();
  const ms = Date.now() - t0;
  await p.waitForTimeout(100); // a long task is reported after it ends
  const long = await p.evaluate(() => (window as unknown as { __long: number[] }).__long);
  return { ms, longest: Math.max(0, ...long) };
}

describe('from the portal’s tables', () => {
  it('Usage: Reassign a row (a suggestion, Undo once, then again): revoked, and the address invited into its seat', async () => {
    const [oldest, other] = await pendingOf('c-6'); // Food Hygiene: no free seat
    if (!oldest || !other) throw new Error('seed');
    await page.goto(usageUrl('c-6'));
    await pausePortalRefresh(page);
    const reassign = row(oldest.id).getByRole('button', { name: /^Reassign this seat to someone else: / });
    await reassign.click();
    const input = row(oldest.id).getByRole('combobox', { name: 'New address' }); // an input with suggestions
    await input.fill(other.learner.name.slice(0, 4)); // a learner Reclaim read on this page
    await expect
      .poll(() => row(oldest.id).locator('reclaim-invite-row datalist option').count())
      .toBeGreaterThan(0);
    await input.fill('Pat New <pat.new@example.com>');
    await input.press('Enter');
    await expect.poll(() => rowNote(oldest.id).textContent()).toMatch(/^Reassigning in \d s$/);
    await row(oldest.id)
      .getByRole('button', { name: /^Undo: / })
      .click();
    await expect.poll(() => rowNote(oldest.id).textContent()).toBe('Undone: nothing was sent.');
    expect((await journal()).requests).toBe(0);

    await reassign.click();
    await input.fill('pat.new@example.com');
    await row(oldest.id)
      .getByRole('button', { name: /^Reassign .* to this address$/ })
      .click();
    await expect
      .poll(() => rowNote(oldest.id).textContent(), { timeout: 20_000 })
      .toBe('Revoked · invited pat.new@example.com');
    const j = await journal();
    expect(j.cancelled).toEqual([oldest.id]);
    expect(j.invited).toEqual(['pat.new@example.com']);
    expect((await r.sim.state()).identityHolds).toBe(true);
    const audit = await askOk(ext, { type: 'audit.csv' });
    expect(audit.csv).toMatch(/pat\.new@example\.com,Food Hygiene,invited,,\d+,invite,reassign/);
  });

  it('Invite History: Renew a row: the same learner invited again, a new 30 days', async () => {
    const jane = (await r.sim.invites({ status: 'pending' })).filter((i) => i.learner.name === 'Jane Doe');
    const target = jane[0] as Invite;
    await page.goto(`${r.portal.url}/manager/learners/${target.learner.id}?tab=invite-history`);
    await pausePortalRefresh(page);
    await row(target.id)
      .getByRole('button', { name: /^Renew: invite again/ })
      .click();
    await expect
      .poll(() => rowNote(target.id).textContent(), { timeout: 20_000 })
      .toBe('Renewed: invited again');
    const mine = await r.sim.invites({ learnerId: target.learner.id, courseId: target.course.id });
    expect(mine.find((i) => i.id === target.id)?.status).toBe('cancelled');
    const fresh = mine.filter((i) => i.status === 'pending');
    expect(fresh).toHaveLength(1);
    expect(Date.parse(fresh[0]?.sentAt ?? '')).toBeGreaterThan(Date.parse(target.sentAt));
  });

  it('Usage: Invite and make room: the plan first, Undo, then the addresses invited with the oldest invites revoked', async () => {
    const pending = await pendingOf('c-5'); // Lone Working: 1 free seat, 4 pending
    const holder = pending[2] as Invite;
    await page.goto(usageUrl('c-5'));
    await pausePortalRefresh(page);
    await inviteBar().getByRole('button', { name: 'Invite and make room' }).click();
    const paste = `Ann One <ann.one@example.com>, bo.two@example.com\ncy.three@example.com; oops\n${holder.learner.email}`;
    await inviteBar().getByRole('textbox').fill(paste);
    await inviteBar().getByRole('button', { name: 'Show the plan' }).click();
    const panel = inviteBar().locator('.panel');
    await expect
      .poll(() => panel.textContent())
      .toContain('3 new: 1 into free seats, 2 by revoking the oldest');
    expect(await panel.textContent()).toContain('oops: there is no @ in it');
    expect(await panel.textContent()).toContain(`${holder.learner.email} (pending)`);
    expect((await journal()).requests).toBe(0);
    await inviteBar().getByRole('button', { name: 'Invite 3 and revoke 2' }).click();
    await inviteBar().getByRole('button', { name: /^Undo/ }).click();
    await expect
      .poll(() => inviteBar().locator('.row > .info').textContent())
      .toBe('Undone: nothing was sent.');
    expect((await journal()).requests).toBe(0);

    await inviteBar().getByRole('button', { name: 'Invite and make room' }).click();
    await inviteBar().getByRole('textbox').fill(paste);
    await inviteBar().getByRole('button', { name: 'Show the plan' }).click();
    await inviteBar().getByRole('button', { name: 'Invite 3 and revoke 2' }).click();
    await expect
      .poll(() => inviteBar().locator('.row > .info').textContent(), { timeout: 30_000 })
      .toMatch(/^Done: 3 invited, 1 already invited\.$/);
    const j = await journal();
    expect(j.cancelled.sort()).toEqual([pending[0]?.id, pending[1]?.id].sort());
    expect(j.invited.sort()).toEqual(['ann.one@example.com', 'bo.two@example.com', 'cy.three@example.com']);
    expect(j.twice).toEqual([]);
    expect((await r.sim.invites({ courseId: 'c-5' })).find((i) => i.id === holder.id)?.status).toBe(
      'pending',
    );
  });

  it('Usage: a plan for 5,000 pasted addresses appears without freezing the page', async () => {
    await page.goto(usageUrl('c-2'));
    await inviteBar().getByRole('button', { name: 'Invite and make room' }).click();
    const pasted = await timed(page, () => paste(inviteBar().getByRole('textbox'), FIVE_THOUSAND));
    // The page's own clock, from the click to the plan in the DOM (Playwright's polling of shadow
    // roots would add its own time to the figure).
    await inviteBar().evaluate((host) => {
      const root = host.shadowRoot as ShadowRoot;
      const w = window as unknown as { __plan: { t0: number; t1: number } };
      w.__plan = { t0: 0, t1: 0 };
      const stamp = (at: 't0' | 't1') => {
        if (!w.__plan[at]) w.__plan[at] = performance.now();
      };
      root.addEventListener('click', () => stamp('t0'), { capture: true });
      const box = root.querySelector('.plan') as Element;
      new MutationObserver(() => stamp('t1')).observe(box, { childList: true });
    });
    const { longest } = await timed(page, async () => {
      await inviteBar().getByRole('button', { name: 'Show the plan' }).click();
      await inviteBar().locator('.plan > p').waitFor({ timeout: 30_000 }); // the plan's first line
    });
    const planMs = await page.evaluate(() => {
      const p = (window as unknown as { __plan: { t0: number; t1: number } }).__plan;
      return Math.round(p.t1 - p.t0);
    });
    console.info(
      JSON.stringify({ test: 'plan-5000-usage', pasteMs: pasted.ms, planMs, longestTaskMs: longest }),
    );
    expect(await inviteBar().locator('.panel').textContent()).toMatch(/5000 new: 8 into free seats/);
    expect(
      await inviteBar()
        .getByRole('button', { name: /^Invite 46 and revoke 38$/ })
        .count(),
    ).toBe(1);
    expect(Math.max(longest, pasted.longest)).toBeLessThan(FROZEN_MS);
    expect((await journal()).requests).toBe(0);
  });

  it('Usage: Renew expiring (N) renews every invite of the course expiring within the setting', async () => {
    const now = (await r.sim.clock()).now;
    const expiring = (await pendingOf('c-1')).filter(
      (i) => Date.parse(i.sentAt) + 30 * 86_400_000 - now <= 3 * 86_400_000,
    );
    expect(expiring.length).toBeGreaterThan(0);
    await page.goto(usageUrl('c-1'));
    await pausePortalRefresh(page);
    const button = inviteBar().getByRole('button', { name: /^Renew expiring \(\d+\)$/ });
    expect(await button.getAttribute('title')).toBe(
      'Invite again every pending invite that expires within 3 days',
    );
    await expect.poll(() => button.textContent()).toBe(`Renew expiring (${expiring.length})`);
    await button.click();
    await expect
      .poll(() => inviteBar().locator('.row > .info').textContent(), { timeout: 30_000 })
      .toBe(`Done: ${expiring.length} invited.`);
    const j = await journal();
    expect(j.cancelled.sort()).toEqual(expiring.map((i) => i.id).sort());
    expect(j.invited.sort()).toEqual(expiring.map((i) => i.learner.email).sort());
  });
});

describe('from the popup', () => {
  it('Renew expiring (N) per course, with Undo', async () => {
    const popup = await popupOnCourses();
    try {
      const button = popup.getByRole('button', { name: /^Renew expiring \(\d+\) in Fire Safety$/ });
      await expect.poll(() => button.isEnabled(), { timeout: 20_000 }).toBe(true);
      await button.click();
      await expect.poll(() => popup.locator('#undo-title').textContent()).toMatch(/^Renewing \d+ invites?$/);
      await popup.getByRole('button', { name: /^Undo/ }).click();
      await popup.getByText('Undone. Nothing was sent to the portal.').waitFor();
      expect((await journal()).requests).toBe(0);
      await button.click();
      await expect
        .poll(() => popup.locator('#report-title').textContent(), { timeout: 30_000 })
        .toBe('Renew finished');
      expect(Number(await popup.getByTestId('report-invited').textContent())).toBeGreaterThan(0);
      expect((await journal()).twice).toEqual([]);
    } finally {
      await popup.close();
    }
  });

  it('Invite and make room: the plan before anything is sent, then a report per address', async () => {
    const popup = await popupOnCourses();
    try {
      await popup
        .getByRole('button', { name: 'Invite and make room in Food Hygiene' })
        .click({ timeout: 20_000 });
      await popup.getByLabel(/^E-mail addresses/).fill('one@example.com\ntwo@example.com\nthree@example.com');
      await popup.getByRole('button', { name: 'Show the plan' }).click();
      await expect.poll(() => popup.getByTestId('plan-revokes').textContent()).toBe('3');
      expect((await journal()).requests).toBe(0);
      await popup.getByRole('button', { name: 'Invite 3 and revoke 3' }).click();
      await expect
        .poll(() => popup.locator('#undo-title').textContent())
        .toBe('Inviting 3 addresses and making room');
      await expect
        .poll(() => popup.locator('#report-title').textContent(), { timeout: 30_000 })
        .toBe('Invite and make room finished');
      expect(await popup.getByTestId('report-invited').textContent()).toBe('3');
      expect(await popup.getByTestId('report-revoked').textContent()).toBe('3');
      const lines = await popup
        .locator('table.invite-lines tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [tr.getAttribute('data-email'), tr.getAttribute('data-outcome')]),
        );
      expect(lines.sort()).toEqual([
        ['one@example.com', 'invited'],
        ['three@example.com', 'invited'],
        ['two@example.com', 'invited'],
      ]);
      expect((await journal()).invited.sort()).toEqual([
        'one@example.com',
        'three@example.com',
        'two@example.com',
      ]);
    } finally {
      await popup.close();
    }
  });

  it('plans 5,000 pasted addresses without freezing the popup', async () => {
    const popup = await popupOnCourses();
    try {
      await popup
        .getByRole('button', { name: 'Invite and make room in First Aid at Work' })
        .click({ timeout: 20_000 });
      const pasted = await timed(popup, () => paste(popup.getByLabel(/^E-mail addresses/), FIVE_THOUSAND));
      const show = await popup.getByRole('button', { name: 'Show the plan' }).elementHandle();
      const { ms, longest } = await timed(popup, async () => {
        await show?.click();
        await popup.getByTestId('plan').waitFor({ timeout: 30_000 });
      });
      console.info(
        JSON.stringify({ test: 'plan-5000-popup', pasteMs: pasted.ms, planMs: ms, longestTaskMs: longest }),
      );
      expect(await popup.getByTestId('plan-new').textContent()).toBe('5000');
      expect(await popup.locator('[data-testid="plan-unseated"] li').count()).toBe(21); // 20 shown, "and N more"
      expect(Math.max(longest, pasted.longest)).toBeLessThan(FROZEN_MS);
      expect((await journal()).requests).toBe(0);
    } finally {
      await popup.close();
    }
  });
});
