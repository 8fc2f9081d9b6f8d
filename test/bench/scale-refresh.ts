/**
 * The scale figures about the invite cache, on the reference portal's `scale` preset (200 courses
 * x (225 pending + 25 accepted) = 50,000 invites, 5,000 learners), latency 40 ms, rate limit off,
 * in one browser:
 *
 * - fullRefresh50k: a full refresh (`overview.get {refresh, full}`) from an empty cache, timed on
 *   an extension page's clock from the message to the last course's `invites-changed` event (sent
 *   once that course's invites are committed); then, in the same run, two floors from bare loops
 *   in the service worker: the API floor (the same reads: course list, then every course's
 *   pending and accepted pages of 100, with the job concurrency, JSON parsed and nothing else),
 *   and the same reads with the same rows written to IndexedDB, one transaction per course (what
 *   caching them costs the browser at least). The target is on the second; the first is beside it.
 * - idbBytesPerInvite: `navigator.storage.estimate()` usage after the refresh minus before, per
 *   cached invite, beside the bytes per invite of the API's own JSON.
 * - quietRefresh: the portal's request counters over a second refresh (`overview.get {refresh}`,
 *   what opening the popup sends) when nothing changed, then after `/__sim/churn` changed 3
 *   courses.
 * - popup50k: the popup's first course rows with the 50,000 invites cached (popup.ts's probe).
 */
import type { Page } from 'playwright-core';
import { isFullSettings } from '../../src/shared/messages';
import { launchReclaim, type Reclaim } from '../e2e/harness';
import type { DataSpec, Faults } from '../portal/server';
import type { RequestCounts } from '../portal/sim-client';
import { portalQuiet } from './jobs';
import { askOk, type Figure, log, median, round, sleep, unmeasured } from './lib';
import { COUNT_CACHED, timePopupOpens } from './popup';

const LATENCY_MS = 40;
const PAGE_SIZE = 100;
const POPUP_OPENS = Number(process.env.BENCH_POPUP_OPENS ?? 10);

export const REFRESH_TARGET = 'ratioToFloor <= 1.5';
export const QUIET_TARGET =
  'nothing changed: the course list only; 3 courses changed: the course list and those 3 courses only';
export const POPUP_TARGET = 'medianMs <= 150';
export const IDB_TARGET = 'bytesPerInvite <= 1024';

/** Listens on the background's events port from an extension page: when each course's invites changed. */
const LISTEN = `(() => {
  window.__changedAt = {};
  const port = chrome.runtime.connect({ name: 'reclaim-events' });
  port.onMessage.addListener((e) => {
    if (e && e.type === 'invites-changed') for (const id of e.courseIds) window.__changedAt[id] = Date.now();
  });
  window.__resetChanged = () => { window.__changedAt = {}; };
})()`;

/**
 * The floors, run in the service worker as source text (see the header): the same reads with the
 * job concurrency, JSON parsed and nothing else; with `store`, each course's invites are also
 * written, in one transaction per course as Reclaim does, as the rows Reclaim caches, into a
 * scratch database whose invites store has the same key and indexes as Reclaim's (read from it).
 * Writes run behind the reads, never holding them up.
 */
const RAW_READS = `async ({ origin, concurrency, pageSize, store }) => {
  let requests = 0;
  let bytes = 0;
  const get = async (path) => {
    const res = await fetch(origin + path, { credentials: 'include', cache: 'no-store' });
    const text = await res.text();
    requests++;
    bytes += text.length;
    if (!res.ok) throw new Error('GET ' + path + ': ' + res.status);
    return JSON.parse(text);
  };
  const open = (name, version, upgrade) => new Promise((resolve, reject) => {
    const req = version ? indexedDB.open(name, version) : indexedDB.open(name);
    if (upgrade) req.onupgradeneeded = () => upgrade(req.result);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  let scratch = null;
  if (store) {
    const reclaim = await open('reclaim');
    const model = reclaim.transaction('invites').objectStore('invites');
    const indexes = [...model.indexNames].map((n) => ({ name: n, keyPath: model.index(n).keyPath }));
    const keyPath = model.keyPath;
    reclaim.close();
    await new Promise((r) => { const d = indexedDB.deleteDatabase('reclaim-bench-floor'); d.onsuccess = d.onerror = r; });
    scratch = await open('reclaim-bench-floor', 1, (db) => {
      const s = db.createObjectStore('invites', { keyPath });
      for (const i of indexes) s.createIndex(i.name, i.keyPath);
    });
  }
  const t0 = performance.now();
  const { items: courses } = await get('/api/courses');
  const queue = [];
  const left = new Map();
  const rows = new Map();
  for (const c of courses) {
    left.set(c.id, 2);
    rows.set(c.id, []);
    for (const status of ['pending', 'accepted']) queue.push({ id: c.id, status, page: 1 });
  }
  let invites = 0;
  let busy = 0;
  const writes = [];
  const write = (list) => new Promise((resolve, reject) => {
    const tx = scratch.transaction('invites', 'readwrite');
    const s = tx.objectStore('invites');
    const at = Date.now();
    for (const i of list) s.put({
      key: origin + '#' + i.id, origin, id: i.id, courseId: i.course.id, courseTitle: i.course.title,
      learnerId: i.learner.id, learnerName: i.learner.name, learnerEmail: i.learner.email, sentAt: i.sentAt,
      expiresAt: Date.parse(i.sentAt) + 30 * 86400000, status: i.status, progress: i.progress ?? null, fetchedAt: at,
    });
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  const worker = async () => {
    for (;;) {
      const q = queue.shift();
      if (!q) {
        if (busy === 0) return;
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      busy++;
      try {
        const p = await get('/api/courses/' + q.id + '/invites?status=' + q.status + '&page=' + q.page + '&pageSize=' + pageSize);
        invites += p.items.length;
        if (q.page === 1) {
          const more = Math.ceil(p.total / pageSize) - 1;
          left.set(q.id, left.get(q.id) - 1 + Math.max(0, more));
          for (let k = 2; k <= more + 1; k++) queue.unshift({ ...q, page: k });
        } else left.set(q.id, left.get(q.id) - 1);
        if (scratch) {
          rows.get(q.id).push(...p.items);
          if (left.get(q.id) === 0) writes.push(write(rows.get(q.id)));
        }
      } finally {
        busy--;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await Promise.all(writes);
  const ms = performance.now() - t0;
  if (scratch) {
    scratch.close();
    await new Promise((r) => { const d = indexedDB.deleteDatabase('reclaim-bench-floor'); d.onsuccess = d.onerror = r; });
  }
  return { ms, invites, requests, bytes };
}`;

const storageUsage = (page: Page) =>
  page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0) as Promise<number>;

/** Course ids whose invites were read, from the portal's per-path read counters. */
function coursesRead(counts: RequestCounts): string[] {
  const ids: string[] = [];
  for (const path of Object.keys(counts.reads)) {
    const m = /^\/api\/courses\/([^/]+)\/invites$/.exec(path);
    if (m) ids.push(m[1] as string);
  }
  return ids.sort();
}

/** Requests other than the course list and course invite pages (must be none). */
function otherRoutes(counts: RequestCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [route, n] of Object.entries(counts.byRoute))
    if (n > 0 && route !== 'GET /api/courses' && route !== 'GET /api/courses/{id}/invites') out[route] = n;
  return out;
}

async function refreshAndCount(r: Reclaim, helper: Page): Promise<RequestCounts> {
  await r.sim.resetRequests();
  await askOk(helper, { type: 'overview.get', refresh: true });
  await portalQuiet(r.sim, 1500, 120_000);
  return r.sim.requests();
}

export interface RefreshFigures {
  fullRefresh50k: Figure;
  idbBytesPerInvite: Figure;
  quietRefresh: Figure;
  popup50k: Figure;
}

export async function scaleRefresh(dist: string): Promise<RefreshFigures> {
  const data: DataSpec = { preset: 'scale', seed: 15 };
  const faults: Partial<Faults> = { latencyMs: LATENCY_MS, rateLimit: null };
  const r = await launchReclaim({ dist, portal: { data, faults } });
  const out: RefreshFigures = {
    fullRefresh50k: unmeasured(
      REFRESH_TARGET,
      ['seconds', 'apiFloorSeconds', 'ratioToApiFloor', 'floorSeconds', 'ratioToFloor'],
      'not reached',
    ),
    idbBytesPerInvite: unmeasured(IDB_TARGET, ['bytesPerInvite'], 'not reached'),
    quietRefresh: unmeasured(QUIET_TARGET, ['unchangedRequests', 'changedRequests'], 'not reached'),
    popup50k: unmeasured(POPUP_TARGET, ['medianMs'], 'not reached'),
  };
  try {
    await r.page.goto('about:blank');
    const helper = await r.openOptions();
    const settings = await askOk(helper, { type: 'settings.get' });
    if (!isFullSettings(settings))
      throw new Error('settings.get from an extension page answered a page share');
    const state = await r.sim.state();
    const courseIds = state.courses.map((c) => c.id);
    const invites = state.courses.reduce((s, c) => s + c.counts.pending + c.counts.accepted, 0);
    await helper.evaluate(LISTEN);
    const usageBefore = await storageUsage(helper);

    // ---- fullRefresh50k ----
    await r.sim.resetRequests();
    const t0 = (await helper.evaluate('Date.now()')) as number;
    await askOk(helper, { type: 'overview.get', refresh: true, full: true });
    const t1 = await waitAllChanged(helper, courseIds, 600_000);
    const seconds = (t1 - t0) / 1000;
    const fillRequests = await r.sim.requests();
    const cached = (await helper.evaluate(COUNT_CACHED)) as number;
    await portalQuiet(r.sim, 1500, 60_000);
    log(
      'bench',
      `fullRefresh50k: ${cached} invites cached in ${seconds.toFixed(2)} s (${fillRequests.api} requests)`,
    );
    // ---- idbBytesPerInvite (before the floors, which write a scratch database of their own) ----
    await sleep(2000);
    const usageAfter = await storageUsage(helper);
    const perInvite = cached > 0 ? (usageAfter - usageBefore) / cached : null;

    const sw = await r.serviceWorker();
    const floorRun = async (store: boolean) =>
      (await sw.evaluate(
        `(${RAW_READS})(${JSON.stringify({ origin: r.portal.origin, concurrency: settings.concurrency, pageSize: PAGE_SIZE, store })})`,
      )) as { ms: number; invites: number; requests: number; bytes: number };
    const api = await floorRun(false);
    const stored = await floorRun(true);
    const apiFloorSeconds = api.ms / 1000;
    const floorSeconds = stored.ms / 1000;
    const boundSeconds = (Math.ceil((api.requests - 1) / settings.concurrency) + 1) * (LATENCY_MS / 1000);
    log(
      'bench',
      `fullRefresh50k: API floor ${apiFloorSeconds.toFixed(2)} s for ${api.requests} requests; reading and storing ${floorSeconds.toFixed(2)} s`,
    );
    const refreshNote =
      cached !== invites ? `the refresh cached ${cached} of the portal's ${invites} invites` : undefined;
    const ratio = seconds / floorSeconds;
    out.fullRefresh50k = {
      invites,
      courses: courseIds.length,
      cachedInvites: cached,
      latencyMs: LATENCY_MS,
      concurrency: settings.concurrency,
      seconds: round(seconds),
      requests: fillRequests.api,
      apiFloorSeconds: round(apiFloorSeconds),
      apiFloorRequests: api.requests,
      ratioToApiFloor: round(seconds / apiFloorSeconds),
      floorSeconds: round(floorSeconds),
      ratioToFloor: round(ratio),
      boundSeconds: round(boundSeconds),
      boundFormula: '(ceil(page reads / concurrency) + 1) x latency',
      apiFloorRatioToBound: round(apiFloorSeconds / boundSeconds),
      target: REFRESH_TARGET,
      meets: ratio <= 1.5 && refreshNote === undefined,
      ...(refreshNote ? { note: refreshNote } : {}),
    };

    const wirePerInvite = api.invites > 0 ? api.bytes / api.invites : null;
    out.idbBytesPerInvite = {
      cachedInvites: cached,
      usageBeforeBytes: usageBefore,
      usageAfterBytes: usageAfter,
      bytesPerInvite: round(perInvite, 1),
      apiJsonBytesPerInvite: round(wirePerInvite, 1),
      ratioToApiJson: perInvite !== null && wirePerInvite ? round(perInvite / wirePerInvite, 2) : null,
      target: IDB_TARGET,
      meets: perInvite !== null && perInvite <= 1024,
    };
    log('bench', `idbBytesPerInvite: ${perInvite?.toFixed(0)} bytes (API JSON ${wirePerInvite?.toFixed(0)})`);

    // ---- quietRefresh ----
    const unchanged = await refreshAndCount(r, helper);
    const churned = await r.sim.churn({ courses: 3 });
    const churnedIds = churned.courses.map((c) => c.id).sort();
    const changed = await refreshAndCount(r, helper);
    const unchangedRead = coursesRead(unchanged);
    const changedRead = coursesRead(changed);
    const quietOk =
      unchanged.api === 1 &&
      (unchanged.byRoute['GET /api/courses'] ?? 0) === 1 &&
      changedRead.join() === churnedIds.join() &&
      (changed.byRoute['GET /api/courses'] ?? 0) === 1 &&
      Object.keys(otherRoutes(changed)).length === 0;
    out.quietRefresh = {
      unchangedRequests: unchanged.api,
      unchangedByRoute: unchanged.byRoute,
      unchangedCoursesRead: unchangedRead.length,
      changedCourses: churnedIds,
      changedRequests: changed.api,
      changedByRoute: changed.byRoute,
      changedCoursesRead: changedRead,
      target: QUIET_TARGET,
      meets: quietOk,
    };
    log('bench', `quietRefresh: ${unchanged.api} requests unchanged, ${changed.api} with 3 courses changed`);

    // ---- popup50k ----
    const settle = async () => {
      await portalQuiet(r.sim, 2000, 120_000);
      await helper.evaluate(COUNT_CACHED);
      await sleep(1000);
    };
    await settle();
    const { firstRow, painted } = await timePopupOpens(r, POPUP_OPENS, settle);
    const med = median(firstRow) as number;
    out.popup50k = {
      cachedInvites: (await helper.evaluate(COUNT_CACHED)) as number,
      courses: courseIds.length,
      opens: POPUP_OPENS,
      medianMs: round(med, 1),
      medianPaintedMs: round(median(painted), 1),
      firstOpenMs: round(firstRow[0] ?? null, 1),
      maxMs: round(Math.max(...firstRow), 1),
      target: POPUP_TARGET,
      meets: med <= 150,
    };
    log('bench', `popup50k: first course row after ${med.toFixed(1)} ms (median of ${POPUP_OPENS} opens)`);
    return out;
  } catch (err) {
    const note = `not measured: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    for (const [k, f] of Object.entries(out) as [keyof RefreshFigures, Figure][])
      if (f.note === 'not reached') out[k] = { ...f, note };
    return out;
  } finally {
    await r.close();
  }
}

/** Resolves with the extension page's clock when every course in `ids` has had an `invites-changed` event. */
async function waitAllChanged(page: Page, ids: string[], timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const seen = (await page.evaluate('window.__changedAt')) as Record<string, number>;
    const times = ids.map((id) => seen[id]);
    if (times.every((t) => t !== undefined)) return Math.max(...(times as number[]));
    if (Date.now() > until) {
      throw new Error(
        `only ${times.filter((t) => t !== undefined).length} of ${ids.length} courses refreshed`,
      );
    }
    await sleep(250);
  }
}
