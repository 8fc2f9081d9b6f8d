/**
 * The portal client's errors and the job engine's words in French: the same answers as in
 * English, in the catalogue's words, counts in French plural forms.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resolveInviteWork } from '../../../src/background/jobs/invite-work';
import type { PortalClient } from '../../../src/portal/api/client';
import { PortalClock } from '../../../src/portal/api/clock';
import { errorFor, signedOutError } from '../../../src/portal/api/errors';
import { exchange } from '../../../src/portal/api/exchange';
import { installI18n, type Language } from '../../i18n';

afterEach(() => installI18n('en'));

describe('the portal client’s errors in French', () => {
  it('words each HTTP answer in French, with its status and wait', () => {
    installI18n('fr');
    expect(errorFor(409, 'not_pending', 'accepted', null).message).toBe('L’invitation est déjà acceptée.');
    expect(errorFor(409, 'not_pending', 'expired', null).message).toBe('L’invitation est déjà expirée.');
    expect(errorFor(429, null, undefined, 2500).message).toBe(
      'Le portail a demandé à Reclaim de ralentir (nouvel essai dans 3 s).',
    );
    expect(errorFor(418, 'teapot', undefined, null).message).toBe(
      'Le portail a refusé la requête (HTTP 418\u00a0: teapot).',
    );
    expect(signedOutError(401).message).toBe('Vous êtes déconnecté du portail. Reconnectez-vous.');
  });

  it('says a portal it cannot reach in French', async () => {
    installI18n('fr');
    const r = await exchange(
      {
        origin: 'https://learn.example.test',
        fetch: () => Promise.reject(new TypeError('Failed to fetch')),
        now: () => 0,
        timeoutMs: 10_000,
        pacer: null,
        clock: new PortalClock(),
      },
      'GET',
      '/api/session',
      null,
      undefined,
    );
    expect(r).toEqual({
      ok: false,
      error: {
        kind: 'network-error',
        message: 'Impossible de joindre le portail (GET /api/session)\u00a0: TypeError: Failed to fetch',
      },
    });
  });
});

describe('the job engine’s refusals, counted', () => {
  /** A portal whose one course has no invite at all. */
  const emptyCourse = {
    courses: async () => ({
      ok: true,
      value: [{ id: 'c-1', title: 'Fire Safety', seats: { total: 5, assigned: 0, available: 5 } }],
    }),
    courseInvites: async () => ({ ok: true, value: [] }),
    portalNow: () => Date.parse('2026-12-01T10:00:00Z'),
  } as unknown as PortalClient;
  const renewWithin = (withinDays: number) =>
    resolveInviteWork(emptyCourse, { kind: 'renew-expiring', courseId: 'c-1', withinDays }, null, 0);

  const said: [Language, number, string][] = [
    ['fr', 1, 'Aucune invitation en attente de ce cours n’expire dans 1 jour.'],
    ['fr', 3, 'Aucune invitation en attente de ce cours n’expire dans les 3 jours.'],
    ['en', 1, 'No pending invite of this course expires within 1 day.'],
    ['en', 7, 'No pending invite of this course expires within 7 days.'],
  ];
  it.each(said)('says no invite expires soon enough (%s, %i days)', async (lang, days, refused) => {
    installI18n(lang);
    expect(await renewWithin(days)).toEqual({ ok: false, refused });
  });
});
