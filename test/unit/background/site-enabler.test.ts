/**
 * Enabling the site a tab shows (background/site-enabler.ts), over a fake browser: access as the
 * browser grants it, the content scripts and header rule as addOrigin and withdrawOrigin leave
 * them, the asks the popup and the menu leave before asking the browser.
 */
import { describe, expect, it } from 'vitest';
import { createRouter } from '../../../src/background/router';
import {
  ASK_TTL_MS,
  type Ask,
  createSiteEnabler,
  isSitePattern,
  type SiteEnablerDeps,
} from '../../../src/background/site-enabler';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import type { SiteEnabled } from '../../../src/shared/sites';
import type { Settings } from '../../../src/shared/types';

const SITE = 'https://acme.storefront.example';
const TAB = 41;

function fakeBrowser(start: { origins?: string[]; access?: string[]; registered?: string[] } = {}) {
  const state = {
    now: 1_000_000,
    settings: {
      ...DEFAULT_SETTINGS,
      origins: [...DEFAULT_SETTINGS.origins, ...(start.origins ?? [])],
    } as Settings,
    access: new Set(start.access ?? []),
    /** Origins with their content scripts registered. */
    registered: new Set(start.registered ?? []),
    /** Origins with their Origin header rule. */
    rules: new Set(start.registered ?? []),
    injected: [] as [number, string][],
    asks: new Map<string, Ask>(),
    added: [] as string[],
    withdrawn: [] as string[],
  };
  const deps: SiteEnablerDeps = {
    settings: async () => state.settings,
    hasAccess: async (o) => state.access.has(o),
    async addOrigin(o) {
      state.added.push(o);
      if (!o.startsWith('http://127.0.0.1') && !state.access.has(o)) throw new Error(`no access to ${o}`);
      await Promise.resolve();
      state.registered.add(o);
      state.rules.add(o);
      if (!state.settings.origins.includes(o))
        state.settings = { ...state.settings, origins: [...state.settings.origins, o] };
      return state.settings;
    },
    async withdrawOrigin(o) {
      state.withdrawn.push(o);
      state.registered.delete(o);
      state.rules.delete(o);
    },
    scriptsRegistered: async (o) => state.registered.has(o),
    async startScriptsInTab(tabId, o) {
      state.injected.push([tabId, o]);
      return true;
    },
    asks: {
      async put(ask) {
        state.asks.set(ask.origin, ask);
      },
      async take(o) {
        const ask = state.asks.get(o) ?? null;
        state.asks.delete(o);
        return ask;
      },
      async takeFor(pattern) {
        const host = pattern.slice(0, -2);
        const asks = [...state.asks.values()].filter((a) => a.origin.replace(/:\d+$/, '') === host);
        for (const a of asks) state.asks.delete(a.origin);
        return asks;
      },
    },
    now: () => state.now,
  };
  return { state, enabler: createSiteEnabler(deps) };
}

describe('enabling the site a tab shows', () => {
  it('with access granted: scripts, rule and setting, as addOrigin does, and the script started in the tab', async () => {
    const { state, enabler } = fakeBrowser({ access: [SITE] });
    const r = await enabler.askAndEnable(SITE, TAB);
    expect(r).toMatchObject({ on: true, wasOn: false, injected: true });
    expect(r.settings.origins).toContain(SITE);
    expect([...state.registered, ...state.rules]).toEqual([SITE, SITE]);
    expect(state.injected).toEqual([[TAB, SITE]]);
    expect(state.asks.size).toBe(0);
  });

  it('where Reclaim runs already: nothing started twice in the page', async () => {
    const { state, enabler } = fakeBrowser({ origins: [SITE], access: [SITE], registered: [SITE] });
    expect(await enabler.askAndEnable(SITE, TAB)).toMatchObject({ on: true, wasOn: true, injected: false });
    expect(state.injected).toEqual([]);
  });

  it('without access: nothing changes, and the ask waits for the browser’s grant', async () => {
    const { state, enabler } = fakeBrowser();
    expect(await enabler.askAndEnable(SITE, TAB)).toMatchObject({ on: false, injected: false });
    expect(state.added).toEqual([]);
    expect(state.settings.origins).not.toContain(SITE);
    expect(state.asks.get(SITE)).toEqual({ origin: SITE, tabId: TAB, at: state.now });
  });

  it('the grant finishes it in the background (the popup is gone), in the tab that asked', async () => {
    const { state, enabler } = fakeBrowser();
    await enabler.askAndEnable(SITE, TAB);
    state.access.add(SITE);
    state.now += 30_000; // the manager read the prompt
    const done = await enabler.accessAdded([`${SITE}/*`]);
    expect(done).toMatchObject([{ on: true, injected: true }]);
    expect(state.registered.has(SITE) && state.rules.has(SITE)).toBe(true);
    expect(state.injected).toEqual([[TAB, SITE]]);
    expect(state.asks.size).toBe(0);
    // The popup, still open, asks again: it hears what the grant did, and nothing runs twice.
    expect(await enabler.askAndEnable(SITE, TAB)).toMatchObject({ on: true, wasOn: false, injected: true });
    expect(state.injected).toHaveLength(1);
    expect(state.asks.size).toBe(0);
    // Later clicks hear the plain truth.
    expect(await enabler.enable(SITE, TAB)).toMatchObject({ on: true, wasOn: true, injected: false });
  });

  it('a click answered at once and the browser’s onAdded, racing, start the page’s script once', async () => {
    const { state, enabler } = fakeBrowser();
    await enabler.ask(SITE, TAB);
    state.access.add(SITE);
    const [, fromClick] = await Promise.all([enabler.accessAdded([`${SITE}/*`]), enabler.enable(SITE, TAB)]);
    expect(state.injected).toEqual([[TAB, SITE]]);
    // Whichever came first, the click hears that it enabled the site and started the script.
    expect(fromClick).toMatchObject({ on: true, wasOn: false, injected: true });
  });

  it('a grant nobody asked for enables nothing new; an ask too old no longer counts', async () => {
    const { state, enabler } = fakeBrowser({ access: [SITE] });
    expect(await enabler.accessAdded([`${SITE}/*`])).toEqual([]);
    await enabler.ask('https://other.example', TAB);
    state.now += ASK_TTL_MS + 1;
    state.access.add('https://other.example');
    expect(await enabler.accessAdded(['https://other.example/*'])).toEqual([]);
    expect(state.added).toEqual([]);
  });

  it('access taken back withdraws scripts and rule but keeps the site listed; given back, restores them', async () => {
    const { state, enabler } = fakeBrowser({ origins: [SITE], access: [SITE], registered: [SITE] });
    state.access.delete(SITE);
    await enabler.accessRemoved([`${SITE}/*`, 'https://*/*', 'http://127.0.0.1/*']);
    expect(state.withdrawn).toEqual([SITE]);
    expect(state.registered.has(SITE) || state.rules.has(SITE)).toBe(false);
    expect(state.settings.origins).toContain(SITE);

    state.access.add(SITE);
    expect(await enabler.accessAdded([`${SITE}/*`])).toMatchObject([{ on: true, injected: false }]);
    expect(state.registered.has(SITE) && state.rules.has(SITE)).toBe(true);
  });

  it('the loopback portal (development build) only needs its setting: no access asked, no script started', async () => {
    const { state, enabler } = fakeBrowser();
    state.settings = { ...state.settings, origins: [] };
    const r = await enabler.askAndEnable('http://127.0.0.1:4310', TAB);
    expect(r).toMatchObject({ on: true, wasOn: false, injected: false });
    expect(state.added).toEqual(['http://127.0.0.1']);
  });

  it('refuses what is not a site Reclaim can be enabled on', async () => {
    const { state, enabler } = fakeBrowser({ access: [SITE] });
    for (const bad of ['http://acme.storefront.example', 'chrome://extensions', 'javascript:alert(1)']) {
      await expect(enabler.askAndEnable(bad, TAB), bad).rejects.toThrow(/only https sites/);
    }
    expect(state.asks.size).toBe(0);
    expect(state.added).toEqual([]);
  });

  it('an origin with a port is granted by its host’s pattern, as both browsers match it', async () => {
    const ported = 'https://acme.storefront.example:8443';
    const { state, enabler } = fakeBrowser();
    await enabler.askAndEnable(ported, TAB);
    state.access.add(ported);
    expect(await enabler.accessAdded(['https://acme.storefront.example/*'])).toMatchObject([{ on: true }]);
    expect(state.injected).toEqual([[TAB, ported]]);
    state.access.delete(ported);
    await enabler.accessRemoved(['https://acme.storefront.example/*']);
    expect(state.withdrawn).toEqual([ported]);
  });

  it('follows grants of one site’s pattern, never a wildcard’s', () => {
    expect(isSitePattern('https://learn.example.com/*')).toBe(true);
    expect(isSitePattern('https://learn.example.com:8443/*')).toBe(false);
    expect(isSitePattern('https://*/*')).toBe(false);
    expect(isSitePattern('https://*.example.com/*')).toBe(false);
    expect(isSitePattern('<all_urls>')).toBe(false);
    expect(isSitePattern('https://learn.example.com/manager/*')).toBe(false);
  });
});

describe('origins.enable at the router', () => {
  const EXT = {
    id: 'abcdefghijklmnopabcdefghijklmnop',
    baseUrl: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/',
  };
  const popup = { id: EXT.id, url: `${EXT.baseUrl}src/popup/index.html` };
  const page = {
    id: EXT.id,
    url: 'http://127.0.0.1:4310/manager/licenses/c-1/distribute',
    tab: { id: 4 },
    frameId: 0,
  };

  function routerWith(enableSite: (origin: string, tabId: number | null) => Promise<SiteEnabled>) {
    const settings = async () => DEFAULT_SETTINGS;
    const unused = () => {
      throw new Error('not used here');
    };
    return createRouter({
      ext: EXT,
      settings,
      saveSettings: settings,
      addOrigin: settings,
      removeOrigin: settings,
      enableSite,
      forgetOrigin: unused,
      portalOrigin: async () => null,
      client: unused,
      cache: {} as never,
      runner: {} as never,
      sleep: async () => {},
    });
  }

  it('is for the popup (extension pages) only, with the tab it names', async () => {
    const calls: [string, number | null][] = [];
    const route = routerWith(async (origin, tabId) => {
      calls.push([origin, tabId]);
      return { settings: DEFAULT_SETTINGS, on: false, wasOn: false, injected: false };
    });
    const request = { type: 'origins.enable', origin: SITE, tabId: TAB };
    expect(await route(request, page)).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(await route(request, {})).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(calls).toEqual([]);
    expect(await route(request, popup)).toMatchObject({ ok: true, value: { on: false } });
    expect(await route({ type: 'origins.enable', origin: SITE }, popup)).toMatchObject({ ok: true });
    expect(calls).toEqual([
      [SITE, TAB],
      [SITE, null],
    ]);
    expect(await route({ type: 'origins.enable', origin: SITE, tabId: -1 }, popup)).toMatchObject({
      ok: false,
      error: { kind: 'bad-request' },
    });
  });

  it('answers what went wrong as a bad request', async () => {
    const route = routerWith(async () => {
      throw new Error('Reclaim cannot be enabled on http://x.example: only https sites can be.');
    });
    expect(await route({ type: 'origins.enable', origin: 'http://x.example' }, popup)).toEqual({
      ok: false,
      error: {
        kind: 'bad-request',
        message: 'Reclaim cannot be enabled on http://x.example: only https sites can be.',
      },
    });
  });
});
