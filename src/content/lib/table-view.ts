/**
 * Binds one invite table: a control in every invite row's actions cell, the Revoke-all bar
 * before the table, and one timer for every label that changes with time. Rows are decorated
 * synchronously from the page's MutationObserver records (before the browser paints), so a
 * wholesale re-render never shows a row without its control, nor one with two.
 *
 * Each invite's control is built once and kept by invite id: when the portal replaces its rows,
 * the existing control (its state kept by invite id already) is moved into the new row, with no
 * new shadow root or styles; only a row that says something new re-renders its labels. Controls
 * whose invite is no longer in the table are dropped.
 */
import { isUnhookedDataRow, type RowKey, readRowDetails, readRowKey } from '../../portal/page/dom';
import { type BarView, createBarView } from './bar-view';
import type { Controller } from './controller';
import type { ContentDeps } from './deps';
import { createRowView, type RowView } from './row-view';
import { schemeOf } from './styles';

export interface TableView {
  /** Feed the page observer's records; decorates rows added inside the table. */
  handle(records: readonly MutationRecord[]): void;
}

const MAX_DELAY = 2 ** 31 - 1;
/** One of our row controls among a cell's children. */
const OURS = ':scope > reclaim-row';

interface Entry {
  view: RowView;
  due: number;
}

export function bindTable(
  table: HTMLTableElement,
  ctl: Controller,
  deps: ContentDeps,
  signal: AbortSignal,
  onBroken: () => void,
): TableView {
  /** The control of each invite id in the table, and when its labels next change (ms, Date.now clock). */
  const views = new Map<string, Entry>();
  let barDue = Number.POSITIVE_INFINITY;
  const hosts = new WeakSet<Element>();
  let broken = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const scheme = schemeOf(table); // once per table: every control matches the page around it
  const bar: BarView = createBarView(ctl, deps, scheme);
  table.before(bar.host);

  function breakDown(): void {
    if (broken) return;
    broken = true;
    onBroken();
  }

  /**
   * The hot path of a wholesale re-render: a cheap read of the row (its invite, status and
   * actions cell), then this invite's control moved in. The rest of what the row says (sent
   * date, names) is read only when the background's cache does not know the invite.
   */
  function decorate(row: Element, key: RowKey): void {
    const cell = key.actions;
    if (key.status === null || !cell) {
      breakDown();
      return;
    }
    const id = key.inviteId;
    const entry = views.get(id);
    if (cell.querySelector(OURS) !== null && !clearCell(cell, entry)) return;
    const details = ctl.invite(id) ? null : readRowDetails(row);
    if (entry && !entry.view.host.isConnected) {
      // The row was re-rendered: its control moves over, up to date unless the row says something new.
      if (entry.view.setRow(key.status, details) || entry.due <= Date.now()) refresh(entry);
      cell.appendChild(entry.view.host);
      return;
    }
    // An invite never seen (or a second row for one on screen): a new control.
    const facts = { inviteId: id, status: key.status, ...(details ?? readRowDetails(row)) };
    const view = createRowView(facts, ctl, deps, scheme);
    hosts.add(view.host);
    const fresh = { view, due: 0 };
    views.set(id, fresh);
    refresh(fresh);
    cell.appendChild(view.host);
  }

  /**
   * Controls already in an actions cell: false when it is this invite's own (the page moved the
   * row rather than re-rendering it); otherwise removes them (copies the page cloned, which lost
   * their shadow root, or another invite's) and returns true.
   */
  function clearCell(cell: Element, entry: Entry | undefined): boolean {
    for (let el = cell.firstElementChild; el; ) {
      const next = el.nextElementSibling;
      if (el.tagName === 'RECLAIM-ROW') {
        if (entry && el === entry.view.host) return false;
        el.remove();
      }
      el = next;
    }
    return true;
  }

  function consider(node: Node): void {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const el = node as Element;
    if (el.tagName === 'TR') considerRow(el);
    else if (!hosts.has(el)) for (const row of el.querySelectorAll('tr')) considerRow(row); // not our own control
  }
  function considerRow(row: Element): void {
    if (broken) return;
    const key = readRowKey(row);
    if (key) decorate(row, key);
    else if (isUnhookedDataRow(row)) breakDown();
  }

  function refresh(entry: Entry): void {
    entry.due = Date.now() + entry.view.update();
  }
  function refreshBar(): void {
    barDue = Date.now() + bar.update();
  }

  /** The one timer: wakes at the soonest label change and re-renders only the rows due. */
  function arm(): void {
    clearTimeout(timer);
    if (signal.aborted) return;
    let due = barDue;
    for (const entry of views.values()) if (entry.due < due) due = entry.due;
    if (due === Number.POSITIVE_INFINITY) return;
    timer = setTimeout(wake, Math.min(Math.max(due - Date.now(), 20), MAX_DELAY));
  }
  function wake(): void {
    const now = Date.now();
    if (barDue <= now) refreshBar();
    for (const entry of views.values()) if (entry.due <= now) refresh(entry);
    arm();
  }

  ctl.subscribe((ids) => {
    if (ids === null) for (const entry of views.values()) refresh(entry);
    else
      for (const id of ids) {
        const entry = views.get(id);
        if (entry) refresh(entry);
      }
    refreshBar(); // any change can move the count or the progress
    arm();
  }, signal);
  ctl.onAnnounce(bar.announce, signal);

  signal.addEventListener('abort', () => {
    clearTimeout(timer);
    bar.host.remove();
    for (const { view } of views.values()) view.host.remove();
    views.clear();
  });

  refreshBar();
  consider(table);
  arm();

  return {
    handle(records) {
      let removed = false;
      let added = false;
      for (const record of records) {
        if (broken) return;
        if (record.removedNodes.length) removed = true;
        const nodes = record.addedNodes;
        if (nodes.length === 0 || !table.contains(record.target)) continue;
        for (let i = 0; i < nodes.length; i++) {
          added = true;
          consider(nodes[i] as Node);
        }
      }
      if (broken) return;
      if (removed) {
        for (const [id, entry] of views) if (!entry.view.host.isConnected) views.delete(id);
      }
      if (!bar.host.isConnected && table.isConnected) table.before(bar.host);
      if (added) arm();
    },
  };
}
