/**
 * The reference portal's own page script (served transpiled as /assets/app.js).
 * Renders the tables from the JSON API like a single-page app: tab switches and page
 * changes re-render without a page load and follow the URL with history.pushState.
 * Rows are replaced wholesale on every render. Never uses innerHTML.
 */

type Status = 'pending' | 'accepted' | 'cancelled' | 'expired';
interface Learner {
  id: string;
  name: string;
  email: string;
}
interface Invite {
  id: string;
  course: { id: string; title: string };
  learner: Learner;
  sentAt: string;
  status: Status;
  progress: number | null;
}
interface Seats {
  total: number;
  assigned: number;
  available: number;
}
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

declare global {
  interface Window {
    __portal?: { rerender(): Promise<void>; renderMs: number[] };
  }
}

const REFRESH_MS = 30_000;
const USAGE_PAGE_SIZE = 25;
const API_PAGE_SIZE = 100;

const root = document.getElementById('app') as HTMLElement;
const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
const renderMs: number[] = [];
const life = new AbortController();

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Calls the portal API; GETs are retried on 5xx, dropped connections and malformed bodies. */
async function api<T>(path: string, body?: unknown): Promise<T> {
  const method = body === undefined ? 'GET' : 'POST';
  for (let attempt = 0; ; attempt++) {
    const retryable = method === 'GET' && attempt < 3;
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        credentials: 'same-origin',
        headers: {
          Accept: 'application/json',
          'X-CSRF-Token': csrf,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      if (retryable) {
        await sleep(300 * (attempt + 1));
        continue;
      }
      throw new ApiError(0, 'network');
    }
    if (res.status === 401) {
      location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
      throw new ApiError(401, 'unauthenticated');
    }
    if (res.status === 429 && attempt < 5) {
      await sleep(Math.max(1, Number(res.headers.get('Retry-After')) || 1) * 1000);
      continue;
    }
    if (res.status >= 500 && retryable) {
      await sleep(300 * (attempt + 1));
      continue;
    }
    let data: unknown;
    try {
      data = await res.json();
    } catch {
      if (retryable) continue;
      throw new ApiError(res.status, 'malformed');
    }
    if (!res.ok) {
      const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
      throw new ApiError(res.status, typeof d.error === 'string' ? d.error : `http_${res.status}`, d);
    }
    return data as T;
  }
}

// ---------------------------------------------------------------- DOM helpers

type Attrs = Record<string, string | boolean | undefined>;
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | null)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null) el.append(c);
  return el;
}

function $(sel: string, within: ParentNode = root): HTMLElement | null {
  return within.querySelector<HTMLElement>(sel);
}

const dateFmt = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

function timeCell(iso: string): HTMLTimeElement {
  return h('time', { datetime: iso, title: iso }, dateFmt.format(new Date(iso)));
}

function statusCell(status: Status): HTMLTableCellElement {
  return h('td', { 'data-col': 'status' }, h('span', { class: `badge badge-${status}` }, status));
}

function notice(text: string, kind: 'ok' | 'error' = 'ok'): void {
  const n = $('[data-notice]');
  if (!n) return;
  n.textContent = text;
  n.className = `notice notice-${kind}`;
  n.hidden = false;
}

function clearNotice(): void {
  const n = $('[data-notice]');
  if (n) n.hidden = true;
}

function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'not_pending') return `This invite is already ${String(err.detail.status ?? 'closed')}.`;
    if (err.code === 'no_seats')
      return `Not enough licences: ${String(err.detail.available ?? 0)} left in your pool.`;
    if (err.code === 'network') return 'The portal could not be reached. Please try again.';
    if (err.code === 'csrf') return 'Your session token has expired. Please reload the page.';
    if (err.code === 'not_found') return 'That item no longer exists.';
  }
  return 'Something went wrong. Please try again.';
}

/** Replaces a table body's rows, recording how long the render took. */
function fillTable(table: HTMLTableElement | null, rows: HTMLTableRowElement[], empty: string): void {
  if (!table) return;
  const t0 = performance.now();
  const tbody = table.tBodies[0] ?? table.appendChild(document.createElement('tbody'));
  const cols = table.tHead?.rows[0]?.cells.length ?? 1;
  if (rows.length === 0) rows = [h('tr', { class: 'empty' }, h('td', { colspan: String(cols) }, empty))];
  tbody.replaceChildren(...rows);
  renderMs.push(performance.now() - t0);
  if (renderMs.length > 500) renderMs.splice(0, renderMs.length - 500);
}

// ---------------------------------------------------------------- dialog and menus

/** The portal's own confirmation: resolves true for "Cancel invite". */
function confirmCancel(): Promise<boolean> {
  return new Promise((resolve) => {
    const ctl = new AbortController();
    const yes = h('button', { type: 'button', class: 'danger', 'data-confirm': 'yes' }, 'Cancel invite');
    const no = h('button', { type: 'button', 'data-confirm': 'no' }, 'Keep');
    const box = h(
      'div',
      { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'confirm-title' },
      h('p', { id: 'confirm-title' }, 'Cancel this invite? The licence returns to your pool.'),
      h('div', { class: 'dialog-actions' }, no, yes),
    );
    const overlay = h('div', { class: 'overlay', 'data-portal-dialog': true }, box);
    const done = (answer: boolean) => {
      ctl.abort();
      overlay.remove();
      resolve(answer);
    };
    yes.addEventListener('click', () => done(true), { signal: ctl.signal });
    no.addEventListener('click', () => done(false), { signal: ctl.signal });
    overlay.addEventListener('click', (e) => e.target === overlay && done(false), { signal: ctl.signal });
    document.addEventListener('keydown', (e) => e.key === 'Escape' && done(false), { signal: ctl.signal });
    document.body.append(overlay);
    no.focus();
  });
}

function closeMenus(except?: Element): void {
  for (const m of document.querySelectorAll<HTMLElement>('.menu:not([hidden])')) {
    if (m === except) continue;
    m.hidden = true;
    m.parentElement?.querySelector('[aria-haspopup]')?.setAttribute('aria-expanded', 'false');
  }
}

/** A three-dots button with a dropdown of items. */
function kebab(label: string, items: { text: string; disabled?: boolean; run: () => void }[]): HTMLElement {
  const menu = h('ul', { class: 'menu', role: 'menu', hidden: true });
  for (const it of items) {
    const b = h('button', { type: 'button', role: 'menuitem', disabled: it.disabled }, it.text);
    b.addEventListener('click', () => {
      closeMenus();
      it.run();
    });
    menu.append(h('li', { role: 'none' }, b));
  }
  const btn = h(
    'button',
    {
      type: 'button',
      class: 'kebab',
      'aria-haspopup': 'menu',
      'aria-expanded': 'false',
      'aria-label': label,
    },
    '⋯',
  );
  btn.addEventListener('click', (e) => {
    e.stopPropagation();
    const open = menu.hidden;
    closeMenus();
    menu.hidden = !open;
    btn.setAttribute('aria-expanded', String(open));
    if (open) menu.querySelector<HTMLButtonElement>('button:not([disabled])')?.focus();
  });
  return h('div', { class: 'menu-wrap' }, btn, menu);
}

document.addEventListener('click', () => closeMenus(), { signal: life.signal });
document.addEventListener('keydown', (e) => e.key === 'Escape' && closeMenus(), { signal: life.signal });

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
  const rows = shown.map((inv) =>
    h(
      'tr',
      { 'data-invite-id': inv.id },
      h(
        'td',
        { 'data-col': 'course' },
        h(
          'a',
          { href: `/manager/licenses/${encodeURIComponent(inv.course.id)}/distribute?tab=usage` },
          inv.course.title,
        ),
      ),
      h('td', { 'data-col': 'sent' }, timeCell(inv.sentAt)),
      statusCell(inv.status),
      h(
        'td',
        { 'data-col': 'actions', class: 'actions' },
        kebab(`Actions for ${inv.course.title}`, [
          { text: 'Cancel', disabled: inv.status !== 'pending', run: () => void cancelFlow(inv) },
        ]),
      ),
    ),
  );
  fillTable(root.querySelector('table[data-table="invite-history"]'), rows, 'No invites for this learner.');
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
  const rows = items.map((inv) => {
    const pending = inv.status === 'pending';
    const cancel = h(
      'button',
      {
        type: 'button',
        class: pending ? 'cancel highlighted' : 'cancel',
        disabled: inv.status === 'accepted',
        'aria-label': `Cancel invite for ${inv.learner.name}`,
      },
      'Cancel',
    );
    if (pending) cancel.addEventListener('click', () => void cancelFlow(inv));
    const progress = h('td', { 'data-col': 'progress', class: inv.status === 'accepted' ? '' : 'muted' });
    if (inv.status === 'accepted') {
      const fill = h('span');
      fill.style.width = `${inv.progress ?? 0}%`;
      progress.append(h('span', { class: 'bar', 'aria-hidden': 'true' }, fill), `${inv.progress ?? 0}%`);
    } else progress.append('—');
    return h(
      'tr',
      { 'data-invite-id': inv.id },
      h(
        'td',
        { 'data-col': 'learner', title: inv.learner.email },
        h(
          'a',
          { href: `/manager/learners/${encodeURIComponent(inv.learner.id)}?tab=invite-history` },
          inv.learner.name,
        ),
      ),
      h('td', { 'data-col': 'sent' }, timeCell(inv.sentAt)),
      statusCell(inv.status),
      progress,
      h('td', { 'data-col': 'actions', class: 'actions' }, cancel),
    );
  });
  fillTable(
    root.querySelector('table[data-table="usage"]'),
    rows,
    'Nobody has been invited to this course yet.',
  );
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

$('[data-send-form]')?.addEventListener(
  'submit',
  async (e) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const area = form.elements.namedItem('emails') as HTMLTextAreaElement;
    const out = $('[data-send-result]', form);
    const emails = area.value
      .split(/[\n,;]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (!out || emails.length === 0) return;
    out.className = 'result';
    out.textContent = 'Sending…';
    try {
      const r = await api<{ items: Invite[]; skipped: { email: string; reason: string }[]; seats: Seats }>(
        `/api/courses/${encodeURIComponent(root.dataset.courseId ?? '')}/invites`,
        { emails },
      );
      showSeats(r.seats);
      const skipped = r.skipped.length ? ` ${r.skipped.length} already invited.` : '';
      out.textContent = `${r.items.length} invite${r.items.length === 1 ? '' : 's'} sent.${skipped}`;
      area.value = '';
    } catch (err) {
      out.className = 'result error';
      if (err instanceof ApiError && err.code === 'no_seats') {
        out.textContent = `no_seats: only ${String(err.detail.available ?? 0)} licence(s) left in your pool.`;
      } else if (err instanceof ApiError && err.code === 'invalid_emails') {
        const bad = Array.isArray(err.detail.invalid) ? err.detail.invalid.join(', ') : '';
        out.textContent = `These are not valid e-mail addresses: ${bad}`;
      } else out.textContent = errorText(err);
    }
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

window.__portal = { rerender, renderMs };
void rerender();

export {};
