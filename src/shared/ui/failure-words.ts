/**
 * A failed item's reason in a manager's words: "Couldn't cancel: the portal had an error
 * (tried 5 times)" for the engine's "Gave up after 5 tries: The portal had an error (HTTP 500)."
 * The engine's own wording stays in the audit log, where the HTTP status is worth having.
 *
 * The engine writes its details in the browser's language (the catalogues' engine* and error*
 * messages), so a detail is recognised by those messages' shapes in the language in use, their
 * substitutions as wildcards: the same code reads English and French. Details written in English
 * before the catalogues existed (failed items are kept in the database) are today's English
 * messages, read as ever in English; in another language they are shown as written, in English.
 * Kept small: the in-page controls carry it (test/e2e/content-size.test.ts).
 */
import { type MessageKey, t, tn } from '../i18n';

/** Substitution markers ($1, $2: no message read here has more), characters no text contains. */
const SLOTS = ['\ue000', '\ue001'];
const SLOT = /[\ue000\ue001]/g;

/** The parts of `text` that fill the substitutions of the first of `keys`' messages it is, or null. */
function parts(keys: readonly MessageKey[], text: string): string[] | null {
  for (const key of keys) {
    const shape = t(key, ...SLOTS)
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(SLOT, '([\\s\\S]*?)');
    const m = new RegExp(`^${shape}$`).exec(text);
    if (m) return m.slice(1);
  }
  return null;
}

/**
 * Each cause in a manager's words (fail*), and the portal errors (src/portal/api/errors.ts,
 * exchange.ts, client.ts) it stands for; the first that fits wins.
 */
const CAUSES: readonly [MessageKey, ...MessageKey[]][] = [
  ['failServer', 'errorServer'],
  ['failUnreachable', 'errorUnreachable'],
  ['failTimeout', 'errorTimeout', 'errorAnswerLate', 'errorCutOff'],
  ['failSlowDown', 'errorSlowDown'],
  ['failNonsense', 'errorUnexpected', 'errorRedirect'],
  ['failSecurity', 'errorCsrf'],
  ['failRefused', 'errorRefused', 'errorRefusedHttp', 'errorRefusedHttpCode'],
  ['failSignedOut', 'errorSignedOut'],
];
const GAVE_UP: MessageKey[] = ['engineGaveUp_other', 'engineGaveUp_one'];

/** What a manager may have been doing, and the words for it failing ("Couldn't cancel: $1"). */
const ACTION_WORDS = {
  cancel: 'failCancel',
  invite: 'failInvite',
  start: 'failStart',
  refresh: 'failRefresh',
  undo: 'failUndo',
  pause: 'failPause',
  resume: 'failResume',
  stop: 'failStop',
  retry: 'failRetry',
  plan: 'failPlan',
  export: 'failExport',
} as const satisfies Record<string, MessageKey>;
export type FailedAction = keyof typeof ACTION_WORDS;

function cause(text: string): string {
  for (const [words, ...shapes] of CAUSES) if (parts(shapes, text)) return t(words);
  const said = text.trim().replace(/\.$/, '');
  return said ? said.charAt(0).toLowerCase() + said.slice(1) : t('failNoReason');
}

/**
 * `detail`: a failed item's error as the engine wrote it (src/background/jobs/policy.ts), or a
 * portal error's message. `action`: what could not be done.
 */
export function failureWords(detail: string, action: FailedAction = 'cancel'): string {
  const tried = parts(GAVE_UP, detail);
  const lost = tried ? null : parts(['engineLostUnread'], detail);
  const why = tried
    ? // The count was written as the reader writes numbers ("5", "1 000"): its digits are the number.
      tn('failTried', Number(tried[0]?.replace(/\D/g, '')), cause(tried[1] ?? ''))
    : lost
      ? t('failLost', cause(lost[0] ?? ''))
      : cause(detail);
  return t(ACTION_WORDS[action], why);
}
