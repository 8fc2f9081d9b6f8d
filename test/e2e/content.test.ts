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
import { axeViolations } from './popup-helpers';

const DAY = 24 * 3600 * 1000;
const NOTICE = 'Reclaim could not read this page';

let r: Reclaim;
let page: Page;

beforeAll(async () => {
  r = await launchReclaim();
  page = r.page;
});

afterAll(async () => {
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

const row = (id: string) => page.locator(`tr[data-invite-id="${id}"]`);
/** The text our control shows in a row (countdown or outcome). */
const note = (id: string) => row(id).locator('reclaim-row .note');
const revokeAll = () => page.getByRole('button', { name: /^Revoke all pending \((\d+|…)\)$/ });
const barMsg = () => page.locator('reclaim-bar .msg');

/** Controls per invite row, bars and notices, read from the page's DOM. */
function census(): Promise<{ rows: number; perRow: number[]; bars: number; notices: number; hosts: number }> {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll('tr[data-invite-id]')];
    return {
      rows: rows.length,
      perRow: rows.map((tr) => tr.querySelectorAll('reclaim-row').length),
      bars: document.querySelectorAll('reclaim-bar').length,
      notices: document.querySelectorAll('reclaim-notice').length,
      hosts: document.querySelectorAll('reclaim-row').length,
    };
  });
}

async function waitForControls(): Promise<void> {
  await expect.poll(() => revokeAll().count(), { timeout: 15_000 }).toBe(1);
  await expect
    .poll(async () => (await revokeAll().textContent()) ?? '', { timeout: 15_000 })
    .not.toContain('…');
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
    expect(await revokeAll().textContent()).toBe(`Revoke all pending (${course.pending.length})`);
    const c = await census();
    expect(c.rows).toBe(25);
    expect(c.perRow.every((n) => n === 1)).toBe(true);
    const ids = await page
      .locator('tr[data-invite-id]')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-invite-id')));
    for (const id of ids.slice(0, 6)) {
      const inv = course.all.find((i) => i.id === id);
      if (!inv) throw new Error(`row ${id} not in the portal`);
      if (inv.status === 'pending') {
        await expect
          .poll(() =>
            row(id as string)
              .getByRole('button', { name: `Revoke invite: ${inv.learner.name}, First Aid at Work` })
              .count(),
          )
          .toBe(1);
      } else {
        await expect.poll(() => note(id as string).textContent()).toBe('Kept — accepted');
        expect(
          await row(id as string)
            .locator('reclaim-row button:visible')
            .count(),
        ).toBe(0);
      }
    }
    // Page 2 changes the rows without a page load; the controls follow, the count stays.
    await page.getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(() => page.url()).toContain('page=2');
    await expect.poll(async () => (await census()).perRow.join(',')).toMatch(/^1(,1)*$/);
    expect((await census()).bars).toBe(1);
    expect(await revokeAll().textContent()).toBe(`Revoke all pending (${course.pending.length})`);
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
    expect(await revokeAll().textContent()).toBe(`Revoke all pending (${pending.length})`);
    for (const inv of pending) {
      await expect
        .poll(() =>
          page.getByRole('button', { name: `Revoke invite: Jane Doe, ${inv.course.title}` }).count(),
        )
        .toBe(1);
    }
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
        await row(pending.id)
          .getByRole('button', { name: /^Revoke invite: / })
          .click(); // Undo state too
        await expect
          .poll(() =>
            row(pending.id)
              .getByRole('button', { name: /^Undo revoke: / })
              .count(),
          )
          .toBe(1);
        const ours = (await axeViolations(page)).filter((v) => v.includes('reclaim-'));
        expect(ours, colorScheme).toEqual([]);
        const surface = await page.evaluate(() => {
          const bar = document.querySelector('reclaim-bar')?.shadowRoot?.querySelector('.bar');
          return bar ? getComputedStyle(bar).backgroundColor : null;
        });
        expect(surface, colorScheme).toBe('rgb(246, 248, 250)');
        await row(pending.id)
          .getByRole('button', { name: /^Undo revoke: / })
          .click();
        await expect
          .poll(() =>
            row(pending.id)
              .getByRole('button', { name: /^Revoke invite: / })
              .count(),
          )
          .toBe(1);
      }
    } finally {
      await page.emulateMedia({ colorScheme: null });
      await setUndoSeconds(5);
    }
    expect(await r.sim.journal()).toEqual([]);
  });
});

describe('revoking one invite', () => {
  it('Undo from the keyboard inside the window: the countdown survives a re-render, nothing reaches the portal', async () => {
    const course = await courseByTitle('Fire Safety');
    const inv = course.pending[0] as Invite;
    await setUndoSeconds(10); // room for the checks below on a busy machine
    try {
      await page.goto(usageUrl(course.id));
      await waitForControls();
      const revoke = row(inv.id).getByRole('button', {
        name: `Revoke invite: ${inv.learner.name}, Fire Safety`,
      });
      await revoke.focus();
      await page.keyboard.press('Enter');
      const undo = row(inv.id).getByRole('button', { name: `Undo revoke: ${inv.learner.name}, Fire Safety` });
      await expect.poll(() => undo.textContent()).toMatch(/^Undo \((9|10)\)$/);
      // The same button, still focused: a second Enter is the Undo.
      const focused = () =>
        page.evaluate(
          () => document.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-label') ?? null,
        );
      expect(await focused()).toBe(`Undo revoke: ${inv.learner.name}, Fire Safety`);

      await page.evaluate(() =>
        (window as unknown as { __portal: { rerender(): Promise<void> } }).__portal.rerender(),
      );
      await expect.poll(() => undo.textContent()).toMatch(/^Undo \([1-9]\)$/);
      await undo.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => revoke.count()).toBe(1);
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
    await page.goto(usageUrl(course.id));
    await waitForControls();
    // Up to a minute of retries on one page: the page's own refresh must not remove rows meanwhile.
    await pausePortalRefresh();

    await row(a.id)
      .getByRole('button', { name: /^Revoke invite: / })
      .click();
    await expect.poll(() => note(a.id).textContent(), { timeout: 20_000 }).toBe('Revoked — seat returned');

    await cancelElsewhere(gone.id); // the page still lists it as pending
    await row(gone.id)
      .getByRole('button', { name: /^Revoke invite: / })
      .click();
    await expect.poll(() => note(gone.id).textContent(), { timeout: 20_000 }).toBe('Already gone');

    await r.sim.setFaults({ errorRate: 1, faultPaths: 'cancel' });
    await row(flaky.id)
      .getByRole('button', { name: /^Revoke invite: / })
      .click();
    await expect.poll(() => note(flaky.id).textContent(), { timeout: 60_000 }).toMatch(/^Failed: .+/);
    await r.sim.resetFaults();
    await row(flaky.id)
      .getByRole('button', { name: `Retry revoke: ${flaky.learner.name}, Fire Safety` })
      .click();
    await expect
      .poll(() => note(flaky.id).textContent(), { timeout: 20_000 })
      .toBe('Revoked — seat returned');

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
    await row(inv.id)
      .getByRole('button', { name: /^Revoke invite: / })
      .click();
    await expect
      .poll(() =>
        row(inv.id)
          .getByRole('button', { name: /^Undo revoke: / })
          .count(),
      )
      .toBe(1);
    await r.sim.accept(inv.id);
    await expect.poll(() => note(inv.id).textContent(), { timeout: 20_000 }).toBe('Kept — accepted');
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
    await expect.poll(() => note(inv.id).textContent()).toBe('expires in 6 days');
    expect(formatCountdown(inv.sentAt, sent + 23.5 * DAY)).toBe('expires in 6 days');
    expect(await note(inv.id).getAttribute('class')).not.toContain('urgent');

    await r.sim.setClock(sent + 30 * DAY - 5.5 * 3600_000);
    await page.reload();
    await waitForControls();
    await expect.poll(() => note(inv.id).textContent()).toBe('expires in 5 h');
    expect(await note(inv.id).getAttribute('class')).toContain('urgent');

    // 12 min and 4 s left: the label turns to 11 min within seconds, on the page's one timer.
    await r.sim.setClock(sent + 30 * DAY - (12 * 60_000 + 4000));
    await page.reload();
    await waitForControls();
    await expect.poll(() => note(inv.id).textContent()).toBe('expires in 12 min');
    await expect.poll(() => note(inv.id).textContent(), { timeout: 10_000 }).toBe('expires in 11 min');
  });
});

describe('Revoke all pending', () => {
  it('Usage: every pending invite of the course across all pages, none other; summary; table refreshed', async () => {
    const course = await courseByTitle('First Aid at Work');
    const before = await r.sim.invites();
    await page.goto(usageUrl(course.id));
    await waitForControls();
    const shown = await page
      .locator('tr[data-invite-id]')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-invite-id') as string));
    const shownPending = course.pending.filter((i) => shown.includes(i.id));
    expect(shownPending.length).toBeGreaterThan(0);
    await revokeAll().click();
    const undo = page.getByRole('button', { name: `Undo revoke all pending (${course.pending.length})` });
    await expect.poll(() => undo.textContent()).toMatch(/^Undo \([1-5]\)$/);
    await expect.poll(() => barMsg().textContent()).toMatch(/^Revoking \d+ pending invites in [1-5] s$/);
    await expect
      .poll(() => barMsg().textContent(), { timeout: 60_000 })
      .toBe(`Done: ${course.pending.length} revoked, 0 kept (accepted), 0 already gone, 0 failed.`);

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
    // Visible rows say so at once, before the portal's own refresh.
    const firstPending = course.pending.find((i) => i.id) as Invite;
    if (await row(firstPending.id).count())
      expect(await note(firstPending.id).textContent()).toBe('Revoked — seat returned');

    await page.getByRole('button', { name: 'Refresh table' }).click();
    await page.waitForLoadState('load');
    await waitForControls();
    expect(await revokeAll().textContent()).toBe('Revoke all pending (0)');
    const statuses = await page.locator('td[data-col="status"]').allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s.trim() === 'accepted')).toBe(true);
  });

  it('Invite History: every pending invite of the learner', async () => {
    const jane = (await r.sim.invites()).filter((i) => i.learner.name === 'Jane Doe');
    const pending = jane.filter((i) => i.status === 'pending');
    await page.goto(learnerUrl(jane[0]?.learner.id as string));
    await waitForControls();
    await revokeAll().click();
    await expect
      .poll(() => barMsg().textContent(), { timeout: 60_000 })
      .toBe(`Done: ${pending.length} revoked, 0 kept (accepted), 0 already gone, 0 failed.`);
    const applied = (await r.sim.journal()).filter((e) => e.applied).map((e) => e.inviteId);
    expect(applied.sort()).toEqual(pending.map((i) => i.id).sort());
    for (const inv of pending) expect(await note(inv.id).textContent()).toBe('Revoked — seat returned');
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
  it('a page script’s .click(), synthetic events and forged messages revoke nothing', async () => {
    const course = await courseByTitle('Lone Working');
    await page.goto(usageUrl(course.id));
    await waitForControls();
    const pressed = await page.evaluate((courseId) => {
      let n = 0;
      for (const host of document.querySelectorAll('reclaim-row, reclaim-bar')) {
        for (const b of host.shadowRoot?.querySelectorAll('button') ?? []) {
          b.click();
          b.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, detail: 1 }));
          b.dispatchEvent(new PointerEvent('pointerup', { bubbles: true, composed: true }));
          b.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
          n++;
        }
      }
      window.postMessage({ type: 'job.start', scope: { kind: 'course', courseId } }, '*');
      window.postMessage({ type: 'job.start', scope: { kind: 'courses', courseIds: 'all' } }, '*');
      return n;
    }, course.id);
    expect(pressed).toBeGreaterThan(1);
    await page.waitForTimeout(300);
    expect(await page.getByRole('button', { name: /^Undo / }).count()).toBe(0);
    await page.waitForTimeout(6000); // past any Undo window
    expect(await r.sim.journal()).toEqual([]);
    expect(await revokeAll().textContent()).toBe(`Revoke all pending (${course.pending.length})`);
  });
});

describe('a page Reclaim cannot read', () => {
  it('the Usage table without its data-table hook: one notice, no controls', async () => {
    const course = await courseByTitle('Food Hygiene');
    await page.route('**/manager/licenses/*/distribute*', async (route) => {
      const res = await route.fetch();
      const body = (await res.text()).replace('data-table="usage"', 'data-table="usage-v2"');
      await route.fulfill({ response: res, body });
    });
    try {
      await page.goto(usageUrl(course.id));
      await expect.poll(() => page.getByText(NOTICE).count(), { timeout: 15_000 }).toBe(1);
      await page.evaluate(async () => {
        const portal = (window as unknown as { __portal: { rerender(): Promise<void> } }).__portal;
        for (let i = 0; i < 5; i++) await portal.rerender();
      });
      const c = await census();
      expect(await page.locator('table[data-table="usage-v2"]').count()).toBe(1);
      expect(c.notices).toBe(1);
      expect(c.hosts).toBe(0);
      expect(c.bars).toBe(0);
    } finally {
      await page.unroute('**/manager/licenses/*/distribute*');
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
      await expect.poll(() => page.getByText(NOTICE).count(), { timeout: 15_000 }).toBe(1);
      const c = await census();
      expect(c.rows).toBeGreaterThan(0);
      expect(c.hosts).toBe(0);
      expect(c.bars).toBe(0);
    } finally {
      await page.unroute('**/api/courses/*/invites*');
    }
  });
});
