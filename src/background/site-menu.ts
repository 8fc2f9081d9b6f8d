/**
 * "Enable Reclaim on this site" in the toolbar button's context menu (the `action` context), for
 * the tab the manager is on. A menu click is a user gesture in Chromium and Firefox alike, but
 * only while the listener runs: the permission request is made before anything is awaited.
 *
 * The item is on every tab: neither browser lets an `action` item depend on the tab's address
 * (documentUrlPatterns does not apply to it, and the address of a site Reclaim has no access to
 * is only known once the menu is clicked). Clicked where Reclaim cannot work, it changes nothing
 * and opens the popup, which says why; every outcome is left for the popup to say (Dexie `meta`,
 * SITE_MENU_RESULT_KEY).
 */
import { t } from '../shared/i18n';
import { type SiteMenuResult, siteOfTab } from '../shared/sites';
import type { SiteEnabler } from './site-enabler';

export const SITE_MENU_ID = 'reclaim-enable-site';

/** Distributes Omit over a union, so each outcome keeps its own fields. */
type WithoutAt<T> = T extends unknown ? Omit<T, 'at'> : never;

export interface SiteMenuDeps {
  enabler: Pick<SiteEnabler, 'ask' | 'enable'>;
  /** permissions.request for the origin: called synchronously in the click. */
  request(origin: string): Promise<boolean>;
  record(result: SiteMenuResult): Promise<void>;
  /** Opens the toolbar popup (where the browser allows it: in Firefox only inside the click). */
  openPopup(): Promise<void>;
  now(): number;
}

export function createSiteMenu(deps: SiteMenuDeps) {
  const tell = (result: WithoutAt<SiteMenuResult>): Promise<void> =>
    deps.record(Object.assign({ at: deps.now() }, result));
  const show = () =>
    deps.openPopup().catch(() => {
      // Not allowed here (Firefox after the prompt): the popup says it when next opened.
    });

  async function finish(origin: string, host: string, tabId: number | null, granted: Promise<boolean>) {
    try {
      if (!(await granted)) {
        await tell({ outcome: 'not-granted', host });
      } else {
        const r = await deps.enabler.enable(origin, tabId);
        await tell(
          r.on
            ? { outcome: 'on', host, wasOn: r.wasOn, injected: r.injected }
            : { outcome: 'not-granted', host },
        );
      }
    } catch (err) {
      await tell({ outcome: 'failed', host, message: err instanceof Error ? err.message : String(err) });
    }
    await show();
  }

  return {
    /** The menu item, in the browser's language (the popup words the outcomes). */
    item: { id: SITE_MENU_ID, title: t('menuEnableSite'), contexts: ['action' as const] },

    /** contextMenus.onClicked, for the tab it was clicked on (its address, where the browser gives it). */
    clicked(menuItemId: string | number, tab: { id?: number; url?: string } | undefined): Promise<void> {
      if (menuItemId !== SITE_MENU_ID) return Promise.resolve();
      const site = siteOfTab(tab?.url);
      if (!site.ok) {
        const shown = show();
        return Promise.all([tell({ outcome: 'unsuitable', why: site.why }), shown]).then(() => undefined);
      }
      const tabId = tab?.id ?? null;
      // The ask only matters if the browser stops the background while its prompt is open.
      const asked = deps.enabler
        .ask(site.origin, tabId)
        .catch((err) => console.warn('Reclaim: remembering the ask', err));
      const granted = deps.request(site.origin);
      return asked.then(() => finish(site.origin, site.host, tabId, granted));
    },
  };
}
