/**
 * The portal's pages as a browser gets them: sign-in and sign-out, the page shells, the page's
 * script and stylesheet. A signed-out page load is redirected to /login?next=...
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { asset } from './assets';
import { DEFAULT_MARKUP } from './assets/table-markup';
import { learnerJson, MANAGERS, seatsOf } from './data';
import { HTML_TYPE, readBody, safeNext } from './http';
import { type PageView, renderPage } from './pages';
import { CLEAR_COOKIE, cookieFor, foreignOrigin, type Session } from './sessions';
import type { PortalState } from './state';

export async function handlePage(
  state: PortalState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? 'GET';
  const p = url.pathname;
  const s = state.sessions.of(req);
  const reply = state.reply;
  // Table markup other than the default only while simulation controls are on.
  const markup = state.sim ? state.markup : DEFAULT_MARKUP;
  const page = (status: number, view: PageView, session: Session | null) =>
    reply.send(
      res,
      status,
      renderPage(view, session ? { name: session.manager.name, csrf: session.csrf } : null, markup),
      HTML_TYPE,
    );
  const only = (m: string): boolean => {
    if (method === m) return true;
    page(405, { kind: 'error', status: 405, message: 'That action is not allowed here.' }, s);
    return false;
  };
  const notFound = (message: string) => page(404, { kind: 'error', status: 404, message }, s);

  if (p.startsWith('/assets/')) {
    if (!only('GET')) return;
    const a = await asset(p.slice('/assets/'.length));
    return a ? reply.send(res, 200, a.body, a.type) : notFound('We could not find that page.');
  }
  if (p === '/favicon.ico') return reply.send(res, 204, '', 'text/plain');

  if (p === '/login') return signIn(state, req, res, url, s, page);

  if (p === '/logout') {
    if (!only('POST')) return;
    const form = new URLSearchParams(await readBody(req));
    if (s && (foreignOrigin(req) || form.get('csrf') !== s.csrf)) {
      return page(403, { kind: 'error', status: 403, message: 'Your session token did not match.' }, s);
    }
    if (s) state.sessions.end(s);
    return reply.redirect(res, '/login', { 'Set-Cookie': CLEAR_COOKIE });
  }

  const learnerM = /^\/manager\/learners\/([^/]+)$/.exec(p);
  const distributeM = /^\/manager\/licenses\/([^/]+)\/distribute$/.exec(p);
  const known =
    p === '/' ||
    p === '/manager' ||
    p === '/manager/learners' ||
    p === '/manager/licenses' ||
    learnerM ||
    distributeM;
  if (!known) return notFound('We could not find that page.');
  if (!only('GET')) return;
  if (!s) return reply.redirect(res, `/login?next=${encodeURIComponent(p + url.search)}`);
  if (p === '/' || p === '/manager') return reply.redirect(res, '/manager/learners');
  state.now();
  if (p === '/manager/learners') return page(200, { kind: 'learners' }, s);
  if (p === '/manager/licenses') return page(200, { kind: 'licenses' }, s);
  if (learnerM) {
    const l = state.store.learnerById.get(decodeURIComponent(learnerM[1] as string));
    if (!l) return notFound('We could not find that learner.');
    const tab = url.searchParams.get('tab') === 'invite-history' ? 'invite-history' : 'details';
    return page(200, { kind: 'learner', learner: learnerJson(l), tab }, s);
  }
  if (distributeM) {
    const c = state.store.courseById.get(decodeURIComponent(distributeM[1] as string));
    if (!c || c.ownerId !== s.manager.id) return notFound('We could not find that course.');
    const t = url.searchParams.get('tab');
    const tab = t === 'usage' || t === 'keys' ? t : 'invites';
    return page(200, { kind: 'distribute', course: { id: c.id, title: c.title }, seats: seatsOf(c), tab }, s);
  }
}

/** GET /login shows the form (or sends a signed-in manager on); POST /login signs in. */
async function signIn(
  state: PortalState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  s: Session | null,
  page: (status: number, view: PageView, session: Session | null) => void,
): Promise<void> {
  const reply = state.reply;
  if (req.method === 'GET') {
    if (s) return reply.redirect(res, safeNext(url.searchParams.get('next')));
    return page(200, { kind: 'login', next: url.searchParams.get('next') ?? '', error: null }, null);
  }
  if (req.method !== 'POST') {
    return page(405, { kind: 'error', status: 405, message: 'That action is not allowed here.' }, s);
  }
  const wantsJson = (req.headers.accept ?? '').includes('application/json');
  if (foreignOrigin(req)) {
    if (wantsJson) return reply.json(res, { status: 403, body: { error: 'csrf' } });
    return page(403, { kind: 'error', status: 403, message: 'Your request came from another site.' }, null);
  }
  const form = new URLSearchParams(await readBody(req));
  const email = (form.get('email') ?? '').trim().toLowerCase();
  const manager = MANAGERS.find((m) => m.email === email && m.password === form.get('password'));
  if (!manager) {
    if (wantsJson) return reply.json(res, { status: 401, body: { error: 'bad_credentials' } });
    return page(
      401,
      { kind: 'login', next: form.get('next') ?? '', error: 'That e-mail and password do not match.' },
      null,
    );
  }
  const ns = state.sessions.create(manager);
  if (wantsJson) {
    return reply.json(res, {
      status: 200,
      body: { manager: { id: manager.id, name: manager.name, email: manager.email }, csrfToken: ns.csrf },
      headers: { 'Set-Cookie': cookieFor(ns) },
    });
  }
  return reply.redirect(res, safeNext(form.get('next')), { 'Set-Cookie': cookieFor(ns) });
}
