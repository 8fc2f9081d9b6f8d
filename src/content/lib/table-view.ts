/**
 * Binds one invite table: a control in every invite row's actions cell, the Revoke-all bar
 * before the table, and one timer for every label that changes with time. Rows are decorated
 * synchronously from the page's MutationObserver records (before the browser paints), so a
 * wholesale re-render never shows a row without its control, nor one with two.
 */
import { actionsCell, isUnhookedDataRow, readRow, selectors } from '../../portal/dom';
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

export function bindTable(
  table: HTMLTableElement,
  ctl: Controller,
  deps: ContentDeps,
  signal: AbortSignal,
  onBroken: () => void,
): TableView {
  /** The current control of each invite id, and when its labels next change (ms, Date.now clock). */
  const views = new Map<string, { view: RowView; due: number }>();
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

  function decorate(row: Element): void {
    const facts = readRow(row);
    const cell = actionsCell(row);
    if (!facts || facts.status === null || !cell) {
      breakDown();
      return;
    }
    for (const el of cell.querySelectorAll(':scope > reclaim-row')) {
      if (hosts.has(el)) return; // already ours (the row was moved, not re-rendered)
      el.remove(); // a copy the page cloned: its shadow root did not come along
    }
    const view = createRowView(facts, ctl, deps, scheme);
    hosts.add(view.host);
    const entry = { view, due: 0 };
    views.set(facts.inviteId, entry);
    refresh(entry);
    cell.append(view.host);
  }

  function consider(node: Node): void {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const el = node as Element;
    const rows = el.tagName === 'TR' ? [el] : el.querySelectorAll('tr');
    for (const row of rows) {
      if (broken) return;
      if (row.matches(selectors.inviteRow)) decorate(row);
      else if (isUnhookedDataRow(row)) breakDown();
    }
  }

  function refresh(entry: { view: RowView; due: number }): void {
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
        if (!record.addedNodes.length || !table.contains(record.target)) continue;
        for (const node of record.addedNodes) {
          if (hosts.has(node as Element)) continue;
          added = true;
          consider(node);
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
