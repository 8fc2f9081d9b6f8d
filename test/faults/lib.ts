/** What both fault scenarios share: job views, Reclaim's own report, and how a scenario ends. */
import type { Page } from 'playwright-core';
import type { JobItem, JobView } from '../../src/shared/types';
import { ask, errorText, sleep } from '../bench/lib';

/** `job.get`, tolerating the moments a stopped service worker takes to come back. */
export async function jobGet(ext: Page, jobId: number): Promise<JobView> {
  let last = '';
  for (let i = 0; i < 40; i++) {
    const reply = await ask(ext, { type: 'job.get', jobId }).catch((err: unknown) => ({
      ok: false as const,
      error: { kind: 'internal' as const, message: errorText(err) },
    }));
    if (reply.ok) return reply.value;
    last = JSON.stringify(reply.error);
    await sleep(250);
  }
  throw new Error(`job.get kept failing: ${last}`);
}

/** Every item of a job as Reclaim's database holds it (its report), read in an extension page. */
export async function jobItems(ext: Page, jobId: number): Promise<JobItem[]> {
  const items = await ext.evaluate(
    `new Promise((resolve, reject) => {
      const open = indexedDB.open('reclaim');
      open.onerror = () => reject(String(open.error));
      open.onsuccess = () => {
        const db = open.result;
        const req = db.transaction('jobItems').objectStore('jobItems').index('jobId').getAll(${jobId});
        req.onsuccess = () => { db.close(); resolve(req.result); };
        req.onerror = () => { db.close(); reject(String(req.error)); };
      };
    })`,
  );
  return items as JobItem[];
}

/** Says each failure (or PASS), prints the JSON line the suite is judged by, and answers the exit code. */
export function verdict(say: (m: string) => void, result: object, failures: readonly string[]): number {
  for (const f of failures) say(`FAIL: ${f}`);
  if (!failures.length) say('PASS');
  process.stdout.write(`${JSON.stringify({ ...result, pass: failures.length === 0, failures })}\n`);
  return failures.length ? 1 : 0;
}

/**
 * Runs a scenario and exits with its code; a scenario that throws still prints its JSON line,
 * with `keys` (its judged figures) null.
 */
export function runScenario(
  main: () => Promise<number>,
  say: (m: string) => void,
  keys: readonly string[],
): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      say(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      const empty = Object.fromEntries(keys.map((k) => [k, null]));
      process.stdout.write(`${JSON.stringify({ ...empty, pass: false, failures: [errorText(err)] })}\n`);
      process.exit(1);
    },
  );
}
