import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, launchReclaim, type Reclaim } from './harness';
import { reclaimUi } from './reclaim-world';

/** The part of chrome://extensions' private API this test reads. */
interface DeveloperPrivate {
  updateProfileConfiguration(c: { inDeveloperMode: boolean }): Promise<void>;
  getExtensionInfo(id: string): Promise<{
    state: string;
    manifestErrors: { message: string }[];
    installWarnings: string[];
    runtimeErrors: { message: string }[];
  }>;
}

describe('the built manifest (development build)', () => {
  const built = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8'));

  it('asks only for what the code uses, and host access only for portal origins', () => {
    expect(built.manifest_version).toBe(3);
    // Its words come from the catalogues (public/_locales), in the browser's language.
    expect(built.name).toBe('__MSG_extName__');
    expect(built.default_locale).toBe('en');
    expect([...built.permissions].sort()).toEqual([
      'activeTab',
      'alarms',
      'contextMenus',
      'declarativeNetRequestWithHostAccess',
      'notifications',
      'scripting',
    ]);
    expect(built.host_permissions).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
    expect(built.optional_host_permissions).toEqual(['https://*/*']);
  });

  it('makes nothing web-accessible', () => {
    expect(built.web_accessible_resources).toBeUndefined();
  });
});

describe('Reclaim loads in Chromium', () => {
  let r: Reclaim;
  let extensionsPage: Page;
  const consoleErrors: string[] = [];
  beforeAll(async () => {
    r = await launchReclaim();
    r.context.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${m.location().url}: ${m.text()}`);
    });
    r.context.on('weberror', (e) => consoleErrors.push(`uncaught: ${e.error().message}`));
    // Developer mode makes chrome://extensions collect the extension's errors and warnings.
    extensionsPage = await r.context.newPage();
    await extensionsPage.goto('chrome://extensions/');
    await extensionsPage.evaluate(() =>
      (
        chrome as unknown as { developerPrivate: DeveloperPrivate }
      ).developerPrivate.updateProfileConfiguration({
        inDeveloperMode: true,
      }),
    );
  });
  afterAll(async () => {
    await r?.close();
  });

  it('runs its service worker from the built extension', async () => {
    const sw = await r.serviceWorker();
    expect(sw.url()).toBe(`chrome-extension://${r.extensionId}/service-worker-loader.js`);
  });

  it("adds its controls to a learner's Invite History tab", async () => {
    const invites = await r.sim.invites({ status: 'pending' });
    const learnerId = invites[0]?.learner.id;
    expect(learnerId).toBeTruthy();
    await r.page.goto(`${r.portal.url}/manager/learners/${learnerId}?tab=invite-history`);
    const ui = await reclaimUi(r.page);
    try {
      await expect
        .poll(
          () =>
            ui.button(/^Revoke (all \d+ pending invites? of .+|.+'s \d+ pending invites? \(\d+ courses?\))$/),
          { timeout: 15_000 },
        )
        .not.toBeNull();
    } finally {
      await ui.detach();
    }
  });

  it("adds its controls to a course's Usage tab", async () => {
    const invites = await r.sim.invites({ status: 'pending' });
    const courseId = invites[0]?.course.id;
    await r.page.goto(`${r.portal.url}/manager/licenses/${courseId}/distribute?tab=usage`);
    const ui = await reclaimUi(r.page);
    try {
      await expect
        .poll(
          () =>
            ui.button(/^Revoke (all \d+ pending invites? of .+|.+'s \d+ pending invites? \(\d+ courses?\))$/),
          { timeout: 15_000 },
        )
        .not.toBeNull();
      await expect.poll(() => ui.button(/^Revoke invite: /)).not.toBeNull();
    } finally {
      await ui.detach();
    }
  });

  it('opens its popup', async () => {
    const popup = await r.openPopup();
    await expect.poll(() => popup.title()).toBe('Reclaim');
    await expect.poll(() => popup.locator('body').textContent(), { timeout: 15_000 }).toMatch(/pending/i);
    await popup.close();
  });

  it('shows on the toolbar badge what needs attention after a full refresh: expiring invites first, in red', async () => {
    const pending = await r.sim.invites({ status: 'pending' });
    expect(pending.length).toBeGreaterThan(0);
    // The popup's own refresh, awaited: every course read from the portal into the cache.
    const popup = await r.openPopup();
    const refreshed = await popup.evaluate(() =>
      chrome.runtime.sendMessage({ type: 'overview.get', refresh: true }),
    );
    await popup.close();
    expect(refreshed).toMatchObject({ ok: true, value: { signedIn: true } });
    // The demo data has invites of every age: some expire within the expiry window (3 days).
    const now = Date.now();
    const expiring = pending.filter((i) => {
      const left = Date.parse(i.sentAt) + 30 * 86_400_000 - now;
      return left > 0 && left <= 3 * 86_400_000;
    });
    expect(expiring.length).toBeGreaterThan(0);
    const sw = await r.serviceWorker();
    const badge = async () => ({
      text: await sw.evaluate(() => chrome.action.getBadgeText({})),
      title: await sw.evaluate(() => chrome.action.getTitle({})),
      color: await sw.evaluate(() => chrome.action.getBadgeBackgroundColor({})),
    });
    // Polled whole: the badge is redrawn as each course's invites land, text and title together.
    await expect.poll(badge, { timeout: 15_000 }).toEqual({
      text: String(expiring.length),
      title: `Reclaim: ${expiring.length} pending invite${expiring.length === 1 ? ' expires' : 's expire'} within 3 days (the badge's red count). ${pending.length} pending invites`,
      color: [180, 35, 24, 255],
    });
  });

  it('shows no errors or warnings on chrome://extensions after all that', async () => {
    const info = await extensionsPage.evaluate(
      (id) =>
        (chrome as unknown as { developerPrivate: DeveloperPrivate }).developerPrivate.getExtensionInfo(id),
      r.extensionId,
    );
    expect(info.state).toBe('ENABLED');
    expect(info.manifestErrors).toEqual([]);
    expect(info.installWarnings).toEqual([]);
    expect(info.runtimeErrors.map((e) => e.message)).toEqual([]);
    // And nothing logged an error in the service worker, the pages or the popup.
    expect(consoleErrors).toEqual([]);
  });
});
