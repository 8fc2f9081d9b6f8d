import { describe, expect, it } from 'vitest';
import { chooseNotice } from '../../../src/background/expiry-notice';
import { inviteKey } from '../../../src/shared/db';
import type { CachedInvite } from '../../../src/shared/types';

const O = 'https://learn.example.test';
const H = 3_600_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');

function invite(id: string, courseId: string, hoursLeft: number, origin = O): CachedInvite {
  const expiresAt = NOW + hoursLeft * H;
  return {
    key: inviteKey(origin, id),
    origin,
    id,
    courseId,
    courseTitle: `Course ${courseId}`,
    learnerId: `l-${id}`,
    learnerName: `Learner ${id}`,
    learnerEmail: `${id}@example.test`,
    sentAt: new Date(expiresAt - 30 * 24 * H).toISOString(),
    expiresAt,
    status: 'pending',
    progress: null,
    fetchedAt: NOW,
  };
}

describe('what an expiry notification tells', () => {
  it('counts the invites, names their courses soonest first, and gives the soonest', () => {
    const n = chooseNotice(
      O,
      [invite('a', 'c-1', 50), invite('b', 'c-2', 5), invite('c', 'c-1', 20), invite('d', 'c-2', 60)],
      new Set(),
    );
    expect(n?.invites.map((i) => i.inviteId)).toEqual(['b', 'c', 'a', 'd']);
    expect(n?.courses).toEqual([
      { courseId: 'c-2', title: 'Course c-2', count: 2 },
      { courseId: 'c-1', title: 'Course c-1', count: 2 },
    ]);
    expect(n?.soonest.expiresAt).toBe(NOW + 5 * H);
    expect(n?.soonest.courseTitle).toBe('Course c-2');
  });

  it('leaves out invites told of before, and makes no notice when nothing is new', () => {
    const all = [invite('a', 'c-1', 50), invite('b', 'c-2', 5)];
    const told = new Set([inviteKey(O, 'b')]);
    const n = chooseNotice(O, all, told);
    expect(n?.invites.map((i) => i.inviteId)).toEqual(['a']);
    expect(n?.courses.map((c) => c.courseId)).toEqual(['c-1']);
    expect(chooseNotice(O, all, new Set(all.map((i) => i.key)))).toBeNull();
    expect(chooseNotice(O, [], new Set())).toBeNull();
  });

  it('tells of one portal only, and of pending invites only', () => {
    const accepted = { ...invite('x', 'c-1', 10), status: 'accepted' as const };
    const n = chooseNotice(
      O,
      [invite('a', 'c-1', 10), invite('b', 'c-1', 10, 'https://other.test'), accepted],
      new Set(),
    );
    expect(n?.invites.map((i) => i.inviteId)).toEqual(['a']);
  });
});
