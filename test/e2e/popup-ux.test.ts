/**
 * What a manager checks in the popup (issue 19), end to end in Chromium against the reference
 * portal: placeholders while it reads (never a 0 it does not know), a failed refresh under the
 * age of the last good read, the Undo window after the popup was closed and opened again (and
 * on the toolbar badge), Undo by Escape, labels and counts that add up with ticks and the age
 * filter, an audit log that fits the popup's width, and axe-core in each of those states.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchReclaim, type Reclaim } from './harness';
import {
  ageCache,
  askOk,
  axeViolations,
  openPopupWithRows,
  pendingIds,
  settleJobs,
  totalPendingShown,
  until,
} from './popup-helpers';

const DATA = {
  seed: 11,
  courses: 4,
  learners: 60,
  pendingPerCourse: 7,
  acceptedPerCourse: 2,
  seatsPerCourse: 14,
};
const DAY = 86_400_000;

let r: Reclaim;
let ext: Page; // an extension page for talking to the background

beforeAll(async () => {
  r = await launchReclaim({ portal: { data: DATA } });
  await r.page.goto(`${r.portal.url}/manager/licenses`);
  ext = await r.openPopup();
});

afterAll(async () => {
  await r?.close();
});

beforeEach(async () => {
  await settleJobs(ext);
  await r.sim.resetFaults();
  await r.sim.reset(DATA);
  await r.sim.clearJournal();
  await askOk(ext, { type: 'settings.set', settings: { undoSeconds: 5, minAgeDays: 0, renewDays: 3 } });
  for (const p of r.context.pages()) if (p !== r.page && p !== ext) await p.close();
});

/** The toolbar button's badge text and title, as the browser holds them. */
function badge(): Promise<{ text: string; title: string }> {
  return ext.evaluate(async () => ({
    text: await chrome.action.getBadgeText({}),
    title: await chrome.action.getTitle({}),
  }));
}

/** The figures a revoke adds up from: every course line's seats, the totals and the button's label. */
async function figures(p: Page) {
  return p.evaluate(() => {
    const seats = [...document.querySelectorAll<HTMLElement>('[data-seats]')].map((e) =>
      Number(e.dataset.seats),
    );
    const label = [...document.querySelectorAll('button')].find((b) => b.textContent?.startsWith('Revoke '));
    const m = /^Revoke ([\d,]+) pending invites?.* in ([\d,]+) courses?$/.exec(label?.textContent ?? '');
    // Figures are written for the reader ("1,250"): their digits.
    const digits = (s: string | undefined) => Number(s?.replace(/\D/g, ''));
    const n = (id: string) =>
      digits(document.querySelector(`[data-testid="${id}"]`)?.textContent ?? undefined);
    return {
      lines: seats.reduce((a, b) => a + b, 0),
      courseLines: seats.length,
      total: n('total-pending'),
      courses: n('total-courses'),
      buttonInvites: digits(m?.[1]),
      buttonCourses: digits(m?.[2]),
    };
  });
}

/** Waits until the journal and the portal show the job sent nothing, past the end of its window. */
async function expectNothingSent(before: string[]): Promise<void> {
  await until('the job undone', async () => {
    const reply = await askOk(ext, { type: 'job.current' });
    return reply?.job.state === 'undone';
  });
  expect(await r.sim.journal()).toEqual([]);
  expect((await pendingIds(r.sim)).sort()).toEqual([...before].sort());
}

describe('popup, as a manager checks it', () => {
  it('reading for the first time: placeholders, never a 0 or "Nothing to revoke" it does not know', async () => {
    // Nothing cached: Reclaim forgets the portal, and the popup its snapshot; the portal is slow.
    await askOk(ext, {
      type: 'origins.forget',
      origin: new URL(r.portal.origin).origin.replace(/:\d+$/, ''),
    });
    await ext.evaluate(() => localStorage.clear());
    await r.sim.setFaults({ latencyMs: 1200 });
    const pending = await pendingIds(r.sim);

    const p = await r.context.newPage();
    // Every text the popup shows while it reads, sampled at each change.
    await p.addInitScript(() => {
      const w = window as unknown as { __seen: { total: string; text: string }[] };
      w.__seen = [];
      new MutationObserver(() => {
        const main = document.querySelector('main');
        const total = document.querySelector('[data-testid="total-pending"]')?.textContent ?? '';
        if (main) w.__seen.push({ total, text: main.textContent ?? '' });
      }).observe(document, { childList: true, subtree: true, characterData: true });
    });
    await p.goto(`chrome-extension://${r.extensionId}/src/popup/index.html`);
    await p.getByTestId('freshness').getByText('Reading your courses from the portal…').waitFor();
    expect(await p.getByTestId('total-pending').textContent()).toBe('—not known yet');
    expect(await axeViolations(p), 'placeholders').toEqual([]);

    await until('the fresh numbers', async () => (await totalPendingShown(p)) === pending.length, 30_000);
    const seen = await p.evaluate(
      () => (window as unknown as { __seen: { total: string; text: string }[] }).__seen,
    );
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.map((s) => s.total)).toContain('—not known yet');
    for (const { total, text } of seen) {
      // While it reads: no zero, no "nothing" it could not know.
      expect(total).not.toBe('0');
      expect(text).not.toMatch(/Nothing to revoke|No courses|\b0 pending invites\b/);
    }
    expect(await p.getByRole('button', { name: /^Revoke \d+ pending invites in 4 courses$/ }).count()).toBe(
      1,
    );
    await p.close();
  });

  it('a failed refresh says so beside the age of the last good read, never "Updated just now"', async () => {
    const first = await openPopupWithRows(r);
    const pending = await pendingIds(r.sim);
    await until('the refresh', async () => (await totalPendingShown(first)) === pending.length);
    await first.close();
    await until(
      'the cache aged',
      async () => (await ageCache(ext, 3 * 3_600_000, { invites: true })) === DATA.courses,
    );
    await r.sim.setFaults({ errorRate: 1 }); // every API answer is a 5xx

    const p = await r.openPopup();
    const line = p.getByTestId('freshness');
    await until(
      'the failure',
      async () =>
        (await line.textContent()) === "Updated 3 hours ago · couldn't refresh: the portal had an error",
      30_000,
    );
    expect(await p.locator('[data-testid="course-freshness"]').allTextContents()).toEqual(
      Array(DATA.courses).fill('stale: updated 3 hours ago'),
    );
    expect(await p.locator('main').textContent()).not.toMatch(/just now|HTTP/);
    expect(await axeViolations(p), 'failed refresh').toEqual([]);

    await r.sim.resetFaults();
    await p.getByRole('button', { name: 'Try again' }).click();
    await until('fresh again', async () => (await line.textContent()) === 'Updated just now', 30_000);
    await p.close();
  });

  it('Undo survives the popup closing: the badge counts it down, the popup reopened offers it, nothing is sent', async () => {
    await askOk(ext, { type: 'settings.set', settings: { undoSeconds: 10 } });
    const before = await pendingIds(r.sim);
    const p = await openPopupWithRows(r);
    await until('the refresh', async () => (await totalPendingShown(p)) === before.length);
    await p.getByRole('button', { name: `Revoke ${before.length} pending invites in 4 courses` }).click();
    await p.getByTestId('undo-countdown').waitFor();
    expect(await axeViolations(p), 'Undo window').toEqual([]);
    await p.close();

    await until('the badge’s countdown', async () => /^⟲([1-9]|10)$/.test((await badge()).text), 5000);
    expect((await badge()).title).toMatch(
      new RegExp(`^Revoking ${before.length} pending invites in \\d+ s — open Reclaim to undo$`),
    );

    const again = await r.openPopup();
    const panel = again.locator('[data-job-state="waiting"]');
    await panel.waitFor({ timeout: 5000 });
    expect(await again.locator('#undo-title').textContent()).toBe(
      `Revoking ${before.length} pending invites in 4 courses`,
    );
    expect(await again.getByTestId('undo-countdown').textContent()).toMatch(
      // The rest of the background's window, which began once it had read the scope: up to 10 s.
      /^Starting in ([1-9]|10) s\. Nothing has been sent yet\.$/,
    );
    await again.getByRole('button', { name: 'Undo', exact: true }).click();
    await again.getByText('Revoke undone. Nothing was sent to the portal.').waitFor();
    await expectNothingSent(before);
    // Back to what needs attention: the invites expiring within 3 days, else every pending one.
    const expiring = (await r.sim.invites({ status: 'pending' })).filter((i) => {
      const left = Date.parse(i.sentAt) + 30 * DAY - Date.now();
      return left > 0 && left <= 3 * DAY;
    }).length;
    await until(
      'the badge back to the expiring or pending count',
      async () => (await badge()).text === String(expiring > 0 ? expiring : before.length),
    );
    await again.close();
  });

  it('Escape undoes in the Undo window, keeps the popup, and does nothing anywhere else', async () => {
    const before = await pendingIds(r.sim);
    const p = await openPopupWithRows(r);
    await until('the refresh', async () => (await totalPendingShown(p)) === before.length);
    // What the browser would be told of each Escape: whether the popup kept it for itself.
    await p.evaluate(() => {
      const w = window as unknown as { __escapes: boolean[] };
      w.__escapes = [];
      window.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') w.__escapes.push(e.defaultPrevented);
      });
    });
    const escapes = () => p.evaluate(() => (window as unknown as { __escapes: boolean[] }).__escapes);

    await p.keyboard.press('Escape'); // on the courses: the browser's
    await p.getByRole('button', { name: /^Revoke / }).click();
    await p.getByTestId('undo-countdown').waitFor();
    await p.keyboard.press('Escape');
    await p.getByText('Revoke undone. Nothing was sent to the portal.').waitFor();
    expect(await escapes()).toEqual([false, true]);
    await expectNothingSent(before);
    await p.keyboard.press('Escape'); // back on the courses: the browser's again
    expect(await escapes()).toEqual([false, true, false]);
    await p.close();
  });

  it('labels say the scope, and every figure adds up with ticks and the age filter, as the portal counts', async () => {
    const days = 10;
    const { now } = await r.sim.clock();
    const pending = await r.sim.invites({ status: 'pending' });
    const p = await openPopupWithRows(r);
    await until('the refresh', async () => (await totalPendingShown(p)) === pending.length);
    expect(await figures(p)).toEqual({
      lines: pending.length,
      courseLines: 4,
      total: pending.length,
      courses: 4,
      buttonInvites: pending.length,
      buttonCourses: 4,
    });

    await p.locator('#course-c-2').uncheck();
    await p.getByLabel('Number of days').fill(String(days));
    await p.getByLabel('Number of days').press('Enter');
    await p.getByLabel('Only invites sent more than').check();
    const inScope = pending.filter((i) => i.course.id !== 'c-2' && now - Date.parse(i.sentAt) >= days * DAY);
    expect(inScope.length).toBeGreaterThan(0);
    await until('the filtered count', async () => (await totalPendingShown(p)) === inScope.length);
    expect(await figures(p)).toEqual({
      lines: inScope.length,
      courseLines: 3,
      total: inScope.length,
      courses: 3,
      buttonInvites: inScope.length,
      buttonCourses: 3,
    });
    expect(await p.locator('[data-course-id="c-2"] [data-testid="seats"]').textContent()).toBe(
      'not included',
    );
    const label = `Revoke ${inScope.length} pending invite${inScope.length === 1 ? '' : 's'} sent more than ${days} days ago in 3 courses`;
    await p.getByRole('button', { name: label, exact: true }).click();
    // The job read fresh from the portal takes exactly those.
    await p.locator('[data-job-state="waiting"][data-job-id]').waitFor();
    expect(await p.locator('#undo-title').textContent()).toBe(
      `Revoking ${inScope.length} pending invite${inScope.length === 1 ? '' : 's'} in 3 courses`,
    );
    await p.getByRole('button', { name: 'Undo', exact: true }).click();
    await p.getByText('Revoke undone. Nothing was sent to the portal.').waitFor();
    await p.close();
  });

  it('the audit log fits the popup’s width, long addresses and all, and axe finds nothing in it', async () => {
    const long =
      'a.very.long.address.of.a.learner.with.many.parts@training-department.subsidiary.example.test';
    const view = await askOk(ext, {
      type: 'invite.start',
      work: { kind: 'make-room', courseId: 'c-1', emails: [long], revokeIds: [], minAgeDays: 0 },
      undoSeconds: 0,
    });
    await until('the invite sent', async () => {
      const v = await askOk(ext, { type: 'job.get', jobId: view.job.id });
      return v.job.state === 'done';
    });
    const p = await r.openPopup();
    await p.setViewportSize({ width: 400, height: 600 });
    await p.getByRole('tab', { name: 'Audit log' }).click();
    await p.locator(`table.audit td:has-text("${long}")`).waitFor();
    const overflow = await p.evaluate(() => {
      const body = document.body.getBoundingClientRect();
      const table = document.querySelector('table.audit') as HTMLElement;
      const clipped = [...table.querySelectorAll('td, th')].filter((c) => c.scrollWidth > c.clientWidth + 1);
      return {
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        tableRight: table.getBoundingClientRect().right - body.right,
        clipped: clipped.map((c) => c.textContent),
      };
    });
    expect(overflow.page).toBeLessThanOrEqual(0);
    expect(overflow.tableRight).toBeLessThanOrEqual(0);
    expect(overflow.clipped).toEqual([]);
    expect(await p.locator('table.audit tbody tr').first().locator('td').nth(2).textContent()).toBe(
      'Invitedmake room',
    );
    for (const scheme of ['light', 'dark'] as const) {
      await p.emulateMedia({ colorScheme: scheme });
      expect(await axeViolations(p), `audit, ${scheme}`).toEqual([]);
    }
    await p.close();
  });

  it('Expiring soon: the invites within the window, soonest first, renewed or revoked with Undo, also opened at #expiring', async () => {
    const { now } = await r.sim.clock();
    const pending = await r.sim.invites({ status: 'pending' });
    const expiry = (i: (typeof pending)[number]) => Date.parse(i.sentAt) + 30 * DAY;
    // The smallest window with at least two invites in it and none within 10 minutes of its edges.
    const within = (days: number) => pending.filter((i) => expiry(i) > now && expiry(i) <= now + days * DAY);
    const clear = (days: number) =>
      pending.every(
        (i) => Math.abs(expiry(i) - (now + days * DAY)) > 600_000 && Math.abs(expiry(i) - now) > 600_000,
      );
    const days = [...Array(29).keys()].map((k) => k + 1).find((d) => within(d).length >= 2 && clear(d));
    if (!days) throw new Error('no window with two invites in it');
    const expected = within(days)
      .sort((a, b) => expiry(a) - expiry(b))
      .map((i) => i.id);
    expect(expected.length).toBeLessThan(pending.length);
    await askOk(ext, { type: 'settings.set', settings: { renewDays: days } });
    const before = await pendingIds(r.sim);

    const p = await openPopupWithRows(r);
    await p.getByRole('button', { name: `Expiring soon (${expected.length})`, exact: true }).click();
    await p.locator('li[data-invite-id]').first().waitFor();
    const shown = () =>
      p.locator('li[data-invite-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-invite-id')));
    expect(await shown()).toEqual(expected);
    expect(await p.getByRole('heading', { level: 2 }).first().textContent()).toBe(
      `Expiring within ${days} day${days === 1 ? '' : 's'}`,
    );
    for (const scheme of ['light', 'dark'] as const) {
      await p.emulateMedia({ colorScheme: scheme });
      expect(await axeViolations(p), `expiring soon, ${scheme}`).toEqual([]);
    }

    await p.getByLabel(`Select all (${expected.length})`).check();
    await p.getByRole('button', { name: `Renew selected (${expected.length})`, exact: true }).click();
    await p.locator('[data-job-state="waiting"][data-job-id]').waitFor();
    expect(await p.locator('#undo-title').textContent()).toBe(`Renewing ${expected.length} invites`);
    await p.getByRole('button', { name: 'Undo', exact: true }).click();
    await p.getByText('Undone. Nothing was sent to the portal.').waitFor();
    await expectNothingSent(before);
    await p.close();

    // Opened as a notification's Review opens it: the view first; one row's Revoke, undone.
    const q = await r.context.newPage();
    await q.goto(`chrome-extension://${r.extensionId}/src/popup/index.html#expiring`);
    await q.locator('li[data-invite-id]').first().waitFor();
    expect(
      await q
        .locator('li[data-invite-id]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-invite-id'))),
    ).toEqual(expected);
    await q
      .locator(`li[data-invite-id="${expected[0]}"]`)
      .getByRole('button', { name: /^Revoke / })
      .click();
    await q.locator('[data-job-state="waiting"][data-job-id]').waitFor();
    expect(await q.locator('#undo-title').textContent()).toBe('Revoking 1 pending invite');
    await q.getByRole('button', { name: 'Undo', exact: true }).click();
    await q.getByText('Revoke undone. Nothing was sent to the portal.').waitFor();
    await expectNothingSent(before);
    await q.close();
  });
});
