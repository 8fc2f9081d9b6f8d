/**
 * The portal's JSON API for one origin: session and CSRF token, schemas on every answer,
 * typed errors, timeouts, pagination, the portal's clock and client-side pacing.
 *
 * No chrome.* here: `fetch` and the clock are injected, so the same client runs in the service
 * worker and in Node tests (where the caller's fetch adds the session cookie).
 */
import * as v from 'valibot';
import { t } from '../../shared/i18n';
import type { PortalError } from '../../shared/types';
import { PortalClock } from './clock';
import { describeIssues, errorFor, signedOutError } from './errors';
import { type ExchangeDeps, exchange, type FetchLike, type Method } from './exchange';
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

export type { FetchLike };

/**
 * Runs one request when the caller's budget allows (e.g. a refresh that keeps a set number of
 * requests in flight over many lists at once).
 */
export type Gate = <T>(request: () => Promise<T>) => Promise<T>;

const ungated: Gate = (request) => request();

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

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: PortalError): Result<T> => ({ ok: false, error });

export class PortalClient {
  readonly origin: string;
  readonly clock = new PortalClock();
  private readonly now: () => number;
  private readonly exchangeDeps: ExchangeDeps;
  private readonly onSession: ((signedIn: boolean) => void) | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly readTries: number;
  private csrfToken: string | null = null;
  private sessionRead: Promise<Result<Session>> | null = null;

  constructor(opts: PortalClientOptions) {
    this.origin = new URL(opts.origin).origin;
    this.now = opts.now ?? Date.now;
    this.exchangeDeps = {
      origin: this.origin,
      fetch: opts.fetch ?? ((url, init) => fetch(url, init)),
      now: this.now,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      pacer: opts.pacer ?? null,
      clock: this.clock,
    };
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

  /**
   * GET /api/session: who is signed in, and the CSRF token for mutating calls. Every shape a
   * portal may give a caller without a session (see `doubt`) reads as 'signed-out'.
   */
  session(): Promise<Result<Session>> {
    // One read at a time: concurrent callers share it.
    this.sessionRead ??= this.call('GET', api.session, SessionSchema).then((r) => {
      this.sessionRead = null;
      if (r.ok) this.csrfToken = r.value.csrfToken;
      else if (doubtful.has(r.error)) return this.signedOut<Session>(r.error.httpStatus);
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
   * slid from one page to another is not missed. Each page request goes through `gate`.
   */
  async courseInvites(
    courseId: string,
    status: 'pending' | 'accepted' | 'all',
    gate: Gate = ungated,
  ): Promise<Result<Invite[]>> {
    let last: Result<Invite[]> = fail({ kind: 'malformed', message: t('errorNoAnswer') });
    for (let attempt = 0; attempt < 3; attempt++) {
      const walked = await this.walk(courseId, status, gate);
      if (!walked.ok) return walked;
      last = ok(walked.value.items);
      if (walked.value.stable) return last;
    }
    return last;
  }

  private async walk(
    courseId: string,
    status: 'pending' | 'accepted' | 'all',
    gate: Gate,
  ): Promise<Result<{ items: Invite[]; stable: boolean }>> {
    const first = await gate(() =>
      this.call('GET', api.courseInvites(courseId, status, 1, MAX_PAGE_SIZE), InvitePage),
    );
    if (!first.ok) return first;
    const pageSize = first.value.pageSize;
    const total = first.value.total;
    const pages = Math.ceil(total / pageSize);
    if (pages > 10_000) return fail({ kind: 'malformed', message: t('errorInvitesReported', total) });
    const byId = new Map<string, Invite>();
    for (const invite of first.value.items) byId.set(invite.id, invite);
    let stable = true;
    let next = 2;
    let error: PortalError | null = null;
    const worker = async () => {
      while (next <= pages && !error) {
        const page = next++;
        const r = await gate(() =>
          this.call('GET', api.courseInvites(courseId, status, page, pageSize), InvitePage),
        );
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
    const what = `${method} ${path}`;
    for (let attempt = 0; ; attempt++) {
      let token: string | null = null;
      if (method === 'POST') {
        if (!this.csrfToken) {
          const s = await this.session();
          if (!s.ok) return s;
        }
        token = this.csrfToken;
      }
      const raw = await exchange(this.exchangeDeps, method, path, token, body);
      if (!raw.ok) return raw;
      const { status, redirect, json, page, retryAfterMs } = raw.value;
      if (redirect) {
        return this.doubt(path, {
          kind: 'malformed',
          httpStatus: status || undefined,
          message: t('errorRedirect', what),
        });
      }
      if (status >= 200 && status < 300) {
        if (json === undefined) {
          const error: PortalError = {
            kind: 'malformed',
            httpStatus: status,
            message: page ? t('errorWebPage', what) : t('errorNotJson', what),
          };
          return page ? this.doubt(path, error) : fail(error);
        }
        const parsed = v.safeParse(schema, json);
        if (!parsed.success) {
          return this.doubt(path, {
            kind: 'malformed',
            httpStatus: status,
            message: t('errorUnexpected', what, describeIssues(parsed.issues)),
          });
        }
        this.onSession?.(true);
        return ok(parsed.output);
      }
      const err = v.safeParse(ErrorBody, json);
      const code = err.success ? err.output.error : null;
      if (status === 403 && code === 'csrf' && method === 'POST' && attempt === 0) {
        this.csrfToken = null;
        continue;
      }
      if (status === 401) return this.signedOut(status);
      const error = errorFor(status, code, err.success ? err.output.status : undefined, retryAfterMs);
      // A 403 that is not the CSRF check is how some portals say "signed out".
      if (status === 403 && code !== 'csrf') return this.doubt(path, error);
      return fail(error);
    }
  }

  /**
   * An answer that may mean the session has ended (a redirect, a web page or JSON of another
   * shape where data was expected, a 403): the session read decides. Signed out: the call is
   * answered as signed out. Signed in (or the session could not be read): `error` stands.
   * For the session read itself a redirect or 403 is a sign-out; an answer of another shape
   * is marked, retried as a passing fault, and only taken for a sign-out if it persists.
   */
  private async doubt<T>(path: string, error: PortalError): Promise<Result<T>> {
    if (path === api.session) {
      if (error.kind === 'malformed' && error.httpStatus !== undefined && error.httpStatus < 300) {
        doubtful.add(error);
        return fail(error);
      }
      return this.signedOut(error.httpStatus);
    }
    const s = await this.session();
    if (!s.ok && s.error.kind === 'signed-out') return fail(s.error);
    return fail(error);
  }

  private signedOut<T>(httpStatus: number | undefined): Result<T> {
    this.csrfToken = null;
    this.onSession?.(false);
    return fail(signedOutError(httpStatus));
  }
}

/** Session-read answers of another shape (see `doubt`): a sign-out if the last try is one too. */
const doubtful = new WeakSet<PortalError>();
