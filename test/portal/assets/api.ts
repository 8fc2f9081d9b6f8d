/**
 * The portal page's own API client: GETs retried on 5xx, dropped connections and malformed
 * bodies; 429 waited out; a signed-out answer, in any shape the portal may use, sends the page
 * to the sign-in page. Each answer also tells the script how the invite tables are marked up.
 */
import { root } from './dom.js';
import { decodeMarkup, MARKUP_HEADER, type TableMarkup } from './table-markup.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

let markup: TableMarkup = decodeMarkup(root.dataset.markup);
/** How the invite tables are to be marked up, as of the latest API answer. */
export const tableMarkup = (): TableMarkup => markup;

/** The answer says the session has ended, in one of the shapes README "Signed-out shapes" lists. */
function signedOut(res: Response, text: string, data: unknown): boolean {
  if (res.status === 401) return true;
  if (res.redirected && new URL(res.url).pathname === '/login') return true;
  const html = (res.headers.get('content-type') ?? '').includes('text/html');
  if (html && (res.status === 403 || text.includes('action="/login"'))) return true;
  const d = data && typeof data === 'object' ? (data as Record<string, unknown>) : null;
  if (res.status === 403 && d?.error !== 'csrf') return true;
  return typeof d?.redirect === 'string';
}

export async function api<T>(path: string, body?: unknown): Promise<T> {
  const method = body === undefined ? 'GET' : 'POST';
  for (let attempt = 0; ; attempt++) {
    const retryable = method === 'GET' && attempt < 3;
    let res: Response;
    let text: string;
    try {
      res = await fetch(path, {
        method,
        credentials: 'same-origin',
        headers: {
          Accept: 'application/json',
          'X-CSRF-Token': csrf,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      text = await res.text();
    } catch {
      if (retryable) {
        await sleep(300 * (attempt + 1));
        continue;
      }
      throw new ApiError(0, 'network');
    }
    if (res.status === 429 && attempt < 5) {
      await sleep(Math.max(1, Number(res.headers.get('Retry-After')) || 1) * 1000);
      continue;
    }
    if (res.status >= 500 && retryable) {
      await sleep(300 * (attempt + 1));
      continue;
    }
    let data: unknown;
    let parsed = true;
    try {
      data = JSON.parse(text);
    } catch {
      parsed = false;
    }
    if (signedOut(res, text, data)) {
      location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
      throw new ApiError(401, 'unauthenticated');
    }
    if (!parsed) {
      if (retryable) continue;
      throw new ApiError(res.status, 'malformed');
    }
    if (!res.ok) {
      const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
      throw new ApiError(res.status, typeof d.error === 'string' ? d.error : `http_${res.status}`, d);
    }
    markup = decodeMarkup(res.headers.get(MARKUP_HEADER));
    return data as T;
  }
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'not_pending') return `This invite is already ${String(err.detail.status ?? 'closed')}.`;
    if (err.code === 'no_seats')
      return `Not enough licences: ${String(err.detail.available ?? 0)} left in your pool.`;
    if (err.code === 'network') return 'The portal could not be reached. Please try again.';
    if (err.code === 'csrf') return 'Your session token has expired. Please reload the page.';
    if (err.code === 'not_found') return 'That item no longer exists.';
  }
  return 'Something went wrong. Please try again.';
}
