/**
 * The portal's native way to free licences: a script clicking the portal's own Cancel button on
 * the Usage tab, confirming the portal's dialog, and waiting for the table's re-render, one
 * invite after another. Run in a plain Chromium (no extension), as fast as a script can click:
 * a lower bound for a person, who also reads and moves the mouse.
 */
import { chromium } from 'playwright-core';
import { pages } from '../../src/portal/page/routes';
import { CHROMIUM, signInPage } from '../e2e/harness';
import type { DataSpec, Faults } from '../portal/server';
import { startPortal } from '../portal/server';
import { simClient } from '../portal/sim-client';
import { log } from './lib';

export const PLAIN_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

export interface NativeResult {
  invites: number;
  seconds: number;
  secondsPerInvite: number;
  /** Cancels the portal's journal shows as applied (must equal `invites`). */
  journalApplied: number;
}

/** The portal with this data, and a plain Chromium signed in on the course's Usage tab. */
async function openUsage(opts: { data: DataSpec; faults: Partial<Faults>; courseId: string }) {
  const portal = await startPortal({ quiet: true, data: opts.data, faults: opts.faults });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: PLAIN_CHROMIUM_ARGS,
  });
  try {
    const sim = simClient(portal.url);
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await signInPage(page, portal.url);
    await page.goto(`${portal.url}${pages.usage(opts.courseId)}`);
    return { portal, browser, sim, page, table: page.locator('table[data-table="usage"]') };
  } catch (err) {
    await closeAll(browser, portal);
    throw err;
  }
}

async function closeAll(
  browser: { close(): Promise<void> },
  portal: { close(): Promise<unknown> },
): Promise<void> {
  await browser.close().catch(() => {});
  await portal.close().catch(() => {});
}

export async function nativeCancel(opts: {
  data: DataSpec;
  faults: Partial<Faults>;
  courseId: string;
  sample: number;
}): Promise<NativeResult> {
  const { portal, browser, sim, page, table } = await openUsage(opts);
  try {
    const pendingRows = table.locator('tr[data-invite-id]').filter({
      has: page.locator('td[data-col="actions"] button:not([disabled])'),
    });
    await pendingRows.first().waitFor({ state: 'visible' });
    await sim.clearJournal();

    const t0 = performance.now();
    for (let i = 0; i < opts.sample; i++) {
      const row = pendingRows.first();
      const id = await row.getAttribute('data-invite-id');
      if (!id) throw new Error('a Usage row without data-invite-id');
      await row.locator('td[data-col="actions"] button:not([disabled])').first().click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: /cancel invite/i }).click();
      // Done when the page has re-rendered without that invite and shows the next pending one.
      await page.locator(`tr[data-invite-id="${id}"]`).waitFor({ state: 'detached' });
      await pendingRows.first().waitFor({ state: 'visible' });
    }
    const seconds = (performance.now() - t0) / 1000;
    const applied = (await sim.journal()).filter((e) => e.applied).length;
    log(
      'bench',
      `native: ${opts.sample} invites cancelled through the portal's own dialog in ${seconds.toFixed(2)} s`,
    );
    return {
      invites: opts.sample,
      seconds,
      secondsPerInvite: seconds / opts.sample,
      journalApplied: applied,
    };
  } finally {
    await closeAll(browser, portal);
  }
}

/**
 * The portal's own way to reassign a seat: on the Usage tab, its Cancel on the first pending row
 * (confirming the portal's dialog, waiting for the re-render), then its Invites tab, the address
 * typed into its send form and sent (waiting for the form's whole cycle), then back to Usage, one
 * address after another. Same plain Chromium and lower-bound caveat as nativeCancel.
 */
export async function nativeReassign(opts: {
  data: DataSpec;
  faults: Partial<Faults>;
  courseId: string;
  sample: number;
}): Promise<NativeResult & { journalInvited: number }> {
  const { portal, browser, sim, page, table } = await openUsage(opts);
  try {
    // The invites this script sent are pending too (and newest): only earlier invites are reassigned.
    const pendingRows = table
      .locator('tr[data-invite-id]')
      .filter({ has: page.locator('td[data-col="actions"] button:not([disabled])') })
      .filter({ hasNotText: 'native-' });
    const result = page.locator('[data-send-result]');
    await pendingRows.first().waitFor({ state: 'visible' });
    await sim.clearJournal();

    const t0 = performance.now();
    for (let i = 0; i < opts.sample; i++) {
      const row = pendingRows.first();
      const id = await row.getAttribute('data-invite-id');
      if (!id) throw new Error('a Usage row without data-invite-id');
      await row.locator('td[data-col="actions"] button:not([disabled])').first().click();
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /cancel invite/i })
        .click();
      await page.locator(`tr[data-invite-id="${id}"]`).waitFor({ state: 'detached' });
      await page.locator('a[data-tab="invites"]').click();
      await page.locator('textarea[name="emails"]').fill(`native-${i}@example.test`);
      // The form marks its whole cycle done by setting data-state last: clear the previous one first.
      await result.evaluate((el) => el.removeAttribute('data-state'));
      await page.getByRole('button', { name: 'Send invites' }).click();
      await page.locator('[data-send-result][data-state="sent"]').waitFor();
      await page.locator('a[data-tab="usage"]').click();
      await pendingRows.first().waitFor({ state: 'visible' });
    }
    const seconds = (performance.now() - t0) / 1000;
    const { entries, invites } = await sim.journalAll();
    log(
      'bench',
      `native: ${opts.sample} seats reassigned through the portal's own pages in ${seconds.toFixed(2)} s`,
    );
    return {
      invites: opts.sample,
      seconds,
      secondsPerInvite: seconds / opts.sample,
      journalApplied: entries.filter((e) => e.applied).length,
      journalInvited: invites.reduce((n, e) => n + e.created.length, 0),
    };
  } finally {
    await closeAll(browser, portal);
  }
}
