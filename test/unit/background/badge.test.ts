import { describe, expect, it } from 'vitest';
import { type Attention, badgeColor, badgeText, badgeTitle } from '../../../src/background/badge';
import type { JobView } from '../../../src/shared/types';

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
});
