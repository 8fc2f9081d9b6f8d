/**
 * What an added portal origin has in the browser, for the end-to-end tests of the options page
 * and of enabling a site from the popup: its registered content scripts, its Origin header rule,
 * host access granted or taken back as chrome://extensions does it ("Site access: on specific
 * sites"; headless Chromium cannot answer the permission prompt), and whether a page shows
 * Reclaim's controls.
 */
import type { Page } from 'playwright-core';
import { originPattern } from '../../src/shared/origins';
import { MANAGER, type Reclaim } from './harness';

/** The content scripts registered for `o`'s host (their patterns name no port: originPattern). */
export async function registeredFor(
  r: Reclaim,
  o: string,
): Promise<{ id: string; matches: string[]; js: string[] }[]> {
  const sw = await r.serviceWorker();
  const all = (await sw.evaluate(() => chrome.scripting.getRegisteredContentScripts())) as {
    id: string;
    matches?: string[];
    js?: string[];
  }[];
  return all
    .filter((s) => (s.matches ?? []).some((m) => m.startsWith(originPattern(o).slice(0, -1))))
    .map((s) => ({ id: s.id, matches: s.matches ?? [], js: s.js ?? [] }));
}

/** How many session rules set `Origin` to `o`. */
export async function originRules(r: Reclaim, o: string): Promise<number> {
  const sw = await r.serviceWorker();
  const rules = (await sw.evaluate(() => chrome.declarativeNetRequest.getSessionRules())) as {
    action: { requestHeaders?: { header: string; value?: string }[] };
  }[];
  return rules.filter((rule) =>
    rule.action.requestHeaders?.some((h) => h.header === 'Origin' && h.value === o),
  ).length;
}

/** Whether Reclaim holds host access to `o`, as its own pages ask the browser. */
export async function hasAccess(r: Reclaim, o: string): Promise<boolean> {
  const sw = await r.serviceWorker();
  return sw.evaluate((p) => chrome.permissions.contains({ origins: [p] }), originPattern(o));
}

/** Whether Reclaim's in-page controls (a row control, not a notice) showed up within `ms`. */
export async function hasReclaimUi(page: Page, ms: number): Promise<boolean> {
  return page
    .waitForSelector('tr[data-invite-id] [data-reclaim="row"]', { state: 'attached', timeout: ms })
    .then(() => true)
    .catch(() => false);
}

interface DeveloperPrivate {
  addHostPermission(id: string, host: string): Promise<void>;
  removeHostPermission(id: string, host: string): Promise<void>;
}

/** Grants (or takes back) Reclaim's access to `o` on chrome://extensions, as a manager can there. */
export async function setSiteAccess(r: Reclaim, o: string, granted: boolean): Promise<void> {
  const extensions = await r.context.newPage();
  try {
    await extensions.goto('chrome://extensions/');
    await extensions.evaluate(
      ([id, pattern, add]) => {
        const dp = (chrome as unknown as { developerPrivate: DeveloperPrivate }).developerPrivate;
        return add ? dp.addHostPermission(id, pattern) : dp.removeHostPermission(id, pattern);
      },
      [r.extensionId, originPattern(o), granted] as const,
    );
  } finally {
    await extensions.close();
  }
}

/** Signs `page` in to the portal at `o` (another origin than the harness's). */
export async function signInAt(page: Page, o: string): Promise<void> {
  await page.goto(`${o}/login`);
  await page.fill('input[name="email"]', MANAGER.email);
  await page.fill('input[name="password"]', MANAGER.password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.press('input[name="password"]', 'Enter'),
  ]);
}
