/**
 * The options page end to end: settings through the background, and a portal origin added
 * and removed for real. The "hosted portal" is the reference portal behind a local HTTPS
 * reverse proxy at https://learn.example.test:<port> (https-proxy.ts).
 *
 * Headless Chromium cannot answer the permission prompt. The manager's other way to grant a
 * site is chrome://extensions ("Site access: on specific sites"), which this test drives through
 * that page's own API; after that, the options page's real click calls permissions.request,
 * which then resolves at once without a prompt, and everything after it runs as for a manager.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SCRIPT_FILES } from '../../src/shared/build';
import {
  hasAccess,
  hasReclaimUi,
  originRules,
  registeredFor,
  setSiteAccess,
  signInAt,
} from './added-origins';
import { launchReclaim, type Reclaim } from './harness';
import { HOSTED as HOST, HOSTED_ARGS, type HttpsProxy, startHttpsProxy } from './https-proxy';
import { askOk, axeViolations, openPopupWithRows, settingsOf, until } from './popup-helpers';

let r: Reclaim;
let proxy: HttpsProxy;
let origin: string;

beforeAll(async () => {
  proxy = await startHttpsProxy();
  origin = proxy.origin;
  r = await launchReclaim({ args: HOSTED_ARGS });
  proxy.target = new URL(r.portal.url);
});

afterAll(async () => {
  await r?.close();
  await proxy?.close();
});

describe('options', () => {
  it('saves the settings through the background; the popup’s filter starts from the default', async () => {
    const o = await r.openOptions();
    await o.getByLabel('Undo delay (seconds)').fill('9');
    // Requests at once is a setting few managers need: under Advanced, which says what it is for.
    const advanced = o.getByRole('group', { name: 'Advanced' });
    expect(await advanced.getByLabel('Requests at once').count()).toBe(1);
    expect(await advanced.getByLabel('Undo delay (seconds)').count()).toBe(0);
    expect(
      await advanced.getAttribute('aria-describedby').then((id) => o.locator(`#${id}`).textContent()),
    ).toMatch(/^How hard Reclaim works your portal\./);
    await o.getByLabel('Requests at once').fill('3');
    await o.getByLabel('Age filter default (days)').fill('5');
    await o.getByRole('button', { name: 'Save settings' }).click();
    await o.getByText('Settings saved.').waitFor();
    const stored = await settingsOf(o);
    expect({ undo: stored.undoSeconds, conc: stored.concurrency, age: stored.minAgeDays }).toEqual({
      undo: 9,
      conc: 3,
      age: 5,
    });
    await o.reload();
    await until(
      'stored values',
      async () => (await o.getByLabel('Undo delay (seconds)').inputValue()) === '9',
    );
    expect(await o.getByLabel('Requests at once').inputValue()).toBe('3');
    // The portal's own Cancel beside Reclaim's Revoke: off unless the manager ticks it.
    const portalCancel = o.getByLabel("Show the portal's own Cancel buttons");
    expect(await portalCancel.isChecked()).toBe(false);
    await portalCancel.check();
    await o.getByRole('button', { name: 'Save settings' }).click();
    await until('saved', async () => (await settingsOf(o)).showPortalCancel === true);
    await portalCancel.uncheck();
    await o.getByRole('button', { name: 'Save settings' }).click();
    await until('saved', async () => (await settingsOf(o)).showPortalCancel === false);

    // Out of range: refused on the page, nothing saved.
    await o.getByLabel('Requests at once').fill('40');
    await o.getByRole('button', { name: 'Save settings' }).click();
    await o.getByText('Requests at once: a whole number from 1 to 16.').waitFor();
    expect((await settingsOf(o)).concurrency).toBe(3);
    await o.close();

    await r.page.goto(`${r.portal.url}/manager/licenses`);
    const p = await openPopupWithRows(r);
    expect(await p.getByLabel('Only invites sent more than').isChecked()).toBe(true);
    expect(await p.getByLabel('Number of days').inputValue()).toBe('5');
    await askOk(p, { type: 'settings.set', settings: { undoSeconds: 5, concurrency: 6, minAgeDays: 0 } });
    await p.close();
  });

  it('refuses an address that is not a bare https origin, without asking for any permission', async () => {
    const o = await r.openOptions();
    const before = await o.evaluate(() => chrome.permissions.getAll());
    for (const [input, message] of [
      [`http://${HOST}`, 'Only https:// addresses can be added.'],
      [`https://${HOST}/manager`, `Only the address of the site, without a path: https://${HOST}`],
      ['https://*.example.test', 'Use one exact address; wildcards are not allowed.'],
    ] as const) {
      await o.getByLabel('Add a portal address').fill(input);
      await o.getByRole('button', { name: 'Add', exact: true }).click();
      expect(await o.locator('#origin-status').textContent()).toBe(message);
    }
    expect(await o.evaluate(() => chrome.permissions.getAll())).toEqual(before);
    await o.close();
  });

  it('adding an https origin registers the content scripts and header rule there; removing withdraws all three', async () => {
    const pending = (await r.sim.invites({ status: 'pending' }))[0];
    if (!pending) throw new Error('no pending invite');
    const learnerPage = `${origin}/manager/learners/${pending.learner.id}?tab=invite-history`;

    // Signed in on the "hosted" origin, whose pages Reclaim does not touch yet.
    const portal = await r.context.newPage();
    await signInAt(portal, origin);
    await portal.goto(learnerPage);
    await portal.waitForSelector('tr[data-invite-id]');
    expect(await hasReclaimUi(portal, 3000)).toBe(false);
    expect(await registeredFor(r, origin)).toEqual([]);

    // The manager allows the site (chrome://extensions, site access), then adds it in Reclaim.
    await setSiteAccess(r, origin, true);
    const o = await r.openOptions();
    await o.getByLabel('Add a portal address').fill(`${origin}/`);
    await o.getByRole('button', { name: 'Add', exact: true }).click();
    await o.getByText(`Added ${origin}.`).waitFor({ timeout: 10_000 });
    expect(await o.locator(`li[data-origin="${origin}"]`).count()).toBe(1);
    expect(await hasAccess(r, origin)).toBe(true);
    expect((await settingsOf(o)).origins).toContain(origin);

    const scripts = await registeredFor(r, origin);
    expect(scripts.map((s) => s.matches).sort()).toEqual([
      [`https://${HOST}/manager/learners/*`],
      [`https://${HOST}/manager/licenses/*`],
    ]);
    // The same self-contained files the manifest runs on the reference portal.
    expect(scripts.map((s) => s.js).sort()).toEqual([
      [CONTENT_SCRIPT_FILES.inviteHistory],
      [CONTENT_SCRIPT_FILES.usageTab],
    ]);
    expect(await originRules(r, origin)).toBe(1);

    // The in-page controls now appear on the hosted origin's Invite History.
    await portal.reload();
    await portal.waitForSelector('tr[data-invite-id]');
    expect(await hasReclaimUi(portal, 15_000)).toBe(true);
    expect(await axeViolations(o), 'options with an added origin').toEqual([]);

    // Removing it withdraws the scripts, the header rule and the permission.
    await o.getByRole('button', { name: `Remove ${origin}` }).click();
    await o.getByText(`Removed ${origin}.`).waitFor();
    expect(await o.locator(`li[data-origin="${origin}"]`).count()).toBe(0);
    expect(await registeredFor(r, origin)).toEqual([]);
    expect(await originRules(r, origin)).toBe(0);
    expect(await hasAccess(r, origin)).toBe(false);
    expect((await settingsOf(o)).origins).not.toContain(origin);
    await portal.reload();
    await portal.waitForSelector('tr[data-invite-id]');
    expect(await hasReclaimUi(portal, 3000)).toBe(false);
    await Promise.all([portal.close(), o.close()]);
  });

  it('axe-core finds no violations on the options page, light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const o = await r.openOptions();
      await o.emulateMedia({ colorScheme: scheme });
      await o.locator('li[data-origin]').first().waitFor();
      expect(await axeViolations(o), scheme).toEqual([]);
      await o.getByLabel('Add a portal address').fill('http://nope.example');
      await o.getByRole('button', { name: 'Add', exact: true }).click();
      expect(await axeViolations(o), `${scheme}, with an error`).toEqual([]);
      await o.close();
    }
  });
});
