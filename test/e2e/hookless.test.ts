/**
 * Reclaim on the reference portal's tables without their DOM hooks (the portal's `/__sim/markup`
 * presets: a vendor's layout with a wrapper, other classes, another column order, an extra column,
 * other header words, French), against the same tables with the hooks: the same controls,
 * countdowns and revokes; a row it cannot name for sure gets no control and the notice, and
 * nothing is revoked that the manager did not choose.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MarkupPreset } from '../portal/assets/table-markup';
import type { Invite } from '../portal/types';
import { launchReclaim, type Reclaim } from './harness';
import { type ReclaimUi, reclaimUi, type SeenRow } from './reclaim-world';

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
  await r.sim.resetMarkup();
  await r.sim.setClock(Date.now(), { freeze: true });
  await r.sim.reset({ preset: 'demo', seed: 1 });
  await r.sim.clearJournal();
});

const PRESETS: MarkupPreset[] = ['hooks', 'hookless', 'hookless-fr'];
const usageUrl = (courseId: string) => `${r.portal.url}/manager/licenses/${courseId}/distribute?tab=usage`;
const learnerUrl = (learnerId: string) => `${r.portal.url}/manager/learners/${learnerId}?tab=invite-history`;

/**
 * What a manager sees Reclaim add to one row. A countdown may tick over between two page loads
 * (the demo's invites are sent whole days ago, right on a label's edge): its number is kept in
 * `left` and compared within one.
 */
const seen = (x: SeenRow) => {
  const m = /^expires in (\d+) (.+)$/.exec(x.note);
  return {
    note: m ? `expires in # ${m[2]}` : x.note,
    left: m ? Number(m[1]) : null,
    button: x.button,
    controls: x.controls,
  };
};
type Seen = ReturnType<typeof seen>;
interface Shown {
  rows: Record<string, Seen>;
  bar: string | null;
  notices: string[];
}

/** Two markups' rows alike: the same notes, buttons and counts, countdowns within one of each other. */
function expectAlike(got: Shown, want: Shown): void {
  expect(Object.keys(got.rows).sort()).toEqual(Object.keys(want.rows).sort());
  for (const [name, row] of Object.entries(want.rows)) {
    const other = got.rows[name];
    expect({ ...other, left: null }, name).toEqual({ ...row, left: null });
    if (row.left !== null) expect(Math.abs((other?.left ?? -9) - row.left), name).toBeLessThanOrEqual(1);
  }
  expect(got.bar).toBe(want.bar);
  expect(got.notices).toEqual(want.notices);
}

async function waitForBar(): Promise<void> {
  await expect
    .poll(async () => (await ui.page()).bar.main ?? '', { timeout: 15_000 })
    .toMatch(/^Revoke all pending \(\d+\)$/);
}

/** Each shown invite's row as Reclaim drew it, found by the text that names it (learner or course). */
async function rowsBy(names: string[]): Promise<Record<string, Seen>> {
  const rows = (await ui.page()).rows;
  const out: Record<string, Seen> = {};
  for (const name of names) {
    const mine = rows.filter((x) => x.text.includes(name));
    if (mine.length !== 1) throw new Error(`${mine.length} rows show ${name}`);
    out[name] = seen(mine[0] as SeenRow);
  }
  return out;
}

async function courseByTitle(title: string): Promise<{ id: string; all: Invite[]; pending: Invite[] }> {
  const all = (await r.sim.invites()).filter(
    (i) => i.course.title === title && i.status !== 'cancelled' && i.status !== 'expired',
  );
  const id = all[0]?.course.id;
  if (!id) throw new Error(`no course ${title}`);
  return { id, all, pending: all.filter((i) => i.status === 'pending') };
}

describe('the same controls with the hooks and without', () => {
  it('Usage: every row its control and countdown, the same in all three markups', async () => {
    const course = await courseByTitle('Manual Handling');
    const names = course.all.map((i) => i.learner.name);
    const by: Record<string, Shown> = {};
    for (const preset of PRESETS) {
      await r.sim.setMarkup({ preset });
      await page.goto(usageUrl(course.id));
      await waitForBar();
      await expect
        .poll(async () => (await ui.page()).rows.every((x) => x.controls === 1), { timeout: 10_000 })
        .toBe(true);
      by[preset] = {
        rows: await rowsBy(names),
        bar: (await ui.page()).bar.main,
        notices: (await ui.page()).notices,
      };
      expect(await page.locator('table[data-table="usage"]').count()).toBe(preset === 'hooks' ? 1 : 0);
    }
    const hooked = by.hooks as Shown;
    for (const inv of course.all) {
      const row = hooked.rows[inv.learner.name];
      if (inv.status === 'pending') {
        expect(row?.button).toBe(`Revoke invite: ${inv.learner.name}, Manual Handling`);
        expect(row?.note).toMatch(/^expires in /);
      } else expect(row?.note).toBe('Kept — accepted');
    }
    expectAlike(by.hookless as Shown, by.hooks as Shown);
    expectAlike(by['hookless-fr'] as Shown, by.hooks as Shown);
  });

  it('Invite History: every course’s row its control, the same in all three markups', async () => {
    const jane = (await r.sim.invites()).filter(
      (i) => i.learner.name === 'Jane Doe' && (i.status === 'pending' || i.status === 'accepted'),
    );
    const titles = jane.map((i) => i.course.title);
    const by: Record<string, Shown> = {};
    for (const preset of PRESETS) {
      await r.sim.setMarkup({ preset });
      await page.goto(learnerUrl(jane[0]?.learner.id as string));
      await waitForBar();
      await expect
        .poll(async () => (await ui.page()).rows.every((x) => x.controls === 1), { timeout: 10_000 })
        .toBe(true);
      by[preset] = {
        rows: await rowsBy(titles),
        bar: (await ui.page()).bar.main,
        notices: (await ui.page()).notices,
      };
    }
    expect(Object.values((by.hooks as Shown).rows)).toHaveLength(jane.length);
    expectAlike(by.hookless as Shown, by.hooks as Shown);
    expectAlike(by['hookless-fr'] as Shown, by.hooks as Shown);
  });
});

describe('revoking without the hooks', () => {
  it('hookless-fr Usage: one row’s Revoke cancels that learner’s invite and no other', async () => {
    const course = await courseByTitle('Fire Safety');
    const target = course.pending[1] as Invite;
    await r.sim.setMarkup({ preset: 'hookless-fr' });
    await page.goto(usageUrl(course.id));
    await waitForBar();
    await ui.click(new RegExp(`^Revoke invite: ${target.learner.name}, Fire Safety$`));
    await expect
      .poll(async () => (await rowsBy([target.learner.name]))[target.learner.name]?.note, { timeout: 20_000 })
      .toBe('Revoked — seat returned');
    const applied = (await r.sim.journal()).filter((e) => e.applied).map((e) => e.inviteId);
    expect(applied).toEqual([target.id]);
  });

  it('hookless Invite History: Revoke all cancels exactly the learner’s pending invites', async () => {
    const jane = (await r.sim.invites()).filter((i) => i.learner.name === 'Jane Doe');
    const pending = jane.filter((i) => i.status === 'pending');
    await r.sim.setMarkup({ preset: 'hookless' });
    await page.goto(learnerUrl(jane[0]?.learner.id as string));
    await waitForBar();
    await ui.click(/^Revoke all pending \(\d+\)$/);
    await expect
      .poll(async () => (await ui.page()).bar.msg, { timeout: 60_000 })
      .toBe(`Done: ${pending.length} revoked, 0 kept (accepted), 0 already gone, 0 failed.`);
    const applied = (await r.sim.journal()).filter((e) => e.applied).map((e) => e.inviteId);
    expect(applied.sort()).toEqual(pending.map((i) => i.id).sort());
    const rows = await rowsBy(pending.map((i) => i.course.title));
    for (const row of Object.values(rows)) expect(row.note).toBe('Revoked — seat returned');
  });
});

describe('rows Reclaim cannot name for sure', () => {
  it('two learners of one name, a row whose name was blanked and one renamed: no control there, the notice, no wrong revoke', async () => {
    // The demo data holds two learners called Poppy Wood, both invited to GDPR Essentials.
    const course = await courseByTitle('GDPR Essentials');
    const twins = course.all.filter((i) => i.learner.name === 'Poppy Wood');
    expect(new Set(twins.map((i) => i.learner.id)).size).toBe(2);
    const others = course.all.filter((i) => i.learner.name !== 'Poppy Wood');
    const [blank, renamed] = others as [Invite, Invite];
    // The page's own data says something the background does not: a name gone, a name changed.
    await page.route('**/api/courses/*/invites*', async (route) => {
      const res = await route.fetch();
      const data = (await res.json()) as { items: Invite[] };
      for (const item of data.items) {
        if (item.id === blank.id) item.learner.name = ' ';
        if (item.id === renamed.id) item.learner.name = 'Somebody Else';
      }
      await route.fulfill({ response: res, json: data });
    });
    try {
      await r.sim.setMarkup({ preset: 'hookless' });
      await page.goto(`${usageUrl(course.id)}&pageSize=100`); // every row on one page
      await waitForBar();
      await expect
        .poll(async () => (await ui.page()).notices, { timeout: 10_000 })
        .toEqual([
          'Reclaim left 4 rows without controls because it could not tell which invite they are: 1 names no invite Reclaim knows of here; 2 name more than one invite; 1 has no name Reclaim can read.',
        ]);
      const rows = (await ui.page()).rows;
      const left = rows.filter((x) => x.controls === 0);
      expect(left).toHaveLength(4);
      expect(left.filter((x) => x.text.includes('Poppy Wood'))).toHaveLength(2);
      expect(rows.filter((x) => x.controls === 1)).toHaveLength(course.all.length - 4);

      // The other rows still work, and revoke only what they name.
      const other = others.find((i) => i.status === 'pending' && i !== blank && i !== renamed) as Invite;
      await ui.click(new RegExp(`^Revoke invite: ${other.learner.name}, GDPR Essentials$`));
      await expect
        .poll(async () => (await r.sim.journal()).map((e) => e.inviteId), { timeout: 20_000 })
        .toEqual([other.id]);
      // Revoke all covers the course as the portal has it, read fresh by the background.
      await expect
        .poll(async () => (await ui.page()).bar.main)
        .toBe(`Revoke all pending (${course.pending.length - 1})`);
    } finally {
      await page.unroute('**/api/courses/*/invites*');
    }
  });
});
