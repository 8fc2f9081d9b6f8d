/**
 * The two invite tables (a learner's Invite History, a course's Usage) as the current table
 * markup says: the table's skeleton (swapped when the markup changes between renders) and its
 * rows. With the default markup the skeleton is the server's and the rows carry the hooks.
 */
import type { Invite } from '../types';
import { fillTable, h, kebab, root } from './dom.js';
import {
  type Column,
  dateText,
  decodeMarkup,
  encodeMarkup,
  extraText,
  type InviteTable,
  isDefaultMarkup,
  language,
  skeleton,
  statusText,
  type TableMarkup,
  UI_WORDS,
} from './table-markup.js';

interface Mounted {
  key: string;
  /** The table, or its wrapper. */
  node: Element;
  table: HTMLTableElement;
}
const mounted = new Map<InviteTable, Mounted>();

/** The table the server rendered into the page, for the markup the page was served with. */
function fromShell(kind: InviteTable): Mounted | undefined {
  const served = decodeMarkup(root.dataset.markup);
  if (isDefaultMarkup(served)) {
    const table = root.querySelector<HTMLTableElement>(`table[data-table="${kind}"]`);
    return table ? { key: encodeMarkup(served), node: table, table } : undefined;
  }
  const node = root.querySelector(`[data-panel="${kind}"]`)?.firstElementChild;
  const table = node instanceof HTMLTableElement ? node : node?.querySelector('table');
  return node && table ? { key: encodeMarkup(served), node, table } : undefined;
}

function build(kind: InviteTable, m: TableMarkup): Mounted {
  const k = skeleton(kind, m);
  const head = h(
    'tr',
    {},
    ...k.headers.map((c) => h('th', {}, c.srOnly ? h('span', { class: 'sr-only' }, c.text) : c.text)),
  );
  const table = h(
    'table',
    { class: k.tableClass, 'data-table': k.hook ?? undefined },
    h('thead', {}, head),
    h('tbody'),
  );
  const node = k.wrapperClass ? h('div', { class: k.wrapperClass }, table) : table;
  return { key: encodeMarkup(m), node, table };
}

/**
 * The invite table to fill for markup `m`, swapping its skeleton in when the markup changed.
 * Null when the page has no such table that the script knows (as when someone renamed its hook).
 */
function tableFor(kind: InviteTable, m: TableMarkup): HTMLTableElement | null {
  const key = encodeMarkup(m);
  let cur = mounted.get(kind) ?? fromShell(kind);
  if (cur) mounted.set(kind, cur);
  if (cur?.key === key) return cur.table;
  if (!cur && isDefaultMarkup(m)) return null;
  const next = build(kind, m);
  if (cur) cur.node.replaceWith(next.node);
  else root.querySelector(`[data-panel="${kind}"]`)?.prepend(next.node);
  mounted.set(kind, next);
  cur = next;
  return cur.table;
}

// ---------------------------------------------------------------- cells

const vendor = (m: TableMarkup) => m.layout === 'vendor';

function cell(
  col: Column,
  m: TableMarkup,
  attrs: Record<string, string | undefined>,
  ...kids: (Node | string)[]
) {
  return h(
    'td',
    { 'data-col': m.hooks ? col : undefined, ...(vendor(m) ? { class: 'tw-cell' } : attrs) },
    ...kids,
  );
}

function sentCell(iso: string, m: TableMarkup): HTMLTableCellElement {
  const text = dateText(iso, m);
  const body = m.time ? h('time', { datetime: iso, title: vendor(m) ? undefined : iso }, text) : text;
  return cell('sent', m, {}, body);
}

function statusCell(status: Invite['status'], m: TableMarkup): HTMLTableCellElement {
  const cls = vendor(m)
    ? `tw-pill ${status === 'pending' ? 'tw-pill-warn' : 'tw-pill-ok'}`
    : `badge badge-${status}`;
  return cell('status', m, {}, h('span', { class: cls }, statusText(status, m)));
}

function learnerCell(inv: Invite, m: TableMarkup): HTMLTableCellElement {
  const link = h(
    'a',
    { href: `/manager/learners/${encodeURIComponent(inv.learner.id)}?tab=invite-history` },
    inv.learner.name,
  );
  const email = m.learnerEmail
    ? h('div', { class: vendor(m) ? 'tw-sub' : 'muted' }, inv.learner.email)
    : null;
  return cell('learner', m, { title: inv.learner.email }, link, ...(email ? [email] : []));
}

function progressCell(inv: Invite, m: TableMarkup): HTMLTableCellElement {
  const accepted = inv.status === 'accepted';
  const td = cell('progress', m, { class: accepted ? '' : 'muted' });
  if (!accepted) td.append('—');
  else if (vendor(m)) td.append(`${inv.progress ?? 0}%`);
  else {
    const fill = h('span');
    fill.style.width = `${inv.progress ?? 0}%`;
    td.append(h('span', { class: 'bar', 'aria-hidden': 'true' }, fill), `${inv.progress ?? 0}%`);
  }
  return td;
}

function row(
  inv: Invite,
  m: TableMarkup,
  cells: Record<Column, () => HTMLTableCellElement>,
  kind: InviteTable,
) {
  return h(
    'tr',
    m.hooks ? { 'data-invite-id': inv.id } : { class: vendor(m) ? 'tw-row' : undefined },
    ...skeleton(kind, m).columns.map((c) => cells[c]()),
  );
}

const none = (): HTMLTableCellElement => {
  throw new Error('no such column');
};

// ---------------------------------------------------------------- tables

export function renderUsage(items: Invite[], m: TableMarkup, onCancel: (inv: Invite) => void): void {
  const words = UI_WORDS[language(m)];
  const rows = items.map((inv) => {
    const pending = inv.status === 'pending';
    const cancelClass = vendor(m)
      ? `tw-btn${pending ? ' tw-btn-accent' : ''}`
      : `cancel${pending ? ' highlighted' : ''}`;
    const cancel = h(
      'button',
      {
        type: 'button',
        class: cancelClass,
        disabled: inv.status === 'accepted',
        'aria-label': words.cancelFor(inv.learner.name),
      },
      words.cancel,
    );
    if (pending) cancel.addEventListener('click', () => onCancel(inv));
    return row(
      inv,
      m,
      {
        learner: () => learnerCell(inv, m),
        sent: () => sentCell(inv.sentAt, m),
        status: () => statusCell(inv.status, m),
        progress: () => progressCell(inv, m),
        extra: () => cell('extra', m, {}, extraText('usage', inv.learner.id, m)),
        actions: () => cell('actions', m, { class: 'actions' }, cancel),
        course: none,
      },
      'usage',
    );
  });
  fillTable(tableFor('usage', m), rows, words.emptyUsage, vendor(m) ? 'tw-empty' : 'empty');
}

export function renderInviteHistory(items: Invite[], m: TableMarkup, onCancel: (inv: Invite) => void): void {
  const words = UI_WORDS[language(m)];
  const rows = items.map((inv) =>
    row(
      inv,
      m,
      {
        course: () =>
          cell(
            'course',
            m,
            {},
            h(
              'a',
              { href: `/manager/licenses/${encodeURIComponent(inv.course.id)}/distribute?tab=usage` },
              inv.course.title,
            ),
          ),
        sent: () => sentCell(inv.sentAt, m),
        status: () => statusCell(inv.status, m),
        extra: () => cell('extra', m, {}, extraText('invite-history', inv.id, m)),
        actions: () =>
          cell(
            'actions',
            m,
            { class: 'actions' },
            kebab(words.actionsFor(inv.course.title), [
              { text: words.cancel, disabled: inv.status !== 'pending', run: () => onCancel(inv) },
            ]),
          ),
        learner: none,
        progress: none,
      },
      'invite-history',
    ),
  );
  fillTable(tableFor('invite-history', m), rows, words.emptyHistory, vendor(m) ? 'tw-empty' : 'empty');
}
