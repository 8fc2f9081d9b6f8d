import { afterEach, describe, expect, it } from 'vitest';
import { type DecideContext, decide } from '../../src/background/jobs/policy';
import { errorFor } from '../../src/portal/api/errors';
import { t } from '../../src/shared/i18n';
import type { JobItem, PortalError } from '../../src/shared/types';
import { failureWords } from '../../src/shared/ui/failure-words';
import { installI18n } from '../i18n';

describe('a failed item’s reason in a manager’s words', () => {
  it('says what went wrong and how often it was tried, without HTTP codes', () => {
    expect(failureWords('Gave up after 5 tries: The portal had an error (HTTP 500).')).toBe(
      "Couldn't cancel: the portal had an error (tried 5 times)",
    );
    expect(
      failureWords(
        'Gave up after 5 tries: Could not reach the portal (POST /api/invites/i-1/cancel): TypeError: Failed to fetch',
      ),
    ).toBe("Couldn't cancel: the portal could not be reached (tried 5 times)");
    expect(
      failureWords(
        "The answer was lost and the invite's state could not be read: The portal did not answer GET /api/learners/l-1/invites within 30 s.",
      ),
    ).toBe("Couldn't cancel: no answer came back, and then the portal did not answer in time");
    expect(failureWords('The portal refused the request (security token or origin check failed).')).toBe(
      "Couldn't cancel: the portal refused it (security check)",
    );
  });

  it('keeps any other reason, as a sentence’s end', () => {
    expect(failureWords('Rate limited too long.')).toBe("Couldn't cancel: rate limited too long");
    expect(failureWords('')).toBe("Couldn't cancel: no reason was given");
  });

  it('names what could not be done', () => {
    expect(failureWords('The portal had an error (HTTP 502).', 'refresh')).toBe(
      "Couldn't refresh: the portal had an error",
    );
    expect(failureWords('The portal had an error (HTTP 502).', 'plan')).toBe(
      "Couldn't make the plan: the portal had an error",
    );
  });
});

/** The detail the engine writes when it gives up on an item after `tries` tries that lost their answer. */
function gaveUpDetail(tries: number, lastError: string): string {
  const item = { tries, error: lastError } as JobItem;
  const ctx: DecideContext = {
    step: 'settle',
    item,
    settleFails: 0,
    mode: 'run',
    now: 0,
    maxTries: tries,
    backoffBaseMs: 100,
    random: 0,
  };
  const d = decide('not-applied', ctx);
  if (d.next !== 'final' || !d.detail) throw new Error(`expected a failure, got ${JSON.stringify(d)}`);
  return d.detail;
}

/** The detail the engine writes when its last re-read after a lost answer fails with `error`. */
function lostDetail(error: PortalError): string {
  const ctx: DecideContext = {
    step: 'settle',
    item: { tries: 1, error: null } as JobItem,
    settleFails: 4,
    mode: 'run',
    now: 0,
    maxTries: 5,
    backoffBaseMs: 100,
    random: 0,
  };
  const d = decide({ failure: error }, ctx);
  if (d.next !== 'final' || !d.detail) throw new Error(`expected a failure, got ${JSON.stringify(d)}`);
  return d.detail;
}

describe('the same words in French', () => {
  afterEach(() => installI18n('en'));

  it('reads the engine’s French details, with the tries counted in French', () => {
    installI18n('fr');
    const server = errorFor(503, null, undefined, null).message;
    expect(server).toBe('Le portail a rencontré une erreur (HTTP 503).');
    const five = gaveUpDetail(5, server);
    expect(five).toBe('Abandon après 5 essais\u00a0: Le portail a rencontré une erreur (HTTP 503).');
    expect(failureWords(five)).toBe(
      'Impossible d’annuler l’invitation\u00a0: le portail a rencontré une erreur (5 essais)',
    );
    const one = gaveUpDetail(1, server);
    expect(one).toBe('Abandon après 1 essai\u00a0: Le portail a rencontré une erreur (HTTP 503).');
    expect(failureWords(one, 'invite')).toBe(
      'Impossible d’inviter\u00a0: le portail a rencontré une erreur (1 essai)',
    );
  });

  it('counts one try in English too', () => {
    const detail = gaveUpDetail(1, 'The portal had an error (HTTP 500).');
    expect(detail).toBe('Gave up after 1 try: The portal had an error (HTTP 500).');
    expect(failureWords(detail)).toBe("Couldn't cancel: the portal had an error (tried 1 time)");
  });

  it('says a lost answer that could not be re-read, and each kind of portal trouble', () => {
    installI18n('fr');
    const timeout: PortalError = { kind: 'timeout', message: t('errorTimeout', 'GET /api/session', 10) };
    expect(failureWords(lostDetail(timeout))).toBe(
      'Impossible d’annuler l’invitation\u00a0: aucune réponse n’est revenue, puis le portail n’a pas répondu à temps',
    );
    expect(failureWords(errorFor(429, null, undefined, 2000).message, 'refresh')).toBe(
      'Impossible d’actualiser\u00a0: le portail demandait sans cesse à Reclaim de ralentir',
    );
    expect(failureWords(errorFor(403, 'csrf', undefined, null).message, 'start')).toBe(
      'Impossible de démarrer\u00a0: le portail l’a refusée (contrôle de sécurité)',
    );
  });

  it('shows details stored in English before the catalogues as written', () => {
    installI18n('fr');
    expect(failureWords('Gave up after 5 tries: The portal had an error (HTTP 500).')).toBe(
      'Impossible d’annuler l’invitation\u00a0: gave up after 5 tries: The portal had an error (HTTP 500)',
    );
  });

  it('keeps any other reason, and says when none was given', () => {
    installI18n('fr');
    expect(failureWords('Le portail ne connaît pas cette invitation.')).toBe(
      'Impossible d’annuler l’invitation\u00a0: le portail ne connaît pas cette invitation',
    );
    expect(failureWords('', 'undo')).toBe('Impossible d’annuler\u00a0: aucune raison n’a été donnée');
  });
});
