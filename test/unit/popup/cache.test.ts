import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAudit } from '../../../src/popup/cache';
import { inviteKey, ReclaimDb } from '../../../src/shared/db';
import { expiresAt } from '../../../src/shared/expiry';
import { readOverview } from '../../../src/shared/overview';
import type { CachedCourse, CachedInvite, InviteStatus } from '../../../src/shared/types';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T12:00:00Z');
const A = 'http://127.0.0.1:4310';
const B = 'https://learn.example.com';

let database: ReclaimDb;
let n = 0;

function invite(
  origin: string,
  courseId: string,
  ageDays: number,
  status: InviteStatus = 'pending',
): CachedInvite {
  const id = `i-${++n}`;
  const sentAt = new Date(NOW - ageDays * DAY).toISOString();
  return {
    key: inviteKey(origin, id),
    origin,
    id,
    courseId,
    courseTitle: courseId,
    learnerId: `l-${n}`,
    learnerName: `Learner ${n}`,
    learnerEmail: `l${n}@example.test`,
    sentAt,
    expiresAt: expiresAt(sentAt),
    status,
    progress: null,
    fetchedAt: NOW,
  };
}

function courseRow(origin: string, id: string, title: string, fetchedAt: number): CachedCourse {
  return {
    key: `${origin}#${id}`,
    origin,
    id,
    title,
    seats: { total: 10, assigned: 0, available: 10 },
    pending: 0,
    fetchedAt,
  };
}

beforeEach(async () => {
  database = new ReclaimDb(`popup-cache-${Math.random()}`);
  await database.courses.bulkPut([
    courseRow(A, 'c-1', 'Fire Safety', NOW - 60_000),
    courseRow(A, 'c-2', 'Manual Handling', NOW - 5 * 60_000),
    courseRow(B, 'c-1', 'Other portal', NOW - 10 * DAY),
  ]);
  await database.invites.bulkPut([
    invite(A, 'c-1', 29.9), // expires in 2.4 h
    invite(A, 'c-1', 12),
    invite(A, 'c-1', 1),
    invite(A, 'c-1', 31), // already expired: not pending any more
    invite(A, 'c-1', 20, 'accepted'),
    invite(A, 'c-1', 5, 'cancelled'),
    invite(A, 'c-2', 3),
    invite(B, 'c-1', 2),
  ]);
});

afterEach(async () => {
  await database.delete();
});

describe('popup cache reads', () => {
  it('counts live pending invites per course and finds the soonest expiry', async () => {
    const o = await readOverview(NOW, 0, null, database);
    expect(o.origin).toBe(A);
    expect(o.fetchedAt).toBe(NOW - 5 * 60_000);
    const [fire, manual] = o.courses;
    expect(fire).toMatchObject({ courseId: 'c-1', title: 'Fire Safety', pending: 3, inScope: 3 });
    expect(fire?.soonestExpiry).toBe(NOW + 30 * DAY - 29.9 * DAY);
    expect(manual).toMatchObject({ courseId: 'c-2', pending: 1, inScope: 1 });
  });

  it('keeps only invites sent at least N days ago under the age filter', async () => {
    const o = await readOverview(NOW, 10, null, database);
    expect(o.courses.map((c) => [c.courseId, c.pending, c.inScope])).toEqual([
      ['c-1', 3, 2],
      ['c-2', 1, 0],
    ]);
  });

  it('reads another origin when asked for it', async () => {
    const o = await readOverview(NOW, 0, B, database);
    expect(o.courses.map((c) => [c.title, c.pending])).toEqual([['Other portal', 1]]);
  });

  it('is empty before anything was cached', async () => {
    await database.courses.clear();
    expect(await readOverview(NOW, 0, null, database)).toEqual({
      origin: null,
      courses: [],
      fetchedAt: null,
    });
  });

  it('lists the newest audit entries first', async () => {
    const base = {
      origin: A,
      jobId: 1,
      surface: 'popup' as const,
      learnerEmail: 'x@example.test',
      courseId: 'c-1',
    };
    await database.audit.bulkAdd([
      {
        ...base,
        at: NOW - 2000,
        inviteId: 'i-1',
        learnerName: 'Old',
        courseTitle: 'F',
        outcome: 'revoked',
        detail: null,
      },
      {
        ...base,
        at: NOW,
        inviteId: 'i-2',
        learnerName: 'New',
        courseTitle: 'F',
        outcome: 'kept-accepted',
        detail: null,
      },
    ]);
    expect((await readAudit(10, database)).map((e) => e.learnerName)).toEqual(['New', 'Old']);
    expect(await readAudit(1, database)).toHaveLength(1);
  });
});
