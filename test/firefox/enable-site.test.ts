/**
 * Enabling Reclaim on a storefront, in a real Firefox: the part that must happen without the
 * popup, because Firefox closes the popup when its permission prompt opens. The popup's ask
 * (`origins.enable`, sent before it asks the browser) is sent here from an extension page, and
 * the browser's grant is made in Firefox's privileged scope, as the prompt's "Allow" makes it
 * (ExtensionPermissions.add, which fires permissions.onAdded in the add-on); the background must
 * then register the content scripts and the Origin rule and start the script in the tab that
 * asked. Taking the access back (about:addons does it the same way) withdraws them.
 *
 * The storefront is the reference portal behind the local HTTPS proxy (test/e2e/https-proxy.ts),
 * its host resolved to this machine by a Firefox preference.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEN_MS } from '../../src/content/lib/gate';
import { CONTENT_SCRIPT_FILES } from '../../src/shared/build';
import { isFullSettings } from '../../src/shared/messages';
import { originPattern } from '../../src/shared/origins';
import { MANAGER } from '../e2e/harness';
import { HOSTED, type HttpsProxy, startHttpsProxy } from '../e2e/https-proxy';
import { until } from '../e2e/popup-helpers';
import { readControls, type SeenControl, scrollTo } from '../e2e/reclaim-view';
import type { Invite } from '../portal/sim-client';
import { type FirefoxReclaim, launchFirefoxReclaim } from './harness';

let r: FirefoxReclaim;
let proxy: HttpsProxy;
let origin: string;
let ext: Page;
let storefront: Page;
let jane: Invite[];

beforeAll(async () => {
  proxy = await startHttpsProxy();
  origin = proxy.origin;
  r = await launchFirefoxReclaim({
    prefs: { 'network.dns.localDomains': HOSTED },
    acceptInsecureCerts: true,
  });
  proxy.target = new URL(r.portal.url);
  ext = await r.openExtensionPage('src/options/index.html');
  await r.askOk(ext, { type: 'settings.set', settings: { undoSeconds: 1 } });
  jane = (await r.sim.invites({ status: 'pending' })).filter((i) => i.learner.name === 'Jane Doe');
  storefront = await r.browser.newPage();
  await storefront.goto(`${origin}/login`);
  await storefront.type('input[name="email"]', MANAGER.email);
  await storefront.type('input[name="password"]', MANAGER.password);
  await Promise.all([storefront.waitForNavigation(), storefront.keyboard.press('Enter')]);
  await storefront.goto(`${origin}/manager/learners/${jane[0]?.learner.id}?tab=invite-history`);
  await storefront.waitForSelector('tr[data-invite-id]');
});

afterAll(async () => {
  await r?.close();
  await proxy?.close();
});

/** Grants or takes back Reclaim's access to the storefront, as Firefox's prompt or about:addons do. */
async function setAccess(granted: boolean): Promise<void> {
  const perms = JSON.stringify({ permissions: [], origins: [originPattern(origin)] });
  await r.privileged(`(async () => {
    const { ExtensionPermissions } = ChromeUtils.importESModule('resource://gre/modules/ExtensionPermissions.sys.mjs');
    await ExtensionPermissions.${granted ? 'add' : 'remove'}(policy.id, ${perms}, policy.extension);
  })()`);
}

/** The add-on's id for the storefront's tab (the page cannot see it: no access yet). */
async function storefrontTabId(): Promise<number> {
  return Number(
    await r.privileged(`(() => {
      const gBrowser = Services.wm.getMostRecentWindow('navigator:browser').gBrowser;
      const tab = [...gBrowser.tabs].find((t) => t.linkedBrowser.currentURI.spec.startsWith(${JSON.stringify(origin)}));
      return policy.extension.tabManager.getWrapper(tab).id;
    })()`),
  );
}

async function scripts(): Promise<{ matches: string[]; js: string[] }[]> {
  const all = (await ext.evaluate(() => browser.scripting.getRegisteredContentScripts())) as {
    matches?: string[];
    js?: string[];
  }[];
  return all
    .filter((s) => (s.matches ?? []).some((m) => m.startsWith(`https://${HOSTED}/`)))
    .map((s) => ({ matches: s.matches ?? [], js: s.js ?? [] }));
}

async function rules(): Promise<number> {
  const all = (await ext.evaluate(() => browser.declarativeNetRequest.getSessionRules())) as {
    action: { requestHeaders?: { header: string; value?: string }[] };
  }[];
  return all.filter((rule) =>
    rule.action.requestHeaders?.some((h) => h.header === 'Origin' && h.value === origin),
  ).length;
}

const hasAccess = () =>
  ext.evaluate((p) => browser.permissions.contains({ origins: [p] }), originPattern(origin));

async function listed(): Promise<boolean> {
  const settings = await r.askOk(ext, { type: 'settings.get' });
  return isFullSettings(settings) && settings.origins.includes(origin);
}

/** Whether Reclaim's row controls show up on the storefront page within `ms`. */
async function controls(ms: number): Promise<boolean> {
  return storefront
    .waitForSelector('tr[data-invite-id] reclaim-row', { timeout: ms })
    .then(() => true)
    .catch(() => false);
}

/** Runs one of reclaim-view.ts's readers in Reclaim's world of the storefront's tab (its roots are closed). */
async function inReclaim<T>(fn: (arg: string) => T, arg = ''): Promise<T> {
  return (await ext.evaluate(`(async () => {
    const [done] = await chrome.scripting.executeScript({
      target: { tabId: ${await storefrontTabId()} },
      func: ${fn.toString()},
      args: [${JSON.stringify(arg)}],
    });
    return done.result;
  })()`)) as T;
}

/**
 * A real click (BiDi input, a trusted event) on one of Reclaim's buttons once Reclaim has seen it
 * on screen, held still, long enough to act on it (as reclaim.test.ts clicks).
 */
async function clickOurs(name: RegExp): Promise<void> {
  await until(`a button ${name}`, () => inReclaim(scrollTo, name.source));
  let last: SeenControl | undefined;
  let since = Date.now();
  await until(`${name} seen on screen, still`, async () => {
    const b = (await inReclaim(readControls)).find((x) => name.test(x.label));
    if (!b || !last || b.x !== last.x || b.y !== last.y) {
      last = b;
      since = Date.now();
      return false;
    }
    return b.seen && Date.now() - since > SEEN_MS;
  });
  if (!last) throw new Error(`no button ${name}`);
  await storefront.mouse.click(last.x, last.y);
}

async function reload(): Promise<void> {
  await storefront.reload();
  await storefront.waitForSelector('tr[data-invite-id]');
}

describe('Enable Reclaim on a storefront, in Firefox', () => {
  it('the background finishes the popup’s ask once access is granted, in the tab that asked', async () => {
    expect(await controls(2000)).toBe(false);
    const asked = await r.askOk(ext, { type: 'origins.enable', origin, tabId: await storefrontTabId() });
    expect(asked).toMatchObject({ on: false, injected: false });
    expect(await scripts()).toEqual([]);

    await setAccess(true);
    await until(
      'the scripts and the rule',
      async () => (await rules()) === 1 && (await scripts()).length === 2,
    );
    expect((await scripts()).sort((a, b) => a.js[0]?.localeCompare(b.js[0] ?? '') ?? 0)).toEqual([
      { matches: [`https://${HOSTED}/manager/learners/*`], js: [CONTENT_SCRIPT_FILES.inviteHistory] },
      { matches: [`https://${HOSTED}/manager/licenses/*`], js: [CONTENT_SCRIPT_FILES.usageTab] },
    ]);
    expect(await listed()).toBe(true);
    // Started in the open page, no reload.
    expect(await controls(15_000)).toBe(true);

    // A revoke from that page: the portal takes the cancel only with its own Origin (the rule).
    const inv = jane[0] as Invite;
    await clickOurs(new RegExp(`^Revoke invite: Jane Doe, ${inv.course.title}`));
    await until('the cancel', async () =>
      (await r.sim.journal()).some((e) => e.inviteId === inv.id && e.applied),
    );
    expect((await r.sim.journal()).filter((e) => e.applied).map((e) => e.inviteId)).toEqual([inv.id]);
    expect(proxy.apiPostOrigins).toContain(origin);
    expect(proxy.apiPostOrigins.filter((o) => o !== origin)).toEqual([]);
  });

  it('access taken back withdraws the scripts and the rule; given back, restores them', async () => {
    await setAccess(false);
    await until(
      'scripts and rule withdrawn',
      async () => (await rules()) === 0 && (await scripts()).length === 0,
    );
    expect(await listed()).toBe(true);
    await reload();
    expect(await controls(3000)).toBe(false);

    await setAccess(true);
    await until(
      'scripts and rule restored',
      async () => (await rules()) === 1 && (await scripts()).length === 2,
    );
    await reload();
    expect(await controls(15_000)).toBe(true);
  });

  it('removed: access, scripts and rule go together', async () => {
    await r.askOk(ext, { type: 'origins.remove', origin });
    expect(await hasAccess()).toBe(false);
    expect(await scripts()).toEqual([]);
    expect(await rules()).toBe(0);
    expect(await listed()).toBe(false);
    await reload();
    expect(await controls(3000)).toBe(false);
  });
});
