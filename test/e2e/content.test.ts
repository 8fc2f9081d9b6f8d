/**
 * The in-page controls in Chromium with the built extension, against the reference portal:
 * what a training manager sees and does on Invite History and Usage, checked against the
 * portal's own journal of cancel calls.
 */
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatCountdown } from '../../src/shared/expiry';
import { signIn } from '../portal/sim-client';
import type { Invite } from '../portal/types';
import { launchReclaim, type Reclaim } from './harness';
import { type ReclaimUi, reclaimUi, type SeenRow } from './reclaim-world';

const DAY = 24 * 3600 * 1000;
const UNREADABLE = 'Reclaim could not read this page, so it added no controls here.';

let r: Reclaim;
let page: Page;
let ui: ReclaimUi;

beforeAll(async () => {
  r = await launchReclaim();
  page = r.page;
  ui = await reclaimUi(page);
});

afterAll(async () => {
  await ui?.detach();
  await r?.close();
});

beforeEach(async () => {
  await r.sim.resetFaults();
  await r.sim.setClock(Date.now());
  await r.sim.reset({ preset: 'demo', seed: 1 });
  await r.sim.clearJournal();
});

const usageUrl = (courseId: string, pageNo?: number) =>
  `${r.portal.url}/manager/licenses/${courseId}/distribute?tab=usage${pageNo ? `&page=${pageNo}` : ''}`;
const learnerUrl = (learnerId: string, tab = 'invite-history') =>
  `${r.portal.url}/manager/learners/${learnerId}?tab=${tab}`;

async function courseByTitle(title: string): Promise<{ id: string; pending: Invite[]; all: Invite[] }> {
  const all = (await r.sim.invites()).filter((i) => i.course.title === title);
  const id = all[0]?.course.id;
  if (!id) throw new Error(`no course ${title}`);
  return { id, all, pending: all.filter((i) => i.status === 'pending') };
}

/** The row of invite `id` as Reclaim drew it (our controls live in closed roots: read from Reclaim's world). */
async function row(id: string): Promise<SeenRow | undefined> {
  return (await ui.page()).rows.find((x) => x.inviteId === id);
}
/** The text our control shows in a row (countdown or outcome). */
const note = async (id: string) => (await row(id))?.note ?? null;
/** The accessible name of the row's visible button, or null. */
const rowButton = async (id: string) => (await row(id))?.button ?? null;
/** The bar's destructive button, once it has counted: a course's or a learner's. */
const REVOKE_ALL = /^Revoke (all \d+ pending invites? of .+|.+'s \d+ pending invites? \(\d+ courses?\))$/;
/** The bar's destructive button's text, or null while there is none. */
const revokeAll = async () => (await ui.page()).bar.main;
const barMsg = async () => (await ui.page()).bar.msg;
/** A regular expression matching `text` exactly. */
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** Controls per invite row, bars and notices. */
async function census(): Promise<{
  rows: number;
  perRow: number[];
  bars: number;
  notices: number;
  hosts: number;
}> {
  const p = await ui.page();
  const rows = p.rows.filter((x) => x.inviteId !== null);
  return {
    rows: rows.length,
    perRow: rows.map((x) => x.controls),
    bars: p.bars,
    notices: p.notices.length,
    hosts: p.rows.reduce((n, x) => n + x.controls, 0),
  };
}

async function waitForControls(): Promise<void> {
  await expect.poll(revokeAll, { timeout: 15_000 }).toMatch(REVOKE_ALL);
}

/** The Undo delay, set as the options page does: a settings.set message from an extension page. */
async function setUndoSeconds(undoSeconds: number): Promise<void> {
  const options = await r.openOptions();
  try {
    const reply = await options.evaluate(
      (n) => chrome.runtime.sendMessage({ type: 'settings.set', settings: { undoSeconds: n } }),
      undoSeconds,
    );
    expect(reply).toMatchObject({ ok: true, value: { undoSeconds } });
  } finally {
    await options.close();
  }
}

/**
 * Stops the portal page's own 30 s refresh for the rest of this page's life (it refreshes only
 * while the page says it is visible). A test that spends more than 30 s on one page would
 * otherwise race it: a refresh that lands between a cancel and Reclaim's outcome drops the row
 * before the outcome can show. Reclaim's content script (another world) still sees the real state.
 */
async function pausePortalRefresh(): Promise<void> {
  await page.evaluate(() =>
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' }),
  );
}

/** Cancels an invite behind the page's back, through the portal's API. */
async function cancelElsewhere(inviteId: string): Promise<void> {
  const s = await signIn(r.portal.url);
  const res = await fetch(`${r.portal.url}/api/invites/${inviteId}/cancel`, {
    method: 'POST',
    headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrfToken, 'Content-Type': 'application/json' },
    body: '{}',
  });
  expect(res.status).toBe(200);
}

describe('controls on both tabs', () => {
  it('Usage: one control per row, Revoke on pending, kept on accepted, and Revoke all counts every page', async () => {
    const course = await courseByTitle('First Aid at Work');
    expect(course.pending.length).toBeGreaterThan(25); // more than one Usage page
    await page.goto(usageUrl(course.id));
    await waitForControls();
    const label = `Revoke all ${course.pending.length} pending invites of First Aid at Work`;
    expect(await revokeAll()).toBe(label);
    const c = await census();
    expect(c.rows).toBe(25);
    expect(c.perRow.every((n) => n === 1)).toBe(true);
    const ids = (await ui.page()).rows.map((x) => x.inviteId as string);
    for (const id of ids.slice(0, 6)) {
      const inv = course.all.find((i) => i.id === id);
      if (!inv) throw new Error(`row ${id} not in the portal`);
      if (inv.status === 'pending') {
        await expect.poll(() => rowButton(id)).toBe(`Revoke invite: ${inv.learner.name}, First Aid at Work`);
      } else {
        expect(await note(id)).toBe(''); // the portal's own badge says accepted
        expect(await rowButton(id)).toBeNull();
      }
    }
    // Page 2 changes the rows without a page load; the controls follow, the count stays.
    await page.getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(() => page.url()).toContain('page=2');
    await expect.poll(async () => (await census()).perRow.join(',')).toMatch(/^1(,1)*$/);
    expect((await census()).bars).toBe(1);
    expect(await revokeAll()).toBe(label);
  });

  it('Invite History: the learner’s pending invites in every course, through tab switches without a load', async () => {
    const jane = (await r.sim.invites()).filter((i) => i.learner.name === 'Jane Doe');
    const learnerId = jane[0]?.learner.id as string;
    const pending = jane.filter((i) => i.status === 'pending');
    await page.goto(learnerUrl(learnerId, 'details'));
    await page.waitForTimeout(500);
    expect((await census()).notices).toBe(0);
    for (let i = 0; i < 3; i++) {
      await page.locator('a[data-tab="invite-history"]').click();
      await waitForControls();
      await page.locator('a[data-tab="details"]').click();
      await expect.poll(() => page.url()).toContain('tab=details');
    }
    await page.locator('a[data-tab="invite-history"]').click();
    await waitForControls();
    const courses = new Set(pending.map((i) => i.course.id)).size;
    expect(await revokeAll()).toBe(
      `Revoke Jane Doe's ${pending.length} pending invites (${courses} courses)`,
    );
    for (const inv of pending)
      await expect.poll(() => rowButton(inv.id)).toBe(`Revoke invite: Jane Doe, ${inv.course.title}`);
    const c = await census();
    expect(c.perRow.every((n) => n === 1)).toBe(true);
    expect(c.bars).toBe(1);
    expect(c.notices).toBe(0);
  });
});

describe('look and accessibility', () => {
  it('axe-core finds nothing in our controls, and they stay light on the light portal when the OS is dark', async () => {
    const course = await courseByTitle('Fire Safety');
    const pending = course.pending[0] as Invite;
    // axe takes seconds on a busy machine: keep the Undo window open for the whole check.
    await setUndoSeconds(30);
    try {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await page.goto(usageUrl(course.id));
        await waitForControls();
        await ui.click(exactly(`Revoke invite: ${pending.learner.name}, Fire Safety`)); // Undo state too
        await expect.poll(() => rowButton(pending.id)).toMatch(/^Undo revoke: /);
        const ours = (await ui.axe()).filter((v) => v.includes('reclaim-'));
        expect(ours, colorScheme).toEqual([]);
        expect((await ui.page()).bar.surface, colorScheme).toBe('rgb(246, 248, 250)');
        await ui.click(/^Undo revoke: /);
        await expect.poll(() => rowButton(pending.id)).toMatch(/^Revoke invite: /);
      }
    } finally {
      await page.emulateMedia({ colorScheme: null });
      await setUndoSeconds(5);
    }
    expect(await r.sim.journal()).toEqual([]);
  });

  it('axe-core finds nothing after a revoke either: the status word, the seats line, a failure with Retry, Revoke all’s window', async () => {
    const course = await courseByTitle('Fire Safety');
    const [done, failing] = course.pending as [Invite, Invite];
    await setUndoSeconds(1);
    try {
      await page.goto(usageUrl(course.id));
      await waitForControls();
      await pausePortalRefresh();
      await ui.click(exactly(`Revoke invite: ${done.learner.name}, Fire Safety`));
      await expect.poll(async () => (await row(done.id))?.status, { timeout: 20_000 }).toBe('Revoked');
      await expect
        .poll(async () => (await ui.page()).bar.seats, { timeout: 20_000 })
        .toMatch(/^Seats now: \d/);
      await r.sim.setFaults({ errorRate: 1, faultPaths: 'cancel' });
      await ui.click(exactly(`Revoke invite: ${failing.learner.name}, Fire Safety`));
      await expect.poll(() => note(failing.id), { timeout: 60_000 }).toMatch(/^Couldn't cancel: /);
      await r.sim.resetFaults();
      expect((await ui.axe()).filter((v) => v.includes('reclaim-'))).toEqual([]);
      await setUndoSeconds(30);
      await page.reload();
      await waitForControls();
      await ui.click(REVOKE_ALL);
      await expect.poll(async () => (await ui.page()).bar.undo).toMatch(/^Undo revoking all /);
      expect((await ui.axe()).filter((v) => v.includes('reclaim-'))).toEqual([]);
      await ui.click(/^Undo revoking all /);
      await expect.poll(revokeAll).toMatch(REVOKE_ALL);
    } finally {
      await setUndoSeconds(5);
    }
  });
});

describe('revoking one invite', () => {
  it('Undo from the keyboard inside the window: the countdown survives a re-render, nothing reaches the portal', async () => {
    const course = await courseByTitle('Fire Safety');
    const inv = course.pending[0] as Invite;
    const name = `${inv.learner.name}, Fire Safety`;
    await setUndoSeconds(10); // room for the checks below on a busy machine
    try {
      await page.goto(usageUrl(course.id));
      await waitForControls();
      // Tab from the learner's link in that row onto Reclaim's button, as a keyboard user does
      // (the portal's own Cancel, hidden, is no Tab stop).
      const tabToOurs = async () => {
        await page.locator(`tr[data-invite-id="${inv.id}"] td[data-col="learner"] a`).focus();
        await page.keyboard.press('Tab');
      };
      await ui.settle(exactly(`Revoke invite: ${name}`));
      await tabToOurs();
      expect(await ui.focused()).toBe(`Revoke invite: ${name}`);
      await ui.settle(exactly(`Revoke invite: ${name}`)); // focused long enough to be seen
      await page.keyboard.press('Enter');
      await expect.poll(() => note(inv.id)).toMatch(/^Revoking in (9|10) s ·$/);
      // Undo is a button of its own, and has the focus now: a second Enter is the Undo.
      expect(await ui.focused()).toBe(`Undo revoke: ${name}`);

      await page.evaluate(() =>
        (window as unknown as { __portal: { rerender(): Promise<void> } }).__portal.rerender(),
      );
      await expect.poll(() => note(inv.id)).toMatch(/^Revoking in [1-9] s ·$/);
      await tabToOurs();
      expect(await ui.focused()).toBe(`Undo revoke: ${name}`);
      await page.keyboard.press('Enter');
      await expect.poll(() => rowButton(inv.id)).toBe(`Revoke invite: ${name}`);
      // The focus is back on Revoke, put there by Reclaim: a third Enter revokes nothing.
      expect(await ui.focused()).toBe(`Revoke invite: ${name}`);
      await page.waitForTimeout(600);
      await page.keyboard.press('Enter');
      await expect
        .poll(async () => (await ui.page()).bar.live)
        .toMatch(/^Nothing revoked for .*press Tab and come back/);
      expect(await rowButton(inv.id)).toBe(`Revoke invite: ${name}`);
    } finally {
      await setUndoSeconds(5);
    }
    await page.waitForTimeout(11_000);
    expect(await r.sim.journal()).toEqual([]);
    expect((await r.sim.invites({ courseId: course.id })).find((i) => i.id === inv.id)?.status).toBe(
      'pending',
    );
  });

  it('each row shows its own outcome: revoked, already gone, failed with Retry', async () => {
    const course = await courseByTitle('Fire Safety');
    const [a, gone, flaky] = course.pending as [Invite, Invite, Invite];
    // Once an invite leaves the background's cache its row still names the learner, not the course.
    const revoke = (inv: Invite) => ui.click(new RegExp(`^Revoke invite: ${inv.learner.name}`));
    await page.goto(usageUrl(course.id));
    await waitForControls();
    // Up to a minute of retries on one page: the page's own refresh must not remove rows meanwhile.
    await pausePortalRefresh();

    await revoke(a);
    await expect.poll(() => note(a.id), { timeout: 20_000 }).toBe('Seat returned');
    expect((await row(a.id))?.status).toBe('Revoked');

    await cancelElsewhere(gone.id); // the page still lists it as pending
    await revoke(gone);
    await expect.poll(() => note(gone.id), { timeout: 20_000 }).toBe('Already cancelled or expired');
    expect((await row(gone.id))?.status).toBe('Not pending');

    await r.sim.setFaults({ errorRate: 1, faultPaths: 'cancel' });
    await revoke(flaky);
    await expect
      .poll(() => note(flaky.id), { timeout: 60_000 })
      .toBe("Couldn't cancel: the portal had an error (tried 5 times)");
    expect((await row(flaky.id))?.status).toBeNull(); // still pending, as the portal says
    await r.sim.resetFaults();
    await ui.click(exactly(`Retry revoke: ${flaky.learner.name}, Fire Safety`));
    await expect.poll(() => note(flaky.id), { timeout: 20_000 }).toBe('Seat returned');

    const applied = (await r.sim.journal()).filter((e) => e.applied).map((e) => e.inviteId);
    expect(applied.sort()).toEqual([a.id, gone.id, flaky.id].sort()); // gone: by cancelElsewhere
    const state = (await r.sim.state()).courses.find((c) => c.id === course.id);
    expect(state?.identityHolds).toBe(true);
  });

  it('a learner accepting during the Undo window: the row shows kept, the portal cancelled nothing', async () => {
    const course = await courseByTitle('Manual Handling');
    const inv = course.pending[0] as Invite;
    await page.goto(usageUrl(course.id));
    await waitForControls();
    await ui.click(exactly(`Revoke invite: ${inv.learner.name}, Manual Handling`));
    await expect.poll(() => rowButton(inv.id)).toMatch(/^Undo revoke: /);
    await r.sim.accept(inv.id);
    await expect.poll(() => note(inv.id), { timeout: 20_000 }).toBe('Not revoked: the learner accepted');
    expect((await row(inv.id))?.status).toBe('Accepted');
    expect((await r.sim.journal()).filter((e) => e.applied)).toEqual([]);
    expect((await r.sim.invites({ courseId: course.id })).find((i) => i.id === inv.id)?.status).toBe(
      'accepted',
    );
  });
});

describe('expiry countdown', () => {
  it('labels rows by the portal’s clock, urgent under 3 days, and stays live', async () => {
    const course = await courseByTitle('GDPR Essentials');
    const inv = course.pending[0] as Invite;
    const sent = Date.parse(inv.sentAt);

    await r.sim.setClock(sent + 23.5 * DAY);
    await page.goto(usageUrl(course.id));
    await waitForControls();
    await expect.poll(() => note(inv.id)).toBe('expires in 6 days');
    expect(formatCountdown(inv.sentAt, sent + 23.5 * DAY)).toBe('expires in 6 days');
    expect((await row(inv.id))?.noteClass).not.toContain('urgent');

    await r.sim.setClock(sent + 30 * DAY - 5.5 * 3600_000);
    await page.reload();
    await waitForControls();
    await expect.poll(() => note(inv.id)).toBe('expires in 5 hours');
    expect((await row(inv.id))?.noteClass).toContain('urgent');

    // 12 min and 4 s left: the label turns to 11 min within seconds, on the page's one timer.
    await r.sim.setClock(sent + 30 * DAY - (12 * 60_000 + 4000));
    await page.reload();
    await waitForControls();
    await expect.poll(() => note(inv.id)).toBe('expires in 12 minutes');
    await expect.poll(() => note(inv.id), { timeout: 10_000 }).toBe('expires in 11 minutes');
  });
});

describe('Revoke all pending', () => {
  it('Usage: every pending invite of the course across all pages, none other; summary; table refreshed', async () => {
    const course = await courseByTitle('First Aid at Work');
    const before = await r.sim.invites();
    await page.goto(usageUrl(course.id));
    await waitForControls();
    const shown = (await ui.page()).rows.map((x) => x.inviteId as string);
    expect(course.pending.filter((i) => shown.includes(i.id)).length).toBeGreaterThan(0);
    const n = course.pending.length;
    await ui.click(exactly(`Revoke all ${n} pending invites of First Aid at Work`));
    const undo = exactly(`Undo revoking all ${n} pending invites of First Aid at Work`);
    await expect.poll(async () => (await ui.button(undo))?.text).toBe('Undo');
    await expect
      .poll(barMsg)
      .toMatch(new RegExp(`^Revoking all ${n} pending invites of First Aid at Work in [1-5] s$`));
    await expect.poll(barMsg, { timeout: 60_000 }).toBe(`Done: ${n} revoked. No pending invites left.`);
    expect(await revokeAll()).toBeNull(); // no greyed button for nothing

    const journal = await r.sim.journal();
    const applied = journal.filter((e) => e.applied).map((e) => e.inviteId);
    expect(new Set(applied).size).toBe(applied.length); // none twice
    expect(applied.sort()).toEqual(course.pending.map((i) => i.id).sort());
    const after = await r.sim.invites();
    for (const inv of before) {
      const now = after.find((i) => i.id === inv.id);
      const expected = inv.course.id === course.id && inv.status === 'pending' ? 'cancelled' : inv.status;
      expect(now?.status, `${inv.id} ${inv.course.title}`).toBe(expected);
    }
    // Visible rows say so at once, before the portal's own refresh: status and outcome.
    const shownPending = (await ui.page()).rows.filter((x) =>
      course.pending.some((i) => i.id === x.inviteId),
    );
    expect(shownPending.length).toBeGreaterThan(0);
    for (const x of shownPending) {
      expect(x.status).toBe('Revoked');
      expect(x.note).toBe('Seat returned');
      expect(x.portalButtons).toBe(0);
    }
    // The seats as the portal gives them now, in Reclaim's bar.
    const seats = (await r.sim.state()).courses.find((c) => c.id === course.id)?.seats;
    await expect
      .poll(async () => (await ui.page()).bar.seats, { timeout: 20_000 })
      .toBe(
        `Seats now: ${seats?.total} total · ${seats?.assigned} assigned · ${seats?.available} available. This table now lists ${seats?.assigned} invites (0 pending).`,
      );
    // The portal's own re-render drops the cancelled rows; Reclaim's bar keeps what it said, and
    // the portal's own footer now agrees with it.
    await page.evaluate(() =>
      (window as unknown as { __portal: { rerender(): Promise<void> } }).__portal.rerender(),
    );
    const statuses = await page.locator('td[data-col="status"]').allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((st) => st.trim() === 'accepted')).toBe(true);
    expect(await barMsg()).toBe(`Done: ${n} revoked. No pending invites left.`);
    expect(await page.locator('[data-pager]').textContent()).toContain(`${seats?.assigned} invites`);
  });

  it('Invite History: every pending invite of the learner', async () => {
    const jane = (await r.sim.invites()).filter((i) => i.learner.name === 'Jane Doe');
    const pending = jane.filter((i) => i.status === 'pending');
    await page.goto(learnerUrl(jane[0]?.learner.id as string));
    await waitForControls();
    await ui.click(REVOKE_ALL);
    await expect
      .poll(barMsg, { timeout: 60_000 })
      .toBe(`Done: ${pending.length} revoked. No pending invites left.`);
    const applied = (await r.sim.journal()).filter((e) => e.applied).map((e) => e.inviteId);
    expect(applied.sort()).toEqual(pending.map((i) => i.id).sort());
    for (const inv of pending) {
      expect(await note(inv.id)).toBe('Seat returned');
      expect((await row(inv.id))?.status).toBe('Revoked');
    }
  });
});

describe('the portal’s own re-renders', () => {
  it('a hundred re-renders: one control per row at every frame, nothing leaked', async () => {
    const course = await courseByTitle('First Aid at Work');
    await page.goto(usageUrl(course.id));
    await waitForControls();
    const cdp: CDPSession = await page.context().newCDPSession(page);
    const counters = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Memory.getDOMCounters')) as { nodes: number; jsEventListeners: number };
    };
    const rerender = (times: number) =>
      page.evaluate(async (n) => {
        const portal = (window as unknown as { __portal: { rerender(): Promise<void> } }).__portal;
        // Watch every frame: a row without its control at paint time would be a flicker.
        let frames = 0;
        let bare = 0;
        let watching = true;
        const watch = () => {
          frames++;
          for (const tr of document.querySelectorAll('tr[data-invite-id]'))
            if (tr.querySelectorAll('reclaim-row').length !== 1) bare++;
          if (watching) requestAnimationFrame(watch);
        };
        requestAnimationFrame(watch);
        for (let i = 0; i < n; i++) {
          await portal.rerender();
          await new Promise((res) => requestAnimationFrame(() => res(null)));
        }
        watching = false;
        return { frames, bare };
      }, times);

    await rerender(10);
    const base = await counters();
    const seen = await rerender(100);
    const end = await counters();
    await cdp.detach();

    expect(seen.frames).toBeGreaterThanOrEqual(100);
    expect(seen.bare).toBe(0);
    const c = await census();
    expect(c.rows).toBe(25);
    expect(c.perRow.every((n) => n === 1)).toBe(true);
    expect(c.bars).toBe(1);
    // 100 renders x 25 rows of ours would be thousands of nodes and listeners if any were kept.
    expect(end.nodes - base.nodes).toBeLessThan(300);
    expect(end.jsEventListeners - base.jsEventListeners).toBeLessThan(50);
    console.info('re-render x100: DOM counters', { base, end, frames: seen.frames });
  });
});

describe('trust', () => {
  it('a page script cannot reach into the controls: its clicks, synthetic events and forged messages revoke nothing', async () => {
    const course = await courseByTitle('Lone Working');
    await page.goto(usageUrl(course.id));
    await waitForControls();
    const tried = await page.evaluate((courseId) => {
      let hosts = 0;
      let opened = 0;
      for (const host of document.querySelectorAll<HTMLElement>('reclaim-row, reclaim-bar')) {
        hosts++;
        if (host.shadowRoot) opened++;
        for (const target of [host, ...(host.shadowRoot?.querySelectorAll('button') ?? [])]) {
          target.click();
          target.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, detail: 1 }));
          target.dispatchEvent(new PointerEvent('pointerup', { bubbles: true, composed: true }));
          target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
        }
      }
      window.postMessage({ type: 'job.start', scope: { kind: 'course', courseId } }, '*');
      window.postMessage({ type: 'job.start', scope: { kind: 'courses', courseIds: 'all' } }, '*');
      return { hosts, opened };
    }, course.id);
    expect(tried.hosts).toBeGreaterThan(1);
    expect(tried.opened).toBe(0); // closed roots: nothing inside to press
    await page.waitForTimeout(300);
    expect(await ui.button(/^Undo /)).toBeNull();
    await page.waitForTimeout(6000); // past any Undo window
    expect(await r.sim.journal()).toEqual([]);
    expect(await revokeAll()).toBe(`Revoke all ${course.pending.length} pending invites of Lone Working`);
  });
});

describe('a page whose markup changed', () => {
  /** Serves the Distribute page's HTML changed by `edit`. */
  async function serveDistribute(edit: (html: string) => string): Promise<void> {
    await page.route('**/manager/licenses/*/distribute*', async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, body: edit(await res.text()) });
    });
  }

  it('a table without hooks whose header says nothing Reclaim knows: one notice, no controls', async () => {
    const course = await courseByTitle('Food Hygiene');
    await r.sim.setMarkup({ hooks: false });
    await serveDistribute((html) =>
      html.replace('<th>Learner</th>', '<th>Teilnehmer</th>').replace('<th>Status</th>', '<th>Zustand</th>'),
    );
    try {
      await page.goto(usageUrl(course.id));
      await expect.poll(async () => (await ui.page()).notices, { timeout: 15_000 }).toEqual([UNREADABLE]);
      await page.evaluate(async () => {
        const portal = (window as unknown as { __portal: { rerender(): Promise<void> } }).__portal;
        for (let i = 0; i < 5; i++) await portal.rerender();
      });
      const c = await census();
      expect(await page.locator('th', { hasText: 'Teilnehmer' }).count()).toBe(1);
      expect(await page.locator('tbody tr').count()).toBeGreaterThan(0); // the portal filled it
      expect(c.notices).toBe(1);
      expect(c.hosts).toBe(0);
      expect(c.bars).toBe(0);
    } finally {
      await page.unroute('**/manager/licenses/*/distribute*');
      await r.sim.resetMarkup();
    }
  });

  it('rows whose status it cannot read: one notice, no controls', async () => {
    const course = await courseByTitle('Food Hygiene');
    await page.route('**/api/courses/*/invites*', async (route) => {
      const res = await route.fetch();
      const data = (await res.json()) as { items: { status: string }[] };
      for (const item of data.items) item.status = 'on hold';
      await route.fulfill({ response: res, json: data });
    });
    try {
      await page.goto(usageUrl(course.id));
      await expect.poll(async () => (await ui.page()).notices, { timeout: 15_000 }).toEqual([UNREADABLE]);
      const c = await census();
      expect(c.rows).toBeGreaterThan(0);
      expect(c.hosts).toBe(0);
      expect(c.bars).toBe(0);
    } finally {
      await page.unroute('**/api/courses/*/invites*');
    }
  });
});
