/**
 * bundle: gzip bytes of everything each content script loads, and of the background.
 *
 * Starts from the built manifest (content_scripts[].js/css, background.service_worker or
 * background.scripts) and from the content scripts the background registers at run time for
 * origins the manager adds (CONTENT_SCRIPT_FILES; a production build has no static ones), and
 * follows every module a file pulls in: static `import ... from "./x.js"`, side-effect
 * `import "./x.js"`, dynamic `import("./x.js")`, and a loader's
 * `import(chrome.runtime.getURL("assets/x.js"))`. Each file is counted once per entry. Content
 * scripts are built as self-contained classic scripts, so each should be one file.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONTENT_SCRIPT_FILES } from '../../src/shared/build';
import { type Figure, log } from './lib';

const TARGET_CONTENT = 25 * 1024;

/** Strings Dexie's own code carries even when minified (error names, its DB-names table). */
const DEXIE_MARKERS = ['DatabaseClosedError', 'MissingAPIError', '__dbnames'];

interface ManifestShape {
  background?: { service_worker?: string; scripts?: string[] };
  content_scripts?: { js?: string[]; css?: string[]; matches?: string[] }[];
}

const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)["'](\.{1,2}\/[^"']+)["']/g;
const RUNTIME_URL = /getURL\(\s*["']([^"']+\.(?:js|css))["']\s*\)/g;

/** Every file (dist-relative) that `entry` loads, itself included. */
export function closure(dist: string, entry: string): string[] {
  const seen = new Set<string>();
  const queue = [normalize(entry)];
  while (queue.length) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.js')) continue;
    const code = readFileSync(join(dist, file), 'utf8');
    for (const m of code.matchAll(RELATIVE_IMPORT)) {
      queue.push(relative(dist, join(dist, dirname(file), m[1] as string)));
    }
    for (const m of code.matchAll(RUNTIME_URL)) {
      queue.push(normalize((m[1] as string).replace(/^\//, '')));
    }
  }
  return [...seen].sort();
}

function gzipBytes(dist: string, files: readonly string[]): number {
  return files.reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0);
}

function hasDexie(dist: string, files: readonly string[]): boolean {
  return files.some((f) => {
    const code = readFileSync(join(dist, f), 'utf8');
    return DEXIE_MARKERS.filter((m) => code.includes(m)).length >= 2;
  });
}

export function bundle(dist: string): Figure {
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as ManifestShape;
  const inManifest = (manifest.content_scripts ?? []).map((cs) => [...(cs.js ?? []), ...(cs.css ?? [])]);
  const registered = Object.values(CONTENT_SCRIPT_FILES)
    .filter((file) => !inManifest.some((entries) => entries.includes(file)))
    .map((file) => [file]);
  const contentScripts = [...inManifest, ...registered].map((entries) => {
    const files = [...new Set(entries.flatMap((e) => closure(dist, e)))].sort();
    return {
      entry: entries[0] ?? '?',
      files,
      gzipBytes: gzipBytes(dist, files),
      dexie: hasDexie(dist, files),
    };
  });
  const sw = manifest.background?.service_worker ?? manifest.background?.scripts?.[0];
  const swFiles = sw ? closure(dist, sw) : [];
  const serviceWorkerGzipBytes = gzipBytes(dist, swFiles);
  const contentGzipBytesMax = Math.max(0, ...contentScripts.map((c) => c.gzipBytes));
  const dexieInContent = contentScripts.some((c) => c.dexie);
  // The detector's own check: the service worker owns the database, so it must find Dexie there.
  const dexieInServiceWorker = hasDexie(dist, swFiles);
  for (const c of contentScripts) {
    log('bench', `bundle: ${c.entry}: ${c.files.length} file(s), ${c.gzipBytes} B gzip, dexie ${c.dexie}`);
  }
  log('bench', `bundle: service worker: ${swFiles.length} file(s), ${serviceWorkerGzipBytes} B gzip`);
  const meets = contentScripts.length > 0 && contentGzipBytesMax <= TARGET_CONTENT && !dexieInContent;
  const figure: Figure = {
    contentScripts: contentScripts.map(({ entry, files, gzipBytes, dexie }) => ({
      entry,
      files: files.length,
      gzipBytes,
      dexie,
    })),
    contentGzipBytesMax,
    serviceWorkerGzipBytes,
    serviceWorkerFiles: swFiles.length,
    dexieInContent,
    dexieInServiceWorker,
    target: `every content script with all it loads <= ${TARGET_CONTENT} B gzip (25 KB), no Dexie in content scripts`,
    meets,
  };
  if (!dexieInServiceWorker) {
    figure.note =
      'the Dexie detector found no Dexie in the service worker either (no database code built yet?), so "no Dexie in content" is unconfirmed';
  }
  return figure;
}
