/**
 * A failed item's reason in a manager's words: "Couldn't cancel: the portal had an error
 * (tried 5 times)" for the engine's "Gave up after 5 tries: The portal had an error (HTTP 500)."
 * The engine's own wording stays in the audit log, where the HTTP status is worth having.
 *
 * The engine writes its details in the browser's language (the catalogues' engine* and error*
 * messages), so a detail is recognised by those messages' shapes in the language in use, their
 * substitutions as wildcards: the same code reads English and French. Details written in English
 * before the catalogues existed (failed items are kept in the database) keep their old English
 * shapes: in English they are today's messages; in another language the tries and a lost answer
 * are still read from them (the regular expressions below) and the cause stays as written, in
 * English. Kept small: the in-page controls carry it.
 */
import { type MessageKey, t, tn } from '../i18n';

/** A message of the catalogues, or an old English detail's shape; either gives its parts. */
type Shape = MessageKey | RegExp;

/** Substitution markers ($1, $2: no message read here has more), characters no text contains. */
const SLOTS = ['\ue000', '\ue001'];
const SLOT = /[\ue000\ue001]/g;

/** The parts of `text` that fill the substitutions of the first of `shapes` it has, or null. */
function parts(shapes: readonly Shape[], text: string): string[] | null {
  for (const shape of shapes) {
    const re =
      typeof shape === 'string'
        ? new RegExp(
            `^${t(shape, ...SLOTS)
              .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
              .replace(SLOT, '([\\s\\S]*?)')}$`,
          )
        : shape;
    const m = re.exec(text);
    if (m) return m.slice(1);
  }
  return null;
}

/**
 * Each cause in a manager's words (fail*), and the portal errors (src/portal/api/errors.ts,
 * exchange.ts, client.ts) it stands for; the first that fits wins.
 */
const CAUSES: readonly [MessageKey, ...Shape[]][] = [
  ['failServer', 'errorServer'],
  ['failUnreachable', 'errorUnreachable'],
  ['failTimeout', 'errorTimeout', 'errorAnswerLate', 'errorCutOff'],
  ['failSlowDown', 'errorSlowDown'],
  ['failNonsense', 'errorUnexpected', 'errorRedirect'],
  ['failSecurity', 'errorCsrf'],
  ['failRefused', 'errorRefused', 'errorRefusedHttp', 'errorRefusedHttpCode'],
  ['failSignedOut', 'errorSignedOut'],
];
const GAVE_UP: Shape[] = ['engineGaveUp_other', 'engineGaveUp_one', /^Gave up after (\d+) tries: (.*)$/s];
const LOST: Shape[] = [
  'engineLostUnread',
  /^The answer was lost and the invite's state could not be read: (.*)$/s,
];

/** What a manager may have been doing, by its first word: "cancel" is failCancel, "make the plan" failMake. */
const ACTIONS = [
  'cancel',
  'invite',
  'start',
  'refresh',
  'undo',
  'pause',
  'resume',
  'stop',
  'retry',
  'make',
  'export',
];

function cause(text: string): string {
  for (const [words, ...shapes] of CAUSES) if (parts(shapes, text)) return t(words);
  const said = text.trim().replace(/\.$/, '');
  return said ? said.charAt(0).toLowerCase() + said.slice(1) : t('failNoReason');
}

/**
 * `detail`: a failed item's error as the engine wrote it (src/background/jobs/policy.ts), or a
 * portal error's message. `action`: what could not be done ("cancel", "refresh", "make the
 * plan", ...: ACTIONS); another is put in the words as given.
 */
export function failureWords(detail: string, action = 'cancel'): string {
  const tried = parts(GAVE_UP, detail);
  const lost = tried ? null : parts(LOST, detail);
  const why = tried
    ? // The count was written as the reader writes numbers ("5", "1 000"): its digits are the number.
      tn('failTried', Number(tried[0]?.replace(/\D/g, '')), cause(tried[1] ?? ''))
    : lost
      ? t('failLost', cause(lost[0] ?? ''))
      : cause(detail);
  const verb = action.split(' ')[0] ?? '';
  return ACTIONS.includes(verb)
    ? t(`fail${verb.charAt(0).toUpperCase()}${verb.slice(1)}` as MessageKey, why)
    : t('failOther', action, why);
}
