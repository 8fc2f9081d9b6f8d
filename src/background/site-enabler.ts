/**
 * Enabling Reclaim on the site a tab shows, from the popup's "Use Reclaim on <host>" or the
 * toolbar button's "Enable Reclaim on this site", and following the browser's own changes to
 * Reclaim's host access. Enabling is the options page's addOrigin (origins.ts: the settings, the
 * content scripts and the Origin header rule); this only decides when, and starts the content
 * script in the tab the manager asked from.
 *
 * Why an "ask": permissions.request must be called in the click itself (the user gesture), and
 * in Firefox the popup closes when the browser's prompt opens, taking with it anything it would
 * do after the answer. So the popup (or the menu's handler) first tells the background which
 * origin, from which tab, it is asking for; the ask is stored, because the browser may stop the
 * background while the prompt is open. When access is granted (permissions.onAdded, which wakes a
 * stopped background) the background finishes by itself; the popup, when it is still open, asks
 * again and gets the same answer. A grant nobody asked for (the browser's own extension settings)
 * enables nothing new: Reclaim works on a site only when the manager asked Reclaim to.
 *
 * Access taken back in the browser's own settings (permissions.onRemoved) withdraws the site's
 * content scripts and header rule; the site stays listed, and access given back there restores
 * them.
 */
import { t } from '../shared/i18n';
import { originPattern } from '../shared/origins';
import { builtInEntryOf, type SiteEnabled, siteOfTab } from '../shared/sites';
import type { Settings } from '../shared/types';

/** An ask is good for this long: the manager answers the browser's prompt, or gives up. */
export const ASK_TTL_MS = 10 * 60_000;

/** How long what a grant enabled waits for the asking click's own follow-up (seconds, in practice). */
const SETTLED_MS = 60_000;

export interface Ask {
  origin: string;
  /** The tab asked from, for starting the content script there; null when none. */
  tabId: number | null;
  at: number;
}

export interface SiteEnablerDeps {
  settings(): Promise<Settings>;
  /** Whether Reclaim holds host access to `origin` now. */
  hasAccess(origin: string): Promise<boolean>;
  addOrigin(origin: string): Promise<Settings>;
  /** Withdraws an added origin's content scripts and header rule (origins.ts). */
  withdrawOrigin(origin: string): Promise<void>;
  scriptsRegistered(origin: string): Promise<boolean>;
  startScriptsInTab(tabId: number, origin: string): Promise<boolean>;
  asks: {
    put(ask: Ask): Promise<void>;
    /** The ask for `origin`, removed from the store; null when there is none. */
    take(origin: string): Promise<Ask | null>;
    /** The asks for origins `pattern` grants (originPattern), removed from the store. */
    takeFor(pattern: string): Promise<Ask[]>;
  };
  now(): number;
}

export type SiteEnabler = ReturnType<typeof createSiteEnabler>;

/** Whether a granted host pattern is one site's (originPattern's form), not a wildcard. */
export function isSitePattern(pattern: string): boolean {
  if (!pattern.endsWith('/*') || pattern.slice(0, -2).includes('*')) return false;
  try {
    return originPattern(pattern.slice(0, -2)) === pattern;
  } catch {
    return false;
  }
}

/** The site's origin, checked as the menu and the popup check a tab's; throws on anything else. */
function siteOrigin(raw: string): string {
  const site = siteOfTab(raw);
  if (!site.ok) throw new Error(t('bgSiteHttpsOnly', raw));
  return site.origin;
}

export function createSiteEnabler(deps: SiteEnablerDeps) {
  /**
   * What the browser's grant enabled, per origin, for the click that asked: the popup (or the
   * menu's handler) asks again once its permission request resolves, often after onAdded did the
   * work, and must hear what that did, not "it was on already".
   */
  const settled = new Map<string, { result: SiteEnabled; at: number }>();
  const queue: { last: Promise<unknown> } = { last: Promise.resolve() };
  /** One enabling at a time, so a click and the browser's onAdded never both start a tab's script. */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.last.then(fn, fn);
    queue.last = next.catch(() => undefined);
    return next;
  };

  async function enableNow(origin: string, tabId: number | null): Promise<SiteEnabled> {
    const settings = await deps.settings();
    const entry = builtInEntryOf(origin);
    if (entry) {
      // The manifest gives the loopback portal its access and content scripts: only the setting.
      const wasOn = settings.origins.includes(entry);
      return { settings: await deps.addOrigin(entry), on: true, wasOn, injected: false };
    }
    if (!(await deps.hasAccess(origin))) return { settings, on: false, wasOn: false, injected: false };
    const registered = await deps.scriptsRegistered(origin);
    const wasOn = registered && settings.origins.includes(origin);
    const next = await deps.addOrigin(origin);
    // A page whose origin had no scripts registered cannot be running one: start it there now.
    const injected =
      !registered && tabId !== null
        ? await deps.startScriptsInTab(tabId, origin).catch((err) => {
            console.warn('Reclaim: starting the content script in the tab', err);
            return false;
          })
        : false;
    return { settings: next, on: true, wasOn, injected };
  }

  /** Remembers that the manager is asking the browser for `origin`'s access from `tabId`. */
  const ask = (raw: string, tabId: number | null): Promise<void> =>
    deps.asks.put({ origin: siteOrigin(raw), tabId, at: deps.now() });

  /**
   * Enables `origin` when Reclaim holds its access (then the ask is done), else answers
   * `on: false` and the ask waits for the browser's grant.
   */
  const enable = (raw: string, tabId: number | null): Promise<SiteEnabled> => {
    const origin = siteOrigin(raw);
    return serial(async () => {
      const earlier = settled.get(origin);
      settled.delete(origin);
      const result =
        earlier && deps.now() - earlier.at <= SETTLED_MS ? earlier.result : await enableNow(origin, tabId);
      if (result.on) await deps.asks.take(origin);
      return result;
    });
  };

  return {
    ask,
    enable,

    /** The popup's `origins.enable`: the ask, then enable (sent before the browser is asked, and after). */
    async askAndEnable(raw: string, tabId: number | null): Promise<SiteEnabled> {
      await ask(raw, tabId);
      return enable(raw, tabId);
    },

    /**
     * permissions.onAdded: an origin granted is enabled when it was asked for, or when it is
     * listed already (its access was taken back in the browser, and is given back there).
     */
    async accessAdded(patterns: readonly string[]): Promise<SiteEnabled[]> {
      const done: SiteEnabled[] = [];
      for (const pattern of patterns.filter(isSitePattern)) {
        const asks = (await deps.asks.takeFor(pattern)).filter((a) => deps.now() - a.at <= ASK_TTL_MS);
        const listed = (await deps.settings()).origins.filter(
          (o) => !builtInEntryOf(o) && originPattern(o) === pattern && !asks.some((a) => a.origin === o),
        );
        const wanted = [...asks, ...listed.map((origin) => ({ origin, tabId: null }))];
        for (const { origin, tabId } of wanted) {
          const result = await serial(() => enableNow(origin, tabId));
          if (result.on && tabId !== null) settled.set(origin, { result, at: deps.now() });
          done.push(result);
        }
      }
      return done;
    },

    /** permissions.onRemoved: each listed origin taken back loses its scripts and header rule. */
    async accessRemoved(patterns: readonly string[]): Promise<void> {
      const origins = (await deps.settings()).origins.filter(
        (o) => !builtInEntryOf(o) && patterns.filter(isSitePattern).includes(originPattern(o)),
      );
      for (const origin of origins) {
        settled.delete(origin);
        await deps.withdrawOrigin(origin);
      }
    },
  };
}
