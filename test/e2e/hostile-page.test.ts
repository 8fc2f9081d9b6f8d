/**
 * A page script that tries to turn the manager's real clicks and keys into a revoke (issue 18,
 * findings 3 and 4): hiding Reclaim's buttons and laying them over the portal's own links,
 * styling their hosts or their surroundings, focusing them before an Enter, renaming a row's
 * invite, moving a control into another row; and the same against the reassign and renew controls
 * (issue 12's, which pass the same gate). Every attempt must send nothing; the portal's journals
 * of cancel and invite calls are the judge.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Invite } from '../portal/types';
import { launchReclaim, type Reclaim } from './harness';
import { type ReclaimUi, reclaimUi } from './reclaim-world';

let r: Reclaim;
let page: Page;
let ui: ReclaimUi;
let jane: Invite[];

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
  jane = (await r.sim.invites()).filter((i) => i.learner.name === 'Jane Doe' && i.status === 'pending');
  expect(jane.length).toBeGreaterThan(1);
  await page.goto(`${r.portal.url}/manager/learners/${jane[0]?.learner.id}?tab=invite-history`);
  await expect
    .poll(async () => (await ui.page()).bar.main, { timeout: 15_000 })
    .toBe(
      `Revoke Jane Doe's ${jane.length} pending invites (${new Set(jane.map((i) => i.course.id)).size} courses)`,
    );
});

/** The Undo window (5 s by default) and a little more: whatever was going to be sent has been. */
const pastUndo = () => page.waitForTimeout(6500);
const cancelled = async () => (await r.sim.journal()).map((e) => e.inviteId);
/** Every cancel and invite the portal was sent. */
async function sent(): Promise<{ cancelled: string[]; invited: string[] }> {
  const { entries, invites } = await r.sim.journalAll();
  return {
    cancelled: entries.map((e) => e.inviteId),
    invited: invites.flatMap((e) => e.created.map((c) => c.email)),
  };
}
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
/** What the gate's refusal says in a reassign/renew note or the invite bar. */
const REFUSED = /^Nothing sent: Reclaim only acts on a control that has been in plain view/;
/** What a row's reassign and renew controls say. */
const inviteNote = async (id: string) =>
  (await ui.page()).rows.find((x) => x.inviteId === id)?.inviteNote ?? null;

/** The centre of the portal's own Help link, at the foot of the page, brought into view. */
async function helpLink(): Promise<{ x: number; y: number; width: number; height: number }> {
  const help = page.locator('footer a', { hasText: 'Help centre' });
  await help.scrollIntoViewIfNeeded();
  const box = await help.boundingBox();
  if (!box) throw new Error('no Help link');
  return box;
}

describe('a real click steered onto a hidden control', () => {
  it('Revoke all made invisible and laid over the Help link (its button, its host): a click on the link revokes nothing', async () => {
    const bar = await ui.settle(/^Revoke Jane Doe's /);
    const help = await helpLink();
    await page.evaluate(
      ({ help, bar }) => {
        const host = document.querySelector('reclaim-bar') as HTMLElement;
        const hostBox = host.getBoundingClientRect();
        // The host placed so that the button inside it lands on the link, and made invisible.
        const left = help.x + help.width / 2 - (bar.x - hostBox.left);
        const top = help.y + help.height / 2 - (bar.y - hostBox.top);
        const css = `position:fixed!important;left:${left}px!important;top:${top}px!important;opacity:0!important;z-index:2147483647!important;margin:0!important`;
        host.style.cssText = css;
        const sheet = document.createElement('style');
        sheet.textContent = `reclaim-bar{${css}}`;
        document.head.append(sheet);
        // And the button itself over the link, where a page can reach it (an open root).
        const button = host.shadowRoot?.querySelector('button');
        if (button)
          button.style.cssText = `position:fixed;left:${help.x - 10}px;top:${help.y - 10}px;width:${help.width + 20}px;height:${help.height + 20}px;opacity:0;z-index:2147483647`;
      },
      { help, bar },
    );
    await page.waitForTimeout(1000); // longer than any "seen for long enough" rule
    await page.mouse.click(help.x + help.width / 2, help.y + help.height / 2);
    await pastUndo();
    expect(await cancelled()).toEqual([]);
  });

  it('the table’s container moved over the Help link and made nearly transparent: a click on the link revokes nothing', async () => {
    const bar = await ui.settle(/^Revoke Jane Doe's /);
    const help = await helpLink();
    const here = await ui.button(/^Revoke Jane Doe's /);
    if (!here) throw new Error('no Revoke all');
    await page.evaluate(
      ({ dx, dy }) => {
        const panel = document.querySelector('reclaim-bar')?.parentElement as HTMLElement;
        panel.style.cssText = `position:relative;z-index:2147483647;transform:translate(${dx}px,${dy}px);opacity:0.02`;
      },
      { dx: help.x + help.width / 2 - here.x, dy: help.y + help.height / 2 - here.y },
    );
    expect(bar.kind).toBe('bar');
    await page.waitForTimeout(1000);
    // The button really is what lies under the link now.
    const moved = await ui.button(/^Revoke Jane Doe's /);
    expect(Math.abs((moved?.x ?? 0) - (help.x + help.width / 2))).toBeLessThan(2);
    await page.mouse.click(help.x + help.width / 2, help.y + help.height / 2);
    await pastUndo();
    expect(await cancelled()).toEqual([]);
  });
});

describe('a real key steered onto a control', () => {
  it('a page script focuses a Revoke just before the manager presses Enter: nothing is revoked', async () => {
    const target = jane[0] as Invite;
    await ui.settle(new RegExp(`^Revoke invite: Jane Doe, ${target.course.title}$`));
    await page.evaluate((id) => {
      const host = document.querySelector(`tr[data-invite-id="${id}"] reclaim-row`) as HTMLElement;
      const button = host.shadowRoot?.querySelector('button'); // reachable only through an open root
      if (button) button.focus();
      else {
        host.tabIndex = 0; // the most a page can do with a closed root: focus the host
        host.focus();
      }
    }, target.id);
    await page.keyboard.press('Enter');
    await page.keyboard.press(' ');
    await pastUndo();
    expect(await cancelled()).toEqual([]);
  });

  it('Tab by the manager onto the same Revoke, held in view, then Enter: revoked (the keyboard still works)', async () => {
    const target = jane[0] as Invite;
    const name = new RegExp(`^Revoke invite: Jane Doe, ${target.course.title}$`);
    await ui.settle(name);
    // From the course's link in the row (the portal's own menu there is hidden: Reclaim's Revoke stands in for it).
    await page.locator(`tr[data-invite-id="${target.id}"] td[data-col="course"] a`).focus();
    await page.keyboard.press('Tab');
    expect(await ui.focused()).toMatch(name);
    await ui.settle(name);
    await page.keyboard.press('Enter');
    await expect.poll(cancelled, { timeout: 20_000 }).toEqual([target.id]);
  });
});

describe('a control taken out of its row, or a row renamed under it', () => {
  it('a row’s data-invite-id changed to another invite: its Revoke sends nothing and goes', async () => {
    const [a, b] = jane as [Invite, Invite];
    await page.evaluate(
      ({ a, b }) => {
        const row = document.querySelector(`tr[data-invite-id="${a}"]`);
        row?.setAttribute('data-invite-id', b);
      },
      { a: a.id, b: b.id },
    );
    await ui.click(new RegExp(`^Revoke invite: Jane Doe, ${a.course.title}$`));
    await expect
      .poll(async () => ui.button(new RegExp(`^Revoke invite: Jane Doe, ${a.course.title}$`)))
      .toBeNull();
    await pastUndo();
    expect(await cancelled()).toEqual([]);
  });

  it('a control moved into another row: it sends nothing and goes; that row’s own control still revokes its own invite', async () => {
    const [a, b] = jane as [Invite, Invite];
    await page.evaluate(
      ({ a, b }) => {
        const control = document.querySelector(`tr[data-invite-id="${a}"] reclaim-row`) as HTMLElement;
        const cell = document.querySelector(
          `tr[data-invite-id="${b}"] td[data-col="actions"]`,
        ) as HTMLElement;
        cell.prepend(control);
      },
      { a: a.id, b: b.id },
    );
    const aName = new RegExp(`^Revoke invite: Jane Doe, ${a.course.title}$`);
    await ui.click(aName);
    await expect.poll(() => ui.button(aName)).toBeNull();
    await pastUndo();
    expect(await cancelled()).toEqual([]);

    await ui.click(new RegExp(`^Revoke invite: Jane Doe, ${b.course.title}$`));
    await expect.poll(cancelled, { timeout: 20_000 }).toEqual([b.id]);
  });
});

describe('the reassign and renew controls', () => {
  const renewOf = (inv: Invite) =>
    exactly(`Renew: invite again, a new 30 days: Jane Doe, ${inv.course.title}`);

  it('a Renew made nearly transparent (its row faded by the page): a click on it sends nothing and says so; unfaded, it renews', async () => {
    const target = jane[0] as Invite;
    const renew = await ui.settle(renewOf(target));
    const fade = (opacity: string) =>
      page.evaluate(
        ({ id, opacity }) => {
          (document.querySelector(`tr[data-invite-id="${id}"]`) as HTMLElement).style.opacity = opacity;
        },
        { id: target.id, opacity },
      );
    await fade('0.02');
    await page.waitForTimeout(1000); // longer than any "seen for long enough" rule
    await page.mouse.click(renew.x, renew.y);
    await expect.poll(() => inviteNote(target.id)).toMatch(REFUSED); // the click did reach it
    await pastUndo();
    expect(await sent()).toEqual({ cancelled: [], invited: [] });

    await fade('');
    await ui.click(renewOf(target));
    await expect.poll(cancelled, { timeout: 20_000 }).toEqual([target.id]);
  });

  it('a Renew covered by the page’s own box (which lets clicks through): a click on the box sends nothing', async () => {
    const target = jane[1] as Invite;
    const renew = await ui.settle(renewOf(target));
    await page.evaluate((b) => {
      const cover = document.createElement('div');
      cover.textContent = 'Details';
      cover.style.cssText = `position:fixed;left:${b.x - b.width / 2 - 4}px;top:${b.y - b.height / 2 - 4}px;width:${b.width + 8}px;height:${b.height + 8}px;background:#fff;z-index:2147483647;pointer-events:none`;
      document.body.append(cover);
    }, renew);
    await page.waitForTimeout(1000);
    await page.mouse.click(renew.x, renew.y);
    await expect.poll(() => inviteNote(target.id)).toMatch(REFUSED);
    await pastUndo();
    expect(await sent()).toEqual({ cancelled: [], invited: [] });
  });

  it('Reassign with its form scaled up by the page after the address was typed: Enter and the form’s button send nothing; unscaled, its button reassigns', async () => {
    const target = jane[0] as Invite;
    const name = `Jane Doe, ${target.course.title}`;
    await ui.click(exactly(`Reassign this seat to someone else: ${name}`), { atOnce: true });
    await ui.type(/^New address$/, 'pat.new@example.com');
    const scale = (transform: string) =>
      page.evaluate(
        ({ id, transform }) => {
          const cell = document.querySelector(
            `tr[data-invite-id="${id}"] td[data-col="actions"]`,
          ) as HTMLElement;
          cell.style.transform = transform;
        },
        { id: target.id, transform },
      );
    await scale('scale(1.5)');
    await page.waitForTimeout(1000);
    expect(await ui.focused()).toBe('New address');
    await page.keyboard.press('Enter');
    await expect.poll(() => inviteNote(target.id)).toMatch(REFUSED);
    const go = await ui.button(exactly(`Reassign ${name} to this address`));
    if (!go) throw new Error('no Reassign in the form');
    await page.mouse.click(go.x, go.y);
    await pastUndo();
    expect(await sent()).toEqual({ cancelled: [], invited: [] });

    await scale('');
    await ui.click(exactly(`Reassign ${name} to this address`)); // once seen again
    await expect
      .poll(sent, { timeout: 30_000 })
      .toEqual({ cancelled: [target.id], invited: ['pat.new@example.com'] });
  });

  it('Usage: Renew expiring (N) with the table’s container faded by the page: a click on it sends nothing', async () => {
    await page.goto(`${r.portal.url}/manager/licenses/c-1/distribute?tab=usage`); // Fire Safety: some expire soon
    const renew = await ui.settle(/^Renew [1-9]\d* pending invites? of .+ that expire within \d+ days$/);
    await page.evaluate(() => {
      const panel = document.querySelector('reclaim-bar')?.parentElement as HTMLElement;
      panel.style.opacity = '0.02';
    });
    await page.waitForTimeout(1000);
    await page.mouse.click(renew.x, renew.y);
    await expect.poll(async () => (await ui.read('.row > .info', 'invite-bar'))[0]?.text).toMatch(REFUSED);
    await pastUndo();
    expect(await sent()).toEqual({ cancelled: [], invited: [] });
  });
});
