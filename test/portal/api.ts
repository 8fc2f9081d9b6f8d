/**
 * One /api/ request through the injected faults to its route, in this order: latency, route
 * (404/405), rate limit (429), session (expiry, then the signed-out shape), errorRate (5xx
 * before the handler), drop before the handler, handler (writes check CSRF/Origin and journal
 * themselves), drop after it, malformed answer. README "Faults" says the same for users.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiCall, ApiRoute } from './api-route';
import { API_ROUTES } from './api-routes';
import { encodeMarkup, isDefaultMarkup, MARKUP_HEADER } from './assets/table-markup';
import { faultsHit, malformedBody } from './faults';
import { type Answer, HttpError, JSON_TYPE, readBody, sleep } from './http';
import { csrfOk } from './sessions';
import { signedOutAnswer } from './signed-out';
import type { PortalState } from './state';

function findRoute(
  method: string,
  path: string,
): { route?: ApiRoute; match?: RegExpExecArray; allowed: string[] } {
  const allowed: string[] = [];
  for (const route of API_ROUTES) {
    const match = route.re.exec(path);
    if (!match) continue;
    allowed.push(route.method);
    if (route.method === method) return { route, match, allowed };
  }
  return { allowed };
}

/** Headers every answer of the page's own API calls carries: the table markup when it is not the default. */
function markupHeaders(state: PortalState): Record<string, string> {
  return state.sim && !isDefaultMarkup(state.markup) ? { [MARKUP_HEADER]: encodeMarkup(state.markup) } : {};
}

export async function handleApi(
  state: PortalState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? 'GET';
  const { route, match, allowed } = findRoute(method, url.pathname);
  state.counters.arrived(
    method,
    url.pathname,
    route ? `${route.method} ${route.pattern}` : null,
    route?.kind ?? null,
  );
  const faults = state.faults;
  const delay = faults.latencyMs + (faults.jitterMs ? state.rand() * faults.jitterMs : 0);
  if (delay > 0) await sleep(delay);
  if (res.destroyed) return;
  const json = (a: Answer) =>
    state.reply.json(res, { ...a, headers: { ...markupHeaders(state), ...a.headers } });

  if (!route || !match) {
    if (allowed.length) {
      return json({
        status: 405,
        body: { error: 'method_not_allowed' },
        headers: { Allow: allowed.join(', ') },
      });
    }
    return json({ status: 404, body: { error: 'not_found' } });
  }

  let session = state.sessions.of(req);
  const wait = state.limiter.take(
    session ? `s:${session.id}` : `a:${req.socket.remoteAddress ?? ''}`,
    faults.rateLimit,
  );
  if (wait > 0) {
    state.counters.rateLimited();
    return json({ status: 429, body: { error: 'rate_limited' }, headers: { 'Retry-After': String(wait) } });
  }

  const hit = faultsHit(faults.faultPaths, route.kind);
  if (session && hit && faults.sessionExpiryAfter !== null) {
    if (session.used >= faults.sessionExpiryAfter) {
      state.sessions.end(session);
      session = null;
    } else session.used++;
  }
  if (!session) {
    const a = signedOutAnswer(faults.signedOut ?? 'json401');
    return state.reply.send(res, a.status, a.body, a.type, a.headers);
  }

  if (hit && faults.errorRate > 0 && state.rand() < faults.errorRate) {
    const status = [500, 502, 503][Math.floor(state.rand() * 3)] as number;
    return json({ status, body: { error: 'server_error' } });
  }

  const mutating = method !== 'GET';
  const call: ApiCall = {
    state,
    session,
    match,
    url,
    req,
    body: mutating ? await readBody(req) : '',
    csrfOk: !mutating || csrfOk(req, session),
  };
  let drop: 'before' | 'after' | null = null;
  if (hit && faults.dropRate > 0 && state.rand() < faults.dropRate) {
    drop = mutating && state.rand() < 0.5 ? 'after' : 'before';
  }
  if (drop === 'before') {
    route.droppedBefore?.(call);
    req.socket.destroy();
    return;
  }

  let answer: Answer;
  let entry: ReturnType<ApiRoute['run']>['entry'];
  try {
    ({ answer, entry } = route.run(call));
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    answer = { status: err.status, body: err.body };
  }
  if (drop === 'after') {
    if (entry) entry.dropped = 'after';
    req.socket.destroy();
    return;
  }
  if (hit && faults.malformedRate > 0 && state.rand() < faults.malformedRate) {
    if (entry) entry.malformed = true;
    return state.reply.send(res, 200, malformedBody(state.rand), JSON_TYPE, markupHeaders(state));
  }
  json(answer);
}
