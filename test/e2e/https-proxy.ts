/**
 * A "hosted portal" for end-to-end tests: the reference portal behind a local HTTPS reverse proxy
 * at https://learn.example.test:<port> (self-signed certificate; Chromium maps the host to
 * 127.0.0.1 with the flags below), rewriting Host, Origin and Location as a real one would.
 *
 * It notes the Origin header of every POST to the portal's API as it arrives, before rewriting
 * it: what Reclaim's header rule did (or did not do) to Reclaim's own requests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_PREFIX } from '../../src/portal/api/paths';

export const HOSTED = 'learn.example.test';

/** Chromium flags that make https://learn.example.test reach the proxy. */
export const HOSTED_ARGS = [`--host-resolver-rules=MAP ${HOSTED} 127.0.0.1`, '--ignore-certificate-errors'];

export interface HttpsProxy {
  server: Server;
  port: number;
  /** https://learn.example.test:<port> */
  origin: string;
  /** Where requests go: the reference portal's URL, set once it runs. */
  target: URL | null;
  /** The Origin header of each API POST, as it reached the proxy (undefined: none). */
  apiPostOrigins: (string | undefined)[];
  close(): Promise<void>;
}

export async function startHttpsProxy(): Promise<HttpsProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'reclaim-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1'].concat([
      '-subj',
      `/CN=${HOSTED}`,
      '-addext',
      `subjectAltName=DNS:${HOSTED}`,
    ]),
    { stdio: 'ignore' },
  );
  const proxy: HttpsProxy = {
    server: createServer({ key: readFileSync(key), cert: readFileSync(cert) }),
    port: 0,
    origin: '',
    target: null,
    apiPostOrigins: [],
    close: () =>
      new Promise<void>((resolve) => {
        proxy.server.closeAllConnections();
        proxy.server.close(() => resolve());
        rmSync(dir, { recursive: true, force: true });
      }),
  };
  proxy.server.on('request', (req, res) => {
    const target = proxy.target;
    if (!target) {
      res.writeHead(503).end();
      return;
    }
    if (req.method === 'POST' && req.url?.startsWith(API_PREFIX))
      proxy.apiPostOrigins.push(req.headers.origin);
    const headers = { ...req.headers, host: target.host };
    if (headers.origin === proxy.origin) headers.origin = target.origin;
    const up = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (answer) => {
        const out = { ...answer.headers };
        if (typeof out.location === 'string')
          out.location = out.location.replace(target.origin, proxy.origin);
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
  proxy.port = (proxy.server.address() as AddressInfo).port;
  proxy.origin = `https://${HOSTED}:${proxy.port}`;
  return proxy;
}
