/**
 * Helpers for the popup and options end-to-end tests: talking to the background as an
 * extension page does, reading Reclaim's IndexedDB, running axe-core, reading the journal.
 */
import type { Page } from 'playwright-core';
import { ask, askOk, settingsOf } from '../bench/lib';
import type { Invite, JournalEntry, SimClient } from '../portal/sim-client';
import { axeVerdict } from './axe-verdict';
import type { Reclaim } from './harness';

export { ask, askOk, settingsOf };

/** axe-core's violations on the page (axe-verdict.ts). */
export async function axeViolations(page: Page): Promise<string[]> {
  return (await axeVerdict(page)).violations;
}

/** Runs `body(db)` against Reclaim's IndexedDB in an extension page. */
export function idb<T>(page: Page, store: string, op: 'count' | 'getAll'): Promise<T> {
  return page.evaluate(
    ({ store, op }) =>
      new Promise<T>((resolve, reject) => {
        const open = indexedDB.open('reclaim');
        open.onerror = () => reject(String(open.error));
        open.onsuccess = () => {
          const db = open.result;
          const req = db.transaction(store).objectStore(store)[op]();
          req.onsuccess = () => {
            db.close();
            resolve(req.result as T);
          };
          req.onerror = () => reject(String(req.error));
        };
      }),
    { store, op },
  );
}

/**
 * Makes every cached course look `ageMs` old (as if the popup was last opened then); with
 * `invites`, the last read of each course's invites too.
 */
export function ageCache(page: Page, ageMs: number, opts: { invites?: boolean } = {}): Promise<number> {
  return page.evaluate(
    ({ ageMs, invites }) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('reclaim');
        open.onerror = () => reject(String(open.error));
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('courses', 'readwrite');
          const store = tx.objectStore('courses');
          const all = store.getAll();
          let n = 0;
          all.onsuccess = () => {
            for (const c of all.result as { fetchedAt: number; invitesFetchedAt?: number }[]) {
              c.fetchedAt = Date.now() - ageMs;
              if (invites) c.invitesFetchedAt = Date.now() - ageMs;
              store.put(c);
              n++;
            }
          };
          tx.oncomplete = () => {
            db.close();
            resolve(n);
          };
          tx.onerror = () => reject(String(tx.error));
        };
      }),
    { ageMs, invites: opts.invites === true },
  );
}

/** Stops whatever job is still going, so the next test starts clean. */
export async function settleJobs(page: Page): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const reply = await ask(page, { type: 'job.current' });
    const view = reply.ok ? reply.value : null;
    if (!view || ['done', 'cancelled', 'undone'].includes(view.job.state)) return;
    if (view.job.state === 'waiting') await ask(page, { type: 'job.undo', jobId: view.job.id });
    else await ask(page, { type: 'job.cancel', jobId: view.job.id });
    await page.waitForTimeout(200);
  }
  throw new Error('a job would not stop');
}

/** Opens the popup and waits until it shows its course rows. */
export async function openPopupWithRows(r: Reclaim): Promise<Page> {
  const p = await r.openPopup();
  await p.waitForSelector('li[data-course-id]', { timeout: 20_000 });
  return p;
}

/**
 * Waits until the popup has read every course (before that it shows placeholders, not figures):
 * the total is a number as the reader writes it ("1,250", "1 250").
 */
export async function untilAllRead(p: Page): Promise<void> {
  await p.waitForFunction(
    () =>
      /^\d[\d\s,.]*$/.test(document.querySelector('[data-testid="total-pending"]')?.textContent ?? '') &&
      !document.querySelector('[data-testid="unread-note"]'),
    undefined,
    { timeout: 30_000 },
  );
}

/** Opens the popup and waits until every course was read. */
export async function openPopupRead(r: Reclaim): Promise<Page> {
  const p = await openPopupWithRows(r);
  await untilAllRead(p);
  return p;
}

/** The total the popup shows, written for the reader ("1,250"): its digits. */
export async function totalPendingShown(p: Page): Promise<number> {
  return Number((await p.textContent('[data-testid="total-pending"]'))?.replace(/\D/g, ''));
}

export function byCourse(invites: Invite[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of invites) m.set(i.course.id, (m.get(i.course.id) ?? 0) + 1);
  return m;
}

/**
 * What the journal proves about a revoke: which invites were cancelled (applied) and how
 * many times each, and any cancel call that touched an invite outside `expected`.
 */
export function journalVerdict(entries: JournalEntry[], expected: Iterable<string>) {
  const want = new Set(expected);
  const applied = new Map<string, number>();
  for (const e of entries) if (e.applied) applied.set(e.inviteId, (applied.get(e.inviteId) ?? 0) + 1);
  return {
    missing: [...want].filter((id) => !applied.has(id)),
    twice: [...applied].filter(([, n]) => n > 1).map(([id]) => id),
    outside: entries.filter((e) => !want.has(e.inviteId)).map((e) => `${e.inviteId}:${e.statusBefore}`),
  };
}

export async function pendingIds(sim: SimClient): Promise<string[]> {
  return (await sim.invites({ status: 'pending' })).map((i) => i.id);
}

/** Waits until `probe` is true, polling. */
export async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
