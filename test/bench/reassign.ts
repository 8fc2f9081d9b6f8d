/**
 * reassign: 500 reassignments (each pending invite cancelled, then a new address invited into its
 * seat) in one job through the real extension, started from the popup's page with `invite.start`,
 * at 50 ms latency with the rate limit off, timed on the browser's clock from the message to the
 * job's `finishedAt`. Beside it, in the same run:
 *
 * - the browser's own floor: the portal's data seeded again and a bare loop in the service worker
 *   (same concurrency, same Origin rule, no job, no database) that reads the course list and the
 *   pending invites, then for each pair sends the cancel and, once it is answered, the invite;
 * - the portal's own way: a script on a plain Chromium, per address, its Usage tab's Cancel (with
 *   the portal's dialog), then its Invites tab's send form, over a sample.
 *
 * The portal's journal checks the work: every invite cancelled once, every address invited once.
 */
import { isFullSettings } from '../../src/shared/messages';
import type { JobView } from '../../src/shared/types';
import { launchReclaim, type Reclaim } from '../e2e/harness';
import { invitedTwice } from '../portal/audit';
import type { DataSpec, Faults } from '../portal/server';
import { portalQuiet, startInviteJob, waitJob } from './jobs';
import { askOk, type Figure, log, round, sleep, unmeasured } from './lib';
import { nativeReassign } from './native';

const NATIVE_SAMPLE = Number(process.env.BENCH_NATIVE_SAMPLE ?? 20);
const TARGET = 'ratioToRawFetch <= 1.1';
const FIELDS = [
  'reassignments',
  'seconds',
  'requests',
  'rawFetchSeconds',
  'ratioToRawFetch',
  'speedupVsNative',
];

type Pair = { courseId: string; inviteId: string; email: string };

/** Runs in the service worker (as source text: the TypeScript loader's helpers do not exist there). */
const RAW_LOOP = `async ({ origin, concurrency, pairs }) => {
  const get = async (path) => {
    const res = await fetch(origin + path, { credentials: 'include', cache: 'no-store' });
    if (!res.ok) throw new Error('GET ' + path + ': ' + res.status);
    return res.json();
  };
  const post = (path, body, csrfToken) => fetch(origin + path, {
    method: 'POST',
    credentials: 'include',
    cache: 'no-store',
    headers: { 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const { csrfToken } = await get('/api/session');
  const t0 = performance.now();
  const { items: courses } = await get('/api/courses');
  const pending = new Set();
  for (const c of courses) {
    for (let page = 1; ; page++) {
      const p = await get('/api/courses/' + c.id + '/invites?status=pending&page=' + page + '&pageSize=100');
      for (const i of p.items) pending.add(i.id);
      if (page * 100 >= p.total) break;
    }
  }
  const todo = pairs.filter((p) => pending.has(p.inviteId));
  let next = 0;
  let failed = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < todo.length) {
      const p = todo[next++];
      const cancel = await post('/api/invites/' + p.inviteId + '/cancel', {}, csrfToken);
      await cancel.text();
      if (cancel.status !== 200) { failed++; continue; }
      const invite = await post('/api/courses/' + p.courseId + '/invites', { emails: [p.email] }, csrfToken);
      await invite.text();
      if (invite.status !== 201) failed++;
    }
  }));
  return { ms: performance.now() - t0, n: todo.length, failed };
}`;

async function rawFetchSeconds(
  r: Reclaim,
  data: DataSpec,
  concurrency: number,
  pairs: Pair[],
): Promise<number> {
  await r.sim.reset(data);
  const sw = await r.serviceWorker();
  const args = JSON.stringify({ origin: r.portal.origin, concurrency, pairs });
  const out = (await sw.evaluate(`(${RAW_LOOP})(${args})`)) as { ms: number; n: number; failed: number };
  if (out.n !== pairs.length || out.failed > 0)
    throw new Error(
      `raw loop: ${out.failed} of ${out.n} pairs not answered 200 then 201 (${pairs.length} asked)`,
    );
  return out.ms / 1000;
}

interface JobRun {
  seconds: number;
  concurrency: number;
  view: JobView;
  requests: number;
  cancelApplied: number;
  invited: number;
  duplicateInvites: number;
}

async function runJob(r: Reclaim, pairs: Pair[]): Promise<JobRun> {
  await r.page.goto('about:blank');
  const ext = await r.openPopup();
  const settings = await askOk(ext, { type: 'settings.get' });
  if (!isFullSettings(settings)) throw new Error('the popup was told page settings');
  await portalQuiet(r.sim, 1000);
  await sleep(1000);
  await r.sim.clearJournal();
  const before = (await r.sim.state()).requests.api;
  const { t0, view: started } = await startInviteJob(ext, { kind: 'reassign', pairs });
  log(
    'bench',
    `reassign job ${started.job.id}: ${started.counts.total} items, concurrency ${settings.concurrency}`,
  );
  const view = await waitJob(ext, started.job.id, { timeoutMs: 240_000 });
  const after = (await r.sim.state()).requests.api;
  const { entries, invites } = await r.sim.journalAll();
  await ext.close();
  if (view.job.finishedAt === null) throw new Error(`job ended ${view.job.state} with no finishedAt`);
  return {
    seconds: (view.job.finishedAt - t0) / 1000,
    concurrency: settings.concurrency,
    view,
    requests: after - before,
    cancelApplied: entries.filter((e) => e.applied).length,
    invited: invites.reduce((n, e) => n + e.created.length, 0),
    duplicateInvites: invitedTwice(invites).length,
  };
}

export async function reassign(dist: string): Promise<Figure> {
  const courses = 5;
  const latencyMs = 50;
  // No free seat: every invite goes into the seat its own cancel freed.
  const data: DataSpec = {
    preset: 'bench',
    seed: 8,
    courses,
    pendingPerCourse: 100,
    acceptedPerCourse: 10,
    seatsPerCourse: 110,
  };
  const faults: Partial<Faults> = { latencyMs, rateLimit: null };

  let native: Awaited<ReturnType<typeof nativeReassign>> | null = null;
  let nativeNote: string | null = null;
  try {
    native = await nativeReassign({ data, faults, courseId: 'c-1', sample: NATIVE_SAMPLE });
    if (native.journalApplied !== native.invites || native.journalInvited !== native.invites)
      nativeNote = `native: the journal shows ${native.journalApplied} cancels and ${native.journalInvited} invites for ${native.invites}`;
  } catch (err) {
    nativeNote = `native reassign not measured: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    log('bench', nativeNote);
  }

  const r = await launchReclaim({ dist, portal: { data, faults } });
  try {
    const pairs: Pair[] = (await r.sim.invites({ status: 'pending' }))
      .map((i) => ({ courseId: i.course.id, inviteId: i.id, email: `bench-${i.id}@example.test` }))
      .sort((a, b) => a.inviteId.localeCompare(b.inviteId));
    const n = pairs.length;
    const run = await runJob(r, pairs);
    let raw: number | null = null;
    let rawNote: string | null = null;
    try {
      raw = await rawFetchSeconds(r, data, run.concurrency, pairs);
    } catch (err) {
      rawNote = `raw fetch floor not measured: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    }
    const problems: string[] = [];
    if (run.view.job.state !== 'done') problems.push(`job ended ${run.view.job.state}`);
    if (run.view.counts.invited !== n) problems.push(`${run.view.counts.invited} of ${n} reported invited`);
    if (run.cancelApplied !== n || run.invited !== n)
      problems.push(`the journal shows ${run.cancelApplied} cancels and ${run.invited} invites for ${n}`);
    if (run.duplicateInvites) problems.push(`${run.duplicateInvites} addresses invited twice`);
    const ratio = raw === null ? null : run.seconds / raw;
    const nativePer = native && !nativeNote ? native.secondsPerInvite : null;
    log('bench', `reassign: ${n} in ${run.seconds.toFixed(2)} s (raw loop ${raw?.toFixed(2) ?? '?'} s)`);
    const note = [...problems, nativeNote, rawNote].filter(Boolean).join('; ');
    return {
      reassignments: n,
      courses,
      concurrency: run.concurrency,
      latencyMs,
      seconds: round(run.seconds),
      requests: run.requests,
      rawFetchSeconds: round(raw),
      ratioToRawFetch: round(ratio),
      portalCancelled: run.cancelApplied,
      portalInvited: run.invited,
      duplicateInvites: run.duplicateInvites,
      jobState: run.view.job.state,
      nativeSample: native?.invites ?? null,
      nativeSecondsPerReassignment: round(nativePer, 4),
      speedupVsNative: nativePer === null ? null : round((nativePer * n) / run.seconds, 1),
      target: TARGET,
      meets: ratio !== null && ratio <= 1.1 && problems.length === 0,
      ...(note ? { note } : {}),
    };
  } catch (err) {
    return unmeasured(
      TARGET,
      FIELDS,
      `job not measured: ${err instanceof Error ? err.message : String(err)}`,
    );
  } finally {
    await r.close();
  }
}
