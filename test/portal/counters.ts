/** Request counters a test or benchmark reads (GET /__sim/requests) and resets. */
import type { RouteKind } from './faults';
import type { RequestCounts } from './types';

export class RequestCounters {
  private c: RequestCounts = RequestCounters.zero();

  private static zero(): RequestCounts {
    return { api: 0, cancel: 0, invite: 0, rateLimited: 0, byRoute: {}, reads: {} };
  }

  /** One /api/ request; `route` is "METHOD /path/{pattern}", or null when no route matched. */
  arrived(method: string, path: string, route: string | null, kind: RouteKind | null) {
    const c = this.c;
    c.api++;
    if (kind === 'cancel') c.cancel++;
    if (kind === 'invite') c.invite++;
    const key = route ?? 'unmatched';
    c.byRoute[key] = (c.byRoute[key] ?? 0) + 1;
    if (method === 'GET') c.reads[path] = (c.reads[path] ?? 0) + 1;
  }

  rateLimited(): void {
    this.c.rateLimited++;
  }

  snapshot(): RequestCounts {
    return { ...this.c, byRoute: { ...this.c.byRoute }, reads: { ...this.c.reads } };
  }

  /** The totals without the per-path reads (what /__sim/state carries). */
  summary(): Omit<RequestCounts, 'reads'> {
    const { reads: _, ...rest } = this.snapshot();
    return rest;
  }

  reset(): void {
    this.c = RequestCounters.zero();
  }
}
