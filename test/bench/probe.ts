/**
 * The in-page probe of the annotate benchmark, injected into the portal page's main world
 * before any script of the page runs (so its MutationObserver is notified before Reclaim's).
 *
 * Kept as plain JavaScript text: it runs in the browser as written, with no build step.
 *
 * What it records, per re-render (`__bench.cycle()`):
 * - `insertedAt`: the portal's rows landed in the DOM (the `head` observer's callback with them;
 *   it was created before Reclaim's, so it is notified first);
 * - `doneAt`: when every row carried its control (one host element of the extension's; what is
 *   inside is in a closed shadow root, which this page-world probe cannot open: annotate.ts
 *   checks it from the extension's own world after the cycles). When Reclaim did it in its
 *   observer callback, this is the `tail` observer's callback, created at the start of each cycle
 *   (after Reclaim's) and so notified right after Reclaim's in the same microtask checkpoint;
 *   otherwise the first poll that finds every row done;
 * - `dataAt`: when the page's last API answer body was parsed (Response.json resolved), so
 *   `insertedAt - dataAt` is the page's own work turning data into rows;
 * - `frameAt`: first frame after the insertion (rAF, then a task after it, i.e. after paint);
 * - long tasks (PerformanceObserver 'longtask'), for attribution by timing.
 *
 * During a cycle both observers watch only the table and its body's own children (the page's
 * swap of the rows), not every node: an observer on the whole subtree would queue a record for
 * each control Reclaim puts in a cell, a cost a real portal page does not add and that would be
 * counted as Reclaim's (3 to 4 ms per 1,000 rows in a side-by-side check).
 *
 * It finds the Usage table and its rows the same way in every markup of the portal (with or
 * without the DOM hooks): the table in the Usage panel, its body's rows of more than one cell.
 */
export const PROBE = `(() => {
  if (!location.pathname.includes('/distribute')) return;
  const TABLE = '[data-panel="usage"] table';
  const HOSTS = 'reclaim-row, floor-row';
  const rowsOf = (table) => [...table.querySelectorAll('tbody > tr')].filter((tr) => tr.cells.length > 1);
  const b = { longTasks: [], insertedAt: null, tailAt: null, dataAt: null };
  window.__bench = b;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (err) {
    b.longTaskError = String(err);
  }
  const json = Response.prototype.json;
  Response.prototype.json = function () {
    return json.call(this).then((v) => {
      b.dataAt = performance.now();
      return v;
    });
  };
  const addsRows = (n) => n.nodeType === 1 && (n.tagName === 'TR' || n.querySelector('tr') !== null);
  // Created now, before any content script's observer: notified first of every batch.
  const head = new MutationObserver((records) => {
    const t = performance.now();
    for (const r of records) {
      if (r.type !== 'childList') continue;
      for (const n of r.addedNodes) {
        if (addsRows(n)) {
          b.insertedAt = t;
          return;
        }
      }
    }
  });
  // Until the first cycle (the page's first load) it watches the whole document for rows.
  head.observe(document, { childList: true, subtree: true });
  const watch = (observer) => {
    const table = document.querySelector(TABLE);
    if (!table) throw new Error('no usage table to watch');
    observer.observe(table, { childList: true });
    for (const body of table.tBodies) observer.observe(body, { childList: true });
  };

  b.check = () => {
    const table = document.querySelector(TABLE);
    const rows = table ? rowsOf(table) : [];
    let missing = 0;
    let example = null;
    for (const row of rows) {
      const hosts = row.querySelectorAll(HOSTS).length;
      if (hosts !== 1) {
        missing++;
        if (example === null) example = { row: (row.textContent || '').slice(0, 80), hosts };
      }
    }
    return { rows: rows.length, missing, done: rows.length > 0 && missing === 0, example };
  };
  const nextFrame = () =>
    new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));
  b.waitDone = async (timeoutMs, doneAt = null) => {
    let c = b.check();
    if (c.done) return { ...c, doneAt: doneAt ?? performance.now(), immediate: doneAt !== null };
    const until = performance.now() + timeoutMs;
    while (performance.now() < until) {
      await new Promise((r) => setTimeout(r, 1));
      const at = performance.now();
      c = b.check();
      if (c.done) return { ...c, doneAt: at, immediate: false };
    }
    return { ...c, doneAt: null, immediate: false };
  };
  // One re-render through the page's own code; with waitMs > 0 also waits for Reclaim's controls.
  b.cycle = async (waitMs) => {
    b.insertedAt = null;
    b.tailAt = null;
    head.disconnect();
    watch(head);
    // Created after every observer the page's scripts made so far: notified after them.
    const tail = new MutationObserver(() => {
      if (b.insertedAt !== null && b.tailAt === null) b.tailAt = performance.now();
    });
    watch(tail);
    const portal = window.__portal;
    const n0 = portal.renderMs.length;
    const t0 = performance.now();
    const frame = nextFrameAfterInsert();
    await portal.rerender();
    const insertedAt = b.insertedAt;
    const dataAt = b.dataAt;
    const done = waitMs > 0 ? await b.waitDone(waitMs, b.tailAt) : b.check();
    tail.disconnect();
    const frameAt = await frame;
    return {
      t0,
      dataAt,
      insertedAt,
      doneAt: done.doneAt ?? null,
      immediate: done.immediate ?? null,
      frameAt,
      rows: done.rows,
      missing: done.missing,
      example: done.example,
      renderMs: portal.renderMs.slice(n0),
      end: performance.now(),
    };
  };
  // Resolves at the first frame painted after the rows land.
  const nextFrameAfterInsert = () =>
    new Promise((resolve) => {
      const wait = () => (b.insertedAt === null ? setTimeout(wait, 0) : nextFrame().then(resolve));
      setTimeout(wait, 0);
    });
  b.takeLongTasks = () => b.longTasks.splice(0);
})();`;

export interface CycleResult {
  t0: number;
  dataAt: number | null;
  insertedAt: number | null;
  doneAt: number | null;
  immediate: boolean | null;
  frameAt: number;
  rows: number;
  missing: number;
  example: { row: string; hosts: number } | null;
  renderMs: number[];
  end: number;
}

export interface LongTask {
  start: number;
  duration: number;
}
