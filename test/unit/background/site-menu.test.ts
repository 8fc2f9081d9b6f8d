/**
 * "Enable Reclaim on this site" in the toolbar button's menu (background/site-menu.ts): the
 * permission request inside the click (a user gesture only while the listener runs), nothing
 * changed where Reclaim cannot work, and every outcome left for the popup to say.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSiteMenu, SITE_MENU_ID } from '../../../src/background/site-menu';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import type { SiteEnabled, SiteMenuResult } from '../../../src/shared/sites';
import { installI18n } from '../../i18n';

const NOW = 5_000;
const TAB = { id: 9, url: 'https://acme.storefront.example/manager/learners/l-1?tab=invite-history' };
const enabled = (patch: Partial<SiteEnabled> = {}): SiteEnabled => ({
  settings: DEFAULT_SETTINGS,
  on: true,
  wasOn: false,
  injected: true,
  ...patch,
});

function setup(opts: { granted?: boolean | Error; result?: SiteEnabled | Error } = {}) {
  const calls: string[] = [];
  const recorded: SiteMenuResult[] = [];
  const enabler = {
    ask: vi.fn(async (origin: string, tabId: number | null) => {
      calls.push(`ask ${origin} ${tabId}`);
    }),
    enable: vi.fn(async (origin: string, tabId: number | null) => {
      calls.push(`enable ${origin} ${tabId}`);
      const r = opts.result ?? enabled();
      if (r instanceof Error) throw r;
      return r;
    }),
  };
  const menu = createSiteMenu({
    enabler,
    request: (origin) => {
      calls.push(`request ${origin}`);
      const g = opts.granted ?? true;
      return g instanceof Error ? Promise.reject(g) : Promise.resolve(g);
    },
    record: async (result) => {
      recorded.push(result);
    },
    openPopup: async () => {
      calls.push('openPopup');
    },
    now: () => NOW,
  });
  return { menu, calls, recorded, enabler };
}

afterEach(() => installI18n('en'));

describe('the toolbar menu item', () => {
  it('is in the toolbar button’s own menu, and says what it does', () => {
    const { menu } = setup();
    expect(menu.item).toEqual({
      id: SITE_MENU_ID,
      title: 'Enable Reclaim on this site',
      contexts: ['action'],
    });
  });

  it('says it in the browser’s language', () => {
    installI18n('fr');
    expect(setup().menu.item.title).toBe('Activer Reclaim sur ce site');
  });

  it('asks the browser inside the click, after noting the ask, then enables the site in that tab', async () => {
    const { menu, calls, recorded } = setup();
    const done = menu.clicked(SITE_MENU_ID, TAB);
    // Synchronously, before the listener returns: the user gesture lasts only that long.
    expect(calls).toEqual([
      'ask https://acme.storefront.example 9',
      'request https://acme.storefront.example',
    ]);
    await done;
    expect(calls.slice(2)).toEqual(['enable https://acme.storefront.example 9', 'openPopup']);
    expect(recorded).toEqual([
      { at: NOW, outcome: 'on', host: 'acme.storefront.example', wasOn: false, injected: true },
    ]);
  });

  it('where Reclaim cannot work: no request, nothing enabled, the popup opened (inside the click) to say why', async () => {
    for (const [tab, why] of [
      [{ id: 3, url: 'chrome://extensions/' }, 'not-web'],
      [{ id: 3, url: 'http://shop.example/' }, 'not-https'],
      [{ id: 3 }, 'no-address'],
      [undefined, 'no-address'],
    ] as const) {
      const { menu, calls, recorded, enabler } = setup();
      const done = menu.clicked(SITE_MENU_ID, tab);
      expect(calls).toEqual(['openPopup']);
      await done;
      expect(enabler.ask).not.toHaveBeenCalled();
      expect(enabler.enable).not.toHaveBeenCalled();
      expect(recorded).toEqual([{ at: NOW, outcome: 'unsuitable', why }]);
    }
  });

  it('access refused, or not held after all: nothing enabled, and the popup says so', async () => {
    const refused = setup({ granted: false });
    await refused.menu.clicked(SITE_MENU_ID, TAB);
    expect(refused.enabler.enable).not.toHaveBeenCalled();
    expect(refused.recorded).toEqual([{ at: NOW, outcome: 'not-granted', host: 'acme.storefront.example' }]);

    const notHeld = setup({ result: enabled({ on: false, injected: false }) });
    await notHeld.menu.clicked(SITE_MENU_ID, TAB);
    expect(notHeld.recorded).toEqual([{ at: NOW, outcome: 'not-granted', host: 'acme.storefront.example' }]);
  });

  it('a failure is said, with the browser’s or Reclaim’s reason', async () => {
    const { menu, recorded } = setup({ result: new Error('Duplicate script ID') });
    await menu.clicked(SITE_MENU_ID, TAB);
    expect(recorded).toEqual([
      { at: NOW, outcome: 'failed', host: 'acme.storefront.example', message: 'Duplicate script ID' },
    ]);
    const thrown = setup({ granted: new Error('This function must be called during a user gesture') });
    await thrown.menu.clicked(SITE_MENU_ID, TAB);
    expect(thrown.recorded[0]).toMatchObject({ outcome: 'failed', message: /user gesture/ });
  });

  it('ignores other menu items', async () => {
    const { menu, calls, recorded } = setup();
    await menu.clicked('someone-else', TAB);
    expect(calls).toEqual([]);
    expect(recorded).toEqual([]);
  });
});
