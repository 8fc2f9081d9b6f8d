import { afterEach, describe, expect, it } from 'vitest';
import { type Attention, badgeColor, badgeText, badgeTitle } from '../../../src/background/badge';
import type { JobView } from '../../../src/shared/types';
import { installI18n } from '../../i18n';

const view = (state: JobView['job']['state'], done: number, total: number): JobView =>
  ({
    job: { state },
    counts: { total, queued: total - done, inFlight: 0 },
  }) as unknown as JobView;

const calm = (pending: number): Attention => ({ pending, expiring: 0, withinDays: 3, signedOut: [] });
const URGENT = '#b42318';
const CALM = '#2f5bd3';

describe('badge', () => {
  it('shows a running job as a percentage, sign-in trouble as "!", else the pending count', () => {
    expect(badgeText(view('running', 37, 100), calm(12))).toBe('37%');
    expect(badgeText(view('signed-out', 37, 100), calm(12))).toBe('!');
    expect(badgeText(view('done', 100, 100), calm(12))).toBe('12');
    expect(badgeText(null, calm(0))).toBe('');
    expect(badgeText(null, calm(12345))).toBe('999+');
    expect(badgeColor(null, calm(12))).toBe(CALM);
    expect(badgeColor(view('signed-out', 37, 100), calm(12))).toBe(URGENT);
  });

  it('shows the invites expiring within the window first, in the urgent colour, and says so', () => {
    const a: Attention = { pending: 12, expiring: 4, withinDays: 3, signedOut: [] };
    expect(badgeText(null, a)).toBe('4');
    expect(badgeColor(null, a)).toBe(URGENT);
    expect(badgeTitle(null, a)).toBe(
      "Reclaim: 4 pending invites expire within 3 days (the badge's red count). 12 pending invites",
    );
    // A job on the move still comes first.
    expect(badgeText(view('running', 50, 100), a)).toBe('50%');
    expect(badgeColor(view('running', 50, 100), a)).toBe(CALM);
  });

  it('says in its title that the manager is signed out and what to do, and otherwise what it shows', () => {
    expect(badgeTitle(view('signed-out', 37, 100), calm(12))).toMatch(
      /signed out of the portal.*Sign in again/,
    );
    expect(badgeTitle(view('running', 37, 100), calm(12))).toBe('Reclaim: revoking, 37% done');
    expect(badgeTitle(view('done', 100, 100), calm(1))).toBe('Reclaim: 1 pending invite');
    expect(badgeTitle(null, calm(0))).toBe('Reclaim');
  });

  it('names a portal the expiry watch found signed out', () => {
    const a: Attention = { pending: 2, expiring: 0, withinDays: 3, signedOut: ['learn.example.test'] };
    expect(badgeTitle(null, a)).toBe(
      'Reclaim: 2 pending invites. Signed out of learn.example.test: not checking for expiring invites until you sign in again',
    );
  });

  describe('in French', () => {
    afterEach(() => installI18n('en'));

    it('says the same in its title, singular at 1, plural from 2', () => {
      installI18n('fr');
      const a: Attention = { pending: 12, expiring: 4, withinDays: 3, signedOut: [] };
      expect(badgeTitle(null, a)).toBe(
        'Reclaim\u00a0: 4 invitations en attente expirent d’ici 3 jours (le nombre en rouge du badge). 12 invitations en attente',
      );
      expect(badgeTitle(null, { pending: 1, expiring: 1, withinDays: 1, signedOut: [] })).toBe(
        'Reclaim\u00a0: 1 invitation en attente expire d’ici 1 jour (le nombre en rouge du badge). 1 invitation en attente',
      );
      expect(badgeTitle(view('done', 100, 100), calm(0))).toBe('Reclaim');
      expect(badgeTitle(view('running', 37, 100), calm(12))).toBe(
        'Reclaim\u00a0: révocation, 37\u00a0% effectués',
      );
      expect(badgeTitle(view('signed-out', 37, 100), calm(12))).toBe(
        'Reclaim\u00a0: déconnecté du portail. Reconnectez-vous et la révocation reprendra d’elle-même.',
      );
      expect(badgeTitle(null, { ...calm(2), signedOut: ['learn.example.test'] })).toMatch(
        /^Reclaim\u00a0: 2 invitations en attente\. Déconnecté de learn\.example\.test\u00a0: /,
      );
    });
  });
});
