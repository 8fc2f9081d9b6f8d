/** HTTP plumbing of the reference portal: answers, errors, bodies, cookies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from './clock';

const MAX_BODY = 1 << 20;

/** A JSON answer. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Thrown by a handler to answer `status` with the JSON `body`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.error));
  }
}

export const badRequest = (field: string, extra: Record<string, unknown> = {}) =>
  new HttpError(400, { error: 'bad_request', field, ...extra });

/** Writes answers, each with the portal clock as its Date header. */
export class Replier {
  constructor(private readonly clock: Clock) {}

  send(
    res: ServerResponse,
    status: number,
    body: string,
    type: string,
    headers: Record<string, string> = {},
  ) {
    if (res.destroyed || res.headersSent) return;
    res.writeHead(status, {
      Date: new Date(this.clock.now()).toUTCString(),
      'Content-Type': type,
      'Content-Length': String(Buffer.byteLength(body)),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    });
    res.end(body);
  }

  json(res: ServerResponse, a: Answer) {
    this.send(res, a.status, JSON.stringify(a.body), JSON_TYPE, a.headers);
  }

  /** 303 See Other: what a form post or a signed-out page load gets. */
  redirect(res: ServerResponse, to: string, headers: Record<string, string> = {}) {
    this.send(res, 303, '', 'text/plain; charset=utf-8', { Location: to, ...headers });
  }
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const HTML_TYPE = 'text/html; charset=utf-8';

export function readBody(req: IncomingMessage): Promise<string> {
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

/** A JSON object body; {} when empty; 400 bad_json otherwise. */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // the 400 below
  }
  throw new HttpError(400, { error: 'bad_json' });
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return parseJsonObject(await readBody(req));
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
  }
  return out;
}

/** A safe local redirect target, or the default. */
export function safeNext(next: string | null | undefined): string {
  if (next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')) return next;
  return '/manager/learners';
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
