/**
 * revoke10k: a bulk revoke of 10,000 pending invites against one of 1,000, in the same browser
 * and run, each job started and watched as bulk.ts does (from the popup's page, no Undo
 * window), over courses of the same shape (500 pending each: 2 courses, then 20), latency 40 ms,
 * rate limit off. The figure is seconds per invite of the larger job over the smaller one's (a
 * cost that grows faster than the work shows as a ratio above 1). The 1,000-invite job runs
 * first, so its items are in the database while the larger one runs.
 *
 * The service worker's JS heap (CDP `Runtime.getHeapUsage`) is sampled every few seconds while
 * the large job runs, and read after it ends: as it is, and after forced garbage collection.
 */
import { launchReclaim, type Reclaim } from '../e2e/harness';
import type { DataSpec } from '../portal/server';
import { type JobRun, outcomeNote, pendingOf, runBulk } from './bulk';
import { type Figure, log, round, sleep, unmeasured } from './lib';
import { type HeapUsage, workerHeap } from './sw-heap';

const LATENCY_MS = 40;
const PER_COURSE = 500;
const HEAP_LIMIT = 64 * 1024 * 1024;
export const REVOKE_TARGET = 'ratio <= 1.1 and heapAfterBytes < 64 MiB';

const spec = (courses: number, seed: number): DataSpec => ({
  preset: 'bench',
  seed,
  courses,
  pendingPerCourse: PER_COURSE,
  acceptedPerCourse: 0,
});

async function revoke(r: Reclaim, data: DataSpec): Promise<{ n: number; run: JobRun }> {
  const state = await r.sim.reset(data);
  const n = pendingOf(state);
  const run = await runBulk(
    r,
    state.courses.map((c) => c.id),
    null,
    600_000,
  );
  const note = outcomeNote(run, n);
  if (note) throw new Error(`the ${n}-invite job: ${note}`);
  log('bench', `revoke10k: ${n} invites in ${run.seconds.toFixed(2)} s`);
  return { n, run };
}

export async function scaleRevoke(dist: string): Promise<Figure> {
  const r = await launchReclaim({
    dist,
    portal: { data: spec(2, 21), faults: { latencyMs: LATENCY_MS, rateLimit: null } },
  });
  try {
    const small = await revoke(r, spec(2, 21));
    const heap = await workerHeap(r.page, r.extensionId);
    const samples: HeapUsage[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push(await heap.usage());
        await sleep(3000);
      }
    })().catch(() => undefined);
    let large: { n: number; run: JobRun };
    try {
      large = await revoke(r, spec(20, 22));
    } finally {
      sampling = false;
      await sampler;
    }
    const after = await heap.usage();
    const afterGc = await heap.usage({ gc: true });
    await heap.close();
    const perSmall = small.run.seconds / small.n;
    const perLarge = large.run.seconds / large.n;
    const ratio = perLarge / perSmall;
    const peak = Math.max(after.usedBytes, ...samples.map((s) => s.usedBytes));
    log(
      'bench',
      `revoke10k: ${(perLarge * 1000).toFixed(2)} ms an invite for ${large.n} vs ${(perSmall * 1000).toFixed(2)} for ${small.n} (ratio ${ratio.toFixed(3)}); heap ${(after.usedBytes / 1048576).toFixed(1)} MiB after`,
    );
    return {
      invites: large.n,
      smallInvites: small.n,
      latencyMs: LATENCY_MS,
      concurrency: large.run.concurrency,
      seconds: round(large.run.seconds),
      smallSeconds: round(small.run.seconds),
      secondsPerInvite: round(perLarge, 5),
      smallSecondsPerInvite: round(perSmall, 5),
      ratio: round(ratio),
      boundSecondsPerInvite: round(LATENCY_MS / 1000 / large.run.concurrency, 5),
      heapAfterBytes: after.usedBytes,
      heapAfterGcBytes: afterGc.usedBytes,
      heapPeakSampledBytes: peak,
      heapSamples: samples.length,
      target: REVOKE_TARGET,
      meets: ratio <= 1.1 && after.usedBytes < HEAP_LIMIT,
    };
  } catch (err) {
    return unmeasured(
      REVOKE_TARGET,
      ['secondsPerInvite', 'smallSecondsPerInvite', 'ratio', 'heapAfterBytes'],
      `not measured: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    );
  } finally {
    await r.close();
  }
}
