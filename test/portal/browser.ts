/** Chromium for the portal's own tests of its pages (the system Chromium, headless). */
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { signIn } from './sim-client';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new', '--disable-background-networking', '--disable-component-update'],
  });
}

/** A browser context signed in to the portal (a fresh session), its dates in UTC. */
export async function signedInContext(browser: Browser, portalUrl: string): Promise<BrowserContext> {
  const context = await browser.newContext({ timezoneId: 'UTC' });
  const { cookie } = await signIn(portalUrl);
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: portalUrl }]);
  return context;
}
