/**
 * The background's portal client, cache and job runner against the reference portal in Node.
 * Node has no cookie jar: the fetch given to the client adds the session cookie of the
 * latest sign-in (tests sign in again after a sign-out and the runner carries on).
 */
import 'fake-indexeddb/auto';
import { expect } from 'vitest';
import { InviteCache } from '../../src/background/cache';
import { JobRunner, type RunnerDeps } from '../../src/background/jobs/runner';
import { type FetchLike, PortalClient } from '../../src/portal/api/client';
import { Pacer } from '../../src/portal/api/pacer';
import { ReclaimDb } from '../../src/shared/db';
import type { InviteWork } from '../../src/shared/invite-work';
import type { Scope } from '../../src/shared/types';
import { type Portal, type PortalOptions, startPortal } from '../portal/server';
import { signIn, simClient } from '../portal/sim-client';
import type { Invite, JournalEntry } from '../portal/types';

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

let dbs = 0;

export interface Rig {
  portal: Portal;
  sim: ReturnType<typeof simClient>;
  db: ReclaimDb;
  client: PortalClient;
  pacer: Pacer;
  runner: JobRunner;
  cache: InviteCache;
  /** Requests the client sent (all of them, through the cookie-adding fetch). */
  sent: { method: string; path: string; at: number }[];
  signInAgain(): Promise<void>;
  /** After this, every request of this client hangs forever (a worker that was stopped). */
  kill(): void;
  /**
   * When set, every request of the client goes through it: `send()` makes the real request (a
   * test can lose its answer by throwing after it, or act on the portal before it).
   */
  intercept: ((path: string, init: RequestInit, send: () => Promise<Response>) => Promise<Response>) | null;
  start(scope: Scope, undoSeconds?: number): Promise<number>;
  /** Starts a job that invites from an extension page; throws when it is refused. */
  startInvites(work: InviteWork, undoSeconds?: number): Promise<number>;
  close(): Promise<void>;
}

export async function rig(opts: PortalOptions, runner: Partial<RunnerDeps> = {}): Promise<Rig> {
  const portal = await startPortal({ quiet: true, ...opts });
  const sim = simClient(portal.url);
  let cookie = (await signIn(portal.url)).cookie;
  let dead = false;
  const sent: Rig['sent'] = [];
  let intercept: Rig['intercept'] = null;
  const fetchWithCookie: FetchLike = (url, init) => {
    if (dead) return new Promise<Response>(() => {});
    const path = new URL(url).pathname;
    sent.push({ method: init.method ?? 'GET', path, at: Date.now() });
    const send = () =>
      fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), cookie } });
    return intercept ? intercept(path, init, send) : send();
  };
  const pacer = new Pacer({ now: Date.now, sleep: (ms) => sleep(ms) });
  const client = new PortalClient({ origin: portal.origin, fetch: fetchWithCookie, pacer });
  const db = new ReclaimDb(`reclaim-int-${++dbs}-${Math.random()}`);
  const cache = new InviteCache({ db, client: () => client, now: Date.now, emit: () => {} });
  const jobRunner = new JobRunner({
    db,
    client: () => client,
    now: Date.now,
    sleep,
    backoffBaseMs: 100,
    onItemsFinal: (origin, items) => cache.applyOutcomes(origin, items),
    ...runner,
  });
  return {
    portal,
    sim,
    db,
    client,
    pacer,
    runner: jobRunner,
    cache,
    sent,
    async signInAgain() {
      cookie = (await signIn(portal.url)).cookie;
    },
    kill() {
      dead = true;
    },
    get intercept() {
      return intercept;
    },
    set intercept(fn) {
      intercept = fn;
    },
    async startInvites(work, undoSeconds = 0) {
      const r = await jobRunner.startInvites({
        origin: portal.origin,
        work,
        surface: 'popup',
        undoSeconds,
        concurrency: 6,
        context: null,
      });
      if (!r.ok) throw new Error(`job did not start: ${JSON.stringify(r)}`);
      return r.view.job.id;
    },
    async start(scope, undoSeconds = 0) {
      const r = await jobRunner.start({
        origin: portal.origin,
        scope,
        surface: 'popup',
        undoSeconds,
        concurrency: 6,
        context: null,
      });
      if (!r.ok) throw new Error(`job did not start: ${JSON.stringify(r)}`);
      return r.view.job.id;
    },
    async close() {
      db.close();
      await portal.close();
    },
  };
}

/** Every invite of the portal, by status, as it is now. */
export async function snapshot(
  sim: Rig['sim'],
): Promise<{ pending: Set<string>; accepted: Set<string>; all: Invite[] }> {
  const all = await sim.invites();
  return {
    pending: new Set(all.filter((i) => i.status === 'pending').map((i) => i.id)),
    accepted: new Set(all.filter((i) => i.status === 'accepted').map((i) => i.id)),
    all,
  };
}

/**
 * The portal's journal as the judge: each invite in `revoked` applied exactly once, nothing
 * else applied, no invite in `untouched` ever sent a cancel, and every course's seat identity
 * holding.
 */
export async function expectJournal(
  sim: Rig['sim'],
  revoked: Set<string>,
  untouched: Set<string>,
): Promise<JournalEntry[]> {
  const journal = await sim.journal();
  const applied = new Map<string, number>();
  for (const e of journal) if (e.applied) applied.set(e.inviteId, (applied.get(e.inviteId) ?? 0) + 1);
  const twice = [...applied].filter(([, n]) => n > 1).map(([id]) => id);
  expect(twice, 'applied more than once').toEqual([]);
  const outside = [...applied.keys()].filter((id) => !revoked.has(id));
  expect(outside, 'applied outside the scope').toEqual([]);
  const missing = [...revoked].filter((id) => !applied.has(id));
  expect(missing, 'in scope but never applied').toEqual([]);
  const touched = journal.filter((e) => untouched.has(e.inviteId)).map((e) => e.inviteId);
  expect(touched, 'accepted invites sent a cancel').toEqual([]);
  expect(journal.some((e) => e.applied && e.statusBefore !== 'pending')).toBe(false);
  const state = await sim.state();
  expect(state.identityHolds).toBe(true);
  return journal;
}
