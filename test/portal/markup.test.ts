/**
 * The table markup switch (/__sim/markup): invite tables without the DOM hooks, in another
 * order, with an extra column, a wrapper, other classes, other words, French, other date
 * formats; set per test, picked up by a served page on its next render; the default unchanged.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, signedInContext } from './browser';
import { type Booted, boot } from './helpers';
import type { Invite } from './types';

let p: Booted;

beforeAll(async () => {
  p = await boot();
});
afterAll(() => p.close());

beforeEach(async () => {
  await p.sim.resetMarkup();
  await p.sim.reset({ preset: 'demo', seed: 1 });
});

const html = async (path: string) =>
  (await fetch(`${p.url}${path}`, { headers: { cookie: p.api.cookie } })).text();
const USAGE = '/manager/licenses/c-2/distribute?tab=usage';
const HISTORY = '/manager/learners/l-1?tab=invite-history';

describe('the switch', () => {
  it('defaults to the hooks, takes a preset and single fields, refuses nonsense, resets', async () => {
    const hooks = {
      hooks: true,
      time: true,
      layout: 'portal',
      words: 'en',
      dateFormat: 'portal',
      statusCase: 'lower',
      learnerEmail: false,
    };
    expect(await p.sim.markup()).toEqual(hooks);
    expect(await p.sim.setMarkup({ preset: 'hookless' })).toEqual({
      hooks: false,
      time: false,
      layout: 'vendor',
      words: 'en-alt1',
      dateFormat: 'd MMM yyyy',
      statusCase: 'title',
      learnerEmail: false,
    });
    expect(await p.sim.setMarkup({ dateFormat: 'MMM d', time: true })).toMatchObject({
      hooks: false,
      dateFormat: 'MMM d',
      time: true,
    });
    expect(await p.sim.setMarkup({ preset: 'hookless-fr', statusCase: 'upper' })).toMatchObject({
      words: 'fr',
      dateFormat: 'dd/mm/yyyy',
      statusCase: 'upper',
    });
    await expect(p.sim.setMarkup({ dateFormat: 'dd.mm.yy' as 'MMM d' })).rejects.toThrow(/400.*dateFormat/);
    await expect(p.sim.setMarkup({ preset: 'nope' as 'hooks' })).rejects.toThrow(/400.*preset/);
    await expect(p.sim.setMarkup({ colour: 'red' } as never)).rejects.toThrow(/400.*colour/);
    expect(await p.sim.resetMarkup()).toEqual(hooks);
  });

  it('changes the served shells: no hooks, a wrapper, other classes, order and words', async () => {
    const hooked = await html(USAGE);
    expect(hooked).toContain(
      '<table class="grid" data-table="usage"><thead><tr><th>Learner</th><th>Invited</th><th>Status</th><th>Progress</th><th><span class="sr-only">Actions</span></th></tr></thead><tbody></tbody></table>',
    );
    expect(hooked).not.toContain('data-markup');

    await p.sim.setMarkup({ preset: 'hookless' });
    const usage = await html(USAGE);
    expect(usage).not.toMatch(/data-table="(usage|invite-history)"|data-invite-id|data-col/);
    expect(usage).toContain(
      '<div class="tw-table-wrap"><table class="tw-table"><thead><tr><th>State</th><th>Date</th><th>Team</th><th>Name</th><th>Completion</th><th>Actions</th></tr></thead><tbody></tbody></table></div>',
    );
    expect(usage).toContain('data-markup="{&quot;hooks&quot;:false');
    const history = await html(HISTORY);
    expect(history).toContain(
      '<th>State</th><th>Licence</th><th>Course name</th><th>Date</th><th>Actions</th>',
    );

    await p.sim.setMarkup({ preset: 'hookless-fr' });
    expect(await html(USAGE)).toContain(
      '<th>Statut</th><th>Date d&#39;invitation</th><th>Service</th><th>Apprenant</th><th>Progression</th><th>Actions</th>',
    );
    expect(await html(HISTORY)).toContain(
      '<th>Statut</th><th>Type de licence</th><th>Cours</th><th>Envoyée le</th><th>Actions</th>',
    );
  });

  it('rides on the page script’s API answers only when it is not the default', async () => {
    expect((await p.api.get('/api/courses')).headers.get('x-portal-markup')).toBeNull();
    await p.sim.setMarkup({ preset: 'hookless-fr' });
    const header = (await p.api.get('/api/courses')).headers.get('x-portal-markup');
    expect(JSON.parse(header ?? '')).toEqual(await p.sim.markup());
  });
});

// ---------------------------------------------------------------- in Chromium

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');
/** The expected date text, worked out here in UTC (the browser context's time zone). */
const DATE: Record<string, (d: Date) => string> = {
  'd MMM yyyy': (d) => `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`,
  'yyyy-mm-dd': (d) => `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`,
  'dd/mm/yyyy': (d) => `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`,
  'MMM d': (d) => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`,
};

interface Seen {
  tables: number;
  hooks: number;
  times: number;
  wrapper: boolean;
  headers: string[];
  rows: string[][];
}

/** Re-renders through the page's own script, then reads the panel's table as a person would. */
async function rerenderAndRead(tab: Page, panel: string): Promise<Seen> {
  await tab.evaluate(() => window.__portal?.rerender());
  return tab.evaluate((key) => {
    const el = document.querySelector(`[data-panel="${key}"]`) as HTMLElement;
    const table = el.querySelector('table') as HTMLTableElement;
    return {
      tables: el.querySelectorAll('table').length,
      hooks: el.querySelectorAll('[data-table], [data-invite-id], [data-col]').length,
      times: el.querySelectorAll('time[datetime]').length,
      wrapper: table.parentElement?.classList.contains('tw-table-wrap') ?? false,
      headers: [...(table.tHead?.rows[0]?.cells ?? [])].map((c) => c.textContent ?? ''),
      rows: [...(table.tBodies[0]?.rows ?? [])].map((r) => [...r.cells].map((c) => c.textContent ?? '')),
    };
  }, panel);
}

describe('in Chromium', () => {
  it('renders both tables as switched, on the next render, without a page load', async () => {
    const usageFirst = (
      await p.api.get<{ items: Invite[] }>('/api/courses/c-2/invites?status=active&pageSize=25')
    ).body.items;
    const history = (await p.api.get<{ items: Invite[] }>('/api/learners/l-1/invites?status=active')).body
      .items;
    const browser = await launchChromium();
    try {
      const context = await signedInContext(browser, p.url);
      const tab = await context.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));

      // Served hookless: the shell's own skeleton is filled.
      await p.sim.setMarkup({ preset: 'hookless' });
      await tab.goto(`${p.url}${USAGE}`);
      await tab.evaluate(() => Object.assign(window, { __sameDocument: true }));
      let seen = await rerenderAndRead(tab, 'usage');
      expect(seen).toMatchObject({ tables: 1, hooks: 0, times: 0, wrapper: true });
      expect(seen.headers).toEqual(['State', 'Date', 'Team', 'Name', 'Completion', 'Actions']);
      expect(seen.rows).toHaveLength(25);
      for (const [k, inv] of usageFirst.entries()) {
        const [status, date, team, name, progress, action] = seen.rows[k] as string[];
        expect(status).toBe(inv.status === 'pending' ? 'Pending' : 'Accepted');
        expect(date).toBe(DATE['d MMM yyyy']?.(new Date(inv.sentAt)));
        expect(team).toMatch(/^(Operations|Sales|Warehouse|Finance|HR)$/);
        expect(name).toBe(inv.learner.name);
        expect(progress).toBe(inv.status === 'accepted' ? `${inv.progress}%` : '—');
        expect(action).toBe('Cancel');
      }
      expect(await tab.locator('[data-panel="usage"] tr.tw-row').count()).toBe(25);

      // Each date format, and statuses in capitals, with <time datetime> kept but no other hook.
      for (const fmt of Object.keys(DATE)) {
        await p.sim.setMarkup({ dateFormat: fmt as 'MMM d' });
        seen = await rerenderAndRead(tab, 'usage');
        expect(seen.rows[0]?.[1], fmt).toBe(DATE[fmt]?.(new Date(usageFirst[0]?.sentAt ?? '')));
      }
      await p.sim.setMarkup({ time: true, statusCase: 'upper', learnerEmail: true });
      seen = await rerenderAndRead(tab, 'usage');
      expect(seen).toMatchObject({ hooks: 0, times: 25 });
      expect(new Set(seen.rows.map((r) => r[0]))).toEqual(new Set(['PENDING', 'ACCEPTED']));
      expect(seen.rows[0]?.[3]).toBe(`${usageFirst[0]?.learner.name}${usageFirst[0]?.learner.email}`);

      // French, then back to the hooks: the skeleton is swapped in place, never duplicated.
      await p.sim.setMarkup({ preset: 'hookless-fr' });
      seen = await rerenderAndRead(tab, 'usage');
      expect(seen).toMatchObject({ tables: 1, hooks: 0, times: 0 });
      expect(seen.headers).toEqual([
        'Statut',
        "Date d'invitation",
        'Service',
        'Apprenant',
        'Progression',
        'Actions',
      ]);
      expect(new Set(seen.rows.map((r) => r[0]))).toEqual(new Set(['En attente', 'Acceptée']));
      expect(seen.rows[0]?.[1]).toBe(DATE['dd/mm/yyyy']?.(new Date(usageFirst[0]?.sentAt ?? '')));
      expect(seen.rows[0]?.[5]).toBe('Annuler');

      await p.sim.resetMarkup();
      seen = await rerenderAndRead(tab, 'usage');
      expect(seen).toMatchObject({ tables: 1, wrapper: false, times: 25 });
      expect(seen.headers).toEqual(['Learner', 'Invited', 'Status', 'Progress', 'Actions']);
      expect(await tab.locator('table[data-table="usage"] tr[data-invite-id]').count()).toBe(25);
      expect(await tab.locator('td[data-col="status"]').first().textContent()).toBe(usageFirst[0]?.status);
      expect(await tab.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

      // Invite History, switched after a page served with the hooks.
      await tab.goto(`${p.url}${HISTORY}`);
      await tab.locator('table[data-table="invite-history"] tr[data-invite-id]').first().waitFor();
      await p.sim.setMarkup({ preset: 'hookless' });
      seen = await rerenderAndRead(tab, 'invite-history');
      expect(seen).toMatchObject({ tables: 1, hooks: 0, times: 0, wrapper: true });
      expect(seen.headers).toEqual(['State', 'Licence', 'Course name', 'Date', 'Actions']);
      expect(seen.rows.map((r) => r[2])).toEqual(history.map((i) => i.course.title));
      expect(seen.rows.map((r) => r[3])).toEqual(
        history.map((i) => DATE['d MMM yyyy']?.(new Date(i.sentAt))),
      );
      await p.sim.setMarkup({ preset: 'hookless-fr' });
      seen = await rerenderAndRead(tab, 'invite-history');
      expect(seen.headers).toEqual(['Statut', 'Type de licence', 'Cours', 'Envoyée le', 'Actions']);
      expect(seen.rows.map((r) => r[0])).toEqual(
        history.map((i) => (i.status === 'pending' ? 'En attente' : 'Acceptée')),
      );

      // The portal's own Cancel works without the hooks.
      await p.sim.setMarkup({ preset: 'hookless' });
      await tab.goto(`${p.url}${USAGE}`);
      const pending = usageFirst.find((i) => i.status === 'pending') as Invite;
      await tab.getByRole('button', { name: `Cancel invite for ${pending.learner.name}` }).click();
      await tab.click('[role=dialog] >> text=Cancel invite');
      await expect
        .poll(async () => (await p.sim.journal()).map((e) => [e.inviteId, e.applied]))
        .toEqual([[pending.id, true]]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
