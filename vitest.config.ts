import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';

/**
 * Three test levels, one project each:
 *   unit    vitest + happy-dom / fake-indexeddb, no network       (test/unit)
 *   portal  the reference portal and the background's portal client and job runner,
 *           against a real server in Node                          (test/portal, test/integration)
 *   e2e     Playwright driving /usr/bin/chromium with dist/ loaded  (test/e2e)
 * and, each on its own build (see scripts/test.sh):
 *   firefox   puppeteer-core driving /usr/bin/firefox-esr with dist-firefox/ loaded (test/firefox)
 *   packages  the store packages from `npm run package`: manifests of every build, web-ext lint,
 *             the Chrome package loaded in Chromium                  (test/packages)
 *
 * Code under test runs as the development build does (src/shared/build.ts).
 */
const DEV_BUILD = { 'globalThis.__RECLAIM_DEV_BUILD__': 'true' };

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [preact()],
        define: DEV_BUILD,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['test/unit/setup.ts'],
        },
      },
      {
        define: DEV_BUILD,
        test: {
          name: 'portal',
          include: ['test/portal/**/*.test.ts', 'test/integration/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/english.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/english.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          maxWorkers: 1,
        },
      },
      {
        test: {
          name: 'packages',
          include: ['test/packages/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/english.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          maxWorkers: 1,
        },
      },
      {
        test: {
          name: 'firefox',
          include: ['test/firefox/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/english.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          maxWorkers: 1,
        },
      },
    ],
  },
});
