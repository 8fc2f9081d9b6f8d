/**
 * The portal's stable DOM hooks (portal contract, "DOM hooks the extension may rely on").
 * Nothing else in the portal's markup is relied on: classes, text, column order and
 * wrappers may change.
 */
export const selectors = {
  inviteHistoryTable: 'table[data-table="invite-history"]',
  usageTable: 'table[data-table="usage"]',
  inviteRow: 'tr[data-invite-id]',
  cell: (col: 'course' | 'learner' | 'sent' | 'status' | 'progress' | 'actions') => `td[data-col="${col}"]`,
  sentTime: 'time[datetime]',
  csrfMeta: 'meta[name="csrf-token"]',
} as const;

export type RowStatus = 'pending' | 'accepted' | 'cancelled' | 'expired';

export interface RowFacts {
  inviteId: string;
  status: RowStatus | null;
  sentAt: string | null;
  learnerName: string | null;
  courseTitle: string | null;
}

const STATUSES: readonly RowStatus[] = ['pending', 'accepted', 'cancelled', 'expired'];

/** Reads what a row says about its invite; null fields where the row does not say it. */
export function readRow(row: Element): RowFacts | null {
  const inviteId = row.getAttribute('data-invite-id');
  if (!inviteId) return null;
  const statusText = row.querySelector(selectors.cell('status'))?.textContent?.trim().toLowerCase() ?? '';
  const status = STATUSES.find((s) => statusText === s || statusText.startsWith(s)) ?? null;
  const datetime = row
    .querySelector(`${selectors.cell('sent')} ${selectors.sentTime}`)
    ?.getAttribute('datetime');
  const sentAt = datetime && !Number.isNaN(Date.parse(datetime)) ? datetime : null;
  const learnerName = row.querySelector(selectors.cell('learner'))?.textContent?.trim() || null;
  const courseTitle = row.querySelector(selectors.cell('course'))?.textContent?.trim() || null;
  return { inviteId, status, sentAt, learnerName, courseTitle };
}

/** The cell the portal keeps a row's own controls in; ours go beside them. */
export function actionsCell(row: Element): HTMLElement | null {
  return row.querySelector<HTMLElement>(selectors.cell('actions'));
}

/** Every invite row of an invite table. */
export function inviteRows(table: Element): NodeListOf<HTMLTableRowElement> {
  return table.querySelectorAll<HTMLTableRowElement>(selectors.inviteRow);
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
