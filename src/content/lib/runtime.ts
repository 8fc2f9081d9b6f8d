/** The real dependencies, for the content-script entries only (unit tests inject fakes). */
import browser from 'webextension-polyfill';
import { EVENTS_PORT } from '../../shared/messages';
import { send } from '../../shared/send';
import { type ContentDeps, isTrustedEvent } from './deps';

export function extensionDeps(): ContentDeps {
  return {
    send,
    connect: () => browser.runtime.connect({ name: EVENTS_PORT }),
    isTrusted: isTrustedEvent,
    reload: () => location.reload(),
  };
}
