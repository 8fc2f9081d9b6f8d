/**
 * Reclaim updated in the middle of a job, as the browser may do it: the running build is
 * replaced on disk by the next version (a higher manifest version and one more database
 * version, built with the update test's switches, see vite.config.ts) and the extension is
 * reloaded. The job finishes after the update: the portal's journal shows every in-scope invite
 * cancelled exactly once, nothing else, and Reclaim's report agrees.
 *
 *   npm run build:dev && npx vitest run --project e2e test/e2e/update.test.ts
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPDATE_PROBE_KEY, UPDATE_PROBE_VERSION } from '../../src/shared/db';
import type { JobView } from '../../src/shared/types';
import { ROOT } from '../bench/lib';
import { DIST, launchReclaim, type Reclaim } from './harness';
import { askOk } from './popup-helpers';

const DATA = {
  seed: 21,
  courses: 3,
  learners: 700,
  pendingPerCourse: 200,
  acceptedPerCourse: 5,
  seatsPerCourse: 220,
};
const NEXT_VERSION = '9.9.9';

let work: string;
let r: Reclaim;

/** Replaces the extension's folder with `from`, as an update writes the new version. */
function install(from: string, to: string): void {
  for (const entry of readdirSync(to)) rmSync(join(to, entry), { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
}

/**
 * Developer mode on, as for any unpacked extension (README: "Load Reclaim"): without it
 * Chromium disables an unpacked extension when it reloads ("unsupported developer extension").
 */
async function developerMode(): Promise<void> {
  const page = await r.context.newPage();
  await page.goto('chrome://extensions');
  await page.evaluate(async () => {
    const dp = (chrome as unknown as { developerPrivate: DeveloperPrivate }).developerPrivate;
    await dp.updateProfileConfiguration({ inDeveloperMode: true });
  });
  await page.close();
}

interface DeveloperPrivate {
  updateProfileConfiguration(update: { inDeveloperMode: boolean }): Promise<void>;
}

/** An extension page; while the extension reloads its pages are blocked for a moment. */
async function extPage(): Promise<Page> {
  const p = await r.context.newPage();
  for (let attempt = 0; ; attempt++) {
    try {
      await p.goto(`chrome-extension://${r.extensionId}/src/options/index.html`);
      return p;
    } catch (err) {
      if (attempt >= 30) throw err;
      await new Promise((res) => setTimeout(res, 250));
    }
  }
}

/** job.get, waiting through the moments the reloaded background takes to answer. */
async function jobGet(p: Page, jobId: number): Promise<JobView> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await askOk(p, { type: 'job.get', jobId });
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((res) => setTimeout(res, 250));
    }
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'reclaim-update-'));
  // The next version: built now, installed mid-job.
  execFileSync(
    'npx',
    [
      'vite',
      'build',
      '--mode',
      'development',
      '--outDir',
      join(work, 'next'),
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    {
      cwd: ROOT,
      env: { ...process.env, RECLAIM_VERSION: NEXT_VERSION, RECLAIM_UPDATE_PROBE: '1' },
      stdio: 'inherit',
    },
  );
  // The running version: the build under test, in a folder of its own (its path is its id).
  cpSync(DIST, join(work, 'ext'), { recursive: true });
  r = await launchReclaim({
    dist: join(work, 'ext'),
    portal: { data: DATA, faults: { latencyMs: 80, rateLimit: null } },
  });
  await r.page.goto(`${r.portal.url}/manager/licenses`);
  await developerMode();
});

afterAll(async () => {
  await r?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('an update mid-job', () => {
  it('finishes the job after the update with a new database version: nothing sent twice, nothing lost', async () => {
    const next = JSON.parse(readFileSync(join(work, 'next', 'manifest.json'), 'utf8')) as { version: string };
    expect(next.version).toBe(NEXT_VERSION);
    const before = await r.sim.invites();
    const pending = new Set(before.filter((i) => i.status === 'pending').map((i) => i.id));
    await r.sim.clearJournal();

    const ext = await extPage();
    const started = await askOk(ext, {
      type: 'job.start',
      scope: { kind: 'courses', courseIds: 'all' },
      undoSeconds: 0,
    });
    expect(started.counts.total).toBe(pending.size);
    const third = Math.floor(pending.size / 3);
    for (;;) {
      const v = await askOk(ext, { type: 'job.get', jobId: started.job.id });
      if (v.counts.revoked >= third) break;
      if (v.job.state !== 'running' && v.job.state !== 'waiting') throw new Error(`job ${v.job.state}`);
      await new Promise((res) => setTimeout(res, 50));
    }

    // The update: new files on disk, then the extension reloads from them.
    install(join(work, 'next'), join(work, 'ext'));
    const atUpdate = (await r.sim.journal()).length;
    await ext.evaluate(() => chrome.runtime.reload()).catch(() => undefined);

    const after = await extPage();
    expect(await after.evaluate(() => chrome.runtime.getManifest().version)).toBe(NEXT_VERSION);
    let view = await jobGet(after, started.job.id);
    const until = Date.now() + 90_000;
    while (view.job.state !== 'done') {
      if (Date.now() > until) throw new Error(`not done: ${view.job.state} ${JSON.stringify(view.counts)}`);
      await new Promise((res) => setTimeout(res, 250));
      view = await jobGet(after, started.job.id);
    }
    expect(view.counts).toMatchObject({ total: pending.size, revoked: pending.size, failed: 0, inFlight: 0 });

    // The portal's journal: each pending invite cancelled by exactly one applied request.
    const journal = await r.sim.journal();
    expect(journal.length).toBeGreaterThan(atUpdate);
    const applied = new Map<string, number>();
    for (const e of journal) if (e.applied) applied.set(e.inviteId, (applied.get(e.inviteId) ?? 0) + 1);
    expect([...applied.entries()].filter(([, n]) => n > 1)).toEqual([]);
    expect(new Set(applied.keys())).toEqual(pending);
    expect((await r.sim.state()).identityHolds).toBe(true);

    // The database was upgraded with the job in it, half done.
    const probe = await after.evaluate(
      ({ key }) =>
        new Promise<{ version: number; probe: unknown }>((resolve, reject) => {
          const open = indexedDB.open('reclaim');
          open.onerror = () => reject(String(open.error));
          open.onsuccess = () => {
            const db = open.result;
            const get = db.transaction('meta').objectStore('meta').get(key);
            get.onsuccess = () => {
              db.close();
              resolve({ version: db.version, probe: (get.result as { value?: unknown } | undefined)?.value });
            };
          };
        }),
      { key: UPDATE_PROBE_KEY },
    );
    expect(probe.version).toBe(UPDATE_PROBE_VERSION * 10); // Dexie stores version n as n x 10
    const seen = probe.probe as { items: number; byState: Record<string, number> };
    expect(seen.items).toBe(pending.size);
    expect((seen.byState.queued ?? 0) + (seen.byState['in-flight'] ?? 0)).toBeGreaterThan(0);
    expect(seen.byState.revoked ?? 0).toBeGreaterThanOrEqual(third);
    console.info(
      JSON.stringify({ test: 'e2e-update-mid-job', invites: pending.size, atUpgrade: seen.byState }),
    );
  });
});
