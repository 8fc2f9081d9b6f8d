/**
 * What differs between Chromium and Firefox, for the background, in one place; everything else
 * goes through webextension-polyfill as it is, in both.
 *
 * - The extension's own origin. Chromium's is chrome-extension://<extension id>/; Firefox's is
 *   moz-extension://<uuid>/, a random UUID per installation that is not the add-on id
 *   `runtime.id` gives. declarativeNetRequest's `initiatorDomains` matches that host.
 * - The background runs as a service worker in Chromium and as an event page in Firefox
 *   (`background.scripts`, build/manifest.ts); the same code runs in both, and both stop it
 *   when idle, so nothing here relies on it staying alive.
 * - Content scripts registered at run time: Firefox resolves their file paths against the
 *   calling page, Chromium against the extension's root. Reclaim registers them only from the
 *   background, whose page is at the root in both.
 */
import browser from 'webextension-polyfill';

/** The host this extension's own requests come from, as `initiatorDomains` sees it. */
export function ownRequestInitiator(): string {
  return new URL(browser.runtime.getURL('/')).host;
}

/**
 * Whether notifications carry buttons: Chromium's do; Firefox's have none, and a click on the
 * notification is its one action (the expiry watch's Review).
 */
export function notificationButtons(): boolean {
  return !('getBrowserInfo' in browser.runtime);
}

/**
 * Opens the toolbar popup showing `hash` (e.g. "#expiring") where the browser lets the background
 * open it (Chromium, with a window to show it in); otherwise the same page in a new tab (Firefox
 * opens the popup only from a click of the manager's on the toolbar).
 */
export async function openPopupAt(hash: string): Promise<void> {
  const popup = browser.runtime.getManifest().action?.default_popup ?? 'src/popup/index.html';
  try {
    await browser.action.setPopup({ popup: `${popup}${hash}` });
    await browser.action.openPopup();
    return;
  } catch {
    // No window to show it in, or not allowed here: a tab instead.
  } finally {
    await browser.action.setPopup({ popup }).catch(() => undefined);
  }
  await browser.tabs.create({ url: browser.runtime.getURL(`${popup}${hash}`) });
}
