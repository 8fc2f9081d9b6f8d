import { describe, expect, it } from 'vitest';
import { inviteKey } from '../../../src/shared/db';
import type { JobItem } from '../../../src/shared/types';
import type { InviteSeed } from './fake-portal';
import { daysAgo, PORTAL, setup } from './harness';

const seed: InviteSeed[] = [
  { id: 'p1', courseId: 'c-1', learnerId: 'l-1', status: 'pending', sentAt: daysAgo(3) },
  { id: 'p2', courseId: 'c-1', learnerId: 'l-2', status: 'pending', sentAt: daysAgo(4) },
  { id: 'p3', courseId: 'c-1', learnerId: 'l-3', status: 'pending', sentAt: daysAgo(5) },
  { id: 'p4', courseId: 'c-2', learnerId: 'l-4', status: 'pending', sentAt: daysAgo(6) },
  { id: 'a1', courseId: 'c-2', learnerId: 'l-5', status: 'accepted', sentAt: daysAgo(9) },
];

function outcome(inviteId: string, courseId: string, state: JobItem['state']): JobItem {
  return {
    jobId: 1,
    kind: 'cancel',
    inviteId,
    courseId,
    courseTitle: `Course ${courseId}`,
    learnerId: '',
    learnerName: '',
    learnerEmail: '',
    state,
    tries: 1,
    error: null,
    updatedAt: Date.now(),
  };
}

describe('invite cache: job outcomes', () => {
  it('applies a batch of outcomes in one go: revoked leave and return their seat, accepted are kept', async () => {
    const t = setup(seed);
    const { done } = t.cache.refreshAll(PORTAL);
    expect((await done).ok).toBe(true);
    const before = await t.db.courses.bulkGet([inviteKey(PORTAL, 'c-1'), inviteKey(PORTAL, 'c-2')]);
    expect(before.map((c) => c?.pending)).toEqual([3, 1]);

    await t.cache.applyOutcomes(PORTAL, [
      outcome('p1', 'c-1', 'revoked'),
      outcome('p2', 'c-1', 'revoked'),
      outcome('p3', 'c-1', 'kept-accepted'),
      outcome('p4', 'c-2', 'not-found'),
      // Not in the cache: nothing to remove and no seat counted twice.
      outcome('gone', 'c-2', 'revoked'),
    ]);

    const invites = await t.db.invites.where('origin').equals(PORTAL).toArray();
    expect(invites.map((i) => [i.id, i.status]).sort()).toEqual([
      ['a1', 'accepted'],
      ['p3', 'accepted'],
    ]);
    const [c1, c2] = await t.db.courses.bulkGet([inviteKey(PORTAL, 'c-1'), inviteKey(PORTAL, 'c-2')]);
    expect(c1?.pending).toBe(1);
    expect(c1?.seats.assigned).toBe((before[0]?.seats.assigned ?? 0) - 2);
    expect(c1?.seats.available).toBe((before[0]?.seats.available ?? 0) + 2);
    // not-found drops the invite but returns no seat (Reclaim did not revoke it).
    expect(c2?.seats).toEqual(before[1]?.seats);
  });

  it('does nothing for an empty batch', async () => {
    const t = setup(seed);
    await t.cache.applyOutcomes(PORTAL, []);
    expect(await t.db.invites.count()).toBe(0);
  });
});
