/** The real dependencies, for the content-script entries only (unit tests inject fakes). */
import browser from 'webextension-polyfill';
import type { EVENTS_PORT } from '../../shared/messages';
import { send } from '../../shared/send';
import { type ContentDeps, isTrustedEvent } from './deps';
import { createGate } from './gate';

// The port's name, checked against messages.ts by the compiler: importing the value would pull
// the message schemas (valibot) into every portal page.
const EVENTS: typeof EVENTS_PORT = 'reclaim-events';

export function extensionDeps(): ContentDeps {
  return {
    send,
    connect: () => browser.runtime.connect({ name: EVENTS }),
    isTrusted: isTrustedEvent,
    gate: createGate(),
    reload: () => location.reload(),
  };
}
