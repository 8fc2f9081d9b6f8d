/** Test helpers: boot a quiet portal and talk to its API as a signed-in manager. */
import { type PortalOptions, startPortal } from './server';
import { type SimClient, signIn, simClient } from './sim-client';
import type { Invite } from './types';

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface Api {
  cookie: string;
  csrfToken: string;
  get<T = unknown>(path: string, headers?: Record<string, string>): Promise<Answer<T>>;
  post<T = unknown>(path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer<T>>;
  cancel<T = unknown>(inviteId: string, headers?: Record<string, string>): Promise<Answer<T>>;
}

async function answer<T>(res: Response): Promise<Answer<T>> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, body: body as T, text };
}

export function apiFor(base: string, cookie: string, csrfToken: string): Api {
  const api: Api = {
    cookie,
    csrfToken,
    get: async (path, headers = {}) =>
      answer(await fetch(`${base}${path}`, { headers: { cookie, ...headers } })),
    post: async (path, body, headers = {}) =>
      answer(
        await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json', ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      ),
    cancel: (inviteId, headers) =>
      api.post(`/api/invites/${encodeURIComponent(inviteId)}/cancel`, undefined, headers),
  };
  return api;
}

export async function signedIn(base: string, email?: string): Promise<Api> {
  const s = await signIn(base, email);
  return apiFor(base, s.cookie, s.csrfToken);
}

export interface Booted {
  url: string;
  sim: SimClient;
  api: Api;
  close(): Promise<void>;
}

/** A portal with no latency and no rate limit unless asked, and a signed-in manager. */
export async function boot(opts: PortalOptions = {}): Promise<Booted> {
  const portal = await startPortal({
    quiet: true,
    ...opts,
    faults: { latencyMs: 0, rateLimit: null, ...opts.faults },
  });
  return {
    url: portal.url,
    sim: simClient(portal.url),
    api: await signedIn(portal.url),
    close: portal.close,
  };
}

export const DAY = 24 * 60 * 60 * 1000;
export const LIFETIME = 30 * DAY;

/** The first pending invite of a course, through /__sim/. */
export async function firstInvite(
  sim: SimClient,
  courseId: string,
  status: Invite['status'],
): Promise<Invite> {
  const [inv] = await sim.invites({ courseId, status });
  if (!inv) throw new Error(`no ${status} invite in ${courseId}`);
  return inv;
}
