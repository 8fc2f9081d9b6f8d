/** Typed requests to the background, for content scripts, popup and options. */
import browser from 'webextension-polyfill';
import { t } from './i18n';
import type { Reply, Request, RequestType } from './messages';

/** Sends one request and resolves with its reply; injectable, so views run in tests without an extension. */
export type Send = <T extends RequestType>(request: Extract<Request, { type: T }>) => Promise<Reply<T>>;

export const send: Send = async (request) => {
  try {
    const reply = (await browser.runtime.sendMessage(request)) as Reply<typeof request.type> | undefined;
    if (!reply || typeof reply !== 'object' || !('ok' in reply)) {
      return { ok: false, error: { kind: 'internal', message: t('sendNoAnswer') } };
    }
    return reply;
  } catch (err) {
    return {
      ok: false,
      error: { kind: 'internal', message: t('sendUnreachable', String(err)) },
    };
  }
};
