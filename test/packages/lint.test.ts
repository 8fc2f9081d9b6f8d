/**
 * `web-ext lint` (Mozilla's add-on linter, as addons.mozilla.org runs it) on the Firefox store
 * package: no errors, no warnings, no notices. (Preact's one innerHTML assignment, for the
 * `dangerouslySetInnerHTML` prop Reclaim never passes, is taken out at build time:
 * build/no-inner-html.ts.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

const dir = mkdtempSync(join(tmpdir(), 'reclaim-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('web-ext lint on the Firefox store package', () => {
  it('finds no errors, no warnings and no notices', () => {
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
    expect(report.warnings).toEqual([]);
  });
});
