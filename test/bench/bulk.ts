/**
 * bulkRevoke and rateLimited: one bulk-revoke job through the real extension (started from an
 * extension page with `job.start`, as the popup does), timed on the browser's clock from the
 * message to the job's `finishedAt`, against an ideal bound; the portal's journal and state say
 * what was really cancelled.
 */
import type { JobView } from '../../src/shared/types';
import { launchReclaim, type Reclaim } from '../e2e/harness';
import type { DataSpec, Faults } from '../portal/server';
import { portalQuiet, startJob, waitJob } from './jobs';
import { askOk, type Figure, log, round, settingsOf, sleep, unmeasured } from './lib';
import { nativeCancel } from './native';

const NATIVE_SAMPLE = Number(process.env.BENCH_NATIVE_SAMPLE ?? 30);
const DRIVER = process.env.BENCH_DRIVER === 'options' ? 'options page' : 'popup page';

export interface JobRun {
  seconds: number;
  concurrency: number;
  view: JobView;
  /** Cancel requests the portal's journal holds, and how many of them changed an invite. */
  cancelRequests: number;
  applied: number;
  /** Invites cancelled by more than one applied request (must be 0). */
  doubleApplied: number;
  pendingLeft: number;
  /** Portal request counters over the job. */
  requests: { api: number; cancel: number; rateLimited: number };
  /** First to last cancel the portal handled (portal clock), s. */
  cancelPhaseSeconds: number | null;
}

export async function runBulk(
  r: Reclaim,
  courseIds: string[],
  concurrency: number | null,
  timeoutMs = 180_000,
): Promise<JobRun> {
  // The job is driven from the popup's page; the portal tab is parked so its own periodic
  // refresh does not spend the session's rate limit.
  await r.page.goto('about:blank');
  // The popup's page by default; BENCH_DRIVER=options drives it from the options page instead
  // (same messages, without the popup's live views), to tell the two costs apart.
  const ext = process.env.BENCH_DRIVER === 'options' ? await r.openOptions() : await r.openPopup();
  if (concurrency !== null) await askOk(ext, { type: 'settings.set', settings: { concurrency } });
  const settings = await settingsOf(ext);
  // Let the popup's own refresh finish, then give the token bucket time to refill.
  await portalQuiet(r.sim, 1000);
  await sleep(2500);
  await r.sim.clearJournal();
  const before = await r.sim.state();
  const { t0, view: started } = await startJob(ext, { kind: 'courses', courseIds, minAgeDays: 0 });
  log('bench', `job ${started.job.id}: ${started.counts.total} items, concurrency ${settings.concurrency}`);
  const view = await waitJob(ext, started.job.id, { timeoutMs });
  const after = await r.sim.state();
  const journal = await r.sim.journal();
  await ext.close();

  const finishedAt = view.job.finishedAt;
  if (finishedAt === null) throw new Error(`job ${view.job.id} ended (${view.job.state}) with no finishedAt`);
  const appliedPerInvite = new Map<string, number>();
  for (const e of journal)
    if (e.applied) appliedPerInvite.set(e.inviteId, (appliedPerInvite.get(e.inviteId) ?? 0) + 1);
  const ats = journal.map((e) => e.at);
  return {
    seconds: (finishedAt - t0) / 1000,
    concurrency: settings.concurrency,
    view,
    cancelRequests: journal.length,
    applied: [...appliedPerInvite.values()].reduce((a, b) => a + b, 0),
    doubleApplied: [...appliedPerInvite.values()].filter((n) => n > 1).length,
    pendingLeft: after.courses
      .filter((c) => courseIds.includes(c.id))
      .reduce((s, c) => s + c.counts.pending, 0),
    requests: {
      api: after.requests.api - before.requests.api,
      cancel: after.requests.cancel - before.requests.cancel,
      rateLimited: after.requests.rateLimited - before.requests.rateLimited,
    },
    cancelPhaseSeconds: ats.length ? (Math.max(...ats) - Math.min(...ats)) / 1000 : null,
  };
}

/**
 * The browser's own floor, in the same run: the same invites (the portal's data seeded again)
 * cancelled by a bare loop in the service worker, with the same concurrency and the same
 * Origin rule, and none of Reclaim's work (no job, no database, no parsing beyond JSON).
 * Timed like the job: from reading the course list to the last answer.
 */
/** Runs in the service worker (as source text: the TypeScript loader's helpers do not exist there). */
const RAW_LOOP = `async ({ origin, concurrency }) => {
  const get = async (path) => {
    const res = await fetch(origin + path, { credentials: 'include', cache: 'no-store' });
    if (!res.ok) throw new Error('GET ' + path + ': ' + res.status);
    return res.json();
  };
  const { csrfToken } = await get('/api/session');
  const t0 = performance.now();
  const { items: courses } = await get('/api/courses');
  const ids = [];
  for (const c of courses) {
    for (let page = 1; ; page++) {
      const p = await get('/api/courses/' + c.id + '/invites?status=pending&page=' + page + '&pageSize=100');
      ids.push(...p.items.map((i) => i.id));
      if (page * 100 >= p.total) break;
    }
  }
  let next = 0;
  let failed = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const res = await fetch(origin + '/api/invites/' + id + '/cancel', {
        method: 'POST',
        credentials: 'include',
        cache: 'no-store',
        headers: { 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: '{}',
      });
      await res.text();
      if (res.status !== 200) failed++;
    }
  }));
  return { ms: performance.now() - t0, n: ids.length, failed };
}`;

async function rawFetchSeconds(r: Reclaim, data: DataSpec, concurrency: number): Promise<number> {
  await r.sim.reset(data);
  const sw = await r.serviceWorker();
  const args = JSON.stringify({ origin: r.portal.origin, concurrency });
  const out = (await sw.evaluate(`(${RAW_LOOP})(${args})`)) as { ms: number; n: number; failed: number };
  if (out.failed > 0) throw new Error(`raw loop: ${out.failed} of ${out.n} cancels not answered 200`);
  return out.ms / 1000;
}

export function pendingOf(state: { courses: { id: string; counts: { pending: number } }[] }): number {
  return state.courses.reduce((s, c) => s + c.counts.pending, 0);
}

export function outcomeNote(run: JobRun, n: number): string | undefined {
  const problems: string[] = [];
  if (run.view.job.state !== 'done') problems.push(`job ended ${run.view.job.state}`);
  if (run.applied !== n) problems.push(`portal journal shows ${run.applied} of ${n} invites cancelled`);
  if (run.pendingLeft !== 0) problems.push(`${run.pendingLeft} invites still pending`);
  if (run.doubleApplied) problems.push(`${run.doubleApplied} invites cancelled twice`);
  return problems.length ? problems.join('; ') : undefined;
}

const BULK_TARGET = 'ratioToBound <= 1.2';
const BULK_FIELDS = [
  'invites',
  'seconds',
  'boundSeconds',
  'ratioToBound',
  'nativeSecondsPerInvite',
  'speedupVsNative',
] as const;

export async function bulkRevoke(dist: string): Promise<Figure> {
  const courses = 10;
  const pendingPerCourse = 100;
  const latencyMs = 50;
  const data: DataSpec = { preset: 'bench', seed: 6, courses, pendingPerCourse, acceptedPerCourse: 10 };
  const faults: Partial<Faults> = { latencyMs, rateLimit: null };

  // The portal's own way, in the same run, on the same data and latency (its own portal and a
  // plain browser, so the sample does not eat into the job's invites).
  let native: Awaited<ReturnType<typeof nativeCancel>> | null = null;
  let nativeNote: string | null = null;
  try {
    native = await nativeCancel({ data, faults, courseId: 'c-1', sample: NATIVE_SAMPLE });
    if (native.journalApplied !== native.invites) {
      nativeNote = `native: the journal shows ${native.journalApplied} of ${native.invites} cancels applied`;
    }
  } catch (err) {
    nativeNote = `native cancel not measured: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    log('bench', nativeNote);
  }

  const r = await launchReclaim({ dist, portal: { data, faults } });
  try {
    const state = await r.sim.state();
    const courseIds = state.courses.map((c) => c.id);
    const n = pendingOf(state);
    const concurrency = process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : null;
    const run = await runBulk(r, courseIds, concurrency);
    const boundSeconds = (Math.ceil(n / run.concurrency) * latencyMs) / 1000;
    const ratio = run.seconds / boundSeconds;
    let raw: number | null = null;
    let rawNote: string | null = null;
    try {
      raw = await rawFetchSeconds(r, data, run.concurrency);
    } catch (err) {
      rawNote = `raw fetch floor not measured: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    }
    const note = [outcomeNote(run, n), nativeNote, rawNote].filter(Boolean).join('; ');
    log('bench', `bulkRevoke: ${n} invites in ${run.seconds.toFixed(2)} s (bound ${boundSeconds} s)`);
    const nativePer = native && !nativeNote ? native.secondsPerInvite : null;
    return {
      invites: n,
      courses,
      concurrency: run.concurrency,
      latencyMs,
      drivenFrom: DRIVER,
      seconds: round(run.seconds),
      boundSeconds: round(boundSeconds),
      boundFormula: 'ceil(invites / concurrency) x latency',
      ratioToBound: round(ratio),
      rawFetchSeconds: round(raw),
      ratioToRawFetch: raw === null ? null : round(run.seconds / raw),
      rawFetchRatioToBound: raw === null ? null : round(raw / boundSeconds),
      cancelPhaseSeconds: round(run.cancelPhaseSeconds),
      cancelRequests: run.cancelRequests,
      portalApplied: run.applied,
      pendingLeft: run.pendingLeft,
      jobState: run.view.job.state,
      nativeSample: native?.invites ?? null,
      nativeSecondsPerInvite: round(nativePer, 4),
      speedupVsNative: nativePer === null ? null : round((nativePer * n) / run.seconds, 1),
      target: BULK_TARGET,
      meets: ratio <= 1.2 && outcomeNote(run, n) === undefined,
      ...(note ? { note } : {}),
    };
  } catch (err) {
    return unmeasured(
      BULK_TARGET,
      BULK_FIELDS,
      `job not measured: ${err instanceof Error ? err.message : String(err)}`,
    );
  } finally {
    await r.close();
  }
}

const RATE_TARGET = 'ratioToBound <= 1.15 and share429 <= 0.05';

export async function rateLimited(dist: string): Promise<Figure> {
  const perSecond = 20;
  const burst = 40;
  const latencyMs = 40;
  const data: DataSpec = {
    preset: 'bench',
    seed: 7,
    courses: 4,
    pendingPerCourse: 100,
    acceptedPerCourse: 5,
  };
  const r = await launchReclaim({
    dist,
    portal: { data, faults: { latencyMs, rateLimit: { perSecond, burst } } },
  });
  try {
    const state = await r.sim.state();
    const courseIds = state.courses.map((c) => c.id);
    const n = pendingOf(state);
    const run = await runBulk(r, courseIds, null);
    const boundSeconds = Math.max(
      (Math.ceil(n / run.concurrency) * latencyMs) / 1000,
      (n - burst) / perSecond,
    );
    const ratio = run.seconds / boundSeconds;
    const share429 = run.requests.api ? run.requests.rateLimited / run.requests.api : null;
    log(
      'bench',
      `rateLimited: ${n} invites in ${run.seconds.toFixed(2)} s (bound ${boundSeconds} s), ${run.requests.rateLimited}/${run.requests.api} answered 429`,
    );
    const note = outcomeNote(run, n);
    return {
      invites: n,
      concurrency: run.concurrency,
      latencyMs,
      drivenFrom: DRIVER,
      rateLimit: { perSecond, burst },
      seconds: round(run.seconds),
      boundSeconds: round(boundSeconds),
      boundFormula: 'max(ceil(invites / concurrency) x latency, (invites - burst) / perSecond)',
      ratioToBound: round(ratio),
      share429: round(share429, 4),
      apiRequests: run.requests.api,
      rateLimitedRequests: run.requests.rateLimited,
      cancelRequests: run.cancelRequests,
      portalApplied: run.applied,
      pendingLeft: run.pendingLeft,
      jobState: run.view.job.state,
      target: RATE_TARGET,
      meets: ratio <= 1.15 && share429 !== null && share429 <= 0.05 && note === undefined,
      ...(note ? { note } : {}),
    };
  } catch (err) {
    return unmeasured(
      RATE_TARGET,
      ['invites', 'seconds', 'boundSeconds', 'ratioToBound', 'share429'],
      `job not measured: ${err instanceof Error ? err.message : String(err)}`,
    );
  } finally {
    await r.close();
  }
}
