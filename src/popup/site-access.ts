/**
 * What the popup's "Use Reclaim on <host>" (EnableSite.tsx) needs from the browser: the tab the
 * popup was opened over, the allowed origins, Reclaim's access to the tab's site, the permission
 * request, the background, and what the toolbar button's menu item did last. Loaded after the
 * first render, as live.ts is, so the browser API wrapper and Dexie stay out of the first chunk.
 */
import { liveQuery } from 'dexie';
import browser from 'webextension-polyfill';
import { db } from '../shared/db';
import { originPattern } from '../shared/origins';
import { type Send, send } from '../shared/send';
import { readSettings } from '../shared/settings';
import { isSiteMenuResult, SITE_MENU_RESULT_KEY, type SiteMenuResult } from '../shared/sites';

export interface SiteAccess {
  /**
   * The active tab of the popup's window: its id, and its address where the browser shows it
   * (activeTab: the tab the toolbar button was clicked on).
   */
  activeTab(): Promise<{ id: number | null; url: string | undefined }>;
  allowedOrigins(): Promise<readonly string[]>;
  hasAccess(origin: string): Promise<boolean>;
  /** permissions.request for the origin: call it in the click, before anything is awaited. */
  request(origin: string): Promise<boolean>;
  send: Send;
  /** Watches what the toolbar button's menu item did last; returns a function that stops. */
  watchMenuResult(onValue: (result: SiteMenuResult | null) => void): () => void;
}

export const siteAccess: SiteAccess = {
  async activeTab() {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    return { id: tab?.id ?? null, url: tab?.url };
  },
  allowedOrigins: async () => (await readSettings(db())).origins,
  hasAccess: (origin) => browser.permissions.contains({ origins: [originPattern(origin)] }),
  request: (origin) => browser.permissions.request({ origins: [originPattern(origin)] }),
  send,
  watchMenuResult(onValue) {
    const sub = liveQuery(() => db().meta.get(SITE_MENU_RESULT_KEY)).subscribe({
      next: (row) => onValue(isSiteMenuResult(row?.value) ? row.value : null),
      error: () => onValue(null),
    });
    return () => sub.unsubscribe();
  },
};
