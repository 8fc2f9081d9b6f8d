/**
 * annotate: how long Reclaim takes to put its controls and countdowns on every row of a
 * 1,000-row Usage table after the portal re-renders it, against the page's own render, in the
 * same run; long tasks Reclaim causes; heap growth over 100 and 200 re-renders.
 *
 * Three passes over the same data and page: a plain Chromium without any extension (the page
 * alone: baseline render, long tasks, heap); Chromium with the floor extension (test/bench/
 * floor-extension: the least any extension must do to put one control on every row); then
 * Chromium with Reclaim.
 */
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { pages } from '../../src/portal/page/routes';
import { CHROMIUM, chromiumArgs, launchReclaim, signInPage } from '../e2e/harness';
import type { DataSpec, Faults } from '../portal/server';
import { startPortal } from '../portal/server';
import { type Figure, log, median, round, sleep, unmeasured } from './lib';
import { PLAIN_CHROMIUM_ARGS } from './native';
import { type CycleResult, type LongTask, PROBE } from './probe';

const ROWS = 1000;
const RERENDERS = Number(process.env.BENCH_RERENDERS ?? 20);
const HEAP_STEP = 100;
/** Heap growth from re-render 100 to 200 above this counts as growth that scales. */
const SCALING_BYTES = 512 * 1024;
const LONG_TASK_MS = 50;
const FLOOR_EXTENSION = fileURLToPath(new URL('./floor-extension', import.meta.url));

const data: DataSpec = {
  preset: 'bench',
  seed: 8,
  courses: 1,
  pendingPerCourse: 900,
  acceptedPerCourse: 100,
};
const faults: Partial<Faults> = { latencyMs: 0, rateLimit: null };
const TARGET = 'ratio <= 0.25, no long tasks caused by Reclaim, no heap growth that scales with re-renders';

interface Heap {
  usedBytes: number;
  nodes: number;
  listeners: number;
}

interface Pass {
  cycles: CycleResult[];
  longTasks: LongTask[];
  heap: Heap[];
}

async function heapNow(page: Page): Promise<Heap> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = await cdp.send('Runtime.getHeapUsage');
    const counters = await cdp.send('Memory.getDOMCounters');
    return { usedBytes: usage.usedSize, nodes: counters.nodes, listeners: counters.jsEventListeners };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

function cycle(page: Page, waitMs: number): Promise<CycleResult> {
  return page.evaluate(`window.__bench.cycle(${waitMs})`) as Promise<CycleResult>;
}

/** Opens the 1,000-row Usage page with the probe, waits for it (and Reclaim, when `withReclaim`). */
async function openUsage(page: Page, url: string, withReclaim: boolean): Promise<void> {
  await page.addInitScript(PROBE);
  await page.goto(`${url}${pages.usage('c-1')}&pageSize=${ROWS}`);
  await page.waitForFunction(
    (n) => document.querySelectorAll('table[data-table="usage"] tr[data-invite-id]').length === n,
    ROWS,
    { timeout: 30_000 },
  );
  if (withReclaim) {
    const first = (await page.evaluate('window.__bench.waitDone(20000)')) as {
      done: boolean;
      missing: number;
      example: unknown;
    };
    if (!first.done) {
      throw new Error(
        `Reclaim's controls never covered the table after load: ${first.missing} of ${ROWS} rows without them, e.g. ${JSON.stringify(first.example)}`,
      );
    }
  }
}

async function pass(page: Page, withReclaim: boolean, label: string, heapSteps: number): Promise<Pass> {
  const waitMs = withReclaim ? 10_000 : 0;
  await page.evaluate('window.__bench.takeLongTasks()');
  const cycles: CycleResult[] = [];
  for (let i = 0; i < RERENDERS; i++) {
    const c = await cycle(page, waitMs);
    if (withReclaim && c.doneAt === null) {
      throw new Error(
        `re-render ${i + 1}: ${c.missing} of ${c.rows} rows still without controls after 10 s, e.g. ${JSON.stringify(c.example)}`,
      );
    }
    cycles.push(c);
    await sleep(30);
  }
  await sleep(200); // long-task entries are delivered asynchronously
  const longTasks = (await page.evaluate('window.__bench.takeLongTasks()')) as LongTask[];
  log(
    'bench',
    `annotate (${label}): ${RERENDERS} timed re-renders${heapSteps ? `; heap over ${heapSteps * HEAP_STEP} more` : ''}`,
  );
  const heap: Heap[] = [await heapNow(page)];
  for (let step = 0; step < heapSteps; step++) {
    const t = Date.now();
    for (let i = 0; i < HEAP_STEP; i++) await cycle(page, waitMs);
    heap.push(await heapNow(page));
    log(
      'bench',
      `annotate (${label}): ${HEAP_STEP * (step + 1)} re-renders (${((Date.now() - t) / HEAP_STEP).toFixed(0)} ms each)`,
    );
  }
  return { cycles, longTasks, heap };
}

/** The share of a long task spent between the rows landing and Reclaim finishing. */
function reclaimShare(task: LongTask, cycles: CycleResult[]): number {
  let share = 0;
  for (const c of cycles) {
    if (c.insertedAt === null || c.doneAt === null) continue;
    const from = Math.max(task.start, c.insertedAt);
    const to = Math.min(task.start + task.duration, c.doneAt);
    if (to > from) share += to - from;
  }
  return share;
}

function heapSummary(h: Heap[]) {
  const [h0, h1, h2] = h as [Heap, Heap, Heap | undefined];
  return {
    growthAfter100Bytes: h1.usedBytes - h0.usedBytes,
    growthAfter200Bytes: h2 ? h2.usedBytes - h0.usedBytes : null,
    growth100to200Bytes: h2 ? h2.usedBytes - h1.usedBytes : null,
    domNodes: h.map((x) => x.nodes),
    listeners: h.map((x) => x.listeners),
  };
}

async function baseline(): Promise<Pass> {
  const portal = await startPortal({ quiet: true, data, faults });
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: PLAIN_CHROMIUM_ARGS });
    const ctx: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await ctx.newPage();
    await signInPage(page, portal.url);
    await openUsage(page, portal.url, false);
    return await pass(page, false, 'without extension', 1);
  } finally {
    await browser?.close().catch(() => {});
    await portal.close().catch(() => {});
  }
}

/** The floor: the same cycles with the floor extension instead of Reclaim. */
async function floor(): Promise<Pass> {
  const portal = await startPortal({ quiet: true, data, faults });
  let ctx: BrowserContext | null = null;
  try {
    ctx = await chromium.launchPersistentContext('', {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 860 },
      // The same flags as Reclaim's browser.
      args: chromiumArgs(FLOOR_EXTENSION),
    });
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await signInPage(page, portal.url);
    await openUsage(page, portal.url, true);
    return await pass(page, true, 'floor extension', 0);
  } finally {
    await ctx?.close().catch(() => {});
    await portal.close().catch(() => {});
  }
}

export async function annotate(dist: string): Promise<Figure> {
  const without = await baseline();
  let floorPass: Pass | null = null;
  let floorNote: string | null = null;
  try {
    floorPass = await floor();
  } catch (err) {
    floorNote = `floor not measured: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    log('bench', floorNote);
  }
  const r = await launchReclaim({ dist, portal: { data, faults } });
  let withExt: Pass;
  try {
    await openUsage(r.page, r.portal.url, true);
    withExt = await pass(r.page, true, 'with Reclaim', 2);
  } catch (err) {
    return unmeasured(
      TARGET,
      [
        'rows',
        'reclaimMedianMs',
        'pageRenderMedianMs',
        'ratio',
        'longTasksCausedByReclaim',
        'heapGrowthAfter100Bytes',
      ],
      `not measured with the extension: ${err instanceof Error ? err.message : String(err)}`,
    );
  } finally {
    await r.close();
  }

  const reclaimMs = withExt.cycles.map((c) => (c.doneAt as number) - (c.insertedAt as number));
  const renderMs = withExt.cycles.flatMap((c) => c.renderMs);
  const buildMs = withExt.cycles
    .filter((c) => c.dataAt !== null)
    .map((c) => (c.insertedAt as number) - (c.dataAt as number));
  const frameWith = withExt.cycles.map((c) => c.frameAt - (c.insertedAt as number));
  const frameWithout = without.cycles
    .filter((c) => c.insertedAt !== null)
    .map((c) => c.frameAt - (c.insertedAt as number));
  const reclaimMedian = median(reclaimMs);
  const renderMedian = median(renderMs);
  const ratio = reclaimMedian !== null && renderMedian ? reclaimMedian / renderMedian : null;
  const floorMedian = floorPass
    ? median(floorPass.cycles.map((c) => (c.doneAt as number) - (c.insertedAt as number)))
    : null;
  const floorRender = floorPass ? median(floorPass.cycles.flatMap((c) => c.renderMs)) : null;

  const causedIn = (p: Pass) =>
    p.longTasks.filter((t) => {
      const share = reclaimShare(t, p.cycles);
      return share > 0 && (share > LONG_TASK_MS || t.duration - share <= LONG_TASK_MS);
    });
  const caused = causedIn(withExt);
  const heapWith = heapSummary(withExt.heap);
  const heapWithout = heapSummary(without.heap);
  const scales = heapWith.growth100to200Bytes === null || heapWith.growth100to200Bytes > SCALING_BYTES;
  log(
    'bench',
    `annotate: Reclaim ${reclaimMedian?.toFixed(2)} ms vs page render ${renderMedian?.toFixed(2)} ms (median of ${RERENDERS}); long tasks ${withExt.longTasks.length} with, ${without.longTasks.length} without, ${caused.length} caused by Reclaim`,
  );
  return {
    rows: ROWS,
    rerenders: RERENDERS,
    reclaimMedianMs: round(reclaimMedian, 2),
    reclaimMaxMs: round(Math.max(...reclaimMs), 2),
    reclaimSynchronous: withExt.cycles.every((c) => c.immediate === true),
    pageRenderMedianMs: round(renderMedian, 2),
    ratio: round(ratio, 3),
    pageBuildMedianMs: round(median(buildMs), 2),
    ratioToPageBuild: round(
      reclaimMedian !== null && median(buildMs) ? reclaimMedian / (median(buildMs) as number) : null,
      3,
    ),
    frameAfterRenderMedianMs: round(median(frameWith), 2),
    frameAfterRenderMedianMsWithoutExtension: round(median(frameWithout), 2),
    pageRenderMedianMsWithoutExtension: round(median(without.cycles.flatMap((c) => c.renderMs)), 2),
    floorMedianMs: round(floorMedian, 2),
    pageRenderMedianMsWithFloor: round(floorRender, 2),
    floorRatio: round(floorMedian !== null && floorRender ? floorMedian / floorRender : null, 3),
    ratioToFloor: round(reclaimMedian !== null && floorMedian ? reclaimMedian / floorMedian : null, 3),
    longTasksCausedByFloor: floorPass ? causedIn(floorPass).length : null,
    ...(floorNote ? { floorNote } : {}),
    longTasksCausedByReclaim: caused.length,
    longTasksWithExtension: withExt.longTasks.length,
    longTasksWithoutExtension: without.longTasks.length,
    longestTaskMsWithExtension: round(Math.max(0, ...withExt.longTasks.map((t) => t.duration)), 1),
    heapGrowthAfter100Bytes: heapWith.growthAfter100Bytes,
    heapGrowthAfter200Bytes: heapWith.growthAfter200Bytes,
    heapGrowth100to200Bytes: heapWith.growth100to200Bytes,
    domNodesAt0_100_200: heapWith.domNodes,
    listenersAt0_100_200: heapWith.listeners,
    heapGrowthAfter100BytesWithoutExtension: heapWithout.growthAfter100Bytes,
    target: TARGET,
    meets: ratio !== null && ratio <= 0.25 && caused.length === 0 && !scales,
  };
}
