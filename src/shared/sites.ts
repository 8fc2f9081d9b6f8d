/**
 * The site a browser tab shows, as Reclaim can be enabled on it from the popup ("Use Reclaim on
 * <host>") or the toolbar button's menu ("Enable Reclaim on this site"). One decision for both:
 *
 *   unsuitable  the browser shows Reclaim no address for the tab (its own pages, a tab Reclaim was
 *               not invoked on), the page is not a web page (chrome://, about:, file:, an
 *               extension's page), or it is plain http, except the development build's loopback
 *               reference portal: nothing to offer there.
 *   on          Reclaim works there already: an allowed origin with its host access (a built-in
 *               origin has its access from the manifest).
 *   offer       an https site Reclaim does not work on, or one whose access the browser took back.
 */
import { DEFAULT_ORIGINS, originAllowed } from './origins';
import type { Settings } from './types';

export type Unsuitable = 'no-address' | 'not-web' | 'not-https';

export type SiteOfTab = { ok: true; origin: string; host: string } | { ok: false; why: Unsuitable };

export type TabSite =
  | { kind: 'unsuitable'; why: Unsuitable }
  | { kind: 'on' | 'offer'; origin: string; host: string };

/**
 * The built-in entry covering `origin` (the development build's loopback portal, any port), whose
 * access and content scripts are in the manifest; undefined for any other origin.
 */
export const builtInEntryOf = (origin: string): string | undefined =>
  DEFAULT_ORIGINS.find((entry) => originAllowed(origin, [entry]));

/** The origin Reclaim could be enabled on from a tab at `url`, or why there is none. */
export function siteOfTab(url: string | undefined): SiteOfTab {
  if (!url) return { ok: false, why: 'no-address' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, why: 'no-address' };
  }
  const site = { ok: true as const, origin: parsed.origin, host: parsed.host };
  if (parsed.protocol === 'https:' && parsed.hostname) return site;
  if (parsed.protocol === 'http:')
    return builtInEntryOf(parsed.origin) ? site : { ok: false, why: 'not-https' };
  return { ok: false, why: 'not-web' };
}

/**
 * What a tab at `url` is to Reclaim, given the allowed origins and whether Reclaim holds host
 * access to the tab's origin now.
 */
export function tabSite(url: string | undefined, allowed: readonly string[], hasAccess: boolean): TabSite {
  const site = siteOfTab(url);
  if (!site.ok) return { kind: 'unsuitable', why: site.why };
  const on = originAllowed(site.origin, allowed) && (hasAccess || builtInEntryOf(site.origin) !== undefined);
  return { kind: on ? 'on' : 'offer', origin: site.origin, host: site.host };
}

/** What enabling a site did (the answer to `origins.enable`). */
export interface SiteEnabled {
  settings: Settings;
  /** Reclaim works there now: access granted, content scripts and header rule in place. */
  on: boolean;
  /** It already did before this request (nothing was changed). */
  wasOn: boolean;
  /** Its content script was started in the tab just now, so that page needs no reload. */
  injected: boolean;
}

/** Where the background leaves what the toolbar button's menu item did last (Dexie `meta`). */
export const SITE_MENU_RESULT_KEY = 'site.menuResult';

/** What the menu item did last, for the popup to say. `at`: the extension's clock. */
export type SiteMenuResult = { at: number } & (
  | { outcome: 'unsuitable'; why: Unsuitable }
  | { outcome: 'on'; host: string; wasOn: boolean; injected: boolean }
  | { outcome: 'not-granted'; host: string }
  | { outcome: 'failed'; host: string; message: string }
);

const OUTCOMES: readonly string[] = ['unsuitable', 'on', 'not-granted', 'failed'];

/** Whether a stored value is a SiteMenuResult (it is read back from the database). */
export function isSiteMenuResult(value: unknown): value is SiteMenuResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { at?: unknown; outcome?: unknown; host?: unknown; why?: unknown };
  if (typeof v.at !== 'number' || typeof v.outcome !== 'string' || !OUTCOMES.includes(v.outcome))
    return false;
  return v.outcome === 'unsuitable' ? typeof v.why === 'string' : typeof v.host === 'string';
}
