/**
 * The portal's JSON API for one origin: session and CSRF token, schemas on every answer,
 * typed errors, timeouts, pagination, the portal's clock and client-side pacing.
 *
 * No chrome.* here: `fetch` and the clock are injected, so the same client runs in the service
 * worker and in Node tests (where the caller's fetch adds the session cookie).
 */
import * as v from 'valibot';
import type { PortalError } from '../../shared/types';
import { PortalClock } from './clock';
import { describeIssues, errorFor, parseRetryAfter } from './errors';
import type { Pacer } from './pacer';
import { api, MAX_PAGE_SIZE } from './paths';
import {
  CancelAnswer,
  type Course,
  CourseList,
  ErrorBody,
  type Invite,
  InviteAnswer,
  InvitePage,
  LearnerInvites,
  type Session,
  Session as SessionSchema,
} from './schemas';

export type Result<T> = { ok: true; value: T } | { ok: false; error: PortalError };

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

interface PortalClientOptions {
  origin: string;
  fetch?: FetchLike;
  /** Extension clock, ms. */
  now?: () => number;
  timeoutMs?: number;
  pacer?: Pacer | null;
  /** Told whenever an answer shows the manager signed in (true) or out (false). */
  onSession?: (signedIn: boolean) => void;
  /** Waits between read retries (injectable for tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Tries per read (GET) before a passing fault is reported; default 4. */
  readTries?: number;
}

/** Faults worth another try for a read: a GET changes nothing, so repeating it is safe. */
const PASSING: ReadonlySet<PortalError['kind']> = new Set([
  'server-error',
  'network-error',
  'timeout',
  'malformed',
  'rate-limited',
]);

const DEFAULT_TIMEOUT_MS = 10_000;
/** How many further pages of one list are read at once. */
const PAGE_CONCURRENCY = 3;

type Method = 'GET' | 'POST';

interface RawAnswer {
  status: number;
  body: unknown;
  retryAfterMs: number | null;
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: PortalError): Result<T> => ({ ok: false, error });

export class PortalClient {
  readonly origin: string;
  readonly clock = new PortalClock();
  private readonly fetchImpl: FetchLike;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly pacer: Pacer | null;
  private readonly onSession: ((signedIn: boolean) => void) | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly readTries: number;
  private csrfToken: string | null = null;
  private sessionRead: Promise<Result<Session>> | null = null;

  constructor(opts: PortalClientOptions) {
    this.origin = new URL(opts.origin).origin;
    this.fetchImpl = opts.fetch ?? ((url, init) => fetch(url, init));
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.pacer = opts.pacer ?? null;
    this.onSession = opts.onSession;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.readTries = Math.max(1, opts.readTries ?? 4);
  }

  /** The portal's clock now, ms (our clock when no answer has been seen yet). */
  portalNow(): number {
    return this.now() + this.clock.offset();
  }

  /**
   * A portal time that has certainly passed (the clock's lower bound), or null before any answer
   * has shown where the portal's clock stands.
   */
  portalPassed(): number | null {
    const low = this.clock.lowestOffset();
    return low === null ? null : this.now() + low;
  }

  /** GET /api/session: who is signed in, and the CSRF token for mutating calls. */
  session(): Promise<Result<Session>> {
    // One read at a time: concurrent callers share it.
    this.sessionRead ??= this.call('GET', api.session, SessionSchema).then((r) => {
      this.sessionRead = null;
      if (r.ok) this.csrfToken = r.value.csrfToken;
      return r;
    });
    return this.sessionRead;
  }

  async courses(): Promise<Result<Course[]>> {
    const r = await this.call('GET', api.courses, CourseList);
    return r.ok ? ok(r.value.items) : r;
  }

  async learnerInvites(learnerId: string): Promise<Result<Invite[]>> {
    const r = await this.call('GET', api.learnerInvites(learnerId), LearnerInvites);
    return r.ok ? ok(r.value.items) : r;
  }

  /**
   * Every invite of a course with this status, all pages walked. If the list changed while it
   * was being read (its total moved), it is read again, up to three times, so an invite that
   * slid from one page to another is not missed.
   */
  async courseInvites(courseId: string, status: 'pending' | 'accepted' | 'all'): Promise<Result<Invite[]>> {
    let last: Result<Invite[]> = fail({ kind: 'malformed', message: 'no answer' });
    for (let attempt = 0; attempt < 3; attempt++) {
      const walked = await this.walk(courseId, status);
      if (!walked.ok) return walked;
      last = ok(walked.value.items);
      if (walked.value.stable) return last;
    }
    return last;
  }

  private async walk(
    courseId: string,
    status: 'pending' | 'accepted' | 'all',
  ): Promise<Result<{ items: Invite[]; stable: boolean }>> {
    const first = await this.call('GET', api.courseInvites(courseId, status, 1, MAX_PAGE_SIZE), InvitePage);
    if (!first.ok) return first;
    const pageSize = first.value.pageSize;
    const total = first.value.total;
    const pages = Math.ceil(total / pageSize);
    if (pages > 10_000) return fail({ kind: 'malformed', message: `The portal reported ${total} invites.` });
    const byId = new Map<string, Invite>();
    for (const invite of first.value.items) byId.set(invite.id, invite);
    let stable = true;
    let next = 2;
    let error: PortalError | null = null;
    const worker = async () => {
      while (next <= pages && !error) {
        const page = next++;
        const r = await this.call('GET', api.courseInvites(courseId, status, page, pageSize), InvitePage);
        if (!r.ok) {
          error = r.error;
          return;
        }
        if (r.value.total !== total) stable = false;
        for (const invite of r.value.items) byId.set(invite.id, invite);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PAGE_CONCURRENCY, Math.max(0, pages - 1)) }, worker));
    if (error) return fail(error);
    if (byId.size !== total) stable = false;
    return ok({ items: [...byId.values()], stable });
  }

  /** POST /api/invites/{id}/cancel. */
  cancel(inviteId: string): Promise<Result<CancelAnswer>> {
    return this.call('POST', api.cancelInvite(inviteId), CancelAnswer, {});
  }

  /** POST /api/courses/{id}/invites: invites each address (one seat each) unless it already holds one. */
  invite(courseId: string, emails: string[]): Promise<Result<InviteAnswer>> {
    return this.call('POST', api.sendInvites(courseId), InviteAnswer, { emails });
  }

  /**
   * One call: CSRF token for POSTs (read once more after a 403 csrf, then give up), the answer
   * parsed by `schema`, every failure mapped to a PortalError.
   */
  private async call<S extends v.GenericSchema>(
    method: Method,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<Result<v.InferOutput<S>>> {
    if (method !== 'GET') return this.callOnce(method, path, schema, body);
    // Reads are retried through passing faults (with backoff and jitter, or the portal's
    // Retry-After), so one 5xx or dropped connection does not fail a whole preview or refresh.
    for (let attempt = 1; ; attempt++) {
      const r = await this.callOnce(method, path, schema, body);
      if (r.ok || attempt >= this.readTries || !PASSING.has(r.error.kind)) return r;
      const backoff = 250 * 2 ** (attempt - 1);
      await this.sleep(r.error.retryAfterMs ?? backoff + Math.random() * backoff);
    }
  }

  private async callOnce<S extends v.GenericSchema>(
    method: Method,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<Result<v.InferOutput<S>>> {
    for (let attempt = 0; ; attempt++) {
      let token: string | null = null;
      if (method === 'POST') {
        if (!this.csrfToken) {
          const s = await this.session();
          if (!s.ok) return s;
        }
        token = this.csrfToken;
      }
      const raw = await this.send(method, path, token, body);
      if (!raw.ok) return raw;
      const { status, body: answer, retryAfterMs } = raw.value;
      if (status >= 200 && status < 300) {
        this.onSession?.(true);
        const parsed = v.safeParse(schema, answer);
        if (!parsed.success) {
          return fail({
            kind: 'malformed',
            httpStatus: status,
            message: `The portal's answer to ${method} ${path} is not what Reclaim expects (${describeIssues(parsed.issues)}); nothing was done with it.`,
          });
        }
        return ok(parsed.output);
      }
      const err = v.safeParse(ErrorBody, answer);
      const code = err.success ? err.output.error : null;
      if (status === 403 && code === 'csrf' && method === 'POST' && attempt === 0) {
        this.csrfToken = null;
        continue;
      }
      if (status === 401) {
        this.csrfToken = null;
        this.onSession?.(false);
      }
      return fail(errorFor(status, code, err.success ? err.output.status : undefined, retryAfterMs));
    }
  }

  /** The HTTP exchange: pacing, timeout (headers and body), Date header, JSON. */
  private async send(
    method: Method,
    path: string,
    csrf: string | null,
    body: unknown,
  ): Promise<Result<RawAnswer>> {
    const ticket = this.pacer ? await this.pacer.acquire() : null;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    const sentAt = this.now();
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (csrf) headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const what = `${method} ${path}`;
    try {
      let response: Response;
      try {
        response = await this.fetchImpl(this.origin + path, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          credentials: 'include',
          cache: 'no-store',
          redirect: 'error',
          signal: controller.signal,
        });
      } catch (err) {
        ticket?.done('ok');
        if (controller.signal.aborted) {
          return fail({
            kind: 'timeout',
            message: `The portal did not answer ${what} within ${this.timeoutMs / 1000} s.`,
          });
        }
        return fail({
          kind: 'network-error',
          message: `Could not reach the portal (${what}): ${String(err)}`,
        });
      }
      const receivedAt = this.now();
      this.clock.observe(sentAt, receivedAt, response.headers.get('date'));
      const retryAfterMs =
        response.status === 429
          ? parseRetryAfter(response.headers.get('retry-after'), this.portalNow())
          : null;
      ticket?.done(response.status === 429 ? 'limited' : 'ok', retryAfterMs ?? undefined);
      let text: string;
      try {
        text = await response.text();
      } catch (err) {
        if (controller.signal.aborted) {
          return fail({
            kind: 'timeout',
            message: `The portal's answer to ${what} did not arrive within ${this.timeoutMs / 1000} s.`,
          });
        }
        return fail({
          kind: 'network-error',
          message: `The portal's answer to ${what} was cut off: ${String(err)}`,
        });
      }
      let parsed: unknown = null;
      if (text.length > 0) {
        try {
          parsed = JSON.parse(text);
        } catch {
          if (response.status >= 200 && response.status < 300) {
            return fail({
              kind: 'malformed',
              httpStatus: response.status,
              message: `The portal's answer to ${what} is not valid JSON; nothing was done with it.`,
            });
          }
        }
      }
      return ok({ status: response.status, body: parsed, retryAfterMs });
    } finally {
      clearTimeout(timer);
    }
  }
}
