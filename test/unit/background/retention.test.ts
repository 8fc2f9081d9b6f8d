/**
 * Data is not kept for ever (issue 18, finding 8): the audit log, finished revokes and the cache
 * have a retention, a setting with a default; "Forget this portal" removes everything stored for
 * it and nothing of another portal's.
 */
import { describe, expect, it } from 'vitest';
import { sweep } from '../../../src/background/retention';
import type { ReclaimDb } from '../../../src/shared/db';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import type { AuditEntry, CachedCourse, CachedInvite, Job, JobItem } from '../../../src/shared/types';
import { contentSender, optionsSender, PORTAL, popupSender, setup } from './harness';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 1);
const OTHER = 'https://learn.example.com';

function job(id: number, origin: string, state: Job['state'], finishedAt: number | null): Job {
  return {
    id,
    origin,
    scope: { kind: 'courses', courseIds: 'all' },
    state,
    surface: 'popup',
    createdAt: (finishedAt ?? NOW) - 1000,
    startAt: (finishedAt ?? NOW) - 1000,
    finishedAt,
    concurrency: 2,
    message: null,
  };
}

const item = (jobId: number, inviteId: string): JobItem => ({
  jobId,
  kind: 'cancel',
  inviteId,
  courseId: 'c-1',
  courseTitle: 'Fire Safety',
  learnerId: 'l-1',
  learnerName: 'Jane Doe',
  learnerEmail: 'jane@example.test',
  state: 'revoked',
  tries: 1,
  error: null,
  updatedAt: NOW,
});

const audit = (origin: string, at: number, inviteId: string): AuditEntry => ({
  at,
  origin,
  jobId: 1,
  surface: 'popup',
  inviteId,
  learnerName: 'Jane Doe',
  learnerEmail: 'jane@example.test',
  courseId: 'c-1',
  courseTitle: 'Fire Safety',
  outcome: 'revoked',
  detail: null,
});

const invite = (origin: string, id: string, fetchedAt: number): CachedInvite => ({
  key: `${origin}#${id}`,
  origin,
  id,
  courseId: 'c-1',
  courseTitle: 'Fire Safety',
  learnerId: 'l-1',
  learnerName: 'Jane Doe',
  learnerEmail: 'jane@example.test',
  sentAt: new Date(fetchedAt).toISOString(),
  expiresAt: fetchedAt + 30 * DAY,
  status: 'pending',
  progress: null,
  fetchedAt,
});

const course = (origin: string, id: string, fetchedAt: number): CachedCourse => ({
  key: `${origin}#${id}`,
  origin,
  id,
  title: 'Fire Safety',
  seats: { total: 5, assigned: 1, available: 4 },
  pending: 1,
  fetchedAt,
});

/** Two portals' worth of everything, old and recent. */
async function fill(db: ReclaimDb): Promise<void> {
  await db.jobs.bulkAdd([
    job(1, PORTAL, 'done', NOW - 400 * DAY),
    job(2, PORTAL, 'done', NOW - 2 * DAY),
    job(3, PORTAL, 'paused', null), // active for ever: never dropped
    job(4, OTHER, 'undone', NOW - 400 * DAY),
  ]);
  await db.jobItems.bulkAdd([item(1, 'a'), item(2, 'b'), item(3, 'c'), item(4, 'd')]);
  await db.audit.bulkAdd([
    audit(PORTAL, NOW - 400 * DAY, 'a'),
    audit(PORTAL, NOW - 2 * DAY, 'b'),
    audit(OTHER, NOW - 2 * DAY, 'd'),
  ]);
  await db.invites.bulkAdd([
    invite(PORTAL, 'old', NOW - 40 * DAY),
    invite(PORTAL, 'new', NOW - DAY),
    invite(OTHER, 'new', NOW - DAY),
  ]);
  await db.courses.bulkAdd([course(PORTAL, 'c-old', NOW - 40 * DAY), course(OTHER, 'c-1', NOW - DAY)]);
  await db.meta.bulkPut([
    { key: `refreshed:${PORTAL}|course|c-old`, value: NOW - 40 * DAY },
    { key: `refreshed:${PORTAL}|course|c-1`, value: NOW - DAY },
    { key: `refreshed:${OTHER}|course|c-1`, value: NOW - DAY },
    { key: 'portal.lastOrigin', value: PORTAL },
  ]);
}

describe('retention', () => {
  it('has a default for the audit log and the cache, and the options can set both', async () => {
    expect(DEFAULT_SETTINGS.auditRetentionDays).toBe(180);
    expect(DEFAULT_SETTINGS.cacheRetentionDays).toBe(30);
    const t = setup([]);
    expect(
      await t.route(
        { type: 'settings.set', settings: { auditRetentionDays: 30, cacheRetentionDays: 7 } },
        optionsSender,
      ),
    ).toMatchObject({ ok: true, value: { auditRetentionDays: 30, cacheRetentionDays: 7 } });
    for (const bad of [{ auditRetentionDays: 0 }, { cacheRetentionDays: 400 }, { auditRetentionDays: 1.5 }]) {
      expect(await t.route({ type: 'settings.set', settings: bad }, optionsSender)).toMatchObject({
        ok: false,
        error: { kind: 'bad-request' },
      });
    }
  });

  it('drops audit entries and finished revokes past the audit retention, and stale cache past its own', async () => {
    const t = setup([]);
    await fill(t.db);
    const swept = await sweep(t.db, DEFAULT_SETTINGS, NOW);
    expect(swept).toEqual({ audit: 1, jobs: 2, items: 2, invites: 1, courses: 1 });
    expect((await t.db.jobs.toArray()).map((j) => j.id).sort()).toEqual([2, 3]);
    expect((await t.db.jobItems.toArray()).map((i) => i.inviteId).sort()).toEqual(['b', 'c']);
    expect((await t.db.audit.toArray()).map((a) => a.inviteId).sort()).toEqual(['b', 'd']);
    expect((await t.db.invites.toArray()).map((i) => i.key).sort()).toEqual([
      `${PORTAL}#new`,
      `${OTHER}#new`,
    ]);
    expect((await t.db.courses.toArray()).map((c) => c.key)).toEqual([`${OTHER}#c-1`]);
    expect(await t.db.meta.get(`refreshed:${PORTAL}|course|c-old`)).toBeUndefined();
    expect(await t.db.meta.get(`refreshed:${PORTAL}|course|c-1`)).toBeDefined();
    expect(await t.db.meta.get('portal.lastOrigin')).toBeDefined();
  });
});

describe('forget this portal', () => {
  it('removes everything stored for the portal, of every port a built-in entry covers, and nothing else', async () => {
    const t = setup([]);
    await fill(t.db);
    await t.db.jobs.update(3, { state: 'done', finishedAt: NOW }); // nothing under way
    const r = await t.ask({ type: 'origins.forget', origin: 'http://127.0.0.1' }, optionsSender);
    expect(r).toMatchObject({
      ok: true,
      value: { forgotten: { invites: 2, courses: 1, jobs: 3, items: 3, audit: 2 } },
    });
    if (r.ok) expect(r.value.settings.origins).toContain('http://127.0.0.1'); // built in: access kept
    expect((await t.db.jobs.toArray()).map((j) => j.origin)).toEqual([OTHER]);
    expect((await t.db.jobItems.toArray()).map((i) => i.inviteId)).toEqual(['d']);
    expect((await t.db.audit.toArray()).every((a) => a.origin === OTHER)).toBe(true);
    expect((await t.db.invites.toArray()).every((i) => i.origin === OTHER)).toBe(true);
    expect((await t.db.courses.toArray()).every((c) => c.origin === OTHER)).toBe(true);
    expect((await t.db.meta.toArray()).map((m) => m.key)).toEqual([`refreshed:${OTHER}|course|c-1`]);
  });

  it('withdraws an added portal from the settings with its data', async () => {
    const t = setup([]);
    await t.route({ type: 'origins.add', origin: OTHER }, optionsSender);
    await fill(t.db);
    const r = await t.ask({ type: 'origins.forget', origin: OTHER }, optionsSender);
    expect(r).toMatchObject({
      ok: true,
      value: { forgotten: { jobs: 1, audit: 1, invites: 1, courses: 1 } },
    });
    expect(t.getSettings().origins).not.toContain(OTHER);
    expect(await t.db.jobs.count()).toBe(3);
  });

  it('is refused while a revoke there is under way, and for portal pages', async () => {
    const t = setup([]);
    await fill(t.db); // job 3 is paused: still active
    expect(await t.route({ type: 'origins.forget', origin: 'http://127.0.0.1' }, popupSender)).toMatchObject({
      ok: false,
      error: { kind: 'bad-request', message: expect.stringMatching(/still under way/) },
    });
    expect(await t.db.audit.count()).toBe(3);
    const page = contentSender('/manager/learners/l-1');
    expect(await t.route({ type: 'origins.forget', origin: OTHER }, page)).toMatchObject({
      ok: false,
      error: { kind: 'refused' },
    });
    expect(await t.db.jobs.count()).toBe(4);
  });
});
