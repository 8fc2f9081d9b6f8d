/**
 * An added origin's three parts in the browser (background/origins.ts): host access, the two
 * content scripts and the Origin header rule, put in place together and withdrawn together,
 * over a fake browser that refuses what the real one refuses (a script id registered twice).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Script = { id: string; js?: string[]; matches?: string[] };
type Rule = { id: number; action: { requestHeaders?: { header: string; value?: string }[] } };

const fake = vi.hoisted(() => {
  const state = {
    access: new Set<string>(),
    scripts: new Map<string, Script>(),
    rules: [] as Rule[],
    tabs: new Map<number, string>(),
    executed: [] as { tabId: number; files: string[] }[],
  };
  const browser = {
    runtime: { getURL: (path: string) => `chrome-extension://abcdefghijklmnopabcdefghijklmnop${path}` },
    permissions: {
      contains: async ({ origins }: { origins: string[] }) => origins.every((o) => state.access.has(o)),
      remove: async ({ origins }: { origins: string[] }) => {
        for (const o of origins) state.access.delete(o);
        return true;
      },
    },
    scripting: {
      getRegisteredContentScripts: async () => [...state.scripts.values()],
      registerContentScripts: async (scripts: Script[]) => {
        // The browser applies it a while later (a round trip to its own process).
        await new Promise((resolve) => setTimeout(resolve, 20));
        for (const s of scripts)
          if (state.scripts.has(s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
        for (const s of scripts) state.scripts.set(s.id, s);
      },
      unregisterContentScripts: async ({ ids }: { ids: string[] }) => {
        for (const id of ids) state.scripts.delete(id);
      },
      executeScript: async ({ target, files }: { target: { tabId: number }; files: string[] }) => {
        state.executed.push({ tabId: target.tabId, files });
        return [];
      },
    },
    tabs: { get: async (tabId: number) => ({ id: tabId, url: state.tabs.get(tabId) }) },
  };
  const chrome = {
    // The real i18n API of the test set-up (test/unit/setup.ts): the errors are in words.
    i18n: (globalThis as { chrome?: { i18n?: unknown } }).chrome?.i18n,
    tabs: { TAB_ID_NONE: -1 },
    declarativeNetRequest: {
      getSessionRules: async () => state.rules,
      updateSessionRules: async ({
        removeRuleIds = [],
        addRules = [],
      }: {
        removeRuleIds?: number[];
        addRules?: Rule[];
      }) => {
        state.rules = state.rules.filter((r) => !removeRuleIds.includes(r.id)).concat(addRules);
      },
    },
  };
  return { state, browser, chrome };
});

vi.mock('webextension-polyfill', () => ({ default: fake.browser }));
vi.stubGlobal('chrome', fake.chrome);

const { addOrigin, removeOrigin, withdrawOrigin, startScriptsInTab, scriptsRegistered, originsWithAccess } =
  await import('../../../src/background/origins');
const { saveSettings, loadSettings } = await import('../../../src/background/settings');
const { DEFAULT_SETTINGS } = await import('../../../src/shared/settings');
const { CONTENT_SCRIPT_FILES } = await import('../../../src/shared/build');

const SITE = 'https://acme.storefront.example';
const { state } = fake;

const scriptsOf = (o: string) =>
  [...state.scripts.values()].filter((s) => s.matches?.some((m) => m.startsWith(`${o}/`)));
const rulesOf = (o: string) =>
  state.rules.filter((r) => r.action.requestHeaders?.some((h) => h.header === 'Origin' && h.value === o));

beforeEach(async () => {
  state.access.clear();
  state.scripts.clear();
  state.rules = [];
  state.tabs.clear();
  state.executed = [];
  await saveSettings({ origins: [...DEFAULT_SETTINGS.origins] });
});

describe('an added origin in the browser', () => {
  it('is added only with its access, and then with its two content scripts and its header rule', async () => {
    await expect(addOrigin(SITE)).rejects.toThrow(/no access/);
    expect(scriptsOf(SITE)).toEqual([]);
    expect((await loadSettings()).origins).not.toContain(SITE);

    state.access.add(`${SITE}/*`);
    const settings = await addOrigin(`${SITE}/`);
    expect(settings.origins).toContain(SITE);
    expect(scriptsOf(SITE).map((s) => [s.matches, s.js])).toEqual([
      [[`${SITE}/manager/learners/*`], [CONTENT_SCRIPT_FILES.inviteHistory]],
      [[`${SITE}/manager/licenses/*`], [CONTENT_SCRIPT_FILES.usageTab]],
    ]);
    expect(rulesOf(SITE)).toHaveLength(1);
    expect(await scriptsRegistered(SITE)).toBe(true);
  });

  it('added twice at once (a click and the browser’s onAdded) is added once, without a duplicate-id failure', async () => {
    state.access.add(`${SITE}/*`);
    await Promise.all([addOrigin(SITE), addOrigin(SITE), addOrigin(SITE)]);
    expect(scriptsOf(SITE)).toHaveLength(2);
    expect(rulesOf(SITE)).toHaveLength(1);
    expect((await loadSettings()).origins.filter((o) => o === SITE)).toHaveLength(1);
  });

  it('removed: access, scripts and rule go together, and the setting', async () => {
    state.access.add(`${SITE}/*`);
    await addOrigin(SITE);
    const settings = await removeOrigin(SITE);
    expect(settings.origins).not.toContain(SITE);
    expect(state.access.has(`${SITE}/*`)).toBe(false);
    expect(scriptsOf(SITE)).toEqual([]);
    expect(rulesOf(SITE)).toEqual([]);
  });

  it('access taken back by the browser: scripts and rule withdrawn, the site still listed', async () => {
    state.access.add(`${SITE}/*`);
    await addOrigin(SITE);
    state.access.delete(`${SITE}/*`);
    await withdrawOrigin(SITE);
    expect(scriptsOf(SITE)).toEqual([]);
    expect(rulesOf(SITE)).toEqual([]);
    expect((await loadSettings()).origins).toContain(SITE);
    expect(await originsWithAccess((await loadSettings()).origins)).toEqual([...DEFAULT_SETTINGS.origins]);
  });

  it('a late withdrawal leaves a site alone once its access is held again', async () => {
    state.access.add(`${SITE}/*`);
    await addOrigin(SITE);
    await withdrawOrigin(SITE);
    expect(scriptsOf(SITE)).toHaveLength(2);
    expect(rulesOf(SITE)).toHaveLength(1);
  });

  it('an origin with a port: access and scripts by its host’s pattern (Firefox matches no pattern naming a port), the rule exact', async () => {
    const ported = 'https://acme.storefront.example:8443';
    state.access.add('https://acme.storefront.example/*');
    await addOrigin(ported);
    expect([...state.scripts.values()].map((s) => s.matches)).toEqual([
      ['https://acme.storefront.example/manager/learners/*'],
      ['https://acme.storefront.example/manager/licenses/*'],
    ]);
    expect(rulesOf(ported)).toHaveLength(1);
    state.tabs.set(5, `${ported}/manager/learners/l-1`);
    state.tabs.set(6, `${SITE}/manager/learners/l-1`);
    expect(await startScriptsInTab(5, ported)).toBe(true);
    expect(await startScriptsInTab(6, ported)).toBe(false);
    await removeOrigin(ported);
    expect(state.access.size).toBe(0);
    expect(state.scripts.size).toBe(0);
  });

  it('starts in an open tab the script its page would have had, and none on other pages', async () => {
    state.access.add(`${SITE}/*`);
    await addOrigin(SITE);
    state.tabs.set(1, `${SITE}/manager/learners/l-7?tab=invite-history`);
    state.tabs.set(2, `${SITE}/manager/licenses/c-3/distribute?tab=usage`);
    state.tabs.set(3, `${SITE}/dashboard`);
    state.tabs.set(4, `https://elsewhere.example/manager/learners/l-7`);
    expect(await startScriptsInTab(1, SITE)).toBe(true);
    expect(await startScriptsInTab(2, SITE)).toBe(true);
    expect(await startScriptsInTab(3, SITE)).toBe(false);
    expect(await startScriptsInTab(4, SITE)).toBe(false);
    expect(state.executed).toEqual([
      { tabId: 1, files: [CONTENT_SCRIPT_FILES.inviteHistory] },
      { tabId: 2, files: [CONTENT_SCRIPT_FILES.usageTab] },
    ]);
  });
});
