/**
 * The toolbar popup end to end: the built extension in Chromium against the reference portal.
 * Every revoke is checked against the portal's journal (each pending invite cancelled once,
 * nothing else touched) and its seat identity.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { portalQuiet } from '../bench/jobs';
import { launchReclaim, type Reclaim } from './harness';
import {
  ageCache,
  askOk,
  axeViolations,
  byCourse,
  idb,
  journalVerdict,
  openPopupWithRows,
  pendingIds,
  settleJobs,
  totalPendingShown,
  until,
} from './popup-helpers';

/** Records when the first course row enters the DOM (ms since navigation start). */
const FIRST_ROW_PROBE = `(() => {
  const mo = new MutationObserver(() => {
    if (document.querySelector('li[data-course-id]')) { window.__firstRowAt = performance.now(); mo.disconnect(); }
  });
  mo.observe(document, { childList: true, subtree: true });
})();`;

const DATA = {
  seed: 7,
  courses: 3,
  learners: 40,
  pendingPerCourse: 6,
  acceptedPerCourse: 2,
  seatsPerCourse: 12,
};

let r: Reclaim;
let ext: Page; // an extension page for talking to the background and reading IndexedDB

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
  await askOk(ext, { type: 'settings.set', settings: { undoSeconds: 1, concurrency: 6, minAgeDays: 0 } });
  for (const p of r.context.pages()) if (p !== r.page && p !== ext) await p.close();
});

/** Clicks the one button and waits for the job's report. */
async function revokeAndWait(p: Page, count: number): Promise<void> {
  await p.getByRole('button', { name: `Revoke ${count} pending` }).click();
  await p.getByRole('heading', { name: 'Revoke finished' }).waitFor({ timeout: 60_000 });
}

describe('popup', () => {
  it('opens from the cache at once, says the cache is old while it refreshes, then shows fresh numbers', async () => {
    const first = await openPopupWithRows(r);
    const pending = await pendingIds(r.sim);
    await until('the refresh', async () => (await totalPendingShown(first)) === pending.length);
    await first.close();
    await portalQuiet(r.sim, 800); // the background's own refresh has finished writing

    // The cache is 7 minutes old, the portal has changed (one invite accepted) and answers slowly.
    expect(await ageCache(ext, 7 * 60_000)).toBe(DATA.courses);
    const accepted = (await r.sim.invites({ courseId: 'c-1', status: 'pending' }))[0];
    if (!accepted) throw new Error('no pending invite in c-1');
    await r.sim.accept(accepted.id);
    await r.sim.setFaults({ latencyMs: 3000 });

    const p = await r.context.newPage();
    await p.addInitScript(FIRST_ROW_PROBE);
    await p.goto(`chrome-extension://${r.extensionId}/src/popup/index.html`);
    await p.waitForSelector('li[data-course-id]');
    // The rows came from the cache: they still show the invite the portal no longer has pending,
    // and they were there long before the slow portal could have answered.
    expect(await totalPendingShown(p)).toBe(pending.length);
    const firstRowMs = (await p.evaluate('window.__firstRowAt')) as number;
    expect(firstRowMs).toBeLessThan(3000);
    console.info(`popup: first course row from the cache after ${firstRowMs.toFixed(0)} ms`);
    const lines: string[] = [];
    await until(
      'the stale-cache line',
      async () => {
        const line = (await p.getByTestId('freshness').textContent()) ?? '';
        if (lines.at(-1) !== line) lines.push(line);
        return line === 'Updated 7 minutes ago, checking for changes…';
      },
      2500,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; saw ${JSON.stringify(lines)}`);
    });
    expect(await totalPendingShown(p)).toBe(pending.length); // still the cached figure

    await until('fresh numbers', async () => (await totalPendingShown(p)) === pending.length - 1, 30_000);
    const c1 = p.locator('li[data-course-id="c-1"] [data-testid="pending"]');
    expect(await c1.textContent()).toBe(`${DATA.pendingPerCourse - 1} pending invites`);
    await until(
      'the freshness line',
      async () => (await p.getByTestId('freshness').textContent()) === 'Updated just now',
    );
    await p.close();
  });

  it('Undo inside the window sends nothing to the portal', async () => {
    await askOk(ext, { type: 'settings.set', settings: { undoSeconds: 4 } });
    const before = await pendingIds(r.sim);
    const p = await openPopupWithRows(r);
    await until('the refresh', async () => (await totalPendingShown(p)) === before.length);
    await p.getByRole('button', { name: `Revoke ${before.length} pending` }).click();
    const undo = p.getByRole('button', { name: 'Undo', exact: true });
    await undo.waitFor();
    expect(await p.getByTestId('undo-countdown').textContent()).toMatch(
      /^Starting in [1-4] s\. Nothing has been sent yet\.$/,
    );
    await undo.click();
    await p.getByText('Revoke undone. Nothing was sent to the portal.').waitFor();
    await p.waitForTimeout(5000); // past the end of the window
    expect(await r.sim.journal()).toEqual([]);
    expect((await pendingIds(r.sim)).sort()).toEqual(before.sort());
    await p.close();
  });

  it('one click revokes every pending invite across courses, with live progress and a report', async () => {
    await askOk(ext, { type: 'settings.set', settings: { concurrency: 2 } });
    await r.sim.setFaults({ latencyMs: 250 });
    const pending = await r.sim.invites({ status: 'pending' });
    const accepted = await r.sim.invites({ status: 'accepted' });
    const p = await openPopupWithRows(r);
    await until('the refresh', async () => (await totalPendingShown(p)) === pending.length, 30_000);

    await p.getByRole('button', { name: `Revoke ${pending.length} pending` }).click();
    const bar = p.getByRole('progressbar');
    await bar.waitFor({ timeout: 10_000 });
    expect(await bar.getAttribute('aria-valuemax')).toBe(String(pending.length));
    const seen = new Set<number>();
    while (await bar.isVisible()) {
      const v = await bar.getAttribute('aria-valuenow').catch(() => null);
      if (v !== null) seen.add(Number(v));
      await p.waitForTimeout(100);
    }
    // The bar moved through values between empty and full.
    expect([...seen].some((v) => v > 0 && v < pending.length)).toBe(true);

    await p.getByRole('heading', { name: 'Revoke finished' }).waitFor();
    expect(await p.getByTestId('report-revoked').textContent()).toBe(String(pending.length));
    expect(await p.getByTestId('report-line').textContent()).toBe(`Done: ${pending.length} revoked`);
    expect(await p.getByTestId('report-failed').count()).toBe(0);
    const perCourse = byCourse(pending);
    for (const [courseId, n] of perCourse) {
      expect(await p.locator(`.report tr[data-course-id="${courseId}"] td`).nth(1).textContent()).toBe(
        String(n),
      );
    }

    const verdict = journalVerdict(
      await r.sim.journal(),
      pending.map((i) => i.id),
    );
    expect(verdict).toEqual({ missing: [], twice: [], outside: [] });
    const acceptedIds = new Set(accepted.map((i) => i.id));
    expect((await r.sim.journal()).filter((e) => acceptedIds.has(e.inviteId))).toEqual([]);
    const state = await r.sim.state();
    expect(state.identityHolds).toBe(true);
    expect(state.courses.map((c) => c.counts.pending)).toEqual(state.courses.map(() => 0));
    expect(state.courses.map((c) => c.counts.accepted)).toEqual(
      state.courses.map(() => DATA.acceptedPerCourse),
    );

    // Done: back to the courses, which now have nothing pending: a sentence, no greyed button.
    await p.getByRole('button', { name: 'Done' }).click();
    await p.getByTestId('nothing-to-revoke').waitFor({ timeout: 20_000 });
    expect(await p.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);
    await p.close();
  });

  it('closing and reopening the popup mid-job shows the same job, still running, to its end', async () => {
    await askOk(ext, { type: 'settings.set', settings: { concurrency: 1, undoSeconds: 0 } });
    await r.sim.setFaults({ latencyMs: 400 });
    const pending = await pendingIds(r.sim);
    const p = await openPopupWithRows(r);
    await until('the refresh', async () => (await totalPendingShown(p)) === pending.length, 30_000);
    await p.getByRole('button', { name: `Revoke ${pending.length} pending` }).click();
    await p.getByRole('progressbar').waitFor();
    const jobId = await p.locator('[data-job-id]').getAttribute('data-job-id');
    await until(
      'some progress',
      async () => Number(await p.getByRole('progressbar').getAttribute('aria-valuenow')) > 0,
    );
    const before = Number(await p.getByRole('progressbar').getAttribute('aria-valuenow'));
    await p.close();

    const again = await r.openPopup();
    const panel = again.locator(`[data-job-id="${jobId}"][data-job-state="running"]`);
    await panel.waitFor({ timeout: 5000 });
    const now = Number(await again.getByRole('progressbar').getAttribute('aria-valuenow'));
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThan(pending.length);
    await again.getByRole('heading', { name: 'Revoke finished' }).waitFor({ timeout: 60_000 });
    expect(await again.getByTestId('report-revoked').textContent()).toBe(String(pending.length));
    expect(journalVerdict(await r.sim.journal(), pending)).toEqual({ missing: [], twice: [], outside: [] });
    await again.close();
  });

  it('failures are reported with their reasons, and Retry failed revokes them', async () => {
    await askOk(ext, { type: 'settings.set', settings: { undoSeconds: 0 } });
    const pending = await r.sim.invites({ status: 'pending' });
    const p = await openPopupWithRows(r);
    await until('the refresh', async () => (await totalPendingShown(p)) === pending.length, 30_000);
    // Every cancel answers 5xx (the portal does not apply it).
    await r.sim.setFaults({ errorRate: 1, faultPaths: 'cancel' });
    await revokeAndWait(p, pending.length);
    expect(await p.getByTestId('report-failed').textContent()).toBe(String(pending.length));
    expect(await p.getByTestId('report-revoked').count()).toBe(0);
    const reasons = await p.locator('.failures li').allTextContents();
    expect(reasons).toHaveLength(pending.length);
    const first = pending[0];
    if (!first) throw new Error('no invite');
    // In plain words: what went wrong and how often it was tried, no HTTP status.
    expect(reasons.find((t) => t.startsWith(`${first.learner.name}, ${first.course.title}: `))).toBe(
      `${first.learner.name}, ${first.course.title}: Couldn't cancel: the portal had an error (tried 5 times)`,
    );
    expect(await r.sim.journal()).toEqual([]);
    expect(await axeViolations(p), 'a report with failures').toEqual([]);

    await r.sim.resetFaults();
    await p.getByRole('button', { name: 'Retry failed' }).click();
    await until(
      'the retried report',
      async () =>
        (await p
          .getByTestId('report-revoked')
          .textContent()
          .catch(() => '')) === String(pending.length),
      60_000,
    );
    expect(await p.getByTestId('report-failed').count()).toBe(0);
    expect(await p.getByRole('button', { name: 'Retry failed' }).count()).toBe(0);
    expect(
      journalVerdict(
        await r.sim.journal(),
        pending.map((i) => i.id),
      ),
    ).toEqual({ missing: [], twice: [], outside: [] });
    await p.close();
  });

  it('only invites older than the filter are revoked, and the filter is remembered', async () => {
    const days = 12;
    const { now } = await r.sim.clock();
    const pending = await r.sim.invites({ status: 'pending' });
    const old = pending.filter((i) => now - Date.parse(i.sentAt) >= days * 86_400_000).map((i) => i.id);
    expect(old.length).toBeGreaterThan(0);
    expect(old.length).toBeLessThan(pending.length);

    const p = await openPopupWithRows(r);
    await until('the refresh', async () => (await totalPendingShown(p)) === pending.length, 30_000);
    await p.getByLabel('Number of days').fill(String(days));
    await p.getByLabel('Number of days').press('Enter');
    await p.getByLabel('Only invites sent more than').check();
    await until(
      'the filtered count',
      async () => (await p.getByTestId('total-pending').textContent()) === String(old.length),
    );
    await revokeAndWait(p, old.length);
    expect(await p.getByTestId('report-revoked').textContent()).toBe(String(old.length));
    expect(journalVerdict(await r.sim.journal(), old)).toEqual({ missing: [], twice: [], outside: [] });
    expect((await pendingIds(r.sim)).length).toBe(pending.length - old.length);
    await p.close();

    const again = await openPopupWithRows(r);
    expect(await again.getByLabel('Only invites sent more than').isChecked()).toBe(true);
    expect(await again.getByLabel('Number of days').inputValue()).toBe(String(days));
    await again.close();
  });

  it('audit log lists the revokes and exports them as CSV', async () => {
    const pending = await r.sim.invites({ status: 'pending' });
    const p = await openPopupWithRows(r);
    await until('the refresh', async () => (await totalPendingShown(p)) === pending.length, 30_000);
    await revokeAndWait(p, pending.length);

    await p.getByRole('tab', { name: 'Audit log' }).click();
    const rows = p.locator('table.audit tbody tr');
    await until('audit rows', async () => (await rows.count()) >= pending.length);
    const audited = await idb<number>(ext, 'audit', 'count');
    const first = pending[0];
    if (!first) throw new Error('no invite');
    const row = p.locator(`table.audit tr[data-invite-id="${first.id}"]`).first();
    expect(await row.locator('td').nth(1).textContent()).toBe(
      `${first.learner.name}${first.learner.email}${first.course.title}`,
    );
    expect(await row.locator('td').nth(2).textContent()).toBe('Revoked');

    const [download] = await Promise.all([
      p.waitForEvent('download'),
      p.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const d = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(download.suggestedFilename()).toBe(
      `reclaim-audit-${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}.csv`,
    );
    const path = await download.path();
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const table = parseCsv(text.slice(1));
    expect(table[0]).toEqual([
      'when',
      'origin',
      'invite id',
      'learner',
      'e-mail',
      'course',
      'outcome',
      'detail',
      'job',
      'action',
      'reason',
    ]);
    expect(table.length - 1).toBe(audited);
    for (const invite of pending) {
      const line = table.find((cells) => cells[2] === invite.id && cells[6] === 'revoked');
      expect(line, invite.id).toBeDefined();
      expect(line?.[3]).toBe(invite.learner.name);
      expect(line?.[4]).toBe(invite.learner.email);
      expect(line?.[5]).toBe(invite.course.title);
      expect(line?.slice(9)).toEqual(['cancel', '']); // a revoke: a cancel, with no reason to invite
      expect(Number.isNaN(Date.parse(line?.[0] ?? ''))).toBe(false);
    }
    // Any cell with a comma, quote or line break travels quoted (RFC 4180).
    for (const cells of table) {
      for (const c of cells) {
        const raw = /[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c;
        expect(text).toContain(raw);
      }
    }
    await p.close();
  });

  it('signed out: the popup says so, with no half state, and its button opens the portal’s sign-in page', async () => {
    await r.page.goto(`${r.portal.url}/manager/licenses`);
    await r.page.getByRole('button', { name: 'Sign out' }).click();
    await r.page.waitForURL((u) => u.pathname.startsWith('/login'));

    const p = await r.openPopup();
    await p.getByRole('heading', { name: 'You’re signed out of the portal' }).waitFor({ timeout: 20_000 });
    expect(await p.locator('li[data-course-id]').count()).toBe(0);
    expect(await p.getByRole('button', { name: /Revoke/ }).count()).toBe(0);
    const [login] = await Promise.all([
      r.context.waitForEvent('page'),
      p.getByRole('button', { name: 'Sign in to the portal' }).click(),
    ]);
    await login.waitForLoadState();
    const url = new URL(login.url());
    expect(url.origin).toBe(r.portal.origin);
    expect(url.pathname).toBe('/login');
    await login.close();
    await p.close();
    await r.signIn();
  });

  it('axe-core finds no violations in the popup (courses, audit log, Undo window, report), light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const p = await openPopupWithRows(r);
      await p.emulateMedia({ colorScheme: scheme });
      expect(await axeViolations(p), `courses, ${scheme}`).toEqual([]);
      await p.getByRole('tab', { name: 'Audit log' }).click();
      await p.locator('table.audit, p:has-text("No revokes recorded yet.")').first().waitFor();
      expect(await axeViolations(p), `audit, ${scheme}`).toEqual([]);
      await p.close();
    }
    const pending = await pendingIds(r.sim);
    await askOk(ext, { type: 'settings.set', settings: { undoSeconds: 4 } });
    const p = await openPopupWithRows(r);
    await until('the refresh', async () => (await totalPendingShown(p)) === pending.length, 30_000);
    await p.getByRole('button', { name: `Revoke ${pending.length} pending` }).click();
    await p.getByRole('button', { name: /^Undo/ }).waitFor();
    expect(await axeViolations(p), 'undo window').toEqual([]);
    await p.getByRole('heading', { name: 'Revoke finished' }).waitFor({ timeout: 60_000 });
    for (const scheme of ['light', 'dark'] as const) {
      await p.emulateMedia({ colorScheme: scheme });
      expect(await axeViolations(p), `report, ${scheme}`).toEqual([]);
    }
    await p.close();
  });
});

/** RFC 4180 parser: quoted fields with doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

describe('popup before any portal was seen', () => {
  it('says how to set one up, opens the options page, and shows the courses once a portal tab was open', async () => {
    const fresh = await launchReclaim({ signIn: false, portal: { data: DATA } });
    try {
      await fresh.page.goto('about:blank');
      const p = await fresh.openPopup();
      await p.getByRole('heading', { name: 'Open your portal once' }).waitFor({ timeout: 20_000 });
      expect(await p.getByRole('button', { name: /Revoke/ }).count()).toBe(0);
      const [options] = await Promise.all([
        fresh.context.waitForEvent('page'),
        p.getByRole('button', { name: 'Open options' }).click(),
      ]);
      await options.waitForLoadState();
      expect(options.url()).toBe(`chrome-extension://${fresh.extensionId}/src/options/index.html`);
      await options.close();

      await fresh.signIn();
      await fresh.page.goto(`${fresh.portal.url}/manager/licenses`);
      await p.getByRole('button', { name: 'Try again' }).click();
      await p.waitForSelector('li[data-course-id]', { timeout: 20_000 });
      const expected = DATA.courses * DATA.pendingPerCourse;
      await until('the pending invites', async () => (await totalPendingShown(p)) === expected, 20_000);
    } finally {
      await fresh.close();
    }
  });
});
