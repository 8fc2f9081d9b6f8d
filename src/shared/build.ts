/**
 * What the build decides, for the code that must agree with it (vite.config.ts imports this too).
 *
 * Content scripts are written as self-contained classic scripts at fixed paths: the manifest
 * (development build) and the background's run-time registration (origins the manager adds)
 * name the same files, and no page can load anything of Reclaim's.
 *
 * Two flavours are built from the same sources. The development build (tests, the demo,
 * benchmarks) also works on the loopback reference portal, on any port; the production build,
 * the one people install, knows no loopback origin at all: an unrelated local server must never
 * get Reclaim's scripts or requests.
 */

/** Where each content script is written, relative to the extension's root. */
export const CONTENT_SCRIPT_FILES = {
  inviteHistory: 'content/invite-history.js',
  usageTab: 'content/usage-tab.js',
} as const;

/** The loopback reference portal, every port. */
export const LOOPBACK_ORIGINS = ['http://127.0.0.1', 'http://localhost'] as const;

declare global {
  /** Replaced at build time (vite.config.ts `define`; vitest.config.ts); absent means production. */
  var __RECLAIM_DEV_BUILD__: boolean | undefined;
  /** Replaced at build time; true only in the update test's second build (RECLAIM_UPDATE_PROBE=1). */
  var __RECLAIM_UPDATE_PROBE__: boolean | undefined;
}

export const DEV_BUILD: boolean = globalThis.__RECLAIM_DEV_BUILD__ === true;

/**
 * The update test's build of Reclaim's next version: one more database version (db.ts), so the
 * test can update Reclaim to a new schema in the middle of a job. Never in a release build.
 */
export const UPDATE_PROBE_BUILD: boolean = globalThis.__RECLAIM_UPDATE_PROBE__ === true;
