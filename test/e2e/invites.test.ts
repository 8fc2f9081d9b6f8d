/**
 * Reassign, renew and invite with room made, end to end: the built extension in Chromium against
 * the reference portal (demo data), from both tables (with the portal's hooks and without them)
 * and from the popup, each with its Undo window, checked against the portal's journal of cancel
 * and invite requests. The in-page controls live in closed shadow roots: they are read and
 * pressed from Reclaim's world (reclaim-world.ts), with real clicks and keys.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { invitedTwice } from '../portal/audit';
import type { Invite } from '../portal/types';
import { launchReclaim, type Reclaim } from './harness';
import { askOk, settleJobs } from './popup-helpers';
import { type ReclaimUi, reclaimUi } from './reclaim-world';

let r: Reclaim;
let page: Page;
let ext: Page;
let ui: ReclaimUi;

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
  await settleJobs(ext);
  await r.sim.resetFaults();
  await r.sim.resetMarkup();
  await r.sim.setClock(Date.now());
  await r.sim.reset({ preset: 'demo', seed: 1 });
  await r.sim.clearJournal();
  await askOk(ext, { type: 'settings.set', settings: { undoSeconds: 2, renewDays: 3, minAgeDays: 0 } });
});

const usageUrl = (courseId: string) => `${r.portal.url}/manager/licenses/${courseId}/distribute?tab=usage`;
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** What a row's reassign and renew controls say; the row found by its invite's hook, or by a text it shows. */
async function rowNote(which: { id: string } | { shows: string }): Promise<string> {
  const rows = (await ui.page()).rows.filter((x) =>
    'id' in which ? x.inviteId === which.id : x.text.includes(which.shows),
  );
  if (rows.length !== 1) throw new Error(`${rows.length} rows for ${JSON.stringify(which)}`);
  return rows[0]?.inviteNote ?? '';
}

/** The text of the first element matching `selector` in the Usage tab's invite bar. */
async function barText(selector: string): Promise<string> {
  return (await ui.read(selector, 'invite-bar'))[0]?.text ?? '';
}
/** The invite bar's message (its state in words). */
const barMessage = () => barText('.row > .info');

/** Opens the popup on its courses (a report of an earlier job, shown once, is dismissed). */
async function popupOnCourses(): Promise<Page> {
  // The portal's data was reset behind the extension's back (beforeEach): the cache reads it anew,
  // as it would once its courses are old enough, so an earlier test's renewals are not shown.
  await askOk(ext, { type: 'overview.get', refresh: true, full: true });
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

/** A paste into a popup's field: the whole text lands at once, with one input event (as the browser's paste gives). */
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
    const name = `${oldest.learner.name}, Food Hygiene`;
    await page.goto(usageUrl('c-6'));
    await pausePortalRefresh(page);
    const reassign = exactly(`Reassign this seat to someone else: ${name}`);
    await ui.click(reassign, { atOnce: true }); // opening the form sends nothing
    expect(await ui.focused()).toBe('New address'); // the field has the focus, ready to type
    await ui.type(/^New address$/, other.learner.name.slice(0, 4)); // a learner Reclaim read on this page
    await expect
      .poll(async () => (await ui.read('datalist option', 'invite-row')).map((o) => o.value))
      .toContain(`${other.learner.name} <${other.learner.email}>`);
    await ui.type(/^New address$/, 'Pat New <pat.new@example.com>');
    expect((await ui.field(/^New address$/))?.value).toBe('Pat New <pat.new@example.com>');
    await page.keyboard.press('Enter');
    await expect.poll(() => rowNote({ id: oldest.id })).toMatch(/^Reassigning in \d s ·$/);
    await ui.click(exactly(`Undo reassign: ${name}`), { atOnce: true });
    await expect.poll(() => rowNote({ id: oldest.id })).toBe('Undone: nothing was sent.');
    expect((await journal()).requests).toBe(0);

    await ui.click(reassign, { atOnce: true });
    await ui.type(/^New address$/, 'pat.new@example.com');
    await ui.click(exactly(`Reassign ${name} to this address`));
    await expect
      .poll(() => rowNote({ id: oldest.id }), { timeout: 20_000 })
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
    await ui.click(exactly(`Renew: invite again, a new 30 days: Jane Doe, ${target.course.title}`));
    await expect.poll(() => rowNote({ id: target.id }), { timeout: 20_000 }).toBe('Renewed: invited again');
    const mine = await r.sim.invites({ learnerId: target.learner.id, courseId: target.course.id });
    expect(mine.find((i) => i.id === target.id)?.status).toBe('cancelled');
    const fresh = mine.filter((i) => i.status === 'pending');
    expect(fresh).toHaveLength(1);
    expect(Date.parse(fresh[0]?.sentAt ?? '')).toBeGreaterThan(Date.parse(target.sentAt));
  });

  it('hookless-fr Usage (no data-invite-id): Renew and Reassign act on the invite each row shows', async () => {
    await r.sim.setMarkup({ preset: 'hookless-fr' });
    const [first, second] = await pendingOf('c-6');
    if (!first || !second || first.learner.name === second.learner.name) throw new Error('seed');
    await page.goto(usageUrl('c-6'));
    await pausePortalRefresh(page);
    expect(await page.locator('[data-invite-id]').count()).toBe(0);
    await ui.click(exactly(`Renew: invite again, a new 30 days: ${first.learner.name}, Food Hygiene`));
    await expect
      .poll(() => rowNote({ shows: first.learner.name }), { timeout: 20_000 })
      .toBe('Renewed: invited again');
    // The renew's answer redraws the page (the bar's counts, the row's note), and a click at where
    // the button was a moment before can land beside it, as a person's can. Opening the form sends
    // nothing, so it is pressed again until the form is open, as a person would.
    const reassign = exactly(`Reassign this seat to someone else: ${second.learner.name}, Food Hygiene`);
    for (let tries = 1; !(await ui.field(/^New address$/)); tries++) {
      if (tries > 5) throw new Error('the Reassign form never opened');
      await ui.click(reassign, { atOnce: true });
      await page.waitForTimeout(500);
    }
    await ui.type(/^New address$/, 'Noa Sans <noa.sans@example.com>');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => rowNote({ shows: second.learner.name }), { timeout: 20_000 })
      .toBe('Revoked · invited noa.sans@example.com');
    const j = await journal();
    expect(j.cancelled.sort()).toEqual([first.id, second.id].sort());
    expect(j.invited.sort()).toEqual([first.learner.email, 'noa.sans@example.com'].sort());
    expect(j.twice).toEqual([]);
  });

  it('Usage: Invite and make room: the plan first, Undo, then the addresses invited with the oldest invites revoked', async () => {
    const pending = await pendingOf('c-5'); // Lone Working: 1 free seat, 4 pending
    const holder = pending[2] as Invite;
    await page.goto(usageUrl('c-5'));
    await pausePortalRefresh(page);
    const addresses = /^E-mail addresses/;
    await ui.click(/^Invite and make room$/, { atOnce: true });
    const pasted = `Ann One <ann.one@example.com>, bo.two@example.com\ncy.three@example.com; oops\n${holder.learner.email}`;
    await ui.type(addresses, pasted, { paste: true, atOnce: true });
    expect((await ui.field(addresses))?.value).toBe(pasted);
    await ui.click(/^Show the plan$/);
    const panel = () => barText('.panel');
    await expect.poll(panel).toContain('3 new: 1 into free seats, 2 by revoking the oldest');
    expect(await panel()).toContain('oops: there is no @ in it');
    expect(await panel()).toContain(`${holder.learner.email} (pending)`);
    expect((await journal()).requests).toBe(0);
    await ui.click(/^Invite 3 to Lone Working and revoke 2 pending invites$/);
    await ui.click(/^Undo inviting \d+ of Lone Working$/, { atOnce: true });
    await expect.poll(barMessage).toBe('Undone: nothing was sent.');
    expect((await journal()).requests).toBe(0);

    await ui.click(/^Invite and make room$/, { atOnce: true });
    await ui.type(addresses, pasted, { paste: true, atOnce: true });
    await ui.click(/^Show the plan$/);
    await ui.click(/^Invite 3 to Lone Working and revoke 2 pending invites$/);
    await expect.poll(barMessage, { timeout: 30_000 }).toMatch(/^Done: 3 invited, 1 already invited\.$/);
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
    const addresses = /^E-mail addresses/;
    await ui.click(/^Invite and make room$/, { atOnce: true });
    const pasted = await timed(page, async () => {
      await ui.type(addresses, FIVE_THOUSAND, { paste: true, atOnce: true });
      await expect.poll(async () => (await ui.field(addresses))?.value?.length).toBe(FIVE_THOUSAND.length);
    });
    expect((await ui.field(addresses))?.value).toBe(FIVE_THOUSAND);
    // The page's own clock, from the click's event to the plan in the DOM (reading the page from
    // here would add its own time to the figure).
    let planMs = 0;
    const { longest } = await timed(page, async () => {
      planMs = await ui.timeToChange(/^Show the plan$/, '.plan', 'invite-bar');
    });
    console.info(
      JSON.stringify({
        test: 'plan-5000-usage',
        pasteMs: pasted.ms,
        planMs: Math.round(planMs),
        longestTaskMs: longest,
      }),
    );
    expect(await barText('.panel')).toMatch(/5,000 new: 8 into free seats/);
    expect(await ui.button(/^Invite 46 to .+ and revoke 38 pending invites$/)).not.toBeNull();
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
    const n = expiring.length;
    const label = `Renew ${n} pending ${n === 1 ? 'invite' : 'invites'} of Fire Safety that expire within 3 days`;
    await expect.poll(async () => (await ui.button(/^Renew \d+ pending/))?.text).toBe(label);
    await ui.click(exactly(label));
    await expect.poll(barMessage, { timeout: 30_000 }).toBe(`Done: ${expiring.length} invited.`);
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
      expect(
        Number((await popup.getByTestId('report-invited').textContent())?.replace(/\D/g, '')),
      ).toBeGreaterThan(0);
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
      await popup
        .getByRole('button', { name: 'Invite 3 addresses and revoke 3 pending invites in Food Hygiene' })
        .click();
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
