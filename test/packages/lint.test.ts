/**
 * `web-ext lint` (Mozilla's add-on linter, as addons.mozilla.org runs it) on the Firefox store
 * package: no errors, no notices, and no warnings but the two README names. Those two are inside
 * Preact's renderer, the branch that applies `dangerouslySetInnerHTML` (one copy of Preact in
 * the popup's own bundle, one in the options page's); Reclaim never passes that prop (Biome's
 * noDangerouslySetInnerHtml rule), so the branch never runs, and Preact has no build option that
 * leaves it out. Each is checked to be exactly that code, so any other warning fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storePackage, unpack } from './store-package';

interface LintMessage {
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}
interface LintReport {
  count: number;
  errors: LintMessage[];
  warnings: LintMessage[];
  notices: LintMessage[];
}

/** Preact's `dangerouslySetInnerHTML` branch, minified: `dom.innerHTML = newHtml.__html`. */
const PREACT_INNER_HTML = /\.innerHTML=[\w$]+\.__html\b/;

const dir = mkdtempSync(join(tmpdir(), 'reclaim-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('web-ext lint on the Firefox store package', () => {
  it('finds no errors and no notices, and no warnings but Preact’s two innerHTML ones', () => {
    unpack(storePackage('firefox'), dir);
    const run = spawnSync(
      'npx',
      ['web-ext', 'lint', '--source-dir', dir, '--output', 'json', '--no-config-discovery'],
      {
        encoding: 'utf8',
      },
    );
    const report = JSON.parse(run.stdout) as LintReport;
    console.info(
      JSON.stringify({
        errors: report.errors.length,
        notices: report.notices.length,
        warnings: report.warnings,
      }),
    );
    expect(report.errors).toEqual([]);
    expect(report.notices).toEqual([]);
    expect(report.warnings.length).toBeLessThanOrEqual(2);
    for (const w of report.warnings) {
      expect([w.code, w.message]).toEqual(['UNSAFE_VAR_ASSIGNMENT', 'Unsafe assignment to innerHTML']);
      const line =
        readFileSync(join(dir, w.file as string), 'utf8').split('\n')[(w.line as number) - 1] ?? '';
      const at = line.slice(Math.max(0, (w.column as number) - 40), (w.column as number) + 40);
      expect(at, `${w.file}:${w.line}:${w.column}`).toMatch(PREACT_INNER_HTML);
    }
  });
});
