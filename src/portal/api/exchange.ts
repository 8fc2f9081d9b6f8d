/**
 * One HTTP exchange with the portal's API: pacing, timeout (headers and body), the portal's
 * clock from `Date`, and the answer read as what it is: JSON, a web page, or a redirect.
 *
 * Redirects are never followed (`redirect: 'manual'`): a JSON API that redirects is sending the
 * caller to a page (usually its sign-in page), and following it would re-send the request
 * somewhere the manager never chose. A browser hides where a redirect goes (an opaque answer
 * with status 0); Node shows the 3xx. Both read as `redirect: true`.
 */
import { t } from '../../shared/i18n';
import type { PortalError } from '../../shared/types';
import type { Result } from './client';
import type { PortalClock } from './clock';
import { parseRetryAfter } from './errors';
import type { Pacer } from './pacer';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export type Method = 'GET' | 'POST';

/** An answer before its schema: its status and what its body is. */
export interface Answer {
  status: number;
  /** The portal redirected the call instead of answering it. */
  redirect: boolean;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  json: unknown;
  /** The body is a web page (HTML), whatever the Content-Type says. */
  page: boolean;
  retryAfterMs: number | null;
}

export interface ExchangeDeps {
  origin: string;
  fetch: FetchLike;
  now(): number;
  timeoutMs: number;
  pacer: Pacer | null;
  clock: PortalClock;
}

const fail = <T>(error: PortalError): Result<T> => ({ ok: false, error });

/** An HTML document or fragment: what a sign-in or error page is, never a JSON answer. */
const looksLikePage = (text: string) => /^\s*</.test(text);

export async function exchange(
  deps: ExchangeDeps,
  method: Method,
  path: string,
  csrf: string | null,
  body: unknown,
): Promise<Result<Answer>> {
  const ticket = deps.pacer ? await deps.pacer.acquire() : null;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deps.timeoutMs);
  const sentAt = deps.now();
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (csrf) headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const what = `${method} ${path}`;
  const seconds = deps.timeoutMs / 1000;
  try {
    let response: Response;
    try {
      response = await deps.fetch(deps.origin + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'include',
        cache: 'no-store',
        redirect: 'manual',
        signal: controller.signal,
      });
    } catch (err) {
      ticket?.done('ok');
      if (controller.signal.aborted) {
        return fail({ kind: 'timeout', message: t('errorTimeout', what, seconds) });
      }
      return fail({ kind: 'network-error', message: t('errorUnreachable', what, String(err)) });
    }
    deps.clock.observe(sentAt, deps.now(), response.headers.get('date'));
    const retryAfterMs =
      response.status === 429
        ? parseRetryAfter(response.headers.get('retry-after'), deps.now() + deps.clock.offset())
        : null;
    ticket?.done(response.status === 429 ? 'limited' : 'ok', retryAfterMs ?? undefined);
    const redirect = response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      if (controller.signal.aborted) {
        return fail({ kind: 'timeout', message: t('errorAnswerLate', what, seconds) });
      }
      return fail({ kind: 'network-error', message: t('errorCutOff', what, String(err)) });
    }
    let json: unknown;
    if (text.length > 0 && !redirect) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    const page = json === undefined && looksLikePage(text);
    return { ok: true, value: { status: response.status, redirect, json, page, retryAfterMs } };
  } finally {
    clearTimeout(timer);
  }
}
