/**
 * Reclaim in a real Firefox (Debian's ESR), end to end against the reference portal: the in-page
 * controls and countdowns on both tabs, one row revoked with Undo, Revoke all pending on Usage,
 * the popup's one click across courses, and a job that finishes after Firefox stops the
 * background mid-way. Every revoke is judged by the portal's journal: each invite the manager
 * chose cancelled exactly once, nothing else, every request with the portal's own Origin (the
 * declarativeNetRequest rule at work in Firefox).
 *
 * One browser for the whole file: Firefox takes seconds to start.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEEN_MS } from '../../src/content/lib/gate';
import { formatCountdown } from '../../src/shared/expiry';
import type { JobView } from '../../src/shared/types';
import { journalVerdict, until } from '../e2e/popup-helpers';
import { readControls, readPage, type SeenPage, scrollTo } from '../e2e/reclaim-view';
import type { DataSpec, Invite, JournalEntry } from '../portal/sim-client';
import { type FirefoxReclaim, launchFirefoxReclaim } from './harness';

const DAY = 24 * 3600 * 1000;
const DEMO: DataSpec = { preset: 'demo', seed: 1 };
const SMALL: DataSpec = {
  seed: 7,
  courses: 3,
  learners: 60,
  pendingPerCourse: 12,
  acceptedPerCourse: 2,
  seatsPerCourse: 20,
};

let r: FirefoxReclaim;
let page: Page;
let ext: Page; // an extension page, for talking to the background as the popup does

beforeAll(async () => {
  r = await launchFirefoxReclaim();
  page = r.page;
  ext = await r.openExtensionPage('src/options/index.html');
});

afterAll(async () => {
  await r?.close();
});

beforeEach(async () => {
  await r.sim.resetFaults();
  await r.sim.setClock(Date.now());
  await r.sim.reset(DEMO);
  await r.sim.clearJournal();
  await r.askOk(ext, { type: 'settings.set', settings: { undoSeconds: 2, concurrency: 6, minAgeDays: 0 } });
});

const usageUrl = (courseId: string) => `${r.portal.url}/manager/licenses/${courseId}/distribute?tab=usage`;
const learnerUrl = (learnerId: string) => `${r.portal.url}/manager/learners/${learnerId}?tab=invite-history`;

async function courseByTitle(title: string): Promise<{ id: string; pending: Invite[]; all: Invite[] }> {
  const all = (await r.sim.invites()).filter((i) => i.course.title === title);
  const id = all[0]?.course.id;
  if (!id) throw new Error(`no course ${title}`);
  return { id, all, pending: all.filter((i) => i.status === 'pending') };
}

// ---- Reclaim's controls in the page (each in its own closed shadow root) ----

/**
 * Runs one of reclaim-view.ts's readers in Reclaim's content-script world of the portal's tab
 * (scripting.executeScript from an extension page), where its closed roots can be opened. The tab
 * is found by its address (Firefox's match patterns take no port).
 */
async function inReclaim<T>(fn: (arg: string) => T, arg = ''): Promise<T> {
  return (await ext.evaluate(`(async () => {
    const [tab] = (await chrome.tabs.query({})).filter((t) => (t.url ?? '').startsWith(${JSON.stringify(r.portal.url)}));
    const [done] = await chrome.scripting.executeScript({
      target: { tabId: tab.id },
      func: ${fn.toString()},
      args: [${JSON.stringify(arg)}],
    });
    return done.result;
  })()`)) as T;
}
const seen = (): Promise<SeenPage> => inReclaim(readPage);
const rowOf = async (inviteId: string) => (await seen()).rows.find((x) => x.inviteId === inviteId);
const note = async (inviteId: string) => (await rowOf(inviteId))?.note ?? null;
const barMessage = async () => (await seen()).bar.msg;
const barButton = async () => (await seen()).bar.main;
/** The text of the first of our buttons whose accessible name matches. */
async function buttonText(name: RegExp): Promise<string | null> {
  return (await inReclaim(readControls, 'button')).find((b) => name.test(b.label))?.text ?? null;
}
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/**
 * A real click (BiDi input actions, so a trusted event) on one of our buttons, once Reclaim has
 * seen it on screen long enough to act on it, and it has held still that long.
 */
async function clickOurs(name: RegExp): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await inReclaim(scrollTo, name.source))) {
    if (Date.now() > deadline) throw new Error(`no button ${name} on the page`);
    await new Promise((res) => setTimeout(res, 100));
  }
  let last: { x: number; y: number } | undefined;
  let since = Date.now();
  for (;;) {
    await new Promise((res) => setTimeout(res, 100));
    const b = (await inReclaim(readControls, 'button')).find((x) => name.test(x.label));
    if (!b || !last || b.x !== last.x || b.y !== last.y) {
      last = b;
      since = Date.now();
    } else if (b.seen && Date.now() - since > SEEN_MS) {
      await page.mouse.click(b.x, b.y);
      return;
    }
    if (Date.now() > deadline) throw new Error(`button ${name} never held still and seen on screen`);
  }
}

async function waitForText(
  what: string,
  read: () => Promise<string | null>,
  want: RegExp | string,
  ms = 20_000,
): Promise<void> {
  let last: string | null = null;
  try {
    await until(
      what,
      async () => {
        last = await read();
        return typeof want === 'string' ? last === want : want.test(last ?? '');
      },
      ms,
    );
  } catch (err) {
    throw new Error(`${what}: wanted ${want}, still ${JSON.stringify(last)} after ${ms} ms (${String(err)})`);
  }
}

/**
 * A real click (BiDi input actions, so a trusted event) in the middle of a control once it is on
 * screen. Puppeteer's own ElementHandle.click takes seconds per click in Firefox here; a pointer
 * move and click at the control's box does the same in milliseconds.
 */
async function click(selector: string, on: Page = page): Promise<void> {
  const el = await on.waitForSelector(selector, { visible: true, timeout: 15_000 });
  await el?.scrollIntoView();
  const box = await el?.boundingBox();
  if (!box) throw new Error(`${selector} has no box to click`);
  await on.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

async function waitForControls(pending: number): Promise<void> {
  const n = `${pending} pending invites?`;
  await waitForText(
    'the bar’s Revoke all',
    barButton,
    new RegExp(`^Revoke (all ${n} of .+|.+'s ${n} \\(\\d+ courses?\\))$`),
  );
}

/** Every Origin the portal saw on Reclaim's cancels (its own, when the header rule works). */
function originsOf(journal: JournalEntry[]): (string | null)[] {
  return [...new Set(journal.map((e) => e.origin))];
}

async function waitForJob(jobId: number, done: (v: JobView) => boolean, ms = 90_000): Promise<JobView> {
  let view = await r.askOk(ext, { type: 'job.get', jobId });
  await until(
    `job ${jobId}`,
    async () => {
      view = await r.askOk(ext, { type: 'job.get', jobId });
      return done(view);
    },
    ms,
  );
  return view;
}

describe('Reclaim in Firefox', () => {
  it('loads without manifest warnings, its background running', async () => {
    expect(await r.manifestWarnings()).toEqual([]);
    expect(await r.backgroundState()).toBe('running');
  });

  it('controls and countdowns on Usage and on Invite History', async () => {
    const course = await courseByTitle('GDPR Essentials');
    const inv = course.pending[0] as Invite;
    const portalNow = Date.parse(inv.sentAt) + 23.5 * DAY;
    await r.sim.setClock(portalNow);
    const pendingNow = course.pending.filter((i) => Date.parse(i.sentAt) + 30 * DAY > portalNow);

    await page.goto(usageUrl(course.id));
    await waitForControls(pendingNow.length);
    expect(formatCountdown(inv.sentAt, portalNow)).toBe('expires in 6 days');
    await waitForText('the countdown', () => note(inv.id), 'expires in 6 days');
    const shown = await page.$$eval('tr[data-invite-id]', (trs) =>
      trs.map((tr) => tr.dataset.inviteId ?? ''),
    );
    for (const id of shown) {
      const invite = course.all.find((i) => i.id === id);
      if (invite?.status === 'pending' && pendingNow.includes(invite)) {
        const label = `Revoke invite: ${invite.learner.name}, ${invite.course.title}`;
        await waitForText(`row ${id}`, async () => (await rowOf(id))?.button ?? null, label);
        expect(await note(id)).toBe(formatCountdown(invite.sentAt, portalNow));
      } else if (invite?.status === 'accepted') {
        await waitForText(`row ${id}`, async () => String((await rowOf(id))?.controls ?? 0), '1');
        expect(await note(id)).toBe(''); // the portal's own badge says accepted
        expect((await rowOf(id))?.button).toBeNull();
      }
    }
    // One control per row.
    const perRow = await page.$$eval('tr[data-invite-id]', (trs) =>
      trs.map((tr) => tr.querySelectorAll('reclaim-row').length),
    );
    expect(perRow.every((n) => n === 1)).toBe(true);

    await r.sim.setClock(Date.now());
    const jane = (await r.sim.invites()).filter((i) => i.learner.name === 'Jane Doe');
    const janePending = jane.filter((i) => i.status === 'pending');
    expect(janePending.length).toBeGreaterThan(1);
    await page.goto(learnerUrl(jane[0]?.learner.id as string));
    await waitForControls(janePending.length);
    for (const i of janePending) {
      const label = `Revoke invite: Jane Doe, ${i.course.title}`;
      await waitForText(`row ${i.id}`, async () => (await rowOf(i.id))?.button ?? null, label);
      await waitForText(`countdown of ${i.id}`, () => note(i.id), /^expires in \d+ (days?|hours?|minutes?)$/);
    }
  });

  it('a row revoked with Undo: Undo keeps it; revoked again, it is cancelled once', async () => {
    const course = await courseByTitle('Fire Safety');
    const inv = course.pending[0] as Invite;
    const name = `${inv.learner.name}, Fire Safety`;
    await r.askOk(ext, { type: 'settings.set', settings: { undoSeconds: 10 } });
    await page.goto(usageUrl(course.id));
    await waitForControls(course.pending.length);

    await clickOurs(exactly(`Revoke invite: ${name}`));
    await waitForText('Undo', () => buttonText(exactly(`Undo revoke: ${name}`)), 'Undo');
    expect(await note(inv.id)).toMatch(/^Revoking in (9|10) s ·$/);
    // The row's Undo window began at the click; the background's begins once it has read the scope.
    let waiting = await r.askOk(ext, { type: 'job.current' });
    await until('the job in its window', async () => {
      waiting = await r.askOk(ext, { type: 'job.current' });
      return waiting?.job.state === 'waiting';
    });
    await clickOurs(exactly(`Undo revoke: ${name}`));
    await waitForText(
      'Revoke again',
      async () => (await rowOf(inv.id))?.button ?? null,
      `Revoke invite: ${name}`,
    );
    const undone = await r.askOk(ext, { type: 'job.get', jobId: waiting?.job.id as number });
    expect(undone.job.state).toBe('undone');
    expect(await r.sim.journal()).toEqual([]);

    await r.askOk(ext, { type: 'settings.set', settings: { undoSeconds: 2 } });
    await clickOurs(exactly(`Revoke invite: ${name}`));
    await waitForText('the outcome', () => note(inv.id), 'Seat returned');
    expect((await rowOf(inv.id))?.status).toBe('Revoked');
    const journal = await r.sim.journal();
    expect(journalVerdict(journal, [inv.id])).toEqual({ missing: [], twice: [], outside: [] });
    expect(originsOf(journal)).toEqual([r.portal.origin]);
  });

  it('Revoke all pending on Usage: every pending invite of the course, across its pages, once', async () => {
    const course = await courseByTitle('First Aid at Work');
    expect(course.pending.length).toBeGreaterThan(25); // more than the one page shown
    const before = await r.sim.invites();
    await page.goto(usageUrl(course.id));
    await waitForControls(course.pending.length);
    await clickOurs(/^Revoke all \d+ pending invites of First Aid at Work$/);
    await waitForText(
      'the Undo window',
      barMessage,
      /^Revoking all \d+ pending invites of First Aid at Work in [12] s$/,
    );
    await waitForText(
      'the summary',
      barMessage,
      `Done: ${course.pending.length} revoked. No pending invites left.`,
      60_000,
    );
    const journal = await r.sim.journal();
    expect(
      journalVerdict(
        journal,
        course.pending.map((i) => i.id),
      ),
    ).toEqual({ missing: [], twice: [], outside: [] });
    expect(originsOf(journal)).toEqual([r.portal.origin]);
    const after = await r.sim.invites();
    for (const inv of before) {
      const expected = inv.course.id === course.id && inv.status === 'pending' ? 'cancelled' : inv.status;
      expect(after.find((i) => i.id === inv.id)?.status, inv.id).toBe(expected);
    }
  });

  it('the popup revokes every pending invite across courses in one click', async () => {
    await r.sim.reset(SMALL);
    const pending = await r.sim.invites({ status: 'pending' });
    const accepted = new Set((await r.sim.invites({ status: 'accepted' })).map((i) => i.id));
    await page.goto(`${r.portal.url}/manager/licenses`);
    const popup = await r.openPopup();
    try {
      // A job that finished moments ago (the previous test's) has its report shown first, once.
      const total = () =>
        popup.$eval('[data-testid="total-pending"]', (e) => e.textContent).catch(() => null);
      const done = await popup.waitForSelector('[data-testid="total-pending"], ::-p-text(Revoke finished)');
      if (!(await done?.evaluate((e) => e.matches('[data-testid="total-pending"]')))) {
        await click('button::-p-text(Done)', popup);
      }
      await waitForText('the popup’s total', total, String(pending.length), 30_000);
      await click(`button::-p-text(Revoke ${pending.length} pending)`, popup);
      await popup.waitForSelector('::-p-text(Revoke finished)', { timeout: 60_000 });
      expect(await popup.$eval('[data-testid="report-revoked"]', (e) => e.textContent)).toBe(
        String(pending.length),
      );
      expect(await popup.$('[data-testid="report-failed"]')).toBeNull(); // no zeros in the report
    } finally {
      await popup.close();
    }
    const journal = await r.sim.journal();
    expect(
      journalVerdict(
        journal,
        pending.map((i) => i.id),
      ),
    ).toEqual({ missing: [], twice: [], outside: [] });
    expect(journal.filter((e) => accepted.has(e.inviteId))).toEqual([]);
    expect(originsOf(journal)).toEqual([r.portal.origin]);
    const state = await r.sim.state();
    expect(state.identityHolds).toBe(true);
    expect(state.courses.map((c) => c.counts.pending)).toEqual(state.courses.map(() => 0));
  });

  it('a job finishes after Firefox stops the background mid-way: each pending invite cancelled once', async () => {
    await r.sim.reset({ ...SMALL, pendingPerCourse: 40, seatsPerCourse: 50 });
    const pending = (await r.sim.invites({ status: 'pending' })).map((i) => i.id);
    const accepted = new Set((await r.sim.invites({ status: 'accepted' })).map((i) => i.id));
    // Slow answers, some lost, so requests are in flight when the background stops.
    await r.sim.setFaults({ latencyMs: 80, dropRate: 0.05, faultPaths: 'cancel' });
    await r.askOk(ext, { type: 'settings.set', settings: { concurrency: 3 } });
    const started = await r.askOk(ext, {
      type: 'job.start',
      scope: { kind: 'courses', courseIds: 'all' },
      undoSeconds: 1,
    });
    expect(started.counts.total).toBe(pending.length);
    const third = Math.floor(pending.length / 3);
    const mid = await waitForJob(started.job.id, (v) => v.counts.revoked >= third);
    expect(mid.job.state).toBe('running');

    await r.stopBackground(); // throws unless Firefox reports it stopped
    const appliedAtStop = (await r.sim.journal()).filter((e) => e.applied).length;
    expect(appliedAtStop).toBeLessThan(pending.length);

    // A message starts the background again; its start-up resumes the job.
    const done = await waitForJob(started.job.id, (v) => v.job.state === 'done');
    expect(done.counts).toMatchObject({
      total: pending.length,
      revoked: pending.length,
      failed: 0,
      inFlight: 0,
    });
    const journal = await r.sim.journal();
    expect(journalVerdict(journal, pending)).toEqual({ missing: [], twice: [], outside: [] });
    expect(journal.filter((e) => accepted.has(e.inviteId))).toEqual([]);
    expect(originsOf(journal)).toEqual([r.portal.origin]);
    expect((await r.sim.state()).identityHolds).toBe(true);
    console.info(
      JSON.stringify({
        test: 'firefox-stop-mid-job',
        invites: pending.length,
        appliedAtStop,
        requests: journal.length,
      }),
    );
  });

  it('the expiry watch notifies without buttons (Firefox has none), saying a click reviews them', async () => {
    // Reclaim knows the portal once it has read it (as the popup's refresh does).
    await r.askOk(ext, { type: 'overview.get', refresh: true });
    const now = Date.now();
    const expiring = (await r.sim.invites({ status: 'pending' })).filter((i) => {
      const left = Date.parse(i.sentAt) + 30 * DAY - now;
      return left > 0 && left <= 3 * DAY;
    });
    expect(expiring.length).toBeGreaterThan(1);
    type Hook = {
      run(): Promise<string[]>;
      shown(id: string): { title: string; contextMessage: string; buttons?: unknown } | null;
      click(id: string, action: string): Promise<unknown>;
    };
    // The alarm's work, run in the event page as the alarm runs it (development builds only).
    const made = (await ext.evaluate(async () => {
      const ext = (
        globalThis as unknown as {
          browser: {
            runtime: { getBackgroundPage(): Promise<unknown> };
          };
        }
      ).browser;
      const bg = (await ext.runtime.getBackgroundPage()) as { __reclaimExpiry: Hook };
      const ids = await bg.__reclaimExpiry.run();
      return { ids, shown: ids.map((id) => bg.__reclaimExpiry.shown(id)) };
    })) as { ids: string[]; shown: ReturnType<Hook['shown']>[] };
    expect(made.ids).toHaveLength(1);
    // Headless Firefox has no alert service to show it (`notifications.getAll()` stays empty): what
    // it was given to show is read from the worker's record instead.
    expect(made.shown[0]?.title).toBe(`${expiring.length} invites expire within 3 days`);
    expect(made.shown[0]?.buttons).toBeUndefined();
    expect(made.shown[0]?.contextMessage).toBe(`${new URL(r.portal.url).host}: click to review`);
    // What a click on it opens (the toolbar popup) headless Firefox does not show, so it is not
    // read here; the Chromium test checks Review.
  });
});
