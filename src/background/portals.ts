/**
 * One PortalClient per portal origin for the service worker's life, each with its own pacer
 * (the portal limits requests per session), the real fetch, and the Origin header rule
 * installed before its first POST.
 */
import { type FetchLike, PortalClient } from '../portal/api/client';
import { Pacer } from '../portal/api/pacer';

/** The portal client of an origin: what every part of the background that calls the portal gets. */
export type ClientOf = (origin: string) => PortalClient;

interface ClientsDeps {
  fetch: FetchLike;
  now(): number;
  /** Before a POST to `origin`: make it acceptable (the Origin rule). */
  beforePost?(origin: string): Promise<void>;
  onSession?(origin: string, signedIn: boolean): void;
}

export function createClients(deps: ClientsDeps): ClientOf {
  const clients = new Map<string, PortalClient>();
  return (raw) => {
    const origin = new URL(raw).origin;
    let client = clients.get(origin);
    if (!client) {
      const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
      client = new PortalClient({
        origin,
        now: deps.now,
        pacer: new Pacer({ now: deps.now, sleep }),
        fetch: async (url, init) => {
          if (init.method === 'POST') await deps.beforePost?.(origin);
          return deps.fetch(url, init);
        },
        onSession: (signedIn) => deps.onSession?.(origin, signedIn),
      });
      clients.set(origin, client);
    }
    return client;
  };
}
