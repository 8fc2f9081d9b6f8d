/**
 * Server-sent HTML shells of the reference portal. Tables are left empty: the page's own
 * script (assets/app.ts) fills them from the JSON API. Every page carries the CSRF meta tag.
 */
import {
  DEFAULT_MARKUP,
  encodeMarkup,
  type InviteTable,
  isDefaultMarkup,
  skeleton,
  type TableMarkup,
} from './assets/table-markup';
import type { Learner, Seats } from './types';

export type PageView =
  | { kind: 'login'; next: string; error: string | null }
  | { kind: 'learners' }
  | { kind: 'learner'; learner: Learner; tab: 'details' | 'invite-history' }
  | { kind: 'licenses' }
  | {
      kind: 'distribute';
      course: { id: string; title: string };
      seats: Seats;
      tab: 'invites' | 'keys' | 'usage';
    }
  | { kind: 'error'; status: number; message: string };

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for HTML text and double-quoted attributes. */
export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ESC[c] as string);
}

const BRAND = 'TrainWell';

function header(
  session: { name: string; csrf: string } | null,
  active: 'learners' | 'licenses' | null,
): string {
  if (!session) {
    return `<header class="topbar"><a class="brand" href="/">${BRAND}<span>Manager</span></a></header>`;
  }
  const link = (href: string, label: string, key: 'learners' | 'licenses') =>
    `<a href="${href}"${active === key ? ' class="active" aria-current="page"' : ''}>${label}</a>`;
  return `<header class="topbar">
  <a class="brand" href="/manager/learners">${BRAND}<span>Manager</span></a>
  <nav class="mainnav" aria-label="Main">${link('/manager/learners', 'Manage Learners', 'learners')}${link('/manager/licenses', 'Manage Licenses', 'licenses')}</nav>
  <div class="account">
    <span class="who" data-manager-name>${esc(session.name)}</span>
    <form method="post" action="/logout"><input type="hidden" name="csrf" value="${esc(session.csrf)}"><button type="submit" class="link">Sign out</button></form>
  </div>
</header>`;
}

function layout(
  title: string,
  body: string,
  session: { name: string; csrf: string } | null,
  active: 'learners' | 'licenses' | null,
  app: Record<string, string> | null,
): string {
  const data = app
    ? Object.entries(app)
        .map(([k, v]) => ` data-${k}="${esc(v)}"`)
        .join('')
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${esc(session?.csrf ?? '')}">
<title>${esc(title)} · ${BRAND}</title>
<link rel="stylesheet" href="/assets/portal.css">
${app ? '<script type="module" src="/assets/app.js"></script>' : ''}
</head>
<body>
${header(session, active)}
<main id="app" class="container"${data}>
${body}
</main>
<footer class="footer">${BRAND} Learning Ltd · <a href="#" aria-disabled="true">Help centre</a></footer>
</body>
</html>
`;
}

function tabs(base: string, items: [string, string][], current: string): string {
  const links = items
    .map(
      ([key, label]) =>
        `<a role="tab" href="${esc(`${base}?tab=${key}`)}" data-tab="${key}" aria-selected="${key === current}"${key === current ? ' class="active"' : ''}>${label}</a>`,
    )
    .join('');
  return `<nav class="tabs" role="tablist">${links}</nav>`;
}

function panel(key: string, current: string, inner: string): string {
  return `<section class="panel" role="tabpanel" data-panel="${key}"${key === current ? '' : ' hidden'}>${inner}</section>`;
}

const notice = '<div class="notice" data-notice role="status" hidden></div>';

/** An invite table with no rows yet, marked up as `markup` says (the page's script fills it). */
function inviteTable(table: InviteTable, markup: TableMarkup): string {
  const k = skeleton(table, markup);
  const ths = k.headers
    .map((h) =>
      h.srOnly ? `<th><span class="sr-only">${esc(h.text)}</span></th>` : `<th>${esc(h.text)}</th>`,
    )
    .join('');
  const hook = k.hook ? ` data-table="${k.hook}"` : '';
  const t = `<table class="${k.tableClass}"${hook}><thead><tr>${ths}</tr></thead><tbody></tbody></table>`;
  return k.wrapperClass ? `<div class="${k.wrapperClass}">${t}</div>` : t;
}

/** The page script's own settings on #app; the markup only when it is not the default. */
function appData(app: Record<string, string>, markup: TableMarkup): Record<string, string> {
  return isDefaultMarkup(markup) ? app : { ...app, markup: encodeMarkup(markup) };
}

/**
 * A whole page. `markup` is how the invite tables are marked up (the default: the contract's
 * hooks); the page's script receives it as #app's data-markup when it is not the default.
 */
export function renderPage(
  view: PageView,
  session: { name: string; csrf: string } | null,
  markup: TableMarkup = DEFAULT_MARKUP,
): string {
  switch (view.kind) {
    case 'login':
      return layout(
        'Sign in',
        `<section class="card narrow">
  <h1>Sign in</h1>
  <p class="muted">Training manager account</p>
  ${view.error ? `<p class="error" role="alert">${esc(view.error)}</p>` : ''}
  <form method="post" action="/login" class="stack">
    <input type="hidden" name="next" value="${esc(view.next)}">
    <label>E-mail <input type="email" name="email" autocomplete="username" required autofocus></label>
    <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
    <button type="submit" class="primary">Sign in</button>
  </form>
</section>`,
        null,
        null,
        null,
      );
    case 'learners':
      return layout(
        'Manage Learners',
        `<h1>Manage Learners</h1>
<form class="search" data-search role="search"><input type="search" name="q" placeholder="Search by name or e-mail" aria-label="Search learners"><button type="submit">Search</button></form>
${notice}
<table class="grid" data-table="learners"><thead><tr><th>Name</th><th>E-mail</th></tr></thead><tbody></tbody></table>
<div class="pager" data-pager></div>`,
        session,
        'learners',
        { page: 'learners' },
      );
    case 'learner': {
      const base = `/manager/learners/${encodeURIComponent(view.learner.id)}`;
      return layout(
        view.learner.name,
        `<p class="crumbs"><a href="/manager/learners">Manage Learners</a> › ${esc(view.learner.name)}</p>
<h1>${esc(view.learner.name)}</h1>
${tabs(
  base,
  [
    ['details', 'Details'],
    ['invite-history', 'Invite History'],
  ],
  view.tab,
)}
${notice}
${panel(
  'details',
  view.tab,
  `<dl class="details"><dt>Name</dt><dd>${esc(view.learner.name)}</dd><dt>E-mail</dt><dd>${esc(view.learner.email)}</dd><dt>Learner ID</dt><dd>${esc(view.learner.id)}</dd><dt>Courses</dt><dd data-summary>…</dd></dl>`,
)}
${panel('invite-history', view.tab, inviteTable('invite-history', markup))}`,
        session,
        'learners',
        appData({ page: 'learner', 'learner-id': view.learner.id }, markup),
      );
    }
    case 'licenses':
      return layout(
        'Manage Licenses',
        `<h1>Manage Licenses</h1>
${notice}
<table class="grid" data-table="licenses"><thead><tr><th>Course</th><th class="num">Total</th><th class="num">Assigned</th><th class="num">Available</th><th><span class="sr-only">Actions</span></th></tr></thead><tbody></tbody></table>`,
        session,
        'licenses',
        { page: 'licenses' },
      );
    case 'distribute': {
      const base = `/manager/licenses/${encodeURIComponent(view.course.id)}/distribute`;
      const keys = ['Induction 2026', 'Site B contractors', 'Warehouse team']
        .map((label, i) => {
          const code = `${view.course.id.toUpperCase()}-${(0x3a7f + i * 4099).toString(36).toUpperCase()}`;
          return `<tr><td>${esc(label)}</td><td><code>${esc(code)}</code></td><td class="num">${5 + i * 3}</td><td>${i === 2 ? 'Disabled' : 'Active'}</td></tr>`;
        })
        .join('');
      return layout(
        `Distribute · ${view.course.title}`,
        `<p class="crumbs"><a href="/manager/licenses">Manage Licenses</a> › ${esc(view.course.title)}</p>
<h1>${esc(view.course.title)}</h1>
<p class="seats" data-seats>Seats: <b data-seat="total">${view.seats.total}</b> total · <b data-seat="assigned">${view.seats.assigned}</b> assigned · <b data-seat="available">${view.seats.available}</b> available</p>
${tabs(
  base,
  [
    ['invites', 'Invites'],
    ['keys', 'Enrolment Keys'],
    ['usage', 'Usage'],
  ],
  view.tab,
)}
${notice}
${panel(
  'invites',
  view.tab,
  `<form class="stack card" data-send-form>
  <label>Learner e-mails, one per line<textarea name="emails" rows="6" placeholder="name@example.test" required></textarea></label>
  <p class="muted">Each invite holds one licence from your pool until it is accepted, cancelled or expires after 30 days.</p>
  <div><button type="submit" class="primary">Send invites</button></div>
  <p class="result" data-send-result role="status"></p>
</form>`,
)}
${panel(
  'keys',
  view.tab,
  `<table class="grid" data-table="keys"><thead><tr><th>Name</th><th>Key</th><th class="num">Uses</th><th>State</th></tr></thead><tbody>${keys}</tbody></table>`,
)}
${panel(
  'usage',
  view.tab,
  `${inviteTable('usage', markup)}
<div class="pager" data-pager></div>`,
)}`,
        session,
        'licenses',
        appData({ page: 'distribute', 'course-id': view.course.id }, markup),
      );
    }
    case 'error':
      return layout(
        `Error ${view.status}`,
        `<section class="card narrow"><h1>${view.status === 404 ? 'Page not found' : `Error ${view.status}`}</h1><p>${esc(view.message)}</p><p><a href="/manager/learners">Back to Manage Learners</a></p></section>`,
        session,
        null,
        null,
      );
  }
}
