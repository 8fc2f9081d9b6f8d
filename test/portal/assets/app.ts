/**
 * The reference portal's own page script (served as /assets/app.js, an ES module importing its
 * neighbours). Renders the tables from the JSON API like a single-page app: tab switches and
 * page changes re-render without a page load and follow the URL with history.pushState. Rows are
 * replaced wholesale on every render. Never uses innerHTML.
 */
import type { Invite, Learner, Seats } from '../types';
import { ApiError, api, errorText, tableMarkup } from './api.js';
import { $, clearNotice, confirmCancel, fillTable, h, kebab, life, notice, renderMs, root } from './dom.js';
import { renderInviteHistory, renderUsage } from './invite-tables.js';

interface Course {
  id: string;
  title: string;
  seats: Seats;
  pending: number;
}
interface Paged<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}
interface Sent {
  items: Invite[];
  skipped: { email: string; reason: string }[];
  seats: Seats;
}

declare global {
  interface Window {
    /** For tests and benchmarks: re-render now; table render times; completed re-renders. */
    __portal?: { rerender(): Promise<void>; renderMs: number[]; renders: number };
  }
}

const REFRESH_MS = 30_000;
const USAGE_PAGE_SIZE = 25;
const API_PAGE_SIZE = 100;

async function cancelFlow(invite: Invite): Promise<void> {
  if (!(await confirmCancel())) return;
  try {
    const r = await api<{ invite: Invite; seats: Seats }>(
      `/api/invites/${encodeURIComponent(invite.id)}/cancel`,
      {},
    );
    notice(
      `Invite for ${r.invite.learner.name} cancelled. The licence is back in your pool (${r.seats.available} available).`,
    );
    showSeats(r.seats);
  } catch (err) {
    notice(errorText(err), 'error');
  }
  await rerender();
}

function showSeats(seats: Seats): void {
  for (const k of ['total', 'assigned', 'available'] as const) {
    const el = $(`[data-seat="${k}"]`);
    if (el) el.textContent = String(seats[k]);
  }
}

// ---------------------------------------------------------------- routing

const params = () => new URL(location.href).searchParams;
function intParam(name: string, dflt: number, max = Number.POSITIVE_INFINITY): number {
  const n = Number(params().get(name));
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : dflt;
}

function navigate(change: Record<string, string | null>): void {
  const url = new URL(location.href);
  for (const [k, v] of Object.entries(change)) {
    if (v === null) url.searchParams.delete(k);
    else url.searchParams.set(k, v);
  }
  history.pushState(null, '', url);
  void rerender();
}

function currentTab(dflt: string): string {
  const t = params().get('tab');
  return t && root.querySelector(`[data-panel="${t}"]`) ? t : dflt;
}

function showTab(tab: string): void {
  for (const p of root.querySelectorAll<HTMLElement>('[data-panel]')) p.hidden = p.dataset.panel !== tab;
  for (const a of root.querySelectorAll<HTMLElement>('[data-tab]')) {
    const on = a.dataset.tab === tab;
    a.classList.toggle('active', on);
    a.setAttribute('aria-selected', String(on));
  }
}

root.addEventListener(
  'click',
  (e) => {
    const a = (e.target as Element).closest<HTMLAnchorElement>('a[data-tab]');
    if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    if (a.dataset.tab === params().get('tab')) return;
    clearNotice();
    navigate({ tab: a.dataset.tab ?? null, page: null });
  },
  { signal: life.signal },
);
window.addEventListener('popstate', () => void rerender(), { signal: life.signal });

function pager(page: number, pages: number, total: number, noun: string): void {
  const el = $('[data-pager]');
  if (!el) return;
  const prev = h('button', { type: 'button', 'data-page': 'prev', disabled: page <= 1 }, '‹ Prev');
  const next = h('button', { type: 'button', 'data-page': 'next', disabled: page >= pages }, 'Next ›');
  prev.addEventListener('click', () => navigate({ page: String(page - 1) }));
  next.addEventListener('click', () => navigate({ page: String(page + 1) }));
  el.replaceChildren(
    prev,
    h('span', { class: 'muted' }, `Page ${page} of ${pages} · ${total} ${noun}`),
    next,
  );
}

// ---------------------------------------------------------------- pages

let renderSeq = 0;

async function renderLearners(seq: number): Promise<void> {
  const q = params().get('q') ?? '';
  const input = $('[data-search] input') as HTMLInputElement | null;
  if (input && document.activeElement !== input) input.value = q;
  const page = intParam('page', 1);
  const data = await api<Paged<Learner>>(`/api/learners?q=${encodeURIComponent(q)}&page=${page}`);
  if (seq !== renderSeq) return;
  const rows = data.items.map((l) =>
    h(
      'tr',
      { 'data-learner-id': l.id },
      h(
        'td',
        {},
        h('a', { href: `/manager/learners/${encodeURIComponent(l.id)}?tab=invite-history` }, l.name),
      ),
      h('td', {}, l.email),
    ),
  );
  fillTable(root.querySelector('table[data-table="learners"]'), rows, 'No learners match your search.');
  pager(page, Math.max(1, Math.ceil(data.total / data.pageSize)), data.total, 'learners');
}

async function renderLearner(seq: number): Promise<void> {
  const id = root.dataset.learnerId ?? '';
  const tab = currentTab('details');
  showTab(tab);
  const data = await api<{ items: Invite[] }>(`/api/learners/${encodeURIComponent(id)}/invites?status=all`);
  if (seq !== renderSeq) return;
  const shown = data.items.filter((i) => i.status === 'pending' || i.status === 'accepted');
  const summary = $('[data-summary]');
  if (summary) {
    const pending = shown.filter((i) => i.status === 'pending').length;
    summary.textContent = `${shown.length} course${shown.length === 1 ? '' : 's'} · ${pending} pending invite${pending === 1 ? '' : 's'}`;
  }
  if (tab !== 'invite-history') return;
  renderInviteHistory(shown, tableMarkup(), (inv) => void cancelFlow(inv));
}

async function renderLicenses(seq: number): Promise<void> {
  const data = await api<{ items: Course[] }>('/api/courses');
  if (seq !== renderSeq) return;
  const rows = data.items.map((c) => {
    const href = `/manager/licenses/${encodeURIComponent(c.id)}/distribute`;
    return h(
      'tr',
      { 'data-course-id': c.id },
      h('td', {}, h('a', { href: `${href}?tab=usage` }, c.title)),
      h('td', { class: 'num' }, String(c.seats.total)),
      h('td', { class: 'num' }, String(c.seats.assigned)),
      h('td', { class: 'num' }, String(c.seats.available)),
      h(
        'td',
        { class: 'actions' },
        kebab(`Actions for ${c.title}`, [{ text: 'Distribute', run: () => location.assign(href) }]),
      ),
    );
  });
  fillTable(root.querySelector('table[data-table="licenses"]'), rows, 'You have no course licences yet.');
}

async function renderDistribute(seq: number): Promise<void> {
  const courseId = root.dataset.courseId ?? '';
  const tab = currentTab('invites');
  showTab(tab);
  if (tab !== 'usage') return;
  const pageSize = intParam('pageSize', USAGE_PAGE_SIZE, 1000);
  const page = intParam('page', 1);
  // One usage page may need several API pages (the API serves at most 100 a page).
  const first = (page - 1) * pageSize;
  const items: Invite[] = [];
  let total = 0;
  for (let apiPage = Math.floor(first / API_PAGE_SIZE) + 1; ; apiPage++) {
    const data = await api<Paged<Invite>>(
      `/api/courses/${encodeURIComponent(courseId)}/invites?status=active&page=${apiPage}&pageSize=${API_PAGE_SIZE}`,
    );
    total = data.total;
    const start = (apiPage - 1) * data.pageSize;
    for (const [k, inv] of data.items.entries()) {
      const at = start + k;
      if (at >= first && at < first + pageSize) items.push(inv);
    }
    if (items.length >= pageSize || start + data.items.length >= total || data.items.length === 0) break;
  }
  if (seq !== renderSeq) return;
  renderUsage(items, tableMarkup(), (inv) => void cancelFlow(inv));
  pager(page, Math.max(1, Math.ceil(total / pageSize)), total, 'invites');
}

const renderers: Record<string, (seq: number) => Promise<void>> = {
  learners: renderLearners,
  learner: renderLearner,
  licenses: renderLicenses,
  distribute: renderDistribute,
};

/** Re-renders the current view from the API. */
async function rerender(): Promise<void> {
  const run = renderers[root.dataset.page ?? ''];
  if (!run) return;
  const seq = ++renderSeq;
  try {
    await run(seq);
  } catch (err) {
    if (seq === renderSeq) notice(errorText(err), 'error');
  }
  portal.renders++;
}

// ---------------------------------------------------------------- forms

$('[data-search]')?.addEventListener(
  'submit',
  (e) => {
    e.preventDefault();
    const q = (($('[data-search] input') as HTMLInputElement | null)?.value ?? '').trim();
    navigate({ q: q || null, page: null });
  },
  { signal: life.signal },
);

/** What the Invites tab's form says after a send. */
function sentText(r: Sent): string {
  const sent = `${r.items.length} invite${r.items.length === 1 ? '' : 's'} sent.`;
  const skipped = r.skipped.length ? ` ${r.skipped.length} already invited.` : '';
  return `${sent}${skipped} ${r.seats.available} licence${r.seats.available === 1 ? '' : 's'} left.`;
}

function sendError(err: unknown): string {
  if (err instanceof ApiError && err.code === 'no_seats') {
    return `Not enough licences: ${String(err.detail.requested ?? '?')} new invite(s), ${String(err.detail.available ?? 0)} licence(s) left in your pool. Nothing was sent.`;
  }
  if (err instanceof ApiError && err.code === 'invalid_emails') {
    const bad = Array.isArray(err.detail.invalid) ? err.detail.invalid.join(', ') : '';
    return `These are not valid e-mail addresses: ${bad}. Nothing was sent.`;
  }
  return errorText(err);
}

// The Invites tab: addresses one per line (or separated by commas or semicolons), one request.
$('[data-send-form]')?.addEventListener(
  'submit',
  async (e) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const area = form.elements.namedItem('emails') as HTMLTextAreaElement;
    const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
    const out = $('[data-send-result]', form);
    const emails = area.value
      .split(/[\n,;]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (!out || emails.length === 0) return;
    out.className = 'result';
    out.dataset.state = 'sending';
    out.textContent = 'Sending…';
    if (button) button.disabled = true;
    let state: 'sent' | 'error' = 'error';
    try {
      const r = await api<Sent>(`/api/courses/${encodeURIComponent(root.dataset.courseId ?? '')}/invites`, {
        emails,
      });
      showSeats(r.seats);
      out.textContent = sentText(r);
      state = 'sent';
      area.value = '';
    } catch (err) {
      out.className = 'result error';
      out.textContent = sendError(err);
    } finally {
      if (button) button.disabled = false;
    }
    await rerender();
    // Set last, so whoever waits for it (a test, the native benchmark) sees the whole cycle done.
    out.dataset.state = state;
  },
  { signal: life.signal },
);

// ---------------------------------------------------------------- start

const timer = setInterval(() => {
  if (document.visibilityState === 'visible') void rerender();
}, REFRESH_MS);
window.addEventListener('pagehide', (e) => {
  if (e.persisted) return;
  clearInterval(timer);
  life.abort();
});

const portal = { rerender, renderMs, renders: 0 };
window.__portal = portal;
void rerender();
