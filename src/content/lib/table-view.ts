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
 *
 * A row names its invite by the hook, or else by what it shows among the page's invites (the
 * portal adapter's rule); a row that names none for sure gets no control, and the notice says
 * how many rows and why. A control acts only from the row it was made for, while that row still
 * names its invite.
 */
import { type InviteFacts, InviteIndex, type Unmatched } from '../../portal/page/match';
import { type InviteTableKind, portalProfile } from '../../portal/page/profile';
import { type RowKey, readerFor, type RowDetails as TableRowDetails } from '../../portal/page/tables';
import { type BarView, createBarView } from './bar-view';
import type { Controller } from './controller';
import type { ContentDeps } from './deps';
import { createRowView, type RowDetails, type RowView } from './row-view';
import { schemeOf } from './styles';
import { unmatchedText } from './unmatched';

export interface TableView {
  /** Feed the page observer's records; decorates rows added inside the table. */
  handle(records: readonly MutationRecord[]): void;
}

export interface TableHooks {
  /** The table turned out not to be what it seemed: no controls on it at all. */
  onBroken(): void;
  /** What to say about rows left without a control (null: nothing). */
  report(text: string | null): void;
}

const MAX_DELAY = 2 ** 31 - 1;
/** One of our row controls among a cell's children. */
const OURS = ':scope > reclaim-row';

interface Entry {
  view: RowView;
  due: number;
  /** Where the control was last put. */
  row: Element;
  cell: Element;
  /** The invite as the background told it when the control was made (null: named by the hook). */
  invite: InviteFacts | null;
}

const rowDetails = (d: TableRowDetails): RowDetails => ({
  sentAt: d.sentAt,
  learnerName: d.learnerName,
  courseTitle: d.courseTitle,
});

export function bindTable(
  table: HTMLTableElement,
  kind: InviteTableKind,
  ctl: Controller,
  deps: ContentDeps,
  signal: AbortSignal,
  hooks: TableHooks,
): TableView {
  const reader = readerFor(table, kind);
  /** The control of each invite id in the table, and when its labels next change (ms, Date.now clock). */
  const views = new Map<string, Entry>();
  let barDue = Number.POSITIVE_INFINITY;
  const hosts = new WeakSet<Element>();
  let broken = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Rows were seen without the invite hook: they are named through the page's invites. */
  let byName = false;
  let index: InviteIndex | null = null;
  /** Rows left without a control, and why. */
  const unmatched = new Map<Element, Unmatched>();
  let said: string | null = null;
  /** Date.now() when the batch being handled began (one clock read per re-render, not per row). */
  let batchAt = Date.now();

  const scheme = schemeOf(table); // once per table: every control matches the page around it
  let barPlace: Element | null = null;
  const bar: BarView = createBarView(ctl, deps, scheme, () => barPlace);
  const placeBar = () => {
    table.before(bar.host);
    barPlace = bar.host.parentElement;
  };
  placeBar();

  const now = () => ctl.portalNow() ?? Date.now();

  function breakDown(): void {
    if (broken) return;
    broken = true;
    hooks.onBroken();
  }

  function reindex(): void {
    const invites = ctl.allInvites();
    if (!invites) {
      index = null;
      return;
    }
    // A control whose invite left the background's list keeps its row (and its outcome) for as
    // long as the page still shows that row.
    const departed: InviteFacts[] = [];
    for (const [id, entry] of views) if (entry.invite && !ctl.invite(id)) departed.push(entry.invite);
    index = new InviteIndex(invites, portalProfile.tables[kind], departed);
  }

  /**
   * The hot path of a wholesale re-render: a cheap read of the row (its invite, status and
   * actions cell), then this invite's control moved in. The rest of what the row says (sent
   * date, names) is read only when the background's cache does not know the invite, or when a
   * row named by its text gets a new control (then it is checked in full, date included).
   */
  function decorate(row: Element, key: RowKey): void {
    const cell = key.actions;
    if (key.status === null || !cell) {
      breakDown();
      return;
    }
    const id = key.inviteId;
    if (id === null) {
      if (key.why) leaveOut(row, cell, key.why);
      return;
    }
    const entry = views.get(id);
    if (mayHoldOurs(cell) && !clearCell(cell, entry)) return;
    if (unmatched.size > 0) unmatched.delete(row);
    if (entry && !entry.view.host.isConnected) {
      // The row was re-rendered: its control moves over, up to date unless the row says something new.
      const details = ctl.invite(id) ? null : rowDetails(reader.details(row, now()));
      if (entry.view.setRow(key.status, details) || entry.due <= batchAt) refresh(entry);
      entry.row = row;
      entry.cell = cell;
      cell.appendChild(entry.view.host);
      return;
    }
    if (!key.byHook) {
      // Named by its text: one row per invite, and the row's date must be its invite's.
      const named = entry ? { why: 'repeated' as const } : reader.names(row, index, now());
      if (!('inviteId' in named) || named.inviteId !== id) {
        leaveOut(row, cell, 'why' in named ? named.why : 'missing');
        return;
      }
    }
    // An invite never seen (or, by hook, a second row for one on screen): a new control.
    const facts = { inviteId: id, status: key.status, ...rowDetails(reader.details(row, now())) };
    const fresh: Entry = {
      view: createRowView(facts, ctl, deps, scheme, {
        cell: () => fresh.cell,
        holds: () => holds(fresh, id),
      }),
      due: 0,
      row,
      cell,
      invite: key.byHook ? null : (ctl.invite(id) ?? null),
    };
    hosts.add(fresh.view.host);
    views.set(id, fresh);
    refresh(fresh);
    cell.appendChild(fresh.view.host);
  }

  /** A row that names no invite for sure: no control in it, and counted for the notice. */
  function leaveOut(row: Element, cell: Element, why: Unmatched): void {
    if (mayHoldOurs(cell)) clearCell(cell, undefined);
    unmatched.set(row, why);
  }

  /**
   * Whether a cell may already hold a control of ours (a row the page moved, or cloned with our
   * host in it). A freshly rendered cell holds the portal's one control: checked without a query.
   */
  function mayHoldOurs(cell: Element): boolean {
    return (
      cell.lastElementChild?.tagName === 'RECLAIM-ROW' ||
      (cell.childElementCount > 1 && cell.querySelector(OURS) !== null)
    );
  }

  /**
   * At a click: whether the control still sits in the cell of the row it was made for, in this
   * table, and that row still names its invite. If not, the control goes and nothing is sent.
   */
  function holds(entry: Entry, id: string): boolean {
    const { row, cell, view } = entry;
    const named = reader.names(row, index, now());
    const ok =
      view.host.parentElement === cell &&
      row.contains(cell) &&
      row.isConnected &&
      table.contains(row) &&
      'inviteId' in named &&
      named.inviteId === id;
    if (!ok) {
      view.host.remove();
      if (views.get(id) === entry) views.delete(id);
    }
    return ok;
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
    let key = reader.read(row, index);
    if (key && !key.byHook && !byName) {
      byName = true;
      reindex();
      key = reader.read(row, index);
    }
    if (key) decorate(row, key);
  }

  /** Every row again: the page's invites changed, so what a row's text names may have too. */
  function rescan(): void {
    batchAt = Date.now();
    for (const row of table.rows) considerRow(row);
    prune();
  }

  /** Forgets controls and rows that left the table, and says what is left out now. */
  function prune(): void {
    for (const [id, entry] of views) if (!entry.view.host.isConnected) views.delete(id);
    for (const row of unmatched.keys()) if (!row.isConnected || !table.contains(row)) unmatched.delete(row);
    const text = broken ? null : unmatchedText(unmatched.values());
    if (text !== said) {
      said = text;
      hooks.report(text);
    }
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
    if (ids === null) {
      if (byName && !broken) {
        reindex();
        rescan();
      }
      for (const entry of views.values()) refresh(entry);
    } else
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
  prune();
  arm();

  return {
    handle(records) {
      batchAt = Date.now();
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
      if (removed || unmatched.size > 0) prune();
      if (!bar.host.isConnected && table.isConnected) placeBar();
      if (added) arm();
    },
  };
}
