/**
 * `npm run package`: the store packages, from production builds.
 *
 *   packages/reclaim-chrome-<version>.zip    Chrome Web Store, Edge Add-ons
 *   packages/reclaim-firefox-<version>.zip   addons.mozilla.org
 *
 * Each browser's production build is made in a folder of its own that is removed afterwards, so
 * the development builds in dist/ and dist-firefox/ that tests use stay as they are. web-ext
 * makes the zip (the manifest at its root, as both stores want).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BROWSERS, PACKAGES_DIR, packageName } from '../build/target';

const ROOT = resolve(import.meta.dirname, '..');

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const done = spawnSync(command, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (done.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${done.status})`);
}

function main(): void {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as { version: string };
  const out = join(ROOT, PACKAGES_DIR);
  mkdirSync(out, { recursive: true });
  for (const browser of BROWSERS) {
    const staging = mkdtempSync(join(tmpdir(), `reclaim-${browser}-`));
    try {
      run(
        'npx',
        ['vite', 'build', '--mode', 'production', '--outDir', staging, '--emptyOutDir', '--logLevel', 'warn'],
        {
          ...process.env,
          RECLAIM_BROWSER: browser,
        },
      );
      const name = packageName(browser, version);
      run('npx', [
        'web-ext',
        'build',
        '--source-dir',
        staging,
        '--artifacts-dir',
        out,
        '--filename',
        name,
        '--overwrite-dest',
      ]);
      console.log(`package: ${join(out, name)}`);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
}

main();
