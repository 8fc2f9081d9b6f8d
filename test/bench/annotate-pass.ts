/**
 * One pass of the annotate benchmark: a browser (with Reclaim, with the floor extension, or with
 * none) on the 1,000-row Usage page in one table markup, timed re-renders through the page's own
 * code, long tasks, heap; and, for an extension, what it drew inside its closed shadow roots,
 * read from its own world.
 */
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { pages } from '../../src/portal/page/routes';
import { CHROMIUM, chromiumArgs, launchReclaim, signInPage } from '../e2e/harness';
import type { TableMarkup } from '../portal/assets/table-markup';
import type { DataSpec, Faults } from '../portal/server';
import { startPortal } from '../portal/server';
import { simClient } from '../portal/sim-client';
import { log, sleep } from './lib';
import { PLAIN_CHROMIUM_ARGS } from './native';
import { type CycleResult, type LongTask, PROBE } from './probe';

export const ROWS = 1000;
export const RERENDERS = Number(process.env.BENCH_RERENDERS ?? 20);
export const HEAP_STEP = 100;
const FLOOR_EXTENSION = fileURLToPath(new URL('./floor-extension', import.meta.url));

export const data: DataSpec = {
  preset: 'bench',
  seed: 8,
  courses: 1,
  pendingPerCourse: 900,
  acceptedPerCourse: 100,
};
const faults: Partial<Faults> = { latencyMs: 0, rateLimit: null };

/**
 * The two markups measured: the portal's own with its DOM hooks, and a vendor's without them
 * (another column order, an extra column, other words). The hook-less page shows each learner's
 * e-mail beside the name, as such pages often do: this data set has learners who share a name,
 * and a row naming two invites gets no control.
 */
export const MARKUPS = {
  hooks: { preset: 'hooks' },
  hookless: { preset: 'hookless', learnerEmail: true },
} as const satisfies Record<string, Partial<TableMarkup> & { preset: 'hooks' | 'hookless' }>;
export type MarkupName = keyof typeof MARKUPS;

export interface Heap {
  usedBytes: number;
  nodes: number;
  listeners: number;
}

/** What an extension drew in the table, from inside its own world. */
export interface Inside {
  rows: number;
  /** Rows whose control lacks what it must show (a button and "expires" when pending, text otherwise). */
  wrong: number;
  example: string | null;
}

export interface Pass {
  cycles: CycleResult[];
  longTasks: LongTask[];
  heap: Heap[];
  /** Checked after the timed re-renders; null without an extension. */
  inside: Inside | null;
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

/** Runs in an extension's world: every row's control, opened (its root is closed to the page). */
const CHECK_INSIDE = `(() => {
  const table = document.querySelector('[data-panel="usage"] table');
  const rows = table ? [...table.querySelectorAll('tbody > tr')].filter((tr) => tr.cells.length > 1) : [];
  let wrong = 0;
  let example = null;
  for (const row of rows) {
    const pending = [...row.cells].some((c) => /^pending/i.test(c.textContent.trim()));
    const host = row.querySelector('reclaim-row, floor-row');
    const root = host ? chrome.dom.openOrClosedShadowRoot(host) : null;
    let text = '';
    let buttons = 0;
    if (root) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.parentElement?.tagName !== 'STYLE') text += n.data;
      buttons = [...root.querySelectorAll('button')].filter((b) => !b.hidden).length;
    }
    const ok = pending ? buttons > 0 && /expire/i.test(text) : text.trim().length > 0;
    if (!ok) {
      wrong++;
      example ??= JSON.stringify({ row: row.textContent.slice(0, 60), pending, text: text.slice(0, 60), buttons });
    }
  }
  return { rows: rows.length, wrong, example };
})()`;

/** Evaluates CHECK_INSIDE in the isolated world of the extension named `name`. */
async function inside(page: Page, name: string): Promise<Inside> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const worlds: { id: number; name: string }[] = [];
    cdp.on('Runtime.executionContextCreated', ({ context }) =>
      worlds.push({ id: context.id, name: context.name }),
    );
    await cdp.send('Runtime.enable');
    const world = worlds.filter((w) => w.name === name).at(-1);
    if (!world) throw new Error(`no world of ${name} on the page`);
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
      expression: CHECK_INSIDE,
      contextId: world.id,
      returnByValue: true,
    });
    if (exceptionDetails) throw new Error(exceptionDetails.text);
    return result.value as Inside;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

function cycle(page: Page, waitMs: number): Promise<CycleResult> {
  return page.evaluate(`window.__bench.cycle(${waitMs})`) as Promise<CycleResult>;
}

/** Opens the 1,000-row Usage page with the probe, and waits for it (and the extension's controls). */
async function openUsage(page: Page, url: string, withExtension: boolean): Promise<void> {
  await page.addInitScript(PROBE);
  await page.goto(`${url}${pages.usage('c-1')}&pageSize=${ROWS}`);
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-panel="usage"] table tbody > tr').length === n,
    ROWS,
    { timeout: 30_000 },
  );
  if (!withExtension) return;
  const first = (await page.evaluate('window.__bench.waitDone(20000)')) as {
    done: boolean;
    missing: number;
    example: unknown;
  };
  if (!first.done) {
    throw new Error(
      `the controls never covered the table after load: ${first.missing} of ${ROWS} rows without them, e.g. ${JSON.stringify(first.example)}`,
    );
  }
}

async function timed(page: Page, label: string, world: string | null, heapSteps: number): Promise<Pass> {
  const waitMs = world ? 10_000 : 0;
  await page.evaluate('window.__bench.takeLongTasks()');
  const cycles: CycleResult[] = [];
  for (let i = 0; i < RERENDERS; i++) {
    const c = await cycle(page, waitMs);
    if (world && c.doneAt === null) {
      throw new Error(
        `re-render ${i + 1}: ${c.missing} of ${c.rows} rows still without controls after 10 s, e.g. ${JSON.stringify(c.example)}`,
      );
    }
    cycles.push(c);
    await sleep(30);
  }
  await sleep(200); // long-task entries are delivered asynchronously
  const longTasks = (await page.evaluate('window.__bench.takeLongTasks()')) as LongTask[];
  const seen = world ? await inside(page, world) : null;
  if (seen && (seen.rows !== ROWS || seen.wrong > 0))
    throw new Error(
      `${label}: ${seen.wrong} of ${seen.rows} rows without the control they need, e.g. ${seen.example}`,
    );
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
  return { cycles, longTasks, heap, inside: seen };
}

/** The page alone, in plain Chromium. */
export async function baseline(markup: MarkupName, heapSteps: number): Promise<Pass> {
  const portal = await startPortal({ quiet: true, data, faults });
  let browser: Browser | null = null;
  try {
    await simClient(portal.url).setMarkup(MARKUPS[markup]);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: PLAIN_CHROMIUM_ARGS });
    const ctx: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await ctx.newPage();
    await signInPage(page, portal.url);
    await openUsage(page, portal.url, false);
    return await timed(page, `${markup}, without extension`, null, heapSteps);
  } finally {
    await browser?.close().catch(() => {});
    await portal.close().catch(() => {});
  }
}

/** The same cycles with the floor extension instead of Reclaim. */
export async function floor(markup: MarkupName): Promise<Pass> {
  const portal = await startPortal({ quiet: true, data, faults });
  let ctx: BrowserContext | null = null;
  try {
    await simClient(portal.url).setMarkup(MARKUPS[markup]);
    ctx = await chromium.launchPersistentContext('', {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 860 },
      args: chromiumArgs(FLOOR_EXTENSION), // the same flags as Reclaim's browser
    });
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await signInPage(page, portal.url);
    await openUsage(page, portal.url, true);
    return await timed(page, `${markup}, floor extension`, 'annotate floor (benchmark only)', 0);
  } finally {
    await ctx?.close().catch(() => {});
    await portal.close().catch(() => {});
  }
}

/** The same cycles with Reclaim. */
export async function withReclaim(dist: string, markup: MarkupName, heapSteps: number): Promise<Pass> {
  const r = await launchReclaim({ dist, portal: { data, faults } });
  try {
    await r.sim.setMarkup(MARKUPS[markup]);
    await openUsage(r.page, r.portal.url, true);
    return await timed(r.page, `${markup}, with Reclaim`, 'Reclaim', heapSteps);
  } finally {
    await r.close();
  }
}
