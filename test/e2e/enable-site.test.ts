/**
 * Enabling Reclaim on the storefront the manager is on, end to end: the real toolbar popup over a
 * tab (action-popup.ts, with the activeTab grant a click on the button gives), its "Use Reclaim on
 * <host>" offer, and what one click does: the site's access, its content scripts and its Origin
 * rule, as the options page's Add does, the controls on the open page at once; the browser taking
 * the access back; the options page removing the site.
 *
 * The "storefront" is the reference portal behind a local HTTPS proxy at
 * https://learn.example.test:<port> (https-proxy.ts), which also shows the Origin header of
 * Reclaim's own API POSTs as they arrive: the rule at work, or not.
 *
 * Headless Chromium cannot answer the permission prompt: the site is granted as the options
 * tests grant it, on chrome://extensions (added-origins.ts). Granted before the click, the
 * popup's permissions.request resolves at once and the popup finishes the work; granted after
 * the popup is gone (Firefox closes it when its prompt opens), the background does, from the ask
 * the popup sent before asking the browser.
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SCRIPT_FILES } from '../../src/shared/build';
import { originPattern } from '../../src/shared/origins';
import { ACTION_POPUP_ARGS, type ActionPopup, openActionPopup } from './action-popup';
import {
  hasAccess,
  hasReclaimUi,
  originRules,
  registeredFor,
  setSiteAccess,
  signInAt,
} from './added-origins';
import { launchReclaim, type Reclaim } from './harness';
import { HOSTED, HOSTED_ARGS, type HttpsProxy, startHttpsProxy } from './https-proxy';
import { settingsOf, until } from './popup-helpers';

const SITE = '[data-testid="enable-site"]';

let r: Reclaim;
let proxy: HttpsProxy;
let origin: string;
let host: string;
/** A learner's Invite History on the storefront, signed in. */
let storefront: Page;

beforeAll(async () => {
  proxy = await startHttpsProxy();
  origin = proxy.origin;
  host = `${HOSTED}:${proxy.port}`;
  r = await launchReclaim({ args: [...HOSTED_ARGS, ...ACTION_POPUP_ARGS] });
  proxy.target = new URL(r.portal.url);
  const pending = (await r.sim.invites({ status: 'pending' }))[0];
  if (!pending) throw new Error('no pending invite');
  storefront = await r.context.newPage();
  await signInAt(storefront, origin);
  await storefront.goto(`${origin}/manager/learners/${pending.learner.id}?tab=invite-history`);
  await storefront.waitForSelector('tr[data-invite-id]');
});

afterAll(async () => {
  await r?.close();
  await proxy?.close();
});

/** The popup over `tab`, once it knows what the tab's site is to Reclaim. */
async function popupOver(tab: Page): Promise<ActionPopup> {
  const popup = await openActionPopup(r.context, r.extensionId, tab);
  await popup.waitFor(
    'the tab’s site',
    `document.querySelector('${SITE}') && document.querySelector('${SITE}').dataset.site !== 'reading'`,
  );
  return popup;
}

const siteKind = (p: ActionPopup) => p.evaluate<string>(`document.querySelector('${SITE}').dataset.site`);
const offerButton = (p: ActionPopup) =>
  p.evaluate<string | null>(`document.querySelector('${SITE} button')?.textContent ?? null`);
const statusText = (p: ActionPopup) =>
  p.evaluate<string>(`document.querySelector('${SITE} [role="status"]')?.textContent ?? ''`);

/** The Origin header Reclaim's background sends on a POST to the storefront's API, as it arrives. */
async function originOfOwnPost(): Promise<string | undefined> {
  const seen = proxy.apiPostOrigins.length;
  const sw = await r.serviceWorker();
  await sw.evaluate(async (url) => {
    await fetch(url, { method: 'POST' }).catch(() => undefined);
  }, `${origin}/api/reclaim-e2e-probe`);
  await until('the POST at the proxy', async () => proxy.apiPostOrigins.length > seen);
  return proxy.apiPostOrigins[seen];
}

/** What enabling the site puts in place, as the options page's Add does, each part at work. */
async function expectEnabled(): Promise<void> {
  expect(await hasAccess(r, origin)).toBe(true);
  const scripts = await registeredFor(r, origin);
  expect(scripts.map((s) => [s.matches, s.js]).sort()).toEqual([
    [[`https://${HOSTED}/manager/learners/*`], [CONTENT_SCRIPT_FILES.inviteHistory]],
    [[`https://${HOSTED}/manager/licenses/*`], [CONTENT_SCRIPT_FILES.usageTab]],
  ]);
  expect(await originRules(r, origin)).toBe(1);
  expect(await originOfOwnPost()).toBe(origin);
}

/** None of it left; the storefront page, loaded again, without Reclaim's controls. */
async function expectWithdrawn(access: boolean): Promise<void> {
  expect(await hasAccess(r, origin)).toBe(access);
  expect(await registeredFor(r, origin)).toEqual([]);
  expect(await originRules(r, origin)).toBe(0);
  expect(await originOfOwnPost()).not.toBe(origin);
  await storefront.reload();
  await storefront.waitForSelector('tr[data-invite-id]');
  expect(await hasReclaimUi(storefront, 3000)).toBe(false);
}

async function listedInOptions(): Promise<boolean> {
  const o = await r.openOptions();
  try {
    return (await settingsOf(o)).origins.includes(origin);
  } finally {
    await o.close();
  }
}

async function axeOn(p: ActionPopup): Promise<string[]> {
  await p.evaluate(axe.source);
  return p.evaluate<string[]>(
    `axe.run(document).then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => JSON.stringify(n.target)).join(' ')))`,
  );
}

describe('enable Reclaim on the storefront you are on', () => {
  it('offers it only on an https site Reclaim does not work on, changing nothing by itself', async () => {
    const offer = await popupOver(storefront);
    expect(await siteKind(offer)).toBe('offer');
    expect(await offerButton(offer)).toBe(`Use Reclaim on ${host}`);
    for (const scheme of ['light', 'dark'] as const) {
      await offer.send('Emulation.setEmulatedMedia', {
        features: [{ name: 'prefers-color-scheme', value: scheme }],
      });
      expect(await axeOn(offer), scheme).toEqual([]);
    }
    await offer.close();

    // Where Reclaim works already (the loopback reference portal), on plain http, on the browser's pages.
    await r.page.goto(`${r.portal.url}/manager/licenses`);
    const http = await r.context.newPage();
    await http.goto(`http://${HOSTED}:${new URL(r.portal.url).port}/login`);
    const browserPage = await r.context.newPage();
    await browserPage.goto('chrome://version/');
    for (const [tab, kind] of [
      [r.page, 'on'],
      [http, 'unsuitable'],
      [browserPage, 'unsuitable'],
    ] as const) {
      const p = await popupOver(tab);
      expect(await siteKind(p), tab.url()).toBe(kind);
      expect(await offerButton(p), tab.url()).toBeNull();
      await p.close();
    }
    await Promise.all([http.close(), browserPage.close()]);

    expect(await registeredFor(r, origin)).toEqual([]);
    expect(await originRules(r, origin)).toBe(0);
    expect(await hasReclaimUi(storefront, 2000)).toBe(false);
  });

  it('when the browser’s prompt closes the popup, the background finishes once access is granted', async () => {
    const popup = await popupOver(storefront);
    expect(await siteKind(popup)).toBe('offer');
    await popup.evaluate(`document.querySelector('${SITE} button').click()`, { userGesture: true });
    // The prompt (which headless Chromium cannot show to anyone) takes the focus: the popup goes,
    // as it does in Firefox, with the ask it sent before asking.
    await popup.closedByBrowser();

    // Standing in for the prompt's "Allow": the site allowed on chrome://extensions, then a
    // request from an extension page with a user gesture, which grants it (permissions.onAdded).
    await setSiteAccess(r, origin, true);
    const o = await r.openOptions();
    const cdp = await r.context.newCDPSession(o);
    const granted = (await cdp.send('Runtime.evaluate', {
      expression: `chrome.permissions.request({ origins: ['${originPattern(origin)}'] })`,
      userGesture: true,
      awaitPromise: true,
      returnByValue: true,
    })) as { result: { value?: unknown } };
    expect(granted.result.value).toBe(true);
    await cdp.detach();
    await o.close();

    await until('the site enabled', async () => (await originRules(r, origin)) === 1);
    await expectEnabled();
    expect(await listedInOptions()).toBe(true);
    // Started in the tab the popup asked from, without a reload.
    expect(await hasReclaimUi(storefront, 15_000)).toBe(true);
  });

  it('access taken back in the browser withdraws the scripts and the rule; the site is offered again', async () => {
    await setSiteAccess(r, origin, false);
    await until('scripts and rule withdrawn', async () => (await originRules(r, origin)) === 0);
    await expectWithdrawn(false);

    // Still listed, to be granted again or forgotten.
    const o = await r.openOptions();
    expect((await settingsOf(o)).origins).toContain(origin);
    await o
      .locator(`li[data-origin="${origin}"]`)
      .getByRole('button', { name: 'Grant access again' })
      .waitFor();
    await o.close();

    const popup = await popupOver(storefront);
    expect(await siteKind(popup)).toBe('offer');
    await popup.close();
  });

  it('access given back in the browser restores the scripts and the rule of a site still listed', async () => {
    await setSiteAccess(r, origin, true);
    await until('the site restored', async () => (await originRules(r, origin)) === 1);
    await expectEnabled();
    await storefront.reload();
    expect(await hasReclaimUi(storefront, 15_000)).toBe(true);
  });

  it('Remove on the options page withdraws the access, the scripts and the rule together', async () => {
    const o = await r.openOptions();
    await o.getByRole('button', { name: `Remove ${origin}` }).click();
    await o.getByText(`Removed ${origin}.`).waitFor();
    await o.close();
    expect(await listedInOptions()).toBe(false);
    await expectWithdrawn(false);
  });

  it('one click, the browser answering at once, enables it with the popup open to say so', async () => {
    // The site allowed on chrome://extensions first, so the click's permission request is
    // granted without a prompt (and opening that page would close the popup).
    await setSiteAccess(r, origin, true);
    const popup = await popupOver(storefront);
    expect(await siteKind(popup)).toBe('offer');
    await popup.evaluate(`document.querySelector('${SITE} button').click()`, { userGesture: true });
    await popup.waitFor('the outcome', `document.querySelector('${SITE}').dataset.site === 'on'`);
    expect(await statusText(popup)).toBe(`Reclaim now works on ${host}; its controls are on this page.`);
    expect(await offerButton(popup)).toBeNull();
    await popup.close();
    await expectEnabled();
    expect(await listedInOptions()).toBe(true);
    expect(await hasReclaimUi(storefront, 15_000)).toBe(true);
  });
});
