/**
 * A failed item's reason in a manager's words: "Couldn't cancel: the portal had an error
 * (tried 5 times)" for the engine's "Gave up after 5 tries: The portal had an error (HTTP 500)."
 * The engine's own wording stays in the audit log, where the HTTP status is worth having.
 *
 * The engine writes its details in the browser's language (the catalogues' engine* and error*
 * messages), so they are recognised by those messages' shapes in the language in use, their
 * substitutions as wildcards: the same code reads English and French. Details written in
 * English before the catalogues existed (items and audit entries kept in the database) are
 * still recognised by their old English shapes, whatever the language now.
 */
import { type MessageKey, t, tn } from '../i18n';

/** What went wrong, in a manager's words. */
type Cause =
  | 'failServer'
  | 'failUnreachable'
  | 'failTimeout'
  | 'failSlowDown'
  | 'failNonsense'
  | 'failSecurity'
  | 'failRefused'
  | 'failSignedOut';

/** The portal errors (src/portal/api/errors.ts, exchange.ts, client.ts) each cause stands for. */
const CAUSES: readonly [MessageKey, Cause][] = [
  ['errorServer', 'failServer'],
  ['errorUnreachable', 'failUnreachable'],
  ['errorTimeout', 'failTimeout'],
  ['errorAnswerLate', 'failTimeout'],
  ['errorCutOff', 'failTimeout'],
  ['errorSlowDown', 'failSlowDown'],
  ['errorUnexpected', 'failNonsense'],
  ['errorRedirect', 'failNonsense'],
  ['errorWebPage', 'failNonsense'],
  ['errorNotJson', 'failNonsense'],
  ['errorCsrf', 'failSecurity'],
  ['errorRefused', 'failRefused'],
  ['errorRefusedHttp', 'failRefused'],
  ['errorRefusedHttpCode', 'failRefused'],
  ['errorInvalidEmail', 'failRefused'],
  ['errorSignedOut', 'failSignedOut'],
];

/** The same causes in the English details written before the catalogues, first match wins. */
const OLD_ENGLISH: readonly [RegExp, Cause][] = [
  [/had an error/i, 'failServer'],
  [/could not reach the portal/i, 'failUnreachable'],
  [/did not answer|did not arrive|was cut off/i, 'failTimeout'],
  [/slow down/i, 'failSlowDown'],
  [/not what Reclaim expects|redirect instead of data/i, 'failNonsense'],
  [/security token or origin/i, 'failSecurity'],
  [/refused/i, 'failRefused'],
  [/signed out/i, 'failSignedOut'],
];
const OLD_GAVE_UP = /^Gave up after (\d+) tries: (.*)$/s;
const OLD_LOST = /^The answer was lost and the invite's state could not be read: (.*)$/s;

/** What each thing a manager may have been doing is called, as the popup and pages name it. */
const ACTIONS: Readonly<Record<string, MessageKey>> = {
  cancel: 'failCancel',
  invite: 'failInvite',
  start: 'failStart',
  refresh: 'failRefresh',
  undo: 'failUndo',
  pause: 'failPause',
  resume: 'failResume',
  stop: 'failStop',
  retry: 'failRetry',
  'make the plan': 'failPlan',
  'export the audit log': 'failExport',
};

/** Substitution markers: characters no message or detail contains. */
const SLOTS = Array.from({ length: 9 }, (_, i) => String.fromCharCode(0xe000 + i));
const SLOT = new RegExp(`[${SLOTS.join('')}]`, 'g');

/**
 * The parts of `text` that fill `key`'s substitutions, in order, if `text` is that message in
 * the language in use; else null.
 */
function parts(key: MessageKey, text: string): string[] | null {
  const shape = t(key, ...SLOTS)
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(SLOT, '([\\s\\S]*?)');
  const m = new RegExp(`^${shape}$`).exec(text);
  return m ? m.slice(1) : null;
}

function cause(text: string): string {
  for (const [key, words] of CAUSES) if (parts(key, text)) return t(words);
  for (const [re, words] of OLD_ENGLISH) if (re.test(text)) return t(words);
  const said = text.trim().replace(/\.$/, '');
  return said ? said.charAt(0).toLowerCase() + said.slice(1) : t('failNoReason');
}

/** `gaveUp`: the tries and the last error of an item the engine gave up on, or null. */
function gaveUp(detail: string): [number, string] | null {
  const m =
    parts('engineGaveUp_other', detail) ??
    parts('engineGaveUp_one', detail) ??
    OLD_GAVE_UP.exec(detail)?.slice(1);
  // The count was written as the reader writes numbers ("5", "1 000"): its digits are the number.
  return m ? [Number((m[0] ?? '').replace(/\D/g, '')), m[1] ?? ''] : null;
}

/** Why the engine could not read an invite's state after its answer was lost, or null. */
function lostThen(detail: string): string | null {
  return (parts('engineLostUnread', detail) ?? OLD_LOST.exec(detail)?.slice(1))?.[0] ?? null;
}

/**
 * `detail`: a failed item's error as the engine wrote it (src/background/jobs/policy.ts), or a
 * portal error's message. `action`: what could not be done, one of ACTIONS' names ("cancel",
 * "refresh", ...); another is put in the words as given.
 */
export function failureWords(detail: string, action = 'cancel'): string {
  const tried = gaveUp(detail);
  const lost = tried ? null : lostThen(detail);
  const why = tried
    ? tn('failTried', tried[0], cause(tried[1]))
    : lost !== null
      ? t('failLost', cause(lost))
      : cause(detail);
  const key = ACTIONS[action];
  return key ? t(key, why) : t('failOther', action, why);
}
