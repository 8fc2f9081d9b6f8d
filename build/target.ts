/**
 * Which extension one `vite build` makes: for which browser, in which flavour, into which folder.
 *
 *   vite build                                  Chrome/Edge, production    -> dist/
 *   vite build --mode development               Chrome/Edge, development   -> dist/
 *   RECLAIM_BROWSER=firefox vite build [...]    Firefox, same two flavours -> dist-firefox/
 *
 * The flavour is Vite's mode, so `--mode` picks it and a plain `vite build` is what people
 * install; the browser is an environment variable, as Vite has no second switch of its own.
 */
export type Browser = 'chrome' | 'firefox';
export type Flavour = 'production' | 'development';

export interface Target {
  browser: Browser;
  flavour: Flavour;
}

export const BROWSERS: readonly Browser[] = ['chrome', 'firefox'];

/** The folder each browser's build is written to (both flavours; `--outDir` overrides it). */
export const OUT_DIRS: Record<Browser, string> = { chrome: 'dist', firefox: 'dist-firefox' };

/** Where `npm run package` writes the store packages (production builds, zipped). */
export const PACKAGES_DIR = 'packages';

export function packageName(browser: Browser, version: string): string {
  return `reclaim-${browser}-${version}.zip`;
}

export function targetOf(mode: string, browser = process.env.RECLAIM_BROWSER ?? 'chrome'): Target {
  if (mode !== 'production' && mode !== 'development') {
    throw new Error(`Unknown build mode "${mode}": use production (the default) or development.`);
  }
  if (!(BROWSERS as readonly string[]).includes(browser)) {
    throw new Error(`Unknown RECLAIM_BROWSER "${browser}": use ${BROWSERS.join(' or ')}.`);
  }
  return { browser: browser as Browser, flavour: mode };
}
