/** What both fault scenarios need from the extension: job views and Reclaim's own report. */
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
