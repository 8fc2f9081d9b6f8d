/** Typed request to the background, for content scripts, popup and options. */
import browser from 'webextension-polyfill';
import type { Reply, Request, RequestType } from './messages';

export async function send<T extends RequestType>(request: Extract<Request, { type: T }>): Promise<Reply<T>> {
  try {
    const reply = (await browser.runtime.sendMessage(request)) as Reply<T> | undefined;
    if (!reply || typeof reply !== 'object' || !('ok' in reply)) {
      return { ok: false, error: { kind: 'internal', message: 'Reclaim’s background did not answer.' } };
    }
    return reply;
  } catch (err) {
    return {
      ok: false,
      error: { kind: 'internal', message: `Reclaim’s background could not be reached: ${String(err)}` },
    };
  }
}
