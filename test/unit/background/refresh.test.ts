/** A refresh across the portal reads the course list, then only the courses that changed or were read too long ago. */
import { describe, expect, it } from 'vitest';
import { createGate } from '../../../src/background/pool';
import { inviteKey, invitesOfCourse } from '../../../src/shared/db';
import { type CourseCheck, freshnessOf, needsRead } from '../../../src/shared/freshness';
import type { InviteSeed } from './fake-portal';
import { daysAgo, PORTAL, popupSender, setup } from './harness';

function seed(courses: number, pending: number, accepted: number): InviteSeed[] {
  const out: InviteSeed[] = [];
  for (let c = 1; c <= courses; c++) {
    for (let k = 1; k <= pending + accepted; k++) {
      out.push({
        id: `c${c}-${k}`,
        courseId: `c-${c}`,
        learnerId: `l-${c}-${k}`,
        status: k <= pending ? 'pending' : 'accepted',
        sentAt: daysAgo(1 + (k % 20)),
      });
    }
  }
  return out;
}

type T = ReturnType<typeof setup>;

/** Runs a refresh across the portal; returns the courses whose invites it read, and the result. */
async function refresh(t: T, full = false) {
  const from = t.portal.calls.length;
  const { listed, done } = t.cache.refreshAll(PORTAL, { full });
  expect((await listed).ok).toBe(true);
  const result = await done;
  const calls = t.portal.calls.slice(from);
  const read = [
    ...new Set(
      calls.map((c) => /^\/api\/courses\/([^/]+)\/invites/.exec(c.path)?.[1]).filter((x): x is string => !!x),
    ),
  ].sort();
  const lists = calls.filter((c) => c.path === '/api/courses').length;
  return { read, lists, ok: result.ok, calls: calls.length };
}

/** Makes every course's last full read `ms` older than it is. */
async function ageReads(t: T, ms: number): Promise<void> {
  const courses = await t.db.courses.toArray();
  await t.db.courses.bulkPut(
    courses.map((c) => ({ ...c, invitesFetchedAt: (c.invitesFetchedAt ?? Date.now()) - ms })),
  );
}

const cachedIds = async (t: T, courseId: string) =>
  (await invitesOfCourse(t.db, PORTAL, courseId).toArray()).map((i) => i.id).sort();

describe('refresh across the portal', () => {
  it('reads every course once, then only the course list while nothing changes', async () => {
    const t = setup(seed(4, 5, 2));
    expect(await refresh(t)).toEqual({ read: ['c-1', 'c-2', 'c-3', 'c-4'], lists: 1, ok: true, calls: 9 });
    expect(await t.db.invites.count()).toBe(28);
    expect(await refresh(t)).toEqual({ read: [], lists: 1, ok: true, calls: 1 });
  });

  it('reads a course again when its counts changed: an acceptance, a cancel, a new invite', async () => {
    const t = setup(seed(4, 5, 2));
    await refresh(t);
    (t.portal.invites.get('c2-1') as InviteSeed).status = 'accepted';
    (t.portal.invites.get('c3-2') as InviteSeed).status = 'cancelled';
    t.portal.invites.set('c4-new', {
      id: 'c4-new',
      courseId: 'c-4',
      learnerId: 'l-new',
      status: 'pending',
      sentAt: daysAgo(0),
    });
    expect((await refresh(t)).read).toEqual(['c-2', 'c-3', 'c-4']);
    expect((await t.db.invites.get(inviteKey(PORTAL, 'c2-1')))?.status).toBe('accepted');
    expect(await t.db.invites.get(inviteKey(PORTAL, 'c3-2'))).toBeUndefined();
    expect(await cachedIds(t, 'c-4')).toContain('c4-new');
    expect((await refresh(t)).read).toEqual([]);
  });

  it('misses a swap that leaves the counts as they were until the read is older than the setting, then reads it', async () => {
    const t = setup(seed(2, 5, 0));
    await refresh(t);
    // One invite cancelled and another sent in the same course: pending and assigned unchanged.
    (t.portal.invites.get('c1-1') as InviteSeed).status = 'cancelled';
    t.portal.invites.set('c1-swap', {
      id: 'c1-swap',
      courseId: 'c-1',
      learnerId: 'l-swap',
      status: 'pending',
      sentAt: daysAgo(0),
    });
    expect((await refresh(t)).read).toEqual([]);
    expect(await cachedIds(t, 'c-1')).toContain('c1-1');
    const minutes = t.getSettings().rereadAfterMinutes;
    await ageReads(t, minutes * 60_000 - 30_000);
    expect((await refresh(t)).read).toEqual([]);
    await ageReads(t, 60_000);
    expect((await refresh(t)).read).toEqual(['c-1', 'c-2']);
    const ids = await cachedIds(t, 'c-1');
    expect(ids).toContain('c1-swap');
    expect(ids).not.toContain('c1-1');
  });

  it('reads every course when asked for a full refresh', async () => {
    const t = setup(seed(3, 2, 1));
    await refresh(t);
    expect((await refresh(t, true)).read).toEqual(['c-1', 'c-2', 'c-3']);
  });

  it('keeps a course due when its read failed, and reads it on the next refresh', async () => {
    const t = setup(seed(3, 2, 1));
    await refresh(t);
    (t.portal.invites.get('c2-1') as InviteSeed).status = 'accepted';
    t.portal.fault = (call) =>
      call.path.startsWith('/api/courses/c-2/invites') ? new Response('{}', { status: 404 }) : undefined;
    const failed = await refresh(t);
    expect(failed.read).toEqual(['c-2']);
    expect(failed.ok).toBe(false);
    expect((await t.db.courses.get(inviteKey(PORTAL, 'c-2')))?.readDue).toBe(true);
    const overview = await t.cache.overview(PORTAL, Date.now());
    expect(overview.courses.find((c) => c.courseId === 'c-2')?.readDue).toBe(true);
    t.portal.fault = null;
    expect((await refresh(t)).read).toEqual(['c-2']);
    expect((await t.db.courses.get(inviteKey(PORTAL, 'c-2')))?.readDue).toBeUndefined();
    expect((await refresh(t)).read).toEqual([]);
  });

  it('refreshes only what changed when the popup asks, and everything when it asks for all', async () => {
    const t = setup(seed(3, 2, 1));
    const first = await t.ask({ type: 'overview.get', refresh: true }, popupSender);
    expect(first.ok && first.value.courses.map((c) => c.readAt !== null)).toEqual([true, true, true]);
    const from = t.portal.calls.length;
    await t.ask({ type: 'overview.get', refresh: true }, popupSender);
    expect(t.portal.calls.slice(from).map((c) => c.path)).toEqual(['/api/courses']);
    const all = t.portal.calls.length;
    await t.ask({ type: 'overview.get', refresh: true, full: true }, popupSender);
    expect(t.portal.calls.slice(all).filter((c) => c.path.includes('/invites')).length).toBe(6);
  });
});

describe('freshness', () => {
  const check = (over: Partial<CourseCheck>): CourseCheck => ({
    listed: { pending: 3, seats: { total: 10, assigned: 5, available: 5 } },
    listedTotalBefore: 10,
    cached: { pending: 3, accepted: 2 },
    readAt: 1_000,
    readDue: false,
    ...over,
  });
  const HOUR = 3_600_000;

  it('asks for a read only when something says the cache may be wrong', () => {
    expect(needsRead(check({}), 1_000 + HOUR, HOUR)).toBe(false);
    expect(needsRead(check({}), 1_001 + HOUR, HOUR)).toBe(true);
    expect(needsRead(check({ readAt: null }), 1_000, HOUR)).toBe(true);
    expect(needsRead(check({ readDue: true }), 1_000, HOUR)).toBe(true);
    expect(needsRead(check({ cached: { pending: 2, accepted: 3 } }), 1_000, HOUR)).toBe(true);
    expect(needsRead(check({ cached: { pending: 3, accepted: 1 } }), 1_000, HOUR)).toBe(true);
    expect(needsRead(check({ listedTotalBefore: 12 }), 1_000, HOUR)).toBe(true);
    expect(needsRead(check({ listedTotalBefore: null }), 1_000, HOUR)).toBe(true);
  });

  it('calls a course stale when its read is due or older than the setting', () => {
    expect(freshnessOf({ readAt: null, readDue: false }, 5, HOUR)).toEqual({ kind: 'unread' });
    expect(freshnessOf({ readAt: 0, readDue: false }, HOUR, HOUR)).toEqual({ kind: 'fresh', readAt: 0 });
    expect(freshnessOf({ readAt: 0, readDue: false }, HOUR + 1, HOUR)).toEqual({ kind: 'stale', readAt: 0 });
    expect(freshnessOf({ readAt: 0, readDue: true }, 1, HOUR)).toEqual({ kind: 'stale', readAt: 0 });
  });
});

describe('request gate', () => {
  it('lets at most its width run at once, the rest in the order they came', async () => {
    const gate = createGate(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (k: number) =>
      gate(async () => {
        started.push(k);
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5 + (k % 3)));
        running--;
        return k;
      });
    const out = await Promise.all(Array.from({ length: 10 }, (_, k) => task(k)));
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
