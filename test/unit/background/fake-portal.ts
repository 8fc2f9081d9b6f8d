/**
 * A scriptable stand-in for the portal's HTTP API, for unit tests of the client, cache and
 * runner: a FetchLike that routes requests to handlers and records every call.
 */
import type { FetchLike } from '../../../src/portal/api/client';

export interface FakeCall {
  method: string;
  path: string;
  headers: Record<string, string>;
}

export type Handler = (call: FakeCall) => Response | Promise<Response> | 'throw' | 'hang';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export interface InviteSeed {
  id: string;
  courseId: string;
  learnerId: string;
  status: 'pending' | 'accepted' | 'cancelled' | 'expired';
  sentAt: string;
}

export function inviteJson(i: InviteSeed) {
  return {
    id: i.id,
    course: { id: i.courseId, title: `Course ${i.courseId}` },
    learner: { id: i.learnerId, name: `Learner ${i.learnerId}`, email: `${i.learnerId}@example.test` },
    sentAt: i.sentAt,
    status: i.status,
    progress: i.status === 'accepted' ? 10 : null,
  };
}

/** A fetch whose answers come from `route`; unmatched paths answer 404. */
export function fakeFetch(
  route: (call: FakeCall) => ReturnType<Handler> | undefined | Promise<ReturnType<Handler> | undefined>,
): {
  fetch: FetchLike;
  calls: FakeCall[];
} {
  const calls: FakeCall[] = [];
  const fetch: FetchLike = async (url, init) => {
    const u = new URL(url);
    const headers: Record<string, string> = {};
    for (const [k, val] of Object.entries((init.headers as Record<string, string> | undefined) ?? {})) {
      headers[k.toLowerCase()] = val;
    }
    const call = { method: init.method ?? 'GET', path: u.pathname + u.search, headers };
    calls.push(call);
    const answer = (await route(call)) ?? json(404, { error: 'not_found' });
    if (answer === 'throw') throw new TypeError('fetch failed');
    if (answer === 'hang') {
      return new Promise<Response>((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    return answer;
  };
  return { fetch, calls };
}

/**
 * A small in-memory portal: session, courses, paginated course invites, learner invites and
 * cancel, with the contract's rules (409 not_pending, 404 unknown). Enough for cache and
 * runner unit tests; the real reference portal is used by the integration tests.
 */
export class MiniPortal {
  invites = new Map<string, InviteSeed>();
  csrf = 'tok-1';
  signedIn = true;
  /** Per-call override: return a Response (or 'throw'/'hang') to replace the normal answer. */
  fault: ((call: FakeCall) => ReturnType<Handler> | undefined) | null = null;
  /** Cancels that changed an invite, in order. */
  applied: string[] = [];
  cancelCalls: string[] = [];
  /** Every POST waits this long before it is handled. */
  postDelayMs = 0;
  readonly calls: FakeCall[] = [];
  readonly fetch: FetchLike;

  constructor(
    seed: InviteSeed[],
    private readonly date: () => number = Date.now,
  ) {
    for (const i of seed) this.invites.set(i.id, { ...i });
    const f = fakeFetch(async (call) => {
      if (call.method === 'POST' && this.postDelayMs > 0)
        await new Promise((r) => setTimeout(r, this.postDelayMs));
      return this.answer(call);
    });
    this.fetch = f.fetch;
    this.calls = f.calls;
  }

  private withDate(r: Response): Response {
    r.headers.set('date', new Date(this.date()).toUTCString());
    return r;
  }

  private answer(call: FakeCall): ReturnType<Handler> {
    const injected = this.fault?.(call);
    if (injected !== undefined) return injected;
    if (!this.signedIn) return this.withDate(json(401, { error: 'unauthenticated' }));
    const url = new URL(`http://x${call.path}`);
    const p = url.pathname;
    if (p === '/api/session') {
      return this.withDate(
        json(200, { manager: { id: 'm-1', name: 'M', email: 'm@example.test' }, csrfToken: this.csrf }),
      );
    }
    if (p === '/api/courses') {
      const ids = [...new Set([...this.invites.values()].map((i) => i.courseId))].sort();
      return this.withDate(
        json(200, {
          items: ids.map((id) => {
            const of = [...this.invites.values()].filter((i) => i.courseId === id);
            const pending = of.filter((i) => i.status === 'pending').length;
            const accepted = of.filter((i) => i.status === 'accepted').length;
            const total = Math.max(100, pending + accepted);
            return {
              id,
              title: `Course ${id}`,
              seats: { total, assigned: pending + accepted, available: total - pending - accepted },
              pending,
            };
          }),
        }),
      );
    }
    let m = /^\/api\/courses\/([^/]+)\/invites$/.exec(p);
    if (m) {
      const status = url.searchParams.get('status') ?? 'all';
      const page = Number(url.searchParams.get('page') ?? '1');
      const size = Math.min(100, Number(url.searchParams.get('pageSize') ?? '25'));
      const all = [...this.invites.values()].filter(
        (i) => i.courseId === m?.[1] && (status === 'all' || i.status === status),
      );
      return this.withDate(
        json(200, {
          items: all.slice((page - 1) * size, page * size).map(inviteJson),
          page,
          pageSize: size,
          total: all.length,
        }),
      );
    }
    m = /^\/api\/learners\/([^/]+)\/invites$/.exec(p);
    if (m) {
      const items = [...this.invites.values()].filter((i) => i.learnerId === m?.[1]).map(inviteJson);
      return this.withDate(json(200, { items }));
    }
    m = /^\/api\/invites\/([^/]+)\/cancel$/.exec(p);
    if (m && call.method === 'POST') {
      const id = m[1] as string;
      this.cancelCalls.push(id);
      if (call.headers['x-csrf-token'] !== this.csrf) return this.withDate(json(403, { error: 'csrf' }));
      const invite = this.invites.get(id);
      if (!invite) return this.withDate(json(404, { error: 'not_found' }));
      if (invite.status !== 'pending') {
        return this.withDate(json(409, { error: 'not_pending', status: invite.status }));
      }
      invite.status = 'cancelled';
      this.applied.push(id);
      return this.withDate(
        json(200, { invite: inviteJson(invite), seats: { total: 100, assigned: 0, available: 100 } }),
      );
    }
    return this.withDate(json(404, { error: 'not_found' }));
  }
}
