/**
 * The portal's two invite tables as content scripts read them: found by the hook or by what their
 * header says, each row's invite, status and actions cell read by the hook or by its column, and
 * the invite named through the page's own invites (match.ts) where the row carries no id.
 */
import type { InviteStatus } from '../../shared/types';
import { type Day, dateReader, dayOf, plain, statusReader } from './cells';
import { dateFits, type InviteFacts, type InviteIndex, type Unmatched } from './match';
import { type Column, type InviteTableKind, type PortalProfile, portalProfile } from './profile';

/** Where each column is, by its header (cell positions, colspans counted). */
export interface Columns {
  /** The cells that name the invite (a learner's name and e-mail may be two columns). */
  names: number[];
  sent: number | null;
  status: number;
  /** Null: the row's last cell. */
  actions: number | null;
}

/** The header row: the head's last row, or a first row made of header cells only. */
function headerCells(table: HTMLTableElement): HTMLTableCellElement[] {
  let row: HTMLTableRowElement | null = null;
  for (let el = table.tHead?.lastElementChild; el && !row; el = el.previousElementSibling)
    if (el.tagName === 'TR') row = el as HTMLTableRowElement;
  row ??= table.rows[0] ?? null;
  if (!row) return [];
  const cells = [...row.cells];
  return cells.length > 0 && cells.every((c) => c.tagName === 'TH') ? cells : [];
}

/** The columns of `kind`'s table, from its header's words; null when a needed one is not named. */
export function columnsOf(
  table: HTMLTableElement,
  kind: InviteTableKind,
  profile: PortalProfile = portalProfile,
): Columns | null {
  const rule = profile.tables[kind];
  const words = (Object.keys(profile.headers) as Column[]).map(
    (col) => [col, new Set(profile.headers[col].map(plain))] as const,
  );
  const found: Partial<Record<Column, number[]>> = {};
  let at = 0;
  for (const th of headerCells(table)) {
    const text = plain(th.textContent);
    for (const [col, names] of words) {
      if (!names.has(text)) continue;
      const list = found[col] ?? [];
      list.push(at);
      found[col] = list;
    }
    at += Math.max(1, th.colSpan);
  }
  if (!rule.needs.every((col) => found[col]?.length)) return null;
  return {
    names: found[rule.names] ?? [],
    sent: found.sent?.[0] ?? null,
    status: found.status?.[0] as number,
    actions: found.actions?.at(-1) ?? null,
  };
}

/** The invite table of `kind` on the page: by its hook, else the first table whose header fits. */
export function findInviteTable(
  doc: Document,
  kind: InviteTableKind,
  profile: PortalProfile = portalProfile,
): HTMLTableElement | null {
  const hooked = doc.querySelector<HTMLTableElement>(profile.hooks.table[kind]);
  if (hooked) return hooked;
  for (const table of doc.getElementsByTagName('table')) if (columnsOf(table, kind, profile)) return table;
  return null;
}

/** Any table at all: where the notice goes when the URL promises an invite table and none is readable. */
export function anyTable(doc: Document): HTMLTableElement | null {
  return doc.querySelector('table');
}

/** A row's invite, status and actions cell: what is read on every re-render. */
export interface RowKey {
  /** The invite the row shows; null when it names none for sure (`why`) or the page's invites are not known yet. */
  inviteId: string | null;
  why: Unmatched | null;
  /** Named by the invite hook (else by what the row shows). */
  byHook: boolean;
  /** Null when the status cell says nothing Reclaim knows: the table is not what it seems. */
  status: InviteStatus | null;
  actions: HTMLElement | null;
}

/** What else a row says: read when a control is made, or when a row is checked before a revoke. */
export interface RowDetails {
  /** ISO-8601 from the row's `<time datetime>`, when it has one. */
  sentAt: string | null;
  /** The sent cell's calendar day (from its `<time>` or its text). */
  day: Day | null;
  learnerName: string | null;
  courseTitle: string | null;
}

export interface TableReader {
  readonly table: HTMLTableElement;
  /** The cheap read of a row, for the hot path of a re-render; null for a row that is no invite's (header, empty state). */
  read(row: Element, index: InviteIndex | null): RowKey | null;
  details(row: Element, now: number): RowDetails;
  /**
   * The invite the row names now, checked in full (by its hook, or by its name and its date),
   * or why not. Used before a control is made and again when it is clicked.
   */
  names(row: Element, index: InviteIndex | null, now: number): { inviteId: string } | { why: Unmatched };
}

const textOf = (cell: Element | null | undefined): string | null => cell?.textContent?.trim() || null;

export function readerFor(
  table: HTMLTableElement,
  kind: InviteTableKind,
  profile: PortalProfile = portalProfile,
): TableReader {
  const { inviteId: ID, column: COL, sentTime: TIME } = profile.hooks;
  const statusOf = statusReader(profile);
  const dayFrom = dateReader(profile);
  const cell = (col: Column) => `td[${COL}="${col}"]`;
  const STATUS = cell('status');
  const ACTIONS = cell('actions');
  const cols = columnsOf(table, kind, profile);

  /** The hook's shape: the actions cell is the last cell, or anywhere in the row. */
  function hookedActions(row: Element): HTMLElement | null {
    const last = row.lastElementChild;
    return last?.tagName === 'TD' && last.getAttribute(COL) === 'actions'
      ? (last as HTMLElement)
      : row.querySelector<HTMLElement>(ACTIONS);
  }

  /**
   * A row's cells, when it is a data row: not one cell across the table (an empty state), not
   * the header (its status column holds a header cell).
   */
  function cellsOf(row: Element): HTMLCollectionOf<HTMLTableCellElement> | null {
    if (row.tagName !== 'TR') return null;
    const cells = (row as HTMLTableRowElement).cells;
    if (cells.length < 2) return null;
    return cells[cols?.status ?? 0]?.tagName === 'TH' ? null : cells;
  }

  function nameText(cells: HTMLCollectionOf<HTMLTableCellElement>, quick: boolean): string {
    if (!cols) return '';
    let text = '';
    for (const i of cols.names) {
      const t = cells[i]?.textContent ?? '';
      text = text ? `${text} ${t}` : t;
    }
    return quick ? text.trim().toLowerCase() : plain(text);
  }

  function byName(
    cells: HTMLCollectionOf<HTMLTableCellElement>,
    index: InviteIndex,
  ): InviteFacts | Unmatched {
    // Trimmed and lower-cased is the usual text already; the full normalising only when it missed.
    const found = index.find(nameText(cells, true));
    return found === 'missing' ? index.find(nameText(cells, false)) : found;
  }

  function details(row: Element, now: number): RowDetails {
    const id = row.getAttribute(ID);
    const cells = cellsOf(row);
    const at = (i: number | null | undefined) => (i === null || i === undefined ? null : cells?.[i]);
    const sent = id ? row.querySelector(cell('sent')) : at(cols?.sent);
    const time = sent?.querySelector(TIME);
    const iso = time?.getAttribute('datetime') ?? null;
    const sentAt = iso && !Number.isNaN(Date.parse(iso)) ? iso : null;
    const names = id ? null : (cols?.names.map((i) => textOf(cells?.[i])).filter(Boolean) ?? []).join(' ');
    return {
      sentAt,
      day: sentAt ? dayOf(sentAt) : dayFrom(sent?.textContent, now),
      learnerName: id ? textOf(row.querySelector(cell('learner'))) : kind === 'usage' ? names || null : null,
      courseTitle: id
        ? textOf(row.querySelector(cell('course')))
        : kind === 'invite-history'
          ? names || null
          : null,
    };
  }

  return {
    table,
    read(row, index) {
      const id = row.getAttribute(ID);
      if (id)
        return {
          inviteId: id,
          why: null,
          byHook: true,
          status: statusOf(row.querySelector(STATUS)?.textContent),
          actions: hookedActions(row),
        };
      const cells = cellsOf(row);
      if (!cells) return null;
      if (!cols) return { inviteId: null, why: 'unreadable', byHook: false, status: null, actions: null };
      const status = statusOf(cells[cols.status]?.textContent);
      const actions =
        cols.actions === null ? (row.lastElementChild as HTMLElement | null) : (cells[cols.actions] ?? null);
      if (!index) return { inviteId: null, why: null, byHook: false, status, actions };
      const found = byName(cells, index);
      return typeof found === 'string'
        ? { inviteId: null, why: found, byHook: false, status, actions }
        : { inviteId: found.id, why: null, byHook: false, status, actions };
    },
    details,
    names(row, index, now) {
      const id = row.getAttribute(ID);
      if (id) return { inviteId: id };
      const cells = cellsOf(row);
      if (!cells || !cols || !index) return { why: 'unreadable' };
      const found = byName(cells, index);
      if (typeof found === 'string') return { why: found };
      return dateFits(details(row, now).day, found) ? { inviteId: found.id } : { why: 'other-date' };
    },
  };
}
