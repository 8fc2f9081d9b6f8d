/** Wires the background's parts (cache, runner, router) over a MiniPortal and a fresh Dexie, for unit tests. */
import { InviteCache } from '../../../src/background/cache';
import { JobRunner, type RunnerDeps } from '../../../src/background/jobs/runner';
import { forgetPortal } from '../../../src/background/retention';
import { createRouter, type Sender } from '../../../src/background/router';
import { PortalClient } from '../../../src/portal/api/client';
import { ReclaimDb } from '../../../src/shared/db';
import type { BackgroundEvent, Reply, Request, RequestType } from '../../../src/shared/messages';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import type { JobView, Settings } from '../../../src/shared/types';
import { type InviteSeed, MiniPortal } from './fake-portal';

export const EXT_ID = 'abcdefghijklmnopabcdefghijklmnop';
export const EXT_BASE = `chrome-extension://${EXT_ID}/`;
export const PORTAL = 'http://127.0.0.1:4310';

export const popupSender: Sender = { id: EXT_ID, url: `${EXT_BASE}src/popup/index.html` };
export const optionsSender: Sender = {
  id: EXT_ID,
  url: `${EXT_BASE}src/options/index.html`,
  tab: { id: 3 },
  frameId: 0,
};
export const contentSender = (path: string, extra: Partial<Sender> = {}): Sender => ({
  id: EXT_ID,
  url: `${PORTAL}${path}`,
  tab: { id: 7 },
  frameId: 0,
  ...extra,
});

let dbCount = 0;

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
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

export function daysAgo(days: number, now = Date.now()): string {
  return new Date(now - days * 86_400_000).toISOString();
}

export function setup(
  seed: InviteSeed[],
  opts: {
    runner?: Partial<RunnerDeps>;
    portalNow?: () => number;
    /** The portal the background would pick for extension pages (default PORTAL). */
    portalOrigin?: () => Promise<string | null>;
  } = {},
) {
  const db = new ReclaimDb(`reclaim-test-${++dbCount}-${Math.random()}`);
  const portal = new MiniPortal(seed, opts.portalNow);
  const events: BackgroundEvent[] = [];
  const views: JobView[] = [];
  let settings: Settings = { ...DEFAULT_SETTINGS };
  const clients = new Map<string, PortalClient>();
  const client = (origin: string) => {
    let c = clients.get(origin);
    if (!c) {
      c = new PortalClient({ origin, fetch: portal.fetch });
      clients.set(origin, c);
    }
    return c;
  };
  const cache = new InviteCache({ db, client, now: Date.now, emit: (e) => events.push(e) });
  const runner = new JobRunner({
    db,
    client,
    now: Date.now,
    sleep,
    onView: (v) => views.push(v),
    onItemsFinal: (origin, items) => cache.applyOutcomes(origin, items),
    learnersOf: (origin, ids) => cache.learnersOf(origin, ids),
    backoffBaseMs: 5,
    ...opts.runner,
  });
  const route = createRouter({
    ext: { id: EXT_ID, baseUrl: EXT_BASE },
    settings: async () => settings,
    saveSettings: async (patch) => {
      settings = { ...settings, ...patch };
      return settings;
    },
    addOrigin: async (o) => {
      settings = { ...settings, origins: [...settings.origins, o] };
      return settings;
    },
    removeOrigin: async (o) => {
      settings = { ...settings, origins: settings.origins.filter((x) => x !== o) };
      return settings;
    },
    forgetOrigin: (origin) =>
      forgetPortal(
        {
          db,
          busyOn: (covers) => runner.busyOn(covers),
          removeOrigin: async (o) => {
            settings = { ...settings, origins: settings.origins.filter((x) => x !== o) };
            return settings;
          },
          settings: async () => settings,
          lastOriginKey: 'portal.lastOrigin',
        },
        origin,
      ),
    portalOrigin: opts.portalOrigin ?? (async () => PORTAL),
    client,
    cache,
    runner,
    sleep,
  });
  /** A typed request (the router still parses it as unknown input). */
  const ask = <T extends RequestType>(req: Extract<Request, { type: T }>, sender: Sender) =>
    route(req, sender) as Promise<Reply<T>>;
  return { db, portal, events, views, cache, runner, route, ask, client, getSettings: () => settings };
}
