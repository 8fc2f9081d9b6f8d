/**
 * The portal's stable DOM hooks (portal contract, "DOM hooks the extension may rely on").
 * Nothing else in the portal's markup is relied on: classes, text, column order and
 * wrappers may change.
 */
import { INVITE_STATUSES, type InviteStatus } from '../../shared/types';

export const selectors = {
  inviteHistoryTable: 'table[data-table="invite-history"]',
  usageTable: 'table[data-table="usage"]',
  cell: (col: 'course' | 'learner' | 'sent' | 'status' | 'progress' | 'actions') => `td[data-col="${col}"]`,
  sentTime: 'time[datetime]',
} as const;

export interface RowFacts {
  inviteId: string;
  status: InviteStatus | null;
  sentAt: string | null;
  learnerName: string | null;
  courseTitle: string | null;
}

type Col = 'course' | 'learner' | 'sent' | 'status' | 'actions';
const COLS: ReadonlySet<string> = new Set<Col>(['course', 'learner', 'sent', 'status', 'actions']);

/**
 * A row's cells by column, in one pass over its children (the usual shape). Where the row wraps
 * its cells in something else, or its status or actions cell is not among them, the missing
 * columns are looked up anywhere in the row.
 */
function cellsOf(row: Element): Partial<Record<Col, Element>> {
  const cells: Partial<Record<Col, Element>> = {};
  let wrapped = false;
  for (let el = row.firstElementChild; el; el = el.nextElementSibling) {
    if (el.tagName !== 'TD' && el.tagName !== 'TH') wrapped = true;
    const col = el.getAttribute('data-col');
    if (col && COLS.has(col) && el.tagName === 'TD') cells[col as Col] ??= el;
  }
  if (wrapped || !cells.status || !cells.actions)
    for (const col of COLS as ReadonlySet<Col>)
      cells[col] ??= row.querySelector(selectors.cell(col)) ?? undefined;
  return cells;
}

function textOf(cell: Element | undefined): string | null {
  return cell?.textContent?.trim() || null;
}

function statusOf(cell: Element | null | undefined): InviteStatus | null {
  const text = cell?.textContent?.trim().toLowerCase() ?? '';
  return INVITE_STATUSES.find((s) => text.startsWith(s)) ?? null;
}

function factsOf(inviteId: string, cells: Partial<Record<Col, Element>>): RowFacts {
  const status = statusOf(cells.status);
  const sent = cells.sent;
  const first = sent?.firstElementChild;
  const time = first?.matches(selectors.sentTime) ? first : sent?.querySelector(selectors.sentTime);
  const datetime = time?.getAttribute('datetime');
  const sentAt = datetime && !Number.isNaN(Date.parse(datetime)) ? datetime : null;
  return { inviteId, status, sentAt, learnerName: textOf(cells.learner), courseTitle: textOf(cells.course) };
}

/** A row's invite, status and actions cell: what is read on every re-render. */
export interface RowKey {
  inviteId: string;
  status: InviteStatus | null;
  actions: HTMLElement | null;
}

const STATUS_CELL = selectors.cell('status');
const ACTIONS_CELL = selectors.cell('actions');

/**
 * The cheap read of a row, for the hot path of a wholesale re-render: every element a content
 * script touches gets a wrapper object of its own world, which costs more than the read itself,
 * so this touches the row, its status cell and its actions cell only (the actions cell is the
 * last cell in the usual shape; anywhere in the row otherwise).
 */
export function readRowKey(row: Element): RowKey | null {
  const inviteId = row.getAttribute('data-invite-id');
  if (!inviteId) return null;
  const last = row.lastElementChild;
  const actions =
    last?.tagName === 'TD' && last.getAttribute('data-col') === 'actions'
      ? (last as HTMLElement)
      : row.querySelector<HTMLElement>(ACTIONS_CELL);
  return { inviteId, status: statusOf(row.querySelector(STATUS_CELL)), actions };
}

/** What else a row says (sent date, learner, course): read when a control is built or the cache lacks the invite. */
export function readRowDetails(row: Element): Omit<RowFacts, 'inviteId' | 'status'> {
  const f = factsOf('', cellsOf(row));
  return { sentAt: f.sentAt, learnerName: f.learnerName, courseTitle: f.courseTitle };
}

/**
 * A body row that carries data but lacks the invite hook: the table's shape changed.
 * (An empty-state row, one cell spanning the table, is not one.)
 */
export function isUnhookedDataRow(row: Element): boolean {
  return (
    row.tagName === 'TR' &&
    !row.hasAttribute('data-invite-id') &&
    row.parentElement?.tagName !== 'THEAD' &&
    row.querySelectorAll(':scope > td').length > 1
  );
}

/** Any table at all: when the URL promises an invite table and only unhooked tables exist. */
export function anyTable(doc: Document): HTMLTableElement | null {
  return doc.querySelector('table');
}
