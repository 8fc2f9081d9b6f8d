/**
 * The Chrome store package, unpacked and loaded into Chromium as a person would load it, next
 * to a local server that looks exactly like the portal (the reference portal on loopback, signed
 * in): Reclaim leaves it alone. Its background starts with no portal origin, no content script
 * and no header rule, puts nothing on the page, and answers the popup by asking for the
 * manager's portal address; and chrome://extensions shows no error or warning for the package.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtensionContext, signInPage } from '../e2e/harness';
import { type Portal, startPortal } from '../portal/server';
import { simClient } from '../portal/sim-client';
import { storePackage, unpack } from './store-package';

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

const dir = mkdtempSync(join(tmpdir(), 'reclaim-chrome-package-'));
let portal: Portal;
let context: BrowserContext;
let extensionId: string;
let userDataDir: string;
let page: Page;

beforeAll(async () => {
  unpack(storePackage('chrome'), dir);
  portal = await startPortal({ quiet: true });
  ({ context, extensionId, userDataDir } = await launchExtensionContext({ dist: dir }));
  // Developer mode makes chrome://extensions collect the extension's errors and warnings.
  const extensions = await context.newPage();
  await extensions.goto('chrome://extensions/');
  await extensions.evaluate(() =>
    (chrome as unknown as { developerPrivate: DeveloperPrivate }).developerPrivate.updateProfileConfiguration(
      {
        inDeveloperMode: true,
      },
    ),
  );
  await extensions.close();
  page = context.pages()[0] ?? (await context.newPage());
  await signInPage(page, portal.url);
});

afterAll(async () => {
  await context?.close().catch(() => {});
  await portal?.close().catch(() => {});
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

async function extensionPage(path: string): Promise<Page> {
  const p = await context.newPage();
  await p.goto(`chrome-extension://${extensionId}/${path}`);
  return p;
}

describe('the Chrome store package beside a local look-alike of the portal', () => {
  it('has no portal origin and puts nothing on the page', async () => {
    const invite = (await simClient(portal.url).invites({ status: 'pending' }))[0];
    if (!invite) throw new Error('no pending invite');
    await page.goto(`${portal.url}/manager/licenses/${invite.course.id}/distribute?tab=usage`);
    await page.waitForSelector('tr[data-invite-id]');

    const options = await extensionPage('src/options/index.html');
    const settings = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'settings.get' }));
    expect(settings).toMatchObject({ ok: true, value: { origins: [] } });
    expect(await options.evaluate(() => chrome.scripting.getRegisteredContentScripts())).toEqual([]);
    expect(await options.evaluate(() => chrome.declarativeNetRequest.getSessionRules())).toEqual([]);
    const overview = await options.evaluate(() =>
      chrome.runtime.sendMessage({ type: 'overview.get', refresh: true }),
    );
    expect(overview).toMatchObject({ ok: false, error: { kind: 'no-permission' } });
    expect(overview.error.message).toMatch(/add your portal’s address/);
    await options.close();

    // The page got no controls (the development build adds them within a second here).
    await page.reload();
    await page.waitForSelector('tr[data-invite-id]');
    const ours = await page
      .waitForSelector('[data-reclaim], reclaim-row, reclaim-bar, reclaim-notice', {
        state: 'attached',
        timeout: 3000,
      })
      .then(
        () => true,
        () => false,
      );
    expect(ours).toBe(false);
  });

  it('loads with no error or warning on chrome://extensions', async () => {
    const extensions = await context.newPage();
    await extensions.goto('chrome://extensions/');
    const info = await extensions.evaluate(
      (id) =>
        (chrome as unknown as { developerPrivate: DeveloperPrivate }).developerPrivate.getExtensionInfo(id),
      extensionId,
    );
    expect(info.state).toBe('ENABLED');
    expect(info.manifestErrors).toEqual([]);
    expect(info.installWarnings).toEqual([]);
    expect(info.runtimeErrors.map((e) => e.message)).toEqual([]);
    await extensions.close();
  });
});
