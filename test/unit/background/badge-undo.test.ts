/**
 * The toolbar badge in a job's Undo window: "⟲N", counted down by the second on the background's
 * clock, so a manager who closed the popup sees the window and knows where to undo it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBadge } from '../../../src/background/badge';
import { undoBadge } from '../../../src/background/badge-undo';
import type { ReclaimDb } from '../../../src/shared/db';
import type { JobView } from '../../../src/shared/types';
import { installI18n } from '../../i18n';

const T0 = Date.parse('2026-11-20T12:00:00Z');

function view(state: JobView['job']['state'], startAt: number, total = 76): JobView {
  return {
    job: {
      id: 3,
      origin: 'http://127.0.0.1:4310',
      scope: { kind: 'courses', courseIds: ['c-1', 'c-2', 'c-3', 'c-4'] },
      state,
      surface: 'popup',
      createdAt: T0,
      startAt,
      finishedAt: null,
      concurrency: 6,
      message: null,
    },
    counts: {
      total,
      queued: total,
      inFlight: 0,
      revoked: 0,
      alreadyGone: 0,
      keptAccepted: 0,
      skipped: 0,
      failed: 0,
      invited: 0,
      alreadyInvited: 0,
      notInvited: 0,
    },
    seatsReturnedByCourse: [],
    failures: [],
  };
}

afterEach(() => {
  vi.useRealTimers();
  installI18n('en');
});

describe('the badge in an Undo window', () => {
  it('says what starts, in how many seconds, and where to undo it', () => {
    expect(undoBadge(view('waiting', T0 + 4000), T0)).toEqual({
      text: '⟲4',
      title: 'Revoking 76 pending invites in 4 s — open Reclaim to undo',
      nextChangeMs: 1000,
    });
    expect(undoBadge(view('waiting', T0 + 4000), T0 + 250)?.text).toBe('⟲4');
    expect(undoBadge(view('waiting', T0 + 4000), T0 + 250)?.nextChangeMs).toBe(750);
    expect(undoBadge(view('waiting', T0 + 4000), T0 + 3999)?.text).toBe('⟲1');
    const renew = view('waiting', T0 + 2000, 1);
    renew.job.reason = 'renew';
    expect(undoBadge(renew, T0)?.title).toBe('Renewing 1 invite in 2 s — open Reclaim to undo');
    // Out of the window: the usual badge.
    expect(undoBadge(view('waiting', T0), T0)).toBeNull();
    expect(undoBadge(view('running', T0 + 4000), T0)).toBeNull();
  });

  it('says it in French, counted right at 1 and at 2 or more', () => {
    installI18n('fr');
    expect(undoBadge(view('waiting', T0 + 4000), T0)?.title).toBe(
      'Révocation de 76 invitations en attente dans 4 s — ouvrez Reclaim pour annuler',
    );
    const one = view('waiting', T0 + 1000, 1);
    expect(undoBadge(one, T0)?.title).toBe(
      'Révocation de 1 invitation en attente dans 1 s — ouvrez Reclaim pour annuler',
    );
    one.job.reason = 'renew';
    expect(undoBadge(one, T0)?.title).toBe(
      'Renouvellement de 1 invitation dans 1 s — ouvrez Reclaim pour annuler',
    );
  });

  it('counts down by the second, then shows the job’s progress', async () => {
    vi.useFakeTimers({ now: T0 });
    const drawn: string[] = [];
    const titles: string[] = [];
    const badge = createBadge({
      db: {} as ReclaimDb, // a job on the move is drawn without counting the cache
      now: () => Date.now(),
      setText: (t) => void drawn.push(t),
      setColor: () => {},
      setTitle: (t) => void titles.push(t),
      expiryDays: async () => 3,
    });
    badge.job(view('waiting', T0 + 3000));
    await vi.advanceTimersByTimeAsync(300);
    expect(drawn).toEqual(['⟲3']);
    expect(titles).toEqual(['Revoking 76 pending invites in 3 s — open Reclaim to undo']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(drawn).toEqual(['⟲3', '⟲2']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(drawn).toEqual(['⟲3', '⟲2', '⟲1']);
    badge.job(view('running', T0 + 3000));
    await vi.advanceTimersByTimeAsync(1000);
    expect(drawn).toEqual(['⟲3', '⟲2', '⟲1', '0%']);
  });
});
