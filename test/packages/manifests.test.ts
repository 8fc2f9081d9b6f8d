/**
 * What each build may reach. The store packages (production builds, what people install) have
 * no loopback host access, no loopback content scripts and no loopback default origin anywhere
 * in their code; the development builds that tests, the demo and benchmarks use keep all three.
 * Nothing is web-accessible in any of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FIREFOX_ANDROID_MIN_VERSION,
  FIREFOX_MIN_VERSION,
  GECKO_ID,
  type Manifest,
} from '../../build/manifest';
import { BROWSERS, OUT_DIRS } from '../../build/target';
import { CONTENT_SCRIPT_FILES } from '../../src/shared/build';
import { closure } from '../bench/bundle';
import { storePackage } from './store-package';

const LOOPBACK = /https?:\/\/(127\.0\.0\.1|localhost)\b/;
const PERMISSIONS = [
  'activeTab',
  'alarms',
  'contextMenus',
  'declarativeNetRequestWithHostAccess',
  'notifications',
  'scripting',
];

/** Every file of a built folder, by its path in the extension. */
function folder(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

const manifestOf = (files: Map<string, Buffer>): Manifest =>
  JSON.parse((files.get('manifest.json') as Buffer).toString('utf8')) as Manifest;

/** Files holding a loopback URL, the manifest aside. */
const loopbackIn = (files: Map<string, Buffer>): string[] =>
  [...files]
    .filter(([name, body]) => name !== 'manifest.json' && LOOPBACK.test(body.toString('latin1')))
    .map(([name]) => name);

function expectBrowserSpecifics(manifest: Manifest, browser: (typeof BROWSERS)[number]): void {
  if (browser === 'chrome') {
    expect(manifest.background).toEqual({ service_worker: 'service-worker-loader.js', type: 'module' });
    expect(manifest.browser_specific_settings).toBeUndefined();
  } else {
    expect(manifest.background).toEqual({ scripts: ['service-worker-loader.js'], type: 'module' });
    expect(manifest.minimum_chrome_version).toBeUndefined();
    expect(manifest.browser_specific_settings).toEqual({
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        data_collection_permissions: { required: ['none'] },
      },
      gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
    });
  }
}

describe.each(BROWSERS)('the %s store package', (browser) => {
  const files = storePackage(browser);
  const manifest = manifestOf(files);

  it('is the production build: no loopback access, content scripts or default origins', () => {
    expect(manifest.manifest_version).toBe(3);
    expect([...manifest.permissions].sort()).toEqual(PERMISSIONS);
    expect(manifest.host_permissions).toBeUndefined();
    expect(manifest.optional_host_permissions).toEqual(['https://*/*']);
    expect(manifest.content_scripts).toBeUndefined();
    expect(manifest.web_accessible_resources).toBeUndefined();
    expect(loopbackIn(files)).toEqual([]);
    // The scripts the background registers for the origins a manager adds are in it.
    for (const file of Object.values(CONTENT_SCRIPT_FILES)) expect(files.has(file), file).toBe(true);
  });

  it(`is a ${browser} extension`, () => expectBrowserSpecifics(manifest, browser));
});

describe.each(BROWSERS)('the %s development build', (browser) => {
  const dir = resolve(OUT_DIRS[browser]);
  const files = folder(dir);
  const manifest = manifestOf(files);

  it('keeps the loopback reference portal: host access, content scripts, default origins', () => {
    expect(manifest.host_permissions).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
    expect(manifest.content_scripts).toEqual([
      {
        matches: ['http://127.0.0.1/manager/learners/*', 'http://localhost/manager/learners/*'],
        js: [CONTENT_SCRIPT_FILES.inviteHistory],
        run_at: 'document_idle',
      },
      {
        matches: ['http://127.0.0.1/manager/licenses/*', 'http://localhost/manager/licenses/*'],
        js: [CONTENT_SCRIPT_FILES.usageTab],
        run_at: 'document_idle',
      },
    ]);
    expect(manifest.web_accessible_resources).toBeUndefined();
    // The default origins are in the code the background loads: what the package check looks for.
    const background =
      'service_worker' in manifest.background
        ? manifest.background.service_worker
        : manifest.background.scripts[0];
    const loaded = closure(dir, background as string);
    expect(loaded.filter((f) => LOOPBACK.test((files.get(f) as Buffer).toString('latin1')))).not.toEqual([]);
  });

  it(`is a ${browser} extension`, () => expectBrowserSpecifics(manifest, browser));
});
