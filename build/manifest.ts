/**
 * The manifest of each build, from the one in the project's root (what every build shares).
 *
 * Development adds the loopback reference portal: host access and static content scripts.
 * Production adds nothing, so what people install reaches no site until the manager adds
 * their portal's https origin in the options (optional_host_permissions).
 *
 * Firefox has no extension service worker: its background is the same module run as an event
 * page (`background.scripts`), and it needs a fixed add-on id and its data-collection statement.
 */
import base from '../manifest.json' with { type: 'json' };
import { pages } from '../src/portal/page/routes.ts';
import { CONTENT_SCRIPT_FILES, LOOPBACK_ORIGINS } from '../src/shared/build.ts';
import type { Browser, Target } from './target.ts';

/** Firefox's id for Reclaim: fixed, so storage and granted permissions survive updates. */
export const GECKO_ID = '{a87ed9d0-09ef-40bd-bf32-6325ecabc45f}';
/**
 * The first desktop Firefox that reads `data_collection_permissions` (the 140 ESR, the one
 * Debian ships), and the first Firefox for Android that does.
 */
export const FIREFOX_MIN_VERSION = '140.0';
export const FIREFOX_ANDROID_MIN_VERSION = '142.0';

/** The oldest browser a build runs in, as the bundler's `target` names it. */
export function syntaxTarget(browser: Browser): string {
  return browser === 'firefox'
    ? `firefox${Number.parseInt(FIREFOX_MIN_VERSION, 10)}`
    : `chrome${base.minimum_chrome_version}`;
}

interface ContentScript {
  matches: string[];
  js: string[];
  run_at: 'document_idle';
}

export type Manifest = Omit<typeof base, 'background' | 'minimum_chrome_version'> & {
  minimum_chrome_version?: string;
  background: { service_worker: string; type: 'module' } | { scripts: string[]; type: 'module' };
  host_permissions?: string[];
  content_scripts?: ContentScript[];
  web_accessible_resources?: { matches: string[]; resources: string[]; use_dynamic_url?: boolean }[];
  browser_specific_settings?: {
    gecko: {
      id: string;
      strict_min_version: string;
      data_collection_permissions: { required: 'none'[] };
    };
    gecko_android: { strict_min_version: string };
  };
};

/** What CRXJS builds from. Content scripts are built apart (./content-scripts.ts), so none here. */
export function sourceManifest(target: Target): Manifest {
  const manifest: Manifest = structuredClone(base) as Manifest;
  if (target.flavour === 'development') {
    manifest.host_permissions = LOOPBACK_ORIGINS.map((origin) => `${origin}/*`);
  }
  if (target.browser === 'firefox') {
    delete manifest.minimum_chrome_version;
    manifest.background = { scripts: [base.background.service_worker], type: 'module' };
    manifest.browser_specific_settings = {
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        // Reclaim sends nothing anywhere but to the manager's own portal.
        data_collection_permissions: { required: ['none'] },
      },
      gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
    };
  }
  return manifest;
}

/** The manifest as CRXJS wrote it, completed: the development build's static content scripts. */
export function finishManifest(built: Manifest, target: Target): Manifest {
  if (built.web_accessible_resources) {
    // Anything web-accessible lets every site it matches tell that Reclaim is installed.
    throw new Error(
      `the build made resources web-accessible (${JSON.stringify(built.web_accessible_resources)}); nothing of Reclaim's is for pages to load`,
    );
  }
  if (target.flavour !== 'development') return built;
  const on = (path: string) => LOOPBACK_ORIGINS.map((origin) => `${origin}${path}/*`);
  return {
    ...built,
    content_scripts: [
      { matches: on(pages.learners), js: [CONTENT_SCRIPT_FILES.inviteHistory], run_at: 'document_idle' },
      { matches: on(pages.licenses), js: [CONTENT_SCRIPT_FILES.usageTab], run_at: 'document_idle' },
    ],
  };
}
