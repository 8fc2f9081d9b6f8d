/**
 * The reference portal: a real HTTP server (node:http only) with sign-in, server-sent page
 * shells, the JSON API of the portal contract, and simulation controls under /__sim/.
 * See test/portal/README.md.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleApi } from './api';
import { HttpError } from './http';
import { handleSim } from './sim';
import { handlePage } from './site';
import { PortalState } from './state';
import type { DataSpec, Faults } from './types';

export { DEFAULT_FAULTS } from './faults';
export type { DataSpec, Faults } from './types';

export interface PortalOptions {
  port?: number;
  host?: string;
  /** Simulation controls under /__sim/ (default on). */
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

type Handler = (state: PortalState, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export async function startPortal(opts: PortalOptions = {}): Promise<Portal> {
  const state = new PortalState({
    sim: opts.sim ?? true,
    quiet: opts.quiet ?? false,
    data: opts.data,
    faults: opts.faults,
    now: opts.now,
  });
  const sockets = new Set<Socket>();
  const noSim: Handler = async (s, _req, res) =>
    s.reply.json(res, { status: 404, body: { error: 'not_found' } });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://portal.invalid');
    const handler: Handler = url.pathname.startsWith('/__sim/')
      ? state.sim
        ? handleSim
        : noSim
      : url.pathname.startsWith('/api/')
        ? handleApi
        : handlePage;
    handler(state, req, res, url).catch((err: unknown) => {
      if (err instanceof HttpError) return state.reply.json(res, { status: err.status, body: err.body });
      if (!state.quiet) console.error('[portal]', err);
      state.reply.json(res, { status: 500, body: { error: 'internal' } });
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
  if (!state.quiet) console.log(`[portal] listening on ${origin}`);
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
