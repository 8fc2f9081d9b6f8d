/**
 * End-to-end harness: the reference portal on a free port, and the system Chromium with the
 * built extension loaded, signed in to the portal.
 *
 *   const r = await launchReclaim();
 *   await r.page.goto(`${r.portal.url}/manager/licenses`);
 *   ...
 *   await r.close();
 *
 * The extension is taken from RECLAIM_DIST (default dist/); build it first, as the development
 * build (`npm run build:dev`): only that one works on the loopback reference portal.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { type Portal, type PortalOptions, startPortal } from '../portal/server';
import { simClient } from '../portal/sim-client';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DIST = resolve(process.env.RECLAIM_DIST ?? 'dist');
export const MANAGER = { email: 'manager@example.test', password: 'demo' };

export interface Reclaim {
  context: BrowserContext;
  extensionId: string;
  /** The extension's service worker as it is now (it changes after a stop). */
  serviceWorker(): Promise<Worker>;
  /** A page, signed in to the portal unless `signIn: false`. */
  page: Page;
  portal: Portal;
  sim: ReturnType<typeof simClient>;
  /** Opens the toolbar popup's page in a new tab. */
  openPopup(): Promise<Page>;
  /** Opens the options page in a new tab. */
  openOptions(): Promise<Page>;
  signIn(page?: Page): Promise<void>;
  /** Stops the extension's service worker, as Chrome does after 30 s idle. */
  stopServiceWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  portal?: PortalOptions;
  signIn?: boolean;
  headless?: boolean;
  dist?: string;
  /** Extra Chromium flags. */
  args?: string[];
  /** The browser's language ('fr', 'en'…): its UI language (`--lang`) and the pages' locale. */
  lang?: string;
}

export function chromiumArgs(dist: string, extra: string[] = []): string[] {
  return [
    `--disable-extensions-except=${dist}`,
    `--load-extension=${dist}`,
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-gpu',
    '--disable-quic',
    ...extra,
  ];
}

/** Throws, saying what to run, unless `dist` holds a development build of Reclaim. */
export function assertDevelopmentBuild(dist: string): void {
  const file = join(dist, 'manifest.json');
  if (!existsSync(file)) {
    throw new Error(`No built extension at ${dist}: run \`npm run build:dev\` first.`);
  }
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { host_permissions?: string[] };
  if (!manifest.host_permissions?.includes('http://127.0.0.1/*')) {
    throw new Error(
      `${dist} holds a production build, which cannot reach the loopback reference portal: run \`npm run build:dev\` for tests.`,
    );
  }
}

export async function launchExtensionContext(opts: {
  dist?: string;
  headless?: boolean;
  args?: string[];
  lang?: string;
  userDataDir?: string;
}): Promise<{ context: BrowserContext; extensionId: string; userDataDir: string }> {
  const dist = resolve(opts.dist ?? DIST);
  if (!existsSync(join(dist, 'manifest.json'))) throw new Error(`No built extension at ${dist}.`);
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  const userDataDir = opts.userDataDir ?? mkdtempSync(join(tmpdir(), 'reclaim-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: opts.headless ?? true,
    args: chromiumArgs(dist, [...(opts.args ?? []), ...(opts.lang ? [`--lang=${opts.lang}`] : [])]),
    ...(opts.lang ? { locale: opts.lang } : {}),
    viewport: { width: 1280, height: 860 },
  });
  const worker =
    context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  return { context, extensionId, userDataDir };
}

export async function signInPage(page: Page, portalUrl: string): Promise<void> {
  await page.goto(`${portalUrl}/login`);
  await page.fill('input[name="email"]', MANAGER.email);
  await page.fill('input[name="password"]', MANAGER.password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.press('input[name="password"]', 'Enter'),
  ]);
}

export async function launchReclaim(opts: LaunchOptions = {}): Promise<Reclaim> {
  assertDevelopmentBuild(resolve(opts.dist ?? DIST));
  const portal = await startPortal({ quiet: true, ...opts.portal });
  let launched: Awaited<ReturnType<typeof launchExtensionContext>>;
  try {
    launched = await launchExtensionContext(opts);
  } catch (err) {
    await portal.close();
    throw err;
  }
  const { context, extensionId, userDataDir } = launched;
  const page = context.pages()[0] ?? (await context.newPage());
  const sim = simClient(portal.url);

  const serviceWorker = async (): Promise<Worker> => {
    const live = context
      .serviceWorkers()
      .find((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
    return live ?? context.waitForEvent('serviceworker', { timeout: 30_000 });
  };

  const reclaim: Reclaim = {
    context,
    extensionId,
    serviceWorker,
    page,
    portal,
    sim,
    async openPopup() {
      const p = await context.newPage();
      await p.goto(`chrome-extension://${extensionId}/src/popup/index.html`);
      return p;
    },
    async openOptions() {
      const p = await context.newPage();
      await p.goto(`chrome-extension://${extensionId}/src/options/index.html`);
      return p;
    },
    signIn: (p = page) => signInPage(p, portal.url),
    async stopServiceWorker() {
      // Chrome keeps the worker's CDP target across a restart, so Playwright keeps the same
      // Worker object: watch the ServiceWorker domain for the extension's worker to stop.
      const cdp = await context.newCDPSession(page);
      try {
        const stopped = new Promise<boolean>((resolveStopped) => {
          const timer = setTimeout(() => resolveStopped(false), 10_000);
          cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
            const mine = e.versions.find((v) => v.scriptURL.includes(extensionId));
            if (mine?.runningStatus === 'stopped') {
              clearTimeout(timer);
              resolveStopped(true);
            }
          });
        });
        await cdp.send('ServiceWorker.enable');
        await cdp.send('ServiceWorker.stopAllWorkers');
        if (!(await stopped)) throw new Error('the extension service worker did not report stopping');
      } finally {
        await cdp.detach().catch(() => {});
      }
    },
    async close() {
      await context.close().catch(() => {});
      await portal.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  if (opts.signIn !== false) {
    await reclaim.signIn();
    await waitUntilPortalKnown(reclaim);
  }
  return reclaim;
}

/**
 * Waits until the background has recorded the portal's origin (it learns it from portal tabs),
 * reloading the page once if it has not: tests then drive extension pages with no portal tab
 * open, as a manager may. A run where it is still unknown fails here, loudly.
 */
async function waitUntilPortalKnown(r: Reclaim): Promise<void> {
  const known = async () =>
    (await r.serviceWorker()).evaluate(
      () =>
        new Promise<string | null>((resolve) => {
          const open = indexedDB.open('reclaim');
          open.onerror = () => resolve(null);
          open.onsuccess = () => {
            try {
              const get = open.result.transaction('meta').objectStore('meta').get('portal.lastOrigin');
              get.onsuccess = () => resolve((get.result as { value?: string } | undefined)?.value ?? null);
              get.onerror = () => resolve(null);
            } catch {
              resolve(null);
            } finally {
              open.result.close();
            }
          };
        }),
    );
  for (let attempt = 0; attempt < 2; attempt++) {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      if ((await known().catch(() => null)) === r.portal.origin) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.warn('harness: the background has not recorded the portal yet; reloading the portal page');
    await r.page.reload();
  }
  throw new Error(`the background never recorded the portal origin ${r.portal.origin}`);
}
