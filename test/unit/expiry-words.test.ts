/**
 * The expiry watch's words (shared/ui/expiry-words.ts): its notification's title and message and
 * the badge's title for expiring invites, in English and in French, counted right at 1 and 2+.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { INVITE_LIFETIME_MS } from '../../src/shared/expiry';
import { expiringTitle, noticeWords, signedOutWatchWords } from '../../src/shared/ui/expiry-words';
import { installI18n } from '../i18n';

afterEach(() => installI18n('en'));

const NOW = Date.parse('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
/** An invite sent so that it expires `hours` after NOW (negative: it has expired). */
const sentExpiringIn = (hours: number) => new Date(NOW - INVITE_LIFETIME_MS + hours * HOUR).toISOString();

const notice = (counts: number[], hours = 5) => ({
  invites: Array.from({ length: counts.reduce((a, b) => a + b, 0) }, (_, i) => i),
  courses: counts.map((count, i) => ({ title: `Course ${String.fromCharCode(65 + i)}`, count })),
  soonest: { sentAt: sentExpiringIn(hours) },
});

describe('the expiry notification, in English', () => {
  it('counts the invites and the days, names the courses as a list, and gives the soonest', () => {
    expect(noticeWords(notice([2, 1]), 3, NOW)).toEqual({
      title: '3 invites expire within 3 days',
      message: 'In Course A (2) and Course B (1). The soonest expires in 5 hours.',
    });
    expect(noticeWords(notice([1]), 1, NOW).title).toBe('1 invite expires within 1 day');
    expect(noticeWords(notice([1, 1, 1, 1, 1]), 3, NOW).message).toBe(
      'In Course A (1), Course B (1), Course C (1), and 2 more courses. The soonest expires in 5 hours.',
    );
    expect(noticeWords(notice([1], -1), 3, NOW).message).toBe('In Course A (1). The soonest has expired.');
  });

  it('gives the badge its title', () => {
    expect(expiringTitle(4, 3)).toBe('4 pending invites expire within 3 days');
    expect(expiringTitle(1, 1)).toBe('1 pending invite expires within 1 day');
    expect(signedOutWatchWords('learn.example.test')).toBe(
      'Signed out of learn.example.test: not checking for expiring invites until you sign in again',
    );
  });
});

describe('the expiry notification, in French', () => {
  it('says the same in French, singular at 1, plural from 2', () => {
    installI18n('fr');
    expect(noticeWords(notice([2, 1]), 3, NOW)).toEqual({
      title: '3 invitations expirent d’ici 3 jours',
      message: 'Dans Course A (2) et Course B (1). La plus proche expire dans 5 heures.',
    });
    expect(noticeWords(notice([1]), 1, NOW)).toEqual({
      title: '1 invitation expire d’ici 1 jour',
      message: 'Dans Course A (1). La plus proche expire dans 5 heures.',
    });
    expect(noticeWords(notice([1, 1, 1, 1]), 2, NOW).message).toBe(
      'Dans Course A (1), Course B (1), Course C (1) et 1 autre cours. La plus proche expire dans 5 heures.',
    );
    expect(noticeWords(notice([1, 1, 1, 1, 1]), 2, NOW).message).toMatch(/ et 2 autres cours\./);
    expect(noticeWords(notice([1], -1), 3, NOW).message).toBe('Dans Course A (1). La plus proche a expiré.');
  });

  it('gives the badge its title in French', () => {
    installI18n('fr');
    expect(expiringTitle(4, 3)).toBe('4 invitations en attente expirent d’ici 3 jours');
    expect(expiringTitle(1, 1)).toBe('1 invitation en attente expire d’ici 1 jour');
    expect(signedOutWatchWords('learn.example.test')).toBe(
      'Déconnecté de learn.example.test\u00a0: les invitations qui expirent ne sont plus vérifiées tant que vous ne vous reconnectez pas',
    );
  });
});
