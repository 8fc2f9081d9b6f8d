/**
 * A failed item's reason in a manager's words: "Couldn't cancel: the portal had an error
 * (tried 5 times)" for the engine's "Gave up after 5 tries: The portal had an error (HTTP 500)."
 * The engine's own wording stays in the audit log, where the HTTP status is worth having.
 */

/** What went wrong, from the portal error's message (src/portal/api/errors.ts, exchange.ts, client.ts). */
const CAUSES: readonly [RegExp, string][] = [
  [/had an error/i, 'the portal had an error'],
  [/could not reach the portal/i, 'the portal could not be reached'],
  [/did not answer|did not arrive|was cut off/i, 'the portal did not answer in time'],
  [/slow down/i, 'the portal kept asking Reclaim to slow down'],
  [/not what Reclaim expects|redirect instead of data/i, 'the portal’s answer made no sense'],
  [/security token or origin/i, 'the portal refused it (security check)'],
  [/refused/i, 'the portal refused it'],
  [/signed out/i, 'you were signed out of the portal'],
];

function cause(text: string): string {
  for (const [re, words] of CAUSES) if (re.test(text)) return words;
  const t = text.trim().replace(/\.$/, '');
  return t ? t.charAt(0).toLowerCase() + t.slice(1) : 'no reason was given';
}

/** `detail`: a failed item's error as the engine wrote it (src/background/jobs/policy.ts). */
export function failureWords(detail: string, action = 'cancel'): string {
  const gaveUp = /^Gave up after (\d+) tries: (.*)$/s.exec(detail);
  if (gaveUp) return `Couldn't ${action}: ${cause(gaveUp[2] ?? '')} (tried ${gaveUp[1]} times)`;
  const lost = /^The answer was lost and the invite's state could not be read: (.*)$/s.exec(detail);
  if (lost) return `Couldn't ${action}: no answer came back, and then ${cause(lost[1] ?? '')}`;
  return `Couldn't ${action}: ${cause(detail)}`;
}
