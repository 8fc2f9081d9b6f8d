/**
 * Enabling Reclaim on the site a tab shows (site-enabler.ts, site-menu.ts), wired to the browser:
 * its permission events, the toolbar button's menu, and Reclaim's database for the asks and the
 * menu's last outcome. The listeners are added synchronously from the background's top level, so
 * an event that wakes a stopped background is delivered to them.
 */
import browser from 'webextension-polyfill';
import type { ReclaimDb } from '../shared/db';
import { originPattern } from '../shared/origins';
import { SITE_MENU_RESULT_KEY } from '../shared/sites';
import { addOrigin, scriptsRegistered, startScriptsInTab, withdrawOrigin } from './origins';
import { loadSettings } from './settings';
import { ASK_TTL_MS, type Ask, createSiteEnabler, type SiteEnabler } from './site-enabler';
import { createSiteMenu } from './site-menu';

const ASK_PREFIX = 'site.ask:';

const isAsk = (value: unknown): value is Ask =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Ask).origin === 'string' &&
  typeof (value as Ask).at === 'number' &&
  (typeof (value as Ask).tabId === 'number' || (value as Ask).tabId === null);

/** Asks in Dexie's `meta` table, one per origin; putting one drops those too old to count. */
function storedAsks(db: ReclaimDb, now: () => number): SiteEnablerAsks {
  return {
    put: (ask) =>
      db.transaction('rw', db.meta, async () => {
        await db.meta
          .where('key')
          .startsWith(ASK_PREFIX)
          .filter((m) => !isAsk(m.value) || now() - m.value.at > ASK_TTL_MS)
          .delete();
        await db.meta.put({ key: `${ASK_PREFIX}${ask.origin}`, value: ask });
      }),
    take: (origin) =>
      db.transaction('rw', db.meta, async () => {
        const row = await db.meta.get(`${ASK_PREFIX}${origin}`);
        if (!row) return null;
        await db.meta.delete(row.key);
        return isAsk(row.value) ? row.value : null;
      }),
    takeFor: (pattern) =>
      db.transaction('rw', db.meta, async () => {
        const rows = await db.meta.where('key').startsWith(ASK_PREFIX).toArray();
        const asks = rows
          .map((row) => row.value)
          .filter((v): v is Ask => isAsk(v) && originPattern(v.origin) === pattern);
        await db.meta.bulkDelete(asks.map((a) => `${ASK_PREFIX}${a.origin}`));
        return asks;
      }),
  };
}

type SiteEnablerAsks = Parameters<typeof createSiteEnabler>[0]['asks'];

/** Adds the listeners and the menu item; returns the enabler, for the popup's `origins.enable`. */
export function listenForSites(db: ReclaimDb): SiteEnabler {
  const now = () => Date.now();
  const enabler = createSiteEnabler({
    settings: loadSettings,
    hasAccess: (origin) => browser.permissions.contains({ origins: [originPattern(origin)] }),
    addOrigin,
    withdrawOrigin,
    scriptsRegistered,
    startScriptsInTab,
    asks: storedAsks(db, now),
    now,
  });
  const menu = createSiteMenu({
    enabler,
    request: (origin) => browser.permissions.request({ origins: [originPattern(origin)] }),
    record: async (result) => {
      await db.meta.put({ key: SITE_MENU_RESULT_KEY, value: result });
    },
    openPopup: () => browser.action.openPopup(),
    now,
  });

  browser.permissions.onAdded.addListener((granted) => {
    void enabler
      .accessAdded(granted.origins ?? [])
      .catch((err) => console.warn('Reclaim: enabling a site just granted', err));
  });
  browser.permissions.onRemoved.addListener((removed) => {
    void enabler
      .accessRemoved(removed.origins ?? [])
      .catch((err) => console.warn('Reclaim: withdrawing a site taken back', err));
  });
  browser.contextMenus.onClicked.addListener((info, tab) => {
    const clicked = { id: tab?.id, url: tab?.url ?? info.pageUrl };
    void menu
      .clicked(info.menuItemId, clicked)
      .catch((err) => console.warn('Reclaim: the toolbar menu', err));
  });
  // Menu items outlive the background (both browsers keep them): made once per install or update.
  browser.runtime.onInstalled.addListener(() => {
    void browser.contextMenus
      .removeAll()
      .then(() => browser.contextMenus.create(menu.item))
      .catch((err) => console.warn('Reclaim: adding the toolbar menu item', err));
  });
  return enabler;
}
