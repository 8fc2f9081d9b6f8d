/**
 * What the built popup page loads before its first rows: one render-blocking script file that
 * imports nothing else statically, with no Dexie, webextension-polyfill or valibot in it; those
 * come through its dynamic import after the first paint. Reads the build in RECLAIM_DIST.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST } from './harness';

/** Strings each library's own code keeps when minified. */
const MARKERS = {
  dexie: ['DatabaseClosedError', 'MissingAPIError', '__dbnames'],
  'webextension-polyfill': ['webextension-polyfill'],
  valibot: ['abortPipeEarly'],
};
const STATIC_IMPORT = /(?:^|[;}\s])import\s*(?:[\w$*{}\s,]+from\s*)?["']([^"']+)["']/g;
const ANY_IMPORT = /\b(?:from\s*|import\s*\(\s*|import\s*)["'`](\.{1,2}\/[^"'`]+)["'`]/g;

/** Every file `entry` (dist-relative) loads, through static and dynamic imports, itself excluded. */
function loadedLater(entry: string): string[] {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop() as string;
    for (const m of readFileSync(join(DIST, file), 'utf8').matchAll(ANY_IMPORT)) {
      const next = normalize(relative(DIST, join(DIST, dirname(file), m[1] as string)));
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  seen.delete(entry);
  return [...seen];
}

function builtPage(): string {
  const file = join(DIST, 'src/popup/index.html');
  if (!existsSync(file)) throw new Error(`No built popup at ${file}: build the extension first.`);
  return readFileSync(file, 'utf8');
}

describe('popup build', () => {
  const page = builtPage();
  const scripts = [...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  const entry = /\bsrc="\/?([^"]+)"/.exec(scripts[0] ?? '')?.[1] ?? '';
  const code = entry ? readFileSync(join(DIST, entry), 'utf8') : '';

  it('loads one render-blocking module script and preloads nothing else for the first paint', () => {
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatch(/type="module"/);
    expect(scripts[0]).toMatch(/blocking="render"/);
    expect(page).not.toMatch(/rel="modulepreload"/);
    expect([...code.matchAll(STATIC_IMPORT)].map((m) => m[1])).toEqual([]);
  });

  it('keeps Dexie, the polyfill and the schemas out of that file, behind its dynamic import', () => {
    const later = loadedLater(entry);
    expect(later.length).toBeGreaterThan(0);
    const lazyCode = later.map((f) => readFileSync(join(DIST, f), 'utf8')).join('\n');
    for (const [name, marks] of Object.entries(MARKERS)) {
      expect(
        marks.some((m) => code.includes(m)),
        `${name} in the first-paint file`,
      ).toBe(false);
      expect(
        marks.some((m) => lazyCode.includes(m)),
        `${name} loaded after the paint`,
      ).toBe(true);
    }
  });
});
