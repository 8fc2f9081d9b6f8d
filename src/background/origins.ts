/**
 * Portal origins at run time: host permission, content-script registration and the
 * request-header rule for each origin the manager allows.
 *
 * The built-in origins (the loopback reference portal, development build only) are covered by
 * the manifest: host_permissions and static content_scripts. Every other origin is an https origin the manager added on the
 * options page, which asked for `${origin}/*` first (optional_host_permissions); here its two
 * content scripts are registered for the portal's learner and licence pages, and the Origin
 * header rule is installed. Removing an origin withdraws the scripts, the rule and the permission;
 * when the browser takes the permission back itself (its own extension settings), the scripts and
 * the rule are withdrawn and the origin stays listed (site-enabler.ts).
 *
 * Changes run one at a time: the options page, the popup and the toolbar button's menu may enable
 * the same origin at once (a click and the browser's permissions.onAdded), and registering its
 * scripts twice at once would fail on their ids.
 */
import browser from 'webextension-polyfill';
import { pages } from '../portal/page/routes';
import { CONTENT_SCRIPT_FILES } from '../shared/build';
import { t } from '../shared/i18n';
import { isBuiltInOrigin, originPattern } from '../shared/origins';
import type { Settings } from '../shared/types';
import { installOriginRule, removeOriginRule } from './origin-rule';
import { loadSettings, saveSettings } from './settings';

const ID_PREFIX = 'reclaim:';

const queue: { last: Promise<unknown> } = { last: Promise.resolve() };

/** Runs one change of origins after the ones before it. */
function serial<T>(fn: () => Promise<T>): Promise<T> {
  const next = queue.last.then(fn, fn);
  queue.last = next.catch(() => undefined);
  return next;
}

/** The portal pages each content script is for (routes.ts), under an origin. */
const SCRIPT_PAGES = [
  { name: 'invite-history', file: CONTENT_SCRIPT_FILES.inviteHistory, path: pages.learners },
  { name: 'usage-tab', file: CONTENT_SCRIPT_FILES.usageTab, path: pages.licenses },
] as const;

/** The content scripts one origin gets, with ids that name the origin (matches: originPattern's host). */
function scriptsFor(origin: string): browser.Scripting.RegisteredContentScript[] {
  const host = originPattern(origin).slice(0, -2);
  return SCRIPT_PAGES.map((p) => ({
    id: `${ID_PREFIX}${p.name}:${origin}`,
    js: [p.file],
    matches: [`${host}${p.path}/*`],
    runAt: 'document_idle',
    persistAcrossSessions: true,
  }));
}

/** `raw` as a bare https origin; throws on anything else. */
function normalizeOrigin(raw: string): string {
  const url = new URL(raw);
  if (url.protocol !== 'https:' && !isBuiltInOrigin(url.origin)) throw new Error(t('bgHttpsOnly', raw));
  return url.origin;
}

/** The origin a script id of ours belongs to, or null for someone else's id. */
function originOfId(id: string): string | null {
  if (!id.startsWith(ID_PREFIX)) return null;
  const rest = id.slice(ID_PREFIX.length);
  const colon = rest.indexOf(':');
  return colon < 0 ? null : rest.slice(colon + 1);
}

async function registeredIds(): Promise<string[]> {
  const scripts = await browser.scripting.getRegisteredContentScripts();
  return scripts.map((s) => s.id).filter((id) => originOfId(id) !== null);
}

async function registerScripts(origin: string): Promise<void> {
  const wanted = scriptsFor(origin);
  const have = new Set(await registeredIds());
  const stale = wanted.filter((s) => have.has(s.id)).map((s) => s.id);
  // Re-register rather than update: the built files change names between versions.
  if (stale.length) await browser.scripting.unregisterContentScripts({ ids: stale });
  await browser.scripting.registerContentScripts(wanted);
}

async function unregisterScripts(origin: string): Promise<void> {
  const have = new Set(await registeredIds());
  const ids = scriptsFor(origin)
    .map((s) => s.id)
    .filter((id) => have.has(id));
  if (ids.length) await browser.scripting.unregisterContentScripts({ ids });
}

const hasAccess = (origin: string): Promise<boolean> =>
  browser.permissions.contains({ origins: [originPattern(origin)] });

/** Adds an origin the manager has just granted host permission for. */
export function addOrigin(raw: string): Promise<Settings> {
  return serial(() => add(raw));
}

async function add(raw: string): Promise<Settings> {
  const origin = normalizeOrigin(raw);
  const settings = await loadSettings();
  if (isBuiltInOrigin(origin)) {
    return settings.origins.includes(origin)
      ? settings
      : saveSettings({ origins: [...settings.origins, origin] });
  }
  if (!(await hasAccess(origin))) {
    throw new Error(t('bgNoAccess', origin));
  }
  await registerScripts(origin);
  await installOriginRule(origin);
  const origins = settings.origins.includes(origin) ? settings.origins : [...settings.origins, origin];
  return saveSettings({ origins });
}

/** Removes an origin: withdraws its content scripts, header rule and host permission. */
export function removeOrigin(raw: string): Promise<Settings> {
  return serial(() => remove(raw));
}

async function remove(raw: string): Promise<Settings> {
  const origin = normalizeOrigin(raw);
  if (isBuiltInOrigin(origin)) throw new Error(t('bgBuiltIn', origin));
  const settings = await loadSettings();
  // Forget it first, so nothing starts there while it is being withdrawn.
  const next = await saveSettings({ origins: settings.origins.filter((o) => o !== origin) });
  const results = await Promise.allSettled([
    unregisterScripts(origin),
    removeOriginRule(origin),
    browser.permissions.remove({ origins: [originPattern(origin)] }),
  ]);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length) {
    throw new Error(t('bgNotRemovedFully', origin, failed.map((f) => String(f.reason)).join('; ')));
  }
  return next;
}

/**
 * The browser took an added origin's host permission back: its content scripts and header rule
 * go too (they would do nothing without it). The origin stays in the settings: the options page
 * lists it with "Grant access again", what Reclaim stored for it can still be forgotten, and
 * access given back in the browser restores it.
 */
export function withdrawOrigin(raw: string): Promise<void> {
  return serial(async () => {
    const origin = normalizeOrigin(raw);
    // Granted again since (the browser's event can come after the manager added it back).
    if (isBuiltInOrigin(origin) || (await hasAccess(origin))) return;
    await Promise.all([unregisterScripts(origin), removeOriginRule(origin)]);
  });
}

/** Whether both content scripts of `origin` are registered. */
export async function scriptsRegistered(raw: string): Promise<boolean> {
  const have = new Set(await registeredIds());
  return scriptsFor(new URL(raw).origin).every((s) => have.has(s.id));
}

/**
 * Starts in tab `tabId` the content script its page would have got had `origin` been enabled when
 * it loaded (none when the page is neither a learner's nor a course's). Only for an origin whose
 * scripts were not registered before, so the page cannot be running one already. Whether one was
 * started.
 */
export async function startScriptsInTab(tabId: number, raw: string): Promise<boolean> {
  const origin = new URL(raw).origin;
  const { url } = await browser.tabs.get(tabId);
  if (!url || new URL(url).origin !== origin) return false;
  const { pathname } = new URL(url);
  const files = SCRIPT_PAGES.filter((p) => pathname.startsWith(`${p.path}/`)).map((p) => p.file);
  if (files.length === 0) return false;
  await browser.scripting.executeScript({ target: { tabId }, files });
  return true;
}

/** The allowed origins Reclaim holds access to (a built-in one always: the manifest grants it). */
export async function originsWithAccess(origins: readonly string[]): Promise<string[]> {
  const held = await Promise.all(origins.map(async (o) => isBuiltInOrigin(o) || (await hasAccess(o))));
  return origins.filter((_, i) => held[i]);
}

/**
 * On start-up: every allowed non-default origin that still has its permission gets its content
 * scripts (registered again if missing); scripts of ours for origins no longer allowed go.
 */
export function ensureOriginsRegistered(): Promise<void> {
  return serial(ensureRegistered);
}

async function ensureRegistered(): Promise<void> {
  const settings = await loadSettings();
  const allowed = new Set(settings.origins.filter((o) => !isBuiltInOrigin(o)));
  const ours = (await browser.scripting.getRegisteredContentScripts()).filter(
    (s) => originOfId(s.id) !== null,
  );
  const wanted = new Map<string, browser.Scripting.RegisteredContentScript>();
  for (const origin of allowed) {
    if (!(await hasAccess(origin))) continue;
    for (const s of scriptsFor(origin)) wanted.set(s.id, s);
  }
  // Drop ours for origins no longer allowed, and any left from an older build (other file names
  // or match patterns).
  const same = (
    a: browser.Scripting.RegisteredContentScript | undefined,
    b: browser.Scripting.RegisteredContentScript,
  ) => a?.js?.join() === b.js?.join() && a?.matches?.join() === b.matches?.join();
  const drop = ours.filter((s) => !same(wanted.get(s.id), s)).map((s) => s.id);
  if (drop.length) await browser.scripting.unregisterContentScripts({ ids: drop });
  const kept = new Set(ours.map((s) => s.id).filter((id) => !drop.includes(id)));
  const missing = [...wanted.values()].filter((s) => !kept.has(s.id));
  if (missing.length) await browser.scripting.registerContentScripts(missing);
}
