/**
 * Everything a content script loads on a portal page, read from the built extension. Each is one
 * self-contained classic script (build/content-scripts.ts): the manifest's static entries and the
 * scripts the background registers for origins the manager adds are the same files, and each
 * loads nothing else, so its own bytes are all it costs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CONTENT_SCRIPT_FILES } from '../../src/shared/build';
import { closure } from '../bench/bundle';
import { DIST } from './harness';

const BUDGET_GZIP = 25 * 1024;
const FILES = Object.values(CONTENT_SCRIPT_FILES);

describe('content scripts', () => {
  const manifest = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8')) as {
    content_scripts?: { js: string[] }[];
  };

  it('run from the same files in the manifest as the background registers for added origins', () => {
    const inManifest = (manifest.content_scripts ?? []).flatMap((cs) => cs.js);
    expect(inManifest.sort()).toEqual([...FILES].sort());
  });

  it.each(FILES)(
    '%s is one classic script of at most 25 KB gzip, without Dexie or the message schemas',
    (file) => {
      const body = readFileSync(join(DIST, file));
      const text = body.toString('utf8');
      // A module (import or export statement) does not compile as a classic script.
      expect(() => new Script(text, { filename: file })).not.toThrow();
      expect(text).not.toMatch(/\bimport\s*\(/);
      expect(closure(DIST, file)).toEqual([file]);
      expect(text).not.toMatch(/Dexie|IDBKeyRange/);
      expect(text).not.toContain('valibot');
      const gz = gzipSync(body, { level: 9 }).length;
      console.info(`${file}: ${body.length} B, ${gz} B gzip`);
      expect(gz).toBeLessThanOrEqual(BUDGET_GZIP);
    },
  );
});
