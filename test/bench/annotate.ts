/**
 * annotate: how long Reclaim takes to put its controls and countdowns on every row of a
 * 1,000-row Usage table after the portal re-renders it, against the page's own render, in the
 * same run; long tasks Reclaim causes; heap growth over 100 and 200 re-renders. Measured twice:
 * on the portal's own markup with its DOM hooks, and on a vendor's markup without them (top
 * level of the figure, and `hookless`).
 *
 * Three passes per markup over the same data and page (annotate-pass.ts): a plain Chromium
 * without any extension (the page alone: baseline render, long tasks, heap); Chromium with the
 * floor extension (test/bench/floor-extension: the least any extension must do to put one
 * control on every row, in that markup); then Chromium with Reclaim.
 */

import {
  baseline,
  floor,
  type Heap,
  type MarkupName,
  type Pass,
  RERENDERS,
  ROWS,
  withReclaim,
} from './annotate-pass';
import { errorText, type Figure, log, median, round, unmeasured } from './lib';
import type { LongTask } from './probe';

/** Heap growth from re-render 100 to 200 above this counts as growth that scales. */
const SCALING_BYTES = 512 * 1024;
const LONG_TASK_MS = 50;
/** Reclaim's time over the floor's, with and without the hooks. */
const FLOOR_TARGET = 1.2;
const TARGET = `ratio <= 0.25, no long tasks caused by Reclaim, no heap growth that scales with re-renders; ratioToFloor <= ${FLOOR_TARGET} with the hooks and without`;

/** The share of a long task spent between the rows landing and the extension finishing. */
function extensionShare(task: LongTask, p: Pass): number {
  let share = 0;
  for (const c of p.cycles) {
    if (c.insertedAt === null || c.doneAt === null) continue;
    const from = Math.max(task.start, c.insertedAt);
    const to = Math.min(task.start + task.duration, c.doneAt);
    if (to > from) share += to - from;
  }
  return share;
}

/** Long tasks the extension caused: its share is over 50 ms, or without it the task would have stayed under. */
const causedIn = (p: Pass) =>
  p.longTasks.filter((t) => {
    const share = extensionShare(t, p);
    return share > 0 && (share > LONG_TASK_MS || t.duration - share <= LONG_TASK_MS);
  });

function heapSummary(h: Heap[]) {
  const [h0, h1, h2] = h as [Heap, Heap | undefined, Heap | undefined];
  return {
    growthAfter100Bytes: h1 ? h1.usedBytes - h0.usedBytes : null,
    growthAfter200Bytes: h2 ? h2.usedBytes - h0.usedBytes : null,
    growth100to200Bytes: h2 && h1 ? h2.usedBytes - h1.usedBytes : null,
    domNodes: h.map((x) => x.nodes),
    listeners: h.map((x) => x.listeners),
  };
}

const annotateMs = (p: Pass) => p.cycles.map((c) => (c.doneAt as number) - (c.insertedAt as number));

/** The timings of one markup: Reclaim, the page's render under it, the floor, and their ratios. */
function timings(ext: Pass, floorPass: Pass | null, without: Pass) {
  const reclaimMs = annotateMs(ext);
  const reclaimMedian = median(reclaimMs);
  const renderMedian = median(ext.cycles.flatMap((c) => c.renderMs));
  const floorMedian = floorPass ? median(annotateMs(floorPass)) : null;
  const floorRender = floorPass ? median(floorPass.cycles.flatMap((c) => c.renderMs)) : null;
  const buildMs = ext.cycles
    .filter((c) => c.dataAt !== null)
    .map((c) => (c.insertedAt as number) - (c.dataAt as number));
  const after = (p: Pass) =>
    p.cycles.filter((c) => c.insertedAt !== null).map((c) => c.frameAt - (c.insertedAt as number));
  const ratio = reclaimMedian !== null && renderMedian ? reclaimMedian / renderMedian : null;
  const ratioToFloor = reclaimMedian !== null && floorMedian ? reclaimMedian / floorMedian : null;
  const caused = causedIn(ext);
  return {
    ratio,
    ratioToFloor,
    caused: caused.length,
    fields: {
      reclaimMedianMs: round(reclaimMedian, 2),
      reclaimMaxMs: round(Math.max(...reclaimMs), 2),
      reclaimSynchronous: ext.cycles.every((c) => c.immediate === true),
      pageRenderMedianMs: round(renderMedian, 2),
      ratio: round(ratio, 3),
      pageBuildMedianMs: round(median(buildMs), 2),
      ratioToPageBuild: round(
        reclaimMedian !== null && median(buildMs) ? reclaimMedian / (median(buildMs) as number) : null,
        3,
      ),
      frameAfterRenderMedianMs: round(median(after(ext)), 2),
      frameAfterRenderMedianMsWithoutExtension: round(median(after(without)), 2),
      pageRenderMedianMsWithoutExtension: round(median(without.cycles.flatMap((c) => c.renderMs)), 2),
      floorMedianMs: round(floorMedian, 2),
      pageRenderMedianMsWithFloor: round(floorRender, 2),
      floorRatio: round(floorMedian !== null && floorRender ? floorMedian / floorRender : null, 3),
      ratioToFloor: round(ratioToFloor, 3),
      longTasksCausedByFloor: floorPass ? causedIn(floorPass).length : null,
      longTasksCausedByReclaim: caused.length,
      longTasksWithExtension: ext.longTasks.length,
      longTasksWithoutExtension: without.longTasks.length,
      longestTaskMsWithExtension: round(Math.max(0, ...ext.longTasks.map((t) => t.duration)), 1),
    },
  };
}

/** The floor of one markup, or why it could not be measured (the figure is still reported). */
async function floorOf(markup: MarkupName): Promise<{ pass: Pass | null; note: string | null }> {
  try {
    return { pass: await floor(markup), note: null };
  } catch (err) {
    const note = `floor not measured: ${errorText(err)}`;
    log('bench', `annotate (${markup}): ${note}`);
    return { pass: null, note };
  }
}

export async function annotate(dist: string): Promise<Figure> {
  const hooked = { without: await baseline('hooks', 1), floor: await floorOf('hooks') };
  const hookless = { without: await baseline('hookless', 0), floor: await floorOf('hookless') };
  let ext: { hooks: Pass; hookless: Pass };
  try {
    ext = { hooks: await withReclaim(dist, 'hooks', 2), hookless: await withReclaim(dist, 'hookless', 0) };
  } catch (err) {
    return unmeasured(
      TARGET,
      ['rows', 'reclaimMedianMs', 'pageRenderMedianMs', 'ratio', 'ratioToFloor', 'longTasksCausedByReclaim'],
      `not measured with the extension: ${err instanceof Error ? err.message : String(err)}`,
    );
  }

  const hooks = timings(ext.hooks, hooked.floor.pass, hooked.without);
  const bare = timings(ext.hookless, hookless.floor.pass, hookless.without);
  const heapWith = heapSummary(ext.hooks.heap);
  const heapWithout = heapSummary(hooked.without.heap);
  const scales = heapWith.growth100to200Bytes === null || heapWith.growth100to200Bytes > SCALING_BYTES;
  for (const [name, t] of [['hooks', hooks] as const, ['hookless', bare] as const])
    log(
      'bench',
      `annotate (${name}): Reclaim ${t.fields.reclaimMedianMs} ms, floor ${t.fields.floorMedianMs} ms (ratio ${t.fields.ratioToFloor}), page render ${t.fields.pageRenderMedianMs} ms (median of ${RERENDERS}); ${t.caused} long tasks caused by Reclaim`,
    );
  const nearFloor = [hooks, bare].every((t) => t.ratioToFloor !== null && t.ratioToFloor <= FLOOR_TARGET);
  return {
    rows: ROWS,
    rerenders: RERENDERS,
    ...hooks.fields,
    ...(hooked.floor.note ? { floorNote: hooked.floor.note } : {}),
    heapGrowthAfter100Bytes: heapWith.growthAfter100Bytes,
    heapGrowthAfter200Bytes: heapWith.growthAfter200Bytes,
    heapGrowth100to200Bytes: heapWith.growth100to200Bytes,
    domNodesAt0_100_200: heapWith.domNodes,
    listenersAt0_100_200: heapWith.listeners,
    heapGrowthAfter100BytesWithoutExtension: heapWithout.growthAfter100Bytes,
    hookless: { ...bare.fields, ...(hookless.floor.note ? { floorNote: hookless.floor.note } : {}) },
    nearFloor,
    target: TARGET,
    meets: hooks.ratio !== null && hooks.ratio <= 0.25 && hooks.caused === 0 && !scales && nearFloor,
  };
}
