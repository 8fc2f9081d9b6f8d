/**
 * Firefox end-to-end harness: the reference portal on a free port, and Debian's Firefox ESR
 * driven by puppeteer-core over WebDriver BiDi (no geckodriver), with the built Firefox extension
 * installed as a temporary add-on, signed in to the portal.
 *
 *   const r = await launchFirefoxReclaim();
 *   await r.page.goto(`${r.portal.url}/manager/licenses`);
 *   ...
 *   await r.close();
 *
 * The extension is taken from RECLAIM_FIREFOX_DIST (default dist-firefox/), built as the
 * development build first: `npm run build:firefox:dev`.
 *
 * Firefox lets BiDi reach extension pages and its own privileged scope only when started with
 * `--remote-allow-system-access`. Extension pages are opened with a raw `browsingContext.navigate`
 * (Firefox sends no load event there, so `page.goto` would wait forever); the privileged scope
 * gives the add-on's own record (its moz-extension:// origin, its manifest warnings) and stops
 * its background, as Firefox does when the background is idle.
 */
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../build/manifest';
import type { Replies, Reply, Request, RequestType } from '../../src/shared/messages';
import { assertDevelopmentBuild, MANAGER } from '../e2e/harness';
import { type Portal, type PortalOptions, startPortal } from '../portal/server';
import { simClient } from '../portal/sim-client';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_DIST = resolve(process.env.RECLAIM_FIREFOX_DIST ?? 'dist-firefox');

/** The part of Puppeteer's BiDi connection this harness uses (not in its public types). */
interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

interface EvaluateResult {
  type: 'success' | 'exception';
  result?: { type: string; value?: unknown };
  exceptionDetails?: { text: string };
}

export interface FirefoxReclaim {
  browser: Browser;
  /** A portal tab, signed in. */
  page: Page;
  portal: Portal;
  sim: ReturnType<typeof simClient>;
  /** The add-on's own origin, e.g. moz-extension://<uuid>/ . */
  baseUrl: string;
  /** Opens one of the extension's pages (path from its root) in a new tab. */
  openExtensionPage(path: string): Promise<Page>;
  /** Opens the toolbar popup's page in a new tab. */
  openPopup(): Promise<Page>;
  /** Sends a request to the background from `page` (an extension page), as the popup does; throws on an error reply. */
  askOk<T extends RequestType>(page: Page, request: Extract<Request, { type: T }>): Promise<Replies[T]>;
  /** Stops the add-on's background event page, as Firefox does when it is idle. */
  stopBackground(): Promise<void>;
  /** 'running', 'stopped', ... as Firefox reports it. */
  backgroundState(): Promise<string>;
  /** The warnings Firefox recorded about the add-on's manifest. */
  manifestWarnings(): Promise<string[]>;
  /**
   * Evaluates `expression` in Firefox's privileged scope, where `policy` is the add-on's
   * WebExtensionPolicy (for what only the browser itself does, e.g. granting a permission).
   */
  privileged(expression: string): Promise<unknown>;
  close(): Promise<void>;
}

export interface FirefoxLaunchOptions {
  portal?: PortalOptions;
  /** Extra Firefox preferences (e.g. host names resolved to this machine). */
  prefs?: Record<string, unknown>;
  /** Accept self-signed certificates (a local HTTPS proxy). */
  acceptInsecureCerts?: boolean;
}

export async function launchFirefoxReclaim(opts: FirefoxLaunchOptions = {}): Promise<FirefoxReclaim> {
  assertDevelopmentBuild(FIREFOX_DIST);
  const portal = await startPortal({ quiet: true, ...opts.portal });
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      args: ['--remote-allow-system-access'],
      acceptInsecureCerts: opts.acceptInsecureCerts,
      extraPrefsFirefox: opts.prefs,
    });
  } catch (err) {
    await portal.close();
    throw new Error(
      `Firefox did not start from ${FIREFOX} (apt-get install firefox-esr, or set FIREFOX_PATH): ${String(err)}`,
    );
  }
  const close = async () => {
    await browser.close().catch(() => {});
    await portal.close().catch(() => {});
  };
  try {
    const id = await browser.installExtension(FIREFOX_DIST);
    if (id !== GECKO_ID) throw new Error(`installed add-on id ${id}, expected ${GECKO_ID}`);
    const bidi = (browser as unknown as { connection: BidiConnection }).connection;
    const tree = (await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' })).result as {
      contexts: { context: string }[];
    };
    const chromeContext = tree.contexts[0]?.context;
    if (!chromeContext) throw new Error('Firefox gave no privileged browsing context');

    /** Evaluates `expression` in Firefox's privileged scope, with `policy` the add-on's record. */
    const privileged = async (expression: string): Promise<unknown> => {
      const { result } = await bidi.send('script.evaluate', {
        expression: `(async (policy) => (${expression}))(WebExtensionPolicy.getByID(${JSON.stringify(GECKO_ID)}))`,
        target: { context: chromeContext },
        awaitPromise: true,
      });
      const r = result as EvaluateResult;
      if (r.type !== 'success') throw new Error(`privileged: ${r.exceptionDetails?.text ?? 'failed'}`);
      return r.result?.value;
    };
    const baseUrl = String(await privileged(`policy.getURL('')`));

    const openExtensionPage = async (path: string): Promise<Page> => {
      const url = new URL(path, baseUrl).href;
      const page = await browser.newPage();
      const context = (page.mainFrame() as unknown as { _id: string })._id;
      await bidi.send('browsingContext.navigate', { context, url, wait: 'none' });
      await page.waitForFunction(
        (want) => location.href === want && document.readyState === 'complete',
        { timeout: 20_000 },
        url,
      );
      return page;
    };

    const page = (await browser.pages())[0] ?? (await browser.newPage());
    await page.goto(`${portal.url}/login`);
    await page.type('input[name="email"]', MANAGER.email);
    await page.type('input[name="password"]', MANAGER.password);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    if (new URL(page.url()).pathname.startsWith('/login')) throw new Error('signing in to the portal failed');

    return {
      browser,
      page,
      portal,
      sim: simClient(portal.url),
      baseUrl,
      openExtensionPage,
      openPopup: () => openExtensionPage('src/popup/index.html'),
      async askOk(from, request) {
        const reply = (await from.evaluate((req) => chrome.runtime.sendMessage(req), request)) as Reply<
          typeof request.type
        > | null;
        if (!reply?.ok) throw new Error(`${request.type} failed: ${JSON.stringify(reply)}`);
        return reply.value;
      },
      async stopBackground() {
        await privileged('policy.extension.terminateBackground({ ignoreDevToolsAttached: true })');
        const state = String(await privileged('policy.extension.backgroundState'));
        if (state !== 'stopped') throw new Error(`the background is ${state} after being stopped`);
      },
      backgroundState: async () => String(await privileged('policy.extension.backgroundState')),
      manifestWarnings: async () => (await privileged('[...policy.extension.warnings]')) as string[],
      privileged,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
