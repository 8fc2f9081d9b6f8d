/**
 * Injected faults: their defaults and validation, which API calls each one hits, the per-session
 * rate limit, and the bodies of malformed answers. The order in which they apply is api.ts's.
 */
import { performance } from 'node:perf_hooks';
import { badRequest } from './http';
import type { FaultPaths, Faults, SignedOutShape } from './types';

export const DEFAULT_FAULTS: Readonly<Faults> = Object.freeze({
  latencyMs: 40,
  jitterMs: 0,
  errorRate: 0,
  dropRate: 0,
  malformedRate: 0,
  rateLimit: { perSecond: 20, burst: 40 },
  sessionExpiryAfter: null,
  faultPaths: 'all',
  signedOut: 'json401',
});

/** A fresh copy of the defaults (rateLimit is an object). */
export function defaultFaults(): Faults {
  return { ...DEFAULT_FAULTS, rateLimit: DEFAULT_FAULTS.rateLimit && { ...DEFAULT_FAULTS.rateLimit } };
}

const FAULT_PATHS: readonly FaultPaths[] = ['all', 'mutations', 'cancel', 'invite'];
export const SIGNED_OUT_SHAPES: readonly SignedOutShape[] = [
  'json401',
  'redirect',
  'html200',
  'forbidden403',
  'forbidden403-json',
  'json-other',
  'json-other-401',
];

/** `base` with `patch` applied; 400 bad_request naming the first field that is not valid. */
export function normalizeFaults(base: Faults, patch: Partial<Faults>): Faults {
  const f: Faults = { ...base, ...patch };
  const rate = (x: unknown, name: string): number => {
    if (typeof x !== 'number' || !(x >= 0 && x <= 1)) throw badRequest(name);
    return x;
  };
  const ms = (x: unknown, name: string): number => {
    if (typeof x !== 'number' || !(x >= 0) || !Number.isFinite(x)) throw badRequest(name);
    return x;
  };
  f.errorRate = rate(f.errorRate, 'errorRate');
  f.dropRate = rate(f.dropRate, 'dropRate');
  f.malformedRate = rate(f.malformedRate, 'malformedRate');
  f.latencyMs = ms(f.latencyMs, 'latencyMs');
  f.jitterMs = ms(f.jitterMs, 'jitterMs');
  if (f.rateLimit !== null) {
    const rl = f.rateLimit as unknown;
    if (!rl || typeof rl !== 'object') throw badRequest('rateLimit');
    const { perSecond, burst } = rl as { perSecond: unknown; burst: unknown };
    if (typeof perSecond !== 'number' || perSecond <= 0 || typeof burst !== 'number' || burst < 1) {
      throw badRequest('rateLimit');
    }
    f.rateLimit = { perSecond, burst };
  }
  if (f.sessionExpiryAfter !== null)
    f.sessionExpiryAfter = Math.floor(ms(f.sessionExpiryAfter, 'sessionExpiryAfter'));
  if (!FAULT_PATHS.includes(f.faultPaths ?? 'all')) throw badRequest('faultPaths');
  if (!SIGNED_OUT_SHAPES.includes(f.signedOut ?? 'json401')) throw badRequest('signedOut');
  return f;
}

/** What an API route is, as far as faultPaths is concerned. */
export type RouteKind = 'read' | 'cancel' | 'invite';

/** Whether errorRate, dropRate, malformedRate and sessionExpiryAfter hit a call of this kind. */
export function faultsHit(paths: FaultPaths | undefined, kind: RouteKind): boolean {
  switch (paths ?? 'all') {
    case 'all':
      return true;
    case 'mutations':
      return kind === 'cancel' || kind === 'invite';
    case 'cancel':
      return kind === 'cancel';
    case 'invite':
      return kind === 'invite';
  }
}

/** Token buckets per key (a session, else a client address). */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** 0 when the request may pass; else the whole seconds to wait (Retry-After). */
  take(key: string, limit: Faults['rateLimit']): number {
    if (!limit) return 0;
    const t = performance.now();
    const b = this.buckets.get(key) ?? { tokens: limit.burst, at: t };
    b.tokens = Math.min(limit.burst, b.tokens + ((t - b.at) / 1000) * limit.perSecond);
    b.at = t;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / limit.perSecond));
  }

  clear(): void {
    this.buckets.clear();
  }
}

/** A 200 body that is not the contract's: truncated JSON, a wrong shape, or an HTML page. */
export function malformedBody(rand: () => number): string {
  const pick = Math.floor(rand() * 3);
  if (pick === 0) return '{"items": [{"id": "i-1", "status": "pend';
  if (pick === 1) return JSON.stringify({ ok: true, data: null, items: 'none' });
  return '<html><body>Service temporarily unavailable</body></html>';
}
