/**
 * Everything a content script loads on a portal page, read from the built extension: its
 * loader and every chunk it imports, statically or through chrome.runtime.getURL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DIST } from './harness';

const BUDGET_GZIP = 25 * 1024;

function graph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const src = readFileSync(join(DIST, entry), 'utf8');
  const dir = entry.slice(0, entry.lastIndexOf('/') + 1);
  for (const m of src.matchAll(/(?:from|import)\s*\(?\s*["']\.\/([^"']+)["']/g)) graph(dir + m[1], seen);
  for (const m of src.matchAll(/getURL\(\s*["']([^"']+)["']\s*\)/g)) graph(m[1] as string, seen);
  return seen;
}

describe('content-script bundle', () => {
  const manifest = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8')) as {
    content_scripts: { js: string[]; matches: string[] }[];
  };

  it.each(manifest.content_scripts.map((cs) => [cs.matches[0], cs.js]))(
    '%s loads at most 25 KB gzip, without Dexie or the message schemas',
    (_match, js) => {
      const files = new Set<string>();
      for (const entry of js as string[]) for (const f of graph(entry)) files.add(f);
      let gz = 0;
      let raw = 0;
      for (const f of files) {
        const body = readFileSync(join(DIST, f));
        raw += body.length;
        gz += gzipSync(body, { level: 9 }).length;
        const text = body.toString('utf8');
        expect(text, f).not.toMatch(/Dexie|IDBKeyRange/);
        expect(text, f).not.toContain('valibot');
      }
      console.info(`${js}: ${files.size} files, ${raw} B, ${gz} B gzip`);
      expect(files.size).toBeGreaterThan(2); // the loader, the entry and its chunks were followed
      expect(gz).toBeLessThanOrEqual(BUDGET_GZIP);
    },
  );
});
