/**
 * Portal origins at run time: host permission, content-script registration and the
 * request-header rule for each origin the manager allows.
 *
 * The built-in origins (the loopback reference portal, development build only) are covered by
 * the manifest: host_permissions and static content_scripts. Every other origin is an https origin the manager added on the
 * options page, which asked for `${origin}/*` first (optional_host_permissions); here its two
 * content scripts are registered for the portal's learner and licence pages, and the Origin
 * header rule is installed. Removing an origin withdraws the scripts, the rule and the permission.
 */
import browser from 'webextension-polyfill';
import { pages } from '../portal/page/routes';
import { CONTENT_SCRIPT_FILES } from '../shared/build';
import { isBuiltInOrigin, originPattern } from '../shared/origins';
import type { Settings } from '../shared/types';
import { installOriginRule, removeOriginRule } from './origin-rule';
import { loadSettings, saveSettings } from './settings';

const ID_PREFIX = 'reclaim:';

/** The content scripts one origin gets, with ids that name the origin. */
function scriptsFor(origin: string): browser.Scripting.RegisteredContentScript[] {
  return [
    {
      id: `${ID_PREFIX}invite-history:${origin}`,
      js: [CONTENT_SCRIPT_FILES.inviteHistory],
      matches: [`${origin}${pages.learners}/*`],
      runAt: 'document_idle',
      persistAcrossSessions: true,
    },
    {
      id: `${ID_PREFIX}usage-tab:${origin}`,
      js: [CONTENT_SCRIPT_FILES.usageTab],
      matches: [`${origin}${pages.licenses}/*`],
      runAt: 'document_idle',
      persistAcrossSessions: true,
    },
  ];
}

/** `raw` as a bare https origin; throws on anything else. */
function normalizeOrigin(raw: string): string {
  const url = new URL(raw);
  if (url.protocol !== 'https:' && !isBuiltInOrigin(url.origin))
    throw new Error(`Only https origins can be added: ${raw}`);
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

/** Adds an origin the manager has just granted host permission for. */
export async function addOrigin(raw: string): Promise<Settings> {
  const origin = normalizeOrigin(raw);
  const settings = await loadSettings();
  if (isBuiltInOrigin(origin)) {
    return settings.origins.includes(origin)
      ? settings
      : saveSettings({ origins: [...settings.origins, origin] });
  }
  if (!(await browser.permissions.contains({ origins: [originPattern(origin)] }))) {
    throw new Error(`Reclaim has no access to ${origin}: the browser did not grant it.`);
  }
  await registerScripts(origin);
  await installOriginRule(origin);
  const origins = settings.origins.includes(origin) ? settings.origins : [...settings.origins, origin];
  return saveSettings({ origins });
}

/** Removes an origin: withdraws its content scripts, header rule and host permission. */
export async function removeOrigin(raw: string): Promise<Settings> {
  const origin = normalizeOrigin(raw);
  if (isBuiltInOrigin(origin))
    throw new Error(`${origin} is built in (the reference portal) and cannot be removed.`);
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
    throw new Error(
      `${origin} was removed, but not all of it was withdrawn: ${failed.map((f) => String(f.reason)).join('; ')}`,
    );
  }
  return next;
}

/**
 * On start-up: every allowed non-default origin that still has its permission gets its content
 * scripts (registered again if missing); scripts of ours for origins no longer allowed go.
 */
export async function ensureOriginsRegistered(): Promise<void> {
  const settings = await loadSettings();
  const allowed = new Set(settings.origins.filter((o) => !isBuiltInOrigin(o)));
  const ours = (await browser.scripting.getRegisteredContentScripts()).filter(
    (s) => originOfId(s.id) !== null,
  );
  const wanted = new Map<string, browser.Scripting.RegisteredContentScript>();
  for (const origin of allowed) {
    if (!(await browser.permissions.contains({ origins: [originPattern(origin)] }))) continue;
    for (const s of scriptsFor(origin)) wanted.set(s.id, s);
  }
  // Drop ours for origins no longer allowed, and any left from an older build (other file names).
  const drop = ours.filter((s) => wanted.get(s.id)?.js?.join() !== s.js?.join()).map((s) => s.id);
  if (drop.length) await browser.scripting.unregisterContentScripts({ ids: drop });
  const kept = new Set(ours.map((s) => s.id).filter((id) => !drop.includes(id)));
  const missing = [...wanted.values()].filter((s) => !kept.has(s.id));
  if (missing.length) await browser.scripting.registerContentScripts(missing);
}
