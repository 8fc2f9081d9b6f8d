/**
 * The per-course overview (src/shared/overview.ts), which the popup and the background's
 * overview.get both read, at the boundary instant: per the portal contract an invite has expired
 * AT its expiresAt, so it is pending only while expiresAt > now.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inviteKey, ReclaimDb } from '../../src/shared/db';
import { INVITE_LIFETIME_MS, isExpired, isPendingAt } from '../../src/shared/expiry';
import { readOriginOverview, readOverview } from '../../src/shared/overview';
import type { CachedInvite } from '../../src/shared/types';

const ORIGIN = 'http://127.0.0.1:4310';
const NOW = Date.parse('2026-11-20T12:00:00Z');

let db: ReclaimDb;

function invite(id: string, expiresAt: number): CachedInvite {
  return {
    key: inviteKey(ORIGIN, id),
    origin: ORIGIN,
    id,
    courseId: 'c-1',
    courseTitle: 'Fire Safety',
    learnerId: `l-${id}`,
    learnerName: id,
    learnerEmail: `${id}@example.test`,
    sentAt: new Date(expiresAt - INVITE_LIFETIME_MS).toISOString(),
    expiresAt,
    status: 'pending',
    progress: null,
    fetchedAt: NOW,
  };
}

beforeEach(async () => {
  db = new ReclaimDb(`overview-${Math.random()}`);
  await db.courses.put({
    key: inviteKey(ORIGIN, 'c-1'),
    origin: ORIGIN,
    id: 'c-1',
    title: 'Fire Safety',
    seats: { total: 5, assigned: 2, available: 3 },
    pending: 2,
    fetchedAt: NOW,
  });
  await db.invites.bulkPut([invite('at-now', NOW), invite('just-after', NOW + 1)]);
});

afterEach(async () => {
  await db.delete();
});

describe('overview at the expiry instant', () => {
  it('no longer counts an invite whose expiresAt is now, and counts one a millisecond later', async () => {
    for (const o of [await readOverview(NOW, 0, null, db), await readOriginOverview(db, ORIGIN, NOW, 0)]) {
      expect(o.courses).toHaveLength(1);
      expect(o.courses[0]).toMatchObject({ pending: 1, inScope: 1, soonestExpiry: NOW + 1 });
    }
    const before = await readOriginOverview(db, ORIGIN, NOW - 1, 0);
    expect(before.courses[0]).toMatchObject({ pending: 2, soonestExpiry: NOW });
    const after = await readOriginOverview(db, ORIGIN, NOW + 1, 0);
    expect(after.courses[0]).toMatchObject({ pending: 0, soonestExpiry: null });
  });

  it('agrees with the expiry rule every other context uses', () => {
    const sentAt = NOW - INVITE_LIFETIME_MS;
    expect(isPendingAt('pending', NOW, NOW)).toBe(false);
    expect(isExpired(sentAt, NOW)).toBe(true);
    expect(isPendingAt('pending', NOW + 1, NOW)).toBe(true);
    expect(isExpired(sentAt + 1, NOW)).toBe(false);
    expect(isPendingAt('accepted', NOW + 1, NOW)).toBe(false);
  });

  it('has no lines for an origin with nothing cached', async () => {
    expect(await readOriginOverview(db, 'https://learn.example.com', NOW, 0)).toEqual({
      origin: 'https://learn.example.com',
      courses: [],
      fetchedAt: null,
    });
  });
});
