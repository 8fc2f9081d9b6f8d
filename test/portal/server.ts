/**
 * The reference portal: a real HTTP server (node:http only) with sign-in, server-sent page
 * shells, the JSON API of the portal contract, and simulation controls under /__sim/.
 * See test/portal/README.md.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  filterInvites,
  type InviteRec,
  inviteJson,
  learnerJson,
  MANAGERS,
  type Manager,
  prng,
  type Store,
  seatsOf,
  seed,
} from './data';
import { type PageView, renderPage } from './pages';
import type { ClockState, DataSpec, Faults, InviteStatus, JournalEntry, SimState } from './types';

export type { DataSpec, Faults } from './types';

export interface PortalOptions {
  port?: number;
  host?: string;
  sim?: boolean;
  data?: DataSpec;
  faults?: Partial<Faults>;
  now?: number;
  quiet?: boolean;
}

export interface Portal {
  url: string;
  origin: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_FAULTS: Readonly<Faults> = Object.freeze({
  latencyMs: 40,
  jitterMs: 0,
  errorRate: 0,
  dropRate: 0,
  malformedRate: 0,
  rateLimit: { perSecond: 20, burst: 40 },
  sessionExpiryAfter: null,
  faultPaths: 'all',
});

const MAX_PAGE_SIZE = 100;
const LEARNER_PAGE_SIZE = 25;
const MAX_EMAILS = 1000;
const MAX_BODY = 1 << 20;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Session {
  id: string;
  csrf: string;
  manager: Manager;
  /** /api/ requests counted towards sessionExpiryAfter. */
  used: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A simulated clock: runs in real time from the last set point, unless frozen. */
class Clock {
  private base: number;
  private setAt = performance.now();
  frozen = false;
  constructor(now: number) {
    this.base = now;
  }
  now(): number {
    return this.frozen ? this.base : Math.floor(this.base + (performance.now() - this.setAt));
  }
  set(now: number, frozen = this.frozen): void {
    this.base = now;
    this.setAt = performance.now();
    this.frozen = frozen;
  }
  state(): ClockState {
    return { now: this.now(), frozen: this.frozen };
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.error));
  }
}

function normalizeFaults(base: Faults, patch: Partial<Faults>): Faults {
  const f: Faults = { ...base, ...patch };
  const rate = (x: unknown, name: string): number => {
    if (typeof x !== 'number' || !(x >= 0 && x <= 1))
      throw new HttpError(400, { error: 'bad_request', field: name });
    return x;
  };
  const ms = (x: unknown, name: string): number => {
    if (typeof x !== 'number' || !(x >= 0) || !Number.isFinite(x))
      throw new HttpError(400, { error: 'bad_request', field: name });
    return x;
  };
  f.errorRate = rate(f.errorRate, 'errorRate');
  f.dropRate = rate(f.dropRate, 'dropRate');
  f.malformedRate = rate(f.malformedRate, 'malformedRate');
  f.latencyMs = ms(f.latencyMs, 'latencyMs');
  f.jitterMs = ms(f.jitterMs, 'jitterMs');
  if (f.rateLimit !== null) {
    const rl = f.rateLimit as unknown;
    if (!rl || typeof rl !== 'object') throw new HttpError(400, { error: 'bad_request', field: 'rateLimit' });
    const { perSecond, burst } = rl as { perSecond: unknown; burst: unknown };
    if (typeof perSecond !== 'number' || perSecond <= 0 || typeof burst !== 'number' || burst < 1) {
      throw new HttpError(400, { error: 'bad_request', field: 'rateLimit' });
    }
    f.rateLimit = { perSecond, burst };
  }
  if (f.sessionExpiryAfter !== null)
    f.sessionExpiryAfter = Math.floor(ms(f.sessionExpiryAfter, 'sessionExpiryAfter'));
  if (f.faultPaths !== 'all' && f.faultPaths !== 'cancel')
    throw new HttpError(400, { error: 'bad_request', field: 'faultPaths' });
  return f;
}

function parseTime(x: unknown): number | null {
  if (typeof x === 'number' && Number.isFinite(x)) return Math.floor(x);
  if (typeof x === 'string') {
    const t = Date.parse(x);
    if (!Number.isNaN(t)) return t;
  }
  return null;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, { error: 'too_large' }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (!text.trim()) return {};
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HttpError(400, { error: 'bad_json' });
}

function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
  }
  return out;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A safe local redirect target, or the default. */
function safeNext(next: string | null | undefined): string {
  if (next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')) return next;
  return '/manager/learners';
}

let assetCache: { js: string; css: string } | null = null;
/**
 * The page's script, transpiled from assets/app.ts with TypeScript's transpileModule. Loading
 * TypeScript takes seconds on a busy machine, so the output is also cached on disk by content hash.
 */
async function assets(): Promise<{ js: string; css: string }> {
  if (!assetCache) {
    const dir = new URL('./assets/', import.meta.url);
    const [src, css] = await Promise.all([
      readFile(new URL('app.ts', dir), 'utf8'),
      readFile(new URL('portal.css', dir), 'utf8'),
    ]);
    const cacheDir = fileURLToPath(new URL('../../node_modules/.cache/reclaim-portal/', import.meta.url));
    const cached = `${cacheDir}app-${createHash('sha256').update(src).digest('hex').slice(0, 16)}.js`;
    let js = await readFile(cached, 'utf8').catch(() => null);
    if (js === null) {
      const ts = (await import('typescript')).default;
      js = ts.transpileModule(src, {
        compilerOptions: {
          target: ts.ScriptTarget.ES2020,
          module: ts.ModuleKind.ESNext,
          removeComments: true,
        },
      }).outputText;
      await mkdir(cacheDir, { recursive: true })
        .then(() => writeFile(cached, js as string))
        .catch(() => undefined);
    }
    assetCache = { js, css };
  }
  return assetCache;
}

export async function startPortal(opts: PortalOptions = {}): Promise<Portal> {
  const sim = opts.sim ?? true;
  const quiet = opts.quiet ?? false;
  const clock = new Clock(opts.now ?? Date.now());
  let faults = normalizeFaults({ ...DEFAULT_FAULTS }, opts.faults ?? {});
  let dataSpec: DataSpec = opts.data ?? { preset: 'demo', seed: 1 };
  let store: Store = seed(dataSpec, clock.now());
  let rand = prng((dataSpec.seed ?? 1) ^ 0xfa17);
  const sessions = new Map<string, Session>();
  const buckets = new Map<string, Bucket>();
  let journal: JournalEntry[] = [];
  let seq = 0;
  const requests = { api: 0, cancel: 0, rateLimited: 0 };
  const sockets = new Set<Socket>();

  const now = () => {
    const t = clock.now();
    store.settle(t);
    return t;
  };

  // ------------------------------------------------------------------ answers

  function send(
    res: ServerResponse,
    status: number,
    body: string,
    type: string,
    headers: Record<string, string> = {},
  ) {
    if (res.destroyed || res.headersSent) return;
    res.writeHead(status, {
      Date: new Date(clock.now()).toUTCString(),
      'Content-Type': type,
      'Content-Length': String(Buffer.byteLength(body)),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    });
    res.end(body);
  }
  const sendJson = (res: ServerResponse, a: Answer) =>
    send(res, a.status, JSON.stringify(a.body), 'application/json; charset=utf-8', a.headers);
  const redirect = (res: ServerResponse, to: string, headers: Record<string, string> = {}) =>
    send(res, 303, '', 'text/plain; charset=utf-8', { Location: to, ...headers });

  function sessionOf(req: IncomingMessage): Session | null {
    const id = parseCookies(req.headers.cookie).get('portal_session');
    return (id && sessions.get(id)) || null;
  }

  function ownOrigin(req: IncomingMessage): string {
    return `http://${req.headers.host ?? ''}`;
  }

  /** Null when the Origin header is absent or the portal's own; else the reason to refuse. */
  function foreignOrigin(req: IncomingMessage): boolean {
    const o = req.headers.origin;
    return o !== undefined && o !== ownOrigin(req);
  }

  function createSession(manager: Manager): Session {
    const s: Session = {
      id: randomBytes(18).toString('base64url'),
      csrf: randomBytes(18).toString('base64url'),
      manager,
      used: 0,
    };
    sessions.set(s.id, s);
    return s;
  }

  const cookieFor = (s: Session) => `portal_session=${s.id}; HttpOnly; SameSite=Lax; Path=/`;

  // ------------------------------------------------------------------ API

  const ownCourse = (s: Session, id: string) => {
    const c = store.courseById.get(id);
    if (!c || c.ownerId !== s.manager.id) throw new HttpError(404, { error: 'not_found' });
    return c;
  };

  const STATUS_FILTER: Record<string, ((st: InviteStatus) => boolean) | undefined> = {
    pending: (st) => st === 'pending',
    accepted: (st) => st === 'accepted',
    active: (st) => st === 'pending' || st === 'accepted',
    all: () => true,
  };

  function statusFilter(url: URL): (st: InviteStatus) => boolean {
    const f = STATUS_FILTER[url.searchParams.get('status') ?? 'all'];
    if (!f) throw new HttpError(400, { error: 'bad_request', field: 'status' });
    return f;
  }

  function intParam(url: URL, name: string, dflt: number): number {
    const raw = url.searchParams.get(name);
    if (raw === null || raw === '') return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new HttpError(400, { error: 'bad_request', field: name });
    return n;
  }

  function cancelInvite(
    s: Session,
    inviteId: string,
    req: IncomingMessage,
    csrfOk: boolean,
  ): { answer: Answer; entry: JournalEntry } {
    const at = now();
    const inv = store.inviteById.get(inviteId);
    const visible = inv && inv.course.ownerId === s.manager.id ? inv : undefined;
    const entry: JournalEntry = {
      seq: ++seq,
      at,
      inviteId,
      httpStatus: 0,
      statusBefore: visible?.status ?? null,
      statusAfter: visible?.status ?? null,
      applied: false,
      origin: req.headers.origin ?? null,
    };
    let answer: Answer;
    if (!csrfOk) answer = { status: 403, body: { error: 'csrf' } };
    else if (!visible) answer = { status: 404, body: { error: 'not_found' } };
    else if (visible.status !== 'pending')
      answer = { status: 409, body: { error: 'not_pending', status: visible.status } };
    else {
      store.setStatus(visible, 'cancelled');
      entry.applied = true;
      entry.statusAfter = 'cancelled';
      answer = { status: 200, body: { invite: inviteJson(visible), seats: seatsOf(visible.course) } };
    }
    entry.httpStatus = answer.status;
    const err = (answer.body as { error?: string }).error;
    if (err) entry.error = err;
    journal.push(entry);
    return { answer, entry };
  }

  async function sendInvites(s: Session, courseId: string, req: IncomingMessage): Promise<Answer> {
    const body = await readJson(req);
    const c = ownCourse(s, courseId);
    const raw = body.emails;
    if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_EMAILS) {
      throw new HttpError(400, { error: 'bad_request', field: 'emails' });
    }
    const emails: string[] = [];
    const invalid: string[] = [];
    for (const e of raw) {
      const email = typeof e === 'string' ? e.trim().toLowerCase() : '';
      if (!EMAIL.test(email)) invalid.push(String(e));
      else if (!emails.includes(email)) emails.push(email);
    }
    if (invalid.length) throw new HttpError(400, { error: 'invalid_emails', invalid });
    const at = now();
    const skipped: { email: string; reason: string }[] = [];
    const toSend = emails.filter((email) => {
      const l = store.learnerByEmail.get(email);
      const active = l?.invites.find(
        (i) => i.course === c && (i.status === 'pending' || i.status === 'accepted'),
      );
      if (active) skipped.push({ email, reason: `already_${active.status}` });
      return !active;
    });
    const seats = seatsOf(c);
    if (toSend.length > seats.available) {
      throw new HttpError(409, { error: 'no_seats', available: seats.available, requested: toSend.length });
    }
    const items = toSend.map((email) => {
      const l = store.learnerByEmail.get(email) ?? store.addLearner(nameFromEmail(email), email);
      return inviteJson(store.addInvite(c, l, at, 'pending'));
    });
    return { status: 201, body: { items, skipped, seats: seatsOf(c) } };
  }

  type ApiHandler = (
    s: Session,
    m: RegExpExecArray,
    url: URL,
    req: IncomingMessage,
  ) => Answer | Promise<Answer>;
  const apiRoutes: { method: string; re: RegExp; run: ApiHandler }[] = [
    {
      method: 'GET',
      re: /^\/api\/session$/,
      run: (s) => ({
        status: 200,
        body: {
          manager: { id: s.manager.id, name: s.manager.name, email: s.manager.email },
          csrfToken: s.csrf,
        },
      }),
    },
    {
      method: 'GET',
      re: /^\/api\/courses$/,
      run: (s) => {
        now();
        const items = store.courses
          .filter((c) => c.ownerId === s.manager.id)
          .map((c) => ({ id: c.id, title: c.title, seats: seatsOf(c), pending: c.counts.pending }));
        return { status: 200, body: { items } };
      },
    },
    {
      method: 'GET',
      re: /^\/api\/courses\/([^/]+)$/,
      run: (s, m) => {
        now();
        const c = ownCourse(s, decodeURIComponent(m[1] as string));
        return {
          status: 200,
          body: { id: c.id, title: c.title, seats: seatsOf(c), pending: c.counts.pending },
        };
      },
    },
    {
      method: 'GET',
      re: /^\/api\/courses\/([^/]+)\/invites$/,
      run: (s, m, url) => {
        now();
        const c = ownCourse(s, decodeURIComponent(m[1] as string));
        const keep = statusFilter(url);
        const page = intParam(url, 'page', 1);
        const pageSize = Math.min(intParam(url, 'pageSize', 25), MAX_PAGE_SIZE);
        const all = store.courseInvites(c).filter((i) => keep(i.status));
        const items = all.slice((page - 1) * pageSize, page * pageSize).map(inviteJson);
        return { status: 200, body: { items, page, pageSize, total: all.length } };
      },
    },
    {
      method: 'POST',
      re: /^\/api\/courses\/([^/]+)\/invites$/,
      run: (s, m, _url, req) => sendInvites(s, decodeURIComponent(m[1] as string), req),
    },
    {
      method: 'GET',
      re: /^\/api\/learners$/,
      run: (_s, _m, url) => {
        const q = (url.searchParams.get('q') ?? '').trim().toLowerCase();
        const page = intParam(url, 'page', 1);
        const all = q
          ? store.learners.filter(
              (l) => l.name.toLowerCase().includes(q) || l.email.toLowerCase().includes(q),
            )
          : store.learners;
        const items = all.slice((page - 1) * LEARNER_PAGE_SIZE, page * LEARNER_PAGE_SIZE).map(learnerJson);
        return { status: 200, body: { items, page, pageSize: LEARNER_PAGE_SIZE, total: all.length } };
      },
    },
    {
      method: 'GET',
      re: /^\/api\/learners\/([^/]+)$/,
      run: (_s, m) => {
        const l = store.learnerById.get(decodeURIComponent(m[1] as string));
        if (!l) throw new HttpError(404, { error: 'not_found' });
        return { status: 200, body: learnerJson(l) };
      },
    },
    {
      method: 'GET',
      re: /^\/api\/learners\/([^/]+)\/invites$/,
      run: (s, m, url) => {
        now();
        const l = store.learnerById.get(decodeURIComponent(m[1] as string));
        if (!l) throw new HttpError(404, { error: 'not_found' });
        const keep = statusFilter(url);
        const items = l.invites
          .filter((i) => i.course.ownerId === s.manager.id && keep(i.status))
          .sort((a, b) => b.sentAt - a.sentAt)
          .map(inviteJson);
        return { status: 200, body: { items } };
      },
    },
    // The cancel route is handled specially (journal, drops); listed for 404/405.
    { method: 'POST', re: /^\/api\/invites\/([^/]+)\/cancel$/, run: () => ({ status: 500, body: {} }) },
  ];

  function takeToken(key: string): number {
    const rl = faults.rateLimit;
    if (!rl) return 0;
    const t = performance.now();
    const b = buckets.get(key) ?? { tokens: rl.burst, at: t };
    b.tokens = Math.min(rl.burst, b.tokens + ((t - b.at) / 1000) * rl.perSecond);
    b.at = t;
    buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rl.perSecond));
  }

  function malformedBody(): string {
    const pick = Math.floor(rand() * 3);
    if (pick === 0) return '{"items": [{"id": "i-1", "status": "pend';
    if (pick === 1) return JSON.stringify({ ok: true, data: null, items: 'none' });
    return '<html><body>Service temporarily unavailable</body></html>';
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    requests.api++;
    const isCancel = method === 'POST' && /^\/api\/invites\/[^/]+\/cancel$/.test(url.pathname);
    if (isCancel) requests.cancel++;
    const delay = faults.latencyMs + (faults.jitterMs ? rand() * faults.jitterMs : 0);
    if (delay > 0) await sleep(delay);
    if (res.destroyed) return;

    let route: (typeof apiRoutes)[number] | undefined;
    let match: RegExpExecArray | null = null;
    const allowed: string[] = [];
    for (const r of apiRoutes) {
      const m = r.re.exec(url.pathname);
      if (!m) continue;
      allowed.push(r.method);
      if (r.method === method) {
        route = r;
        match = m;
        break;
      }
    }
    if (!route || !match) {
      if (allowed.length)
        return sendJson(res, {
          status: 405,
          body: { error: 'method_not_allowed' },
          headers: { Allow: allowed.join(', ') },
        });
      return sendJson(res, { status: 404, body: { error: 'not_found' } });
    }

    let s = sessionOf(req);
    const wait = takeToken(s ? `s:${s.id}` : `a:${req.socket.remoteAddress ?? ''}`);
    if (wait > 0) {
      requests.rateLimited++;
      return sendJson(res, {
        status: 429,
        body: { error: 'rate_limited' },
        headers: { 'Retry-After': String(wait) },
      });
    }

    const eligible = faults.faultPaths !== 'cancel' || isCancel;
    if (s && eligible && faults.sessionExpiryAfter !== null) {
      if (s.used >= faults.sessionExpiryAfter) {
        sessions.delete(s.id);
        s = null;
      } else s.used++;
    }
    if (!s) return sendJson(res, { status: 401, body: { error: 'unauthenticated' } });

    if (eligible && faults.errorRate > 0 && rand() < faults.errorRate) {
      const status = [500, 502, 503][Math.floor(rand() * 3)] as number;
      return sendJson(res, { status, body: { error: 'server_error' } });
    }

    const mutating = method !== 'GET';
    const csrfOk = !mutating || (req.headers['x-csrf-token'] === s.csrf && !foreignOrigin(req));
    let drop: 'before' | 'after' | null = null;
    if (eligible && faults.dropRate > 0 && rand() < faults.dropRate)
      drop = mutating && rand() < 0.5 ? 'after' : 'before';

    if (isCancel) {
      const inviteId = decodeURIComponent(match[1] as string);
      if (drop === 'before') {
        const inv = store.inviteById.get(inviteId);
        const st = inv && inv.course.ownerId === s.manager.id ? inv.status : null;
        journal.push({
          seq: ++seq,
          at: now(),
          inviteId,
          httpStatus: 0,
          statusBefore: st,
          statusAfter: st,
          applied: false,
          origin: req.headers.origin ?? null,
          dropped: 'before',
        });
        req.socket.destroy();
        return;
      }
      const { answer, entry } = cancelInvite(s, inviteId, req, csrfOk);
      if (drop === 'after') {
        entry.dropped = 'after';
        req.socket.destroy();
        return;
      }
      if (faults.malformedRate > 0 && rand() < faults.malformedRate) {
        entry.malformed = true;
        return send(res, 200, malformedBody(), 'application/json; charset=utf-8');
      }
      return sendJson(res, answer);
    }

    if (!csrfOk) return sendJson(res, { status: 403, body: { error: 'csrf' } });
    if (drop === 'before') {
      req.socket.destroy();
      return;
    }
    let answer: Answer;
    try {
      answer = await route.run(s, match, url, req);
    } catch (err) {
      if (err instanceof HttpError) answer = { status: err.status, body: err.body };
      else throw err;
    }
    if (drop === 'after') {
      req.socket.destroy();
      return;
    }
    if (eligible && faults.malformedRate > 0 && rand() < faults.malformedRate) {
      return send(res, 200, malformedBody(), 'application/json; charset=utf-8');
    }
    sendJson(res, answer);
  }

  // ------------------------------------------------------------------ simulation controls

  function simState(): SimState {
    const t = now();
    const courses = store.courses.map((c) => store.courseState(c));
    return {
      now: t,
      identityHolds: courses.every((c) => c.identityHolds),
      courses,
      learners: store.learners.length,
      invites: store.inviteById.size,
      requests: { ...requests },
    };
  }

  async function handleSim(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const p = url.pathname;
    const ok = (body: unknown) => sendJson(res, { status: 200, body });
    const routes: Record<string, Record<string, () => Promise<void> | void>> = {
      '/__sim/clock': {
        GET: () => ok(clock.state()),
        POST: async () => {
          const b = await readJson(req);
          let t = clock.now();
          if (b.now !== undefined) {
            const parsed = parseTime(b.now);
            if (parsed === null) throw new HttpError(400, { error: 'bad_request', field: 'now' });
            t = parsed;
          }
          if (b.advanceMs !== undefined) {
            if (typeof b.advanceMs !== 'number')
              throw new HttpError(400, { error: 'bad_request', field: 'advanceMs' });
            t += b.advanceMs;
          }
          if (b.advanceDays !== undefined) {
            if (typeof b.advanceDays !== 'number')
              throw new HttpError(400, { error: 'bad_request', field: 'advanceDays' });
            t += b.advanceDays * 24 * 60 * 60 * 1000;
          }
          clock.set(Math.floor(t), typeof b.freeze === 'boolean' ? b.freeze : clock.frozen);
          now();
          ok(clock.state());
        },
      },
      '/__sim/faults': {
        GET: () => ok(faults),
        POST: async () => {
          const b = await readJson(req);
          const next = normalizeFaults(faults, b as Partial<Faults>);
          if (next.sessionExpiryAfter !== faults.sessionExpiryAfter || 'sessionExpiryAfter' in b) {
            for (const s of sessions.values()) s.used = 0;
          }
          if (JSON.stringify(next.rateLimit) !== JSON.stringify(faults.rateLimit)) buckets.clear();
          faults = next;
          ok(faults);
        },
      },
      '/__sim/faults/reset': {
        POST: () => {
          faults = {
            ...DEFAULT_FAULTS,
            rateLimit: DEFAULT_FAULTS.rateLimit && { ...DEFAULT_FAULTS.rateLimit },
          };
          buckets.clear();
          for (const s of sessions.values()) s.used = 0;
          ok(faults);
        },
      },
      '/__sim/reset': {
        POST: async () => {
          const b = (await readJson(req)) as DataSpec;
          if (b.preset !== undefined && b.preset !== 'demo' && b.preset !== 'bench') {
            throw new HttpError(400, { error: 'bad_request', field: 'preset' });
          }
          for (const k of [
            'seed',
            'courses',
            'learners',
            'pendingPerCourse',
            'acceptedPerCourse',
            'seatsPerCourse',
            'maxAgeDays',
            'foreignCourses',
          ] as const) {
            const v = b[k];
            if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
              throw new HttpError(400, { error: 'bad_request', field: k });
            }
          }
          dataSpec = b;
          store = seed(dataSpec, clock.now());
          rand = prng((dataSpec.seed ?? 1) ^ 0xfa17);
          journal = [];
          seq = 0;
          requests.api = 0;
          requests.cancel = 0;
          requests.rateLimited = 0;
          ok(simState());
        },
      },
      '/__sim/accept': {
        POST: async () => {
          const b = await readJson(req);
          now();
          const inv = typeof b.inviteId === 'string' ? store.inviteById.get(b.inviteId) : undefined;
          if (!inv) throw new HttpError(404, { error: 'not_found' });
          if (inv.status !== 'pending')
            throw new HttpError(409, { error: 'not_pending', status: inv.status });
          store.setStatus(inv, 'accepted');
          ok({ invite: inviteJson(inv), seats: seatsOf(inv.course) });
        },
      },
      '/__sim/state': { GET: () => ok(simState()) },
      '/__sim/journal': { GET: () => ok({ entries: journal }) },
      '/__sim/journal/reset': {
        POST: () => {
          journal = [];
          ok({ entries: [] });
        },
      },
      '/__sim/invites': {
        GET: () => {
          now();
          const q = url.searchParams;
          const items = filterInvites(store, {
            courseId: q.get('courseId'),
            learnerId: q.get('learnerId'),
            status: q.get('status'),
          }).map((i: InviteRec) => inviteJson(i));
          ok({ items });
        },
      },
    };
    const r = routes[p];
    if (!r) return sendJson(res, { status: 404, body: { error: 'not_found' } });
    const run = r[method];
    if (!run)
      return sendJson(res, {
        status: 405,
        body: { error: 'method_not_allowed' },
        headers: { Allow: Object.keys(r).join(', ') },
      });
    await run();
  }

  // ------------------------------------------------------------------ pages

  function page(res: ServerResponse, status: number, view: PageView, s: Session | null) {
    const html = renderPage(view, s ? { name: s.manager.name, csrf: s.csrf } : null);
    send(res, status, html, 'text/html; charset=utf-8');
  }

  async function handlePage(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const p = url.pathname;
    const s = sessionOf(req);
    const only = (m: string): boolean => {
      if (method === m) return true;
      page(res, 405, { kind: 'error', status: 405, message: 'That action is not allowed here.' }, s);
      return false;
    };

    if (p === '/assets/app.js' || p === '/assets/portal.css') {
      if (!only('GET')) return;
      const a = await assets();
      return p.endsWith('.js')
        ? send(res, 200, a.js, 'text/javascript; charset=utf-8')
        : send(res, 200, a.css, 'text/css; charset=utf-8');
    }
    if (p === '/favicon.ico') return send(res, 204, '', 'text/plain');

    if (p === '/login') {
      if (method === 'GET') {
        if (s) return redirect(res, safeNext(url.searchParams.get('next')));
        return page(res, 200, { kind: 'login', next: url.searchParams.get('next') ?? '', error: null }, null);
      }
      if (!only('POST')) return;
      const wantsJson = (req.headers.accept ?? '').includes('application/json');
      if (foreignOrigin(req)) {
        if (wantsJson) return sendJson(res, { status: 403, body: { error: 'csrf' } });
        return page(
          res,
          403,
          { kind: 'error', status: 403, message: 'Your request came from another site.' },
          null,
        );
      }
      const form = new URLSearchParams(await readBody(req));
      const email = (form.get('email') ?? '').trim().toLowerCase();
      const manager = MANAGERS.find((m) => m.email === email && m.password === form.get('password'));
      if (!manager) {
        if (wantsJson) return sendJson(res, { status: 401, body: { error: 'bad_credentials' } });
        return page(
          res,
          401,
          { kind: 'login', next: form.get('next') ?? '', error: 'That e-mail and password do not match.' },
          null,
        );
      }
      const ns = createSession(manager);
      if (wantsJson) {
        return sendJson(res, {
          status: 200,
          body: { manager: { id: manager.id, name: manager.name, email: manager.email }, csrfToken: ns.csrf },
          headers: { 'Set-Cookie': cookieFor(ns) },
        });
      }
      return redirect(res, safeNext(form.get('next')), { 'Set-Cookie': cookieFor(ns) });
    }

    if (p === '/logout') {
      if (!only('POST')) return;
      const form = new URLSearchParams(await readBody(req));
      if (s && (foreignOrigin(req) || form.get('csrf') !== s.csrf)) {
        return page(
          res,
          403,
          { kind: 'error', status: 403, message: 'Your session token did not match.' },
          s,
        );
      }
      if (s) sessions.delete(s.id);
      return redirect(res, '/login', {
        'Set-Cookie': 'portal_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0',
      });
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
    if (!known)
      return page(res, 404, { kind: 'error', status: 404, message: 'We could not find that page.' }, s);
    if (!only('GET')) return;
    if (!s) return redirect(res, `/login?next=${encodeURIComponent(p + url.search)}`);
    if (p === '/' || p === '/manager') return redirect(res, '/manager/learners');
    now();
    if (p === '/manager/learners') return page(res, 200, { kind: 'learners' }, s);
    if (p === '/manager/licenses') return page(res, 200, { kind: 'licenses' }, s);
    if (learnerM) {
      const l = store.learnerById.get(decodeURIComponent(learnerM[1] as string));
      if (!l)
        return page(res, 404, { kind: 'error', status: 404, message: 'We could not find that learner.' }, s);
      const tab = url.searchParams.get('tab') === 'invite-history' ? 'invite-history' : 'details';
      return page(res, 200, { kind: 'learner', learner: learnerJson(l), tab }, s);
    }
    if (distributeM) {
      const c = store.courseById.get(decodeURIComponent(distributeM[1] as string));
      if (!c || c.ownerId !== s.manager.id) {
        return page(res, 404, { kind: 'error', status: 404, message: 'We could not find that course.' }, s);
      }
      const t = url.searchParams.get('tab');
      const tab = t === 'usage' || t === 'keys' ? t : 'invites';
      return page(
        res,
        200,
        { kind: 'distribute', course: { id: c.id, title: c.title }, seats: seatsOf(c), tab },
        s,
      );
    }
  }

  // ------------------------------------------------------------------ server

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://portal.invalid');
    const handler = url.pathname.startsWith('/__sim/')
      ? sim
        ? handleSim
        : (_q: IncomingMessage, r: ServerResponse) =>
            sendJson(r, { status: 404, body: { error: 'not_found' } })
      : url.pathname.startsWith('/api/')
        ? handleApi
        : handlePage;
    Promise.resolve(handler(req, res, url)).catch((err: unknown) => {
      if (err instanceof HttpError) return sendJson(res, { status: err.status, body: err.body });
      if (!quiet) console.error('[portal]', err);
      sendJson(res, { status: 500, body: { error: 'internal' } });
    });
  });
  server.on('connection', (sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = opts.host ?? '127.0.0.1';
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
  if (!quiet) console.log(`[portal] listening on ${origin}`);
  return {
    url: origin,
    origin,
    port: addr.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const sock of sockets) sock.destroy();
      }),
  };
}

function nameFromEmail(email: string): string {
  return (email.split('@')[0] ?? email)
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(' ');
}
