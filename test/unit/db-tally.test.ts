/** Reclaim's database across its schema versions: what an older database held is all there after the upgrade. */
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { JobStore } from '../../src/background/jobs/store';
import { invitesOfCourse, ReclaimDb } from '../../src/shared/db';
import type { ItemState, JobState } from '../../src/shared/types';

/** The schema as version 2 declared it, before items had a kind. */
function openVersion2(name: string): Dexie {
  const old = new Dexie(name);
  old.version(1).stores({
    invites: 'key, origin, [origin+courseId], [origin+learnerId], [origin+status], status, expiresAt',
    courses: 'key, origin',
    jobs: '++id, state, createdAt',
    jobItems: '[jobId+inviteId], jobId, [jobId+state], state',
    audit: '++id, at, jobId, inviteId',
    meta: 'key',
  });
  old.version(2).stores({
    invites:
      'key, origin, [origin+courseId], [origin+learnerId], [origin+status], status, expiresAt, [origin+courseId+status+expiresAt]',
  });
  return old;
}

const item = (jobId: number, inviteId: string, state: string, tries: number) => ({
  jobId,
  inviteId,
  courseId: 'c-1',
  courseTitle: 'Fire Safety',
  learnerId: `l-${inviteId}`,
  learnerName: `Learner ${inviteId}`,
  learnerEmail: `${inviteId}@example.test`,
  state,
  tries,
  error: null,
  updatedAt: 1_700_000_000_000,
});

describe('database upgrade', () => {
  it('opens a version-2 database with its jobs and items, loses nothing, and gives every item the cancel kind', async () => {
    const name = `reclaim-upgrade-${Math.random()}`;
    const old = openVersion2(name);
    const job = {
      origin: 'http://127.0.0.1:4310',
      scope: { kind: 'course', courseId: 'c-1' },
      state: 'running',
      surface: 'popup',
      createdAt: 1_700_000_000_000,
      startAt: 1_700_000_005_000,
      finishedAt: null,
      concurrency: 6,
      message: null,
    };
    const jobId = (await old.table('jobs').add(job)) as number;
    const items = [
      item(jobId, 'i-1', 'revoked', 1),
      item(jobId, 'i-2', 'in-flight', 2),
      item(jobId, 'i-3', 'queued', 0),
    ];
    await old.table('jobItems').bulkAdd(items);
    await old.table('audit').add({ at: 1, origin: job.origin, jobId, inviteId: 'i-1', outcome: 'revoked' });
    await old.table('meta').put({ key: 'settings', value: { concurrency: 3 } });
    expect(old.verno).toBe(2);
    old.close();

    // The versions up to 4, the one these upgrades are for (test/unit/db.test.ts opens every
    // version's database at the latest).
    const db = new ReclaimDb(name, { upTo: 4 });
    await db.open();
    expect(db.verno).toBe(4);
    expect(await db.jobs.get(jobId)).toEqual({
      ...job,
      id: jobId,
      tally: {
        states: { revoked: 1, 'in-flight': 1, queued: 1 },
        revokedByCourse: { 'c-1': { courseTitle: 'Fire Safety', seats: 1 } },
      },
    });
    const after = await db.jobItems.where('jobId').equals(jobId).sortBy('inviteId');
    expect(after).toEqual(items.map((i) => ({ ...i, kind: 'cancel' })));
    expect(await db.jobItems.where('[jobId+state]').equals([jobId, 'in-flight']).count()).toBe(1);
    expect(await db.audit.count()).toBe(1);
    expect((await db.meta.get('settings'))?.value).toEqual({ concurrency: 3 });
    await db.delete();
  });
});

/** The schema as version 3 declared it (the one before 6): the previous version's database. */
function openVersion3(name: string): Dexie {
  const old = openVersion2(name);
  old.version(3).stores({});
  return old;
}

const ORIGIN = 'http://127.0.0.1:4310';
const JOB_STATES: JobState[] = ['waiting', 'running', 'paused', 'signed-out', 'done', 'undone', 'cancelled'];
/** Each job's items, by state: every state an item can be in, over two courses. */
const ITEMS_BY_JOB: Record<JobState, ItemState[]> = {
  waiting: ['queued', 'queued', 'already-cancelled'],
  running: ['revoked', 'in-flight', 'queued', 'failed', 'kept-accepted'],
  paused: ['revoked', 'queued', 'in-flight'],
  'signed-out': ['revoked', 'queued'],
  done: ['revoked', 'revoked', 'already-expired', 'not-found', 'kept-accepted', 'failed'],
  undone: ['skipped', 'skipped'],
  cancelled: ['revoked', 'skipped', 'already-cancelled'],
};

describe('database upgrade to version 4', () => {
  it('opens a version-3 database with jobs in every state and loses nothing; views count as before', async () => {
    const name = `reclaim-upgrade-v4-${Math.random()}`;
    const old = openVersion3(name);
    await old.open();
    expect(old.verno).toBe(3);
    const jobIds: Record<string, number> = {};
    const stored: Record<string, unknown[]> = {};
    for (const state of JOB_STATES) {
      const finished = state === 'done' || state === 'undone' || state === 'cancelled';
      const id = (await old.table('jobs').add({
        origin: ORIGIN,
        scope: { kind: 'courses', courseIds: 'all' },
        state,
        surface: 'popup',
        createdAt: 1_700_000_000_000,
        startAt: 1_700_000_005_000,
        finishedAt: finished ? 1_700_000_009_000 : null,
        concurrency: 6,
        message: state === 'signed-out' ? 'Sign in again' : null,
      })) as number;
      jobIds[state] = id;
      const items = ITEMS_BY_JOB[state].map((itemState, k) => ({
        ...item(id, `${state}-${k}`, itemState, itemState === 'queued' ? 0 : 1),
        kind: 'cancel',
        courseId: k % 2 ? 'c-2' : 'c-1',
        courseTitle: k % 2 ? 'GDPR Essentials' : 'Fire Safety',
      }));
      await old.table('jobItems').bulkAdd(items);
      stored[state] = items;
    }
    const invites = [
      { id: 'p1', courseId: 'c-1', learnerId: 'l-1', status: 'pending', expiresAt: 2_000_000_000_000 },
      { id: 'p2', courseId: 'c-1', learnerId: 'l-2', status: 'pending', expiresAt: 1_000 },
      { id: 'a1', courseId: 'c-2', learnerId: 'l-1', status: 'accepted', expiresAt: 3_000 },
    ].map((i) => ({
      ...i,
      key: `${ORIGIN}#${i.id}`,
      origin: ORIGIN,
      courseTitle: 'Fire Safety',
      learnerName: i.learnerId,
      learnerEmail: `${i.learnerId}@example.test`,
      sentAt: '2026-11-01T00:00:00.000Z',
      progress: null,
      fetchedAt: 5,
    }));
    await old.table('invites').bulkAdd(invites);
    const course = {
      key: `${ORIGIN}#c-1`,
      origin: ORIGIN,
      id: 'c-1',
      title: 'Fire Safety',
      seats: { total: 10, assigned: 2, available: 8 },
      pending: 2,
      fetchedAt: 5,
      invitesFetchedAt: 4,
    };
    await old.table('courses').add(course);
    await old.table('audit').bulkAdd([
      { at: 1, origin: ORIGIN, jobId: jobIds.done, inviteId: 'done-0', outcome: 'revoked' },
      { at: 2, origin: ORIGIN, jobId: jobIds.running, inviteId: 'running-0', outcome: 'revoked' },
    ]);
    await old.table('meta').put({ key: 'settings', value: { concurrency: 3 } });
    // Views of a job with its tally, and of the same job without one (counted from its items).
    const store = (db: ReclaimDb) => new JobStore(db, () => 1_700_000_010_000);
    old.close();

    // The versions up to 4, the one these upgrades are for (test/unit/db.test.ts opens every
    // version's database at the latest).
    const db = new ReclaimDb(name, { upTo: 4 });
    await db.open();
    expect(db.verno).toBe(4);
    for (const state of JOB_STATES) {
      const id = jobIds[state] as number;
      const job = await db.jobs.get(id);
      expect(job?.state).toBe(state);
      const items = await db.jobItems.where('jobId').equals(id).sortBy('inviteId');
      expect(items).toEqual(stored[state]);
      // The tally the upgrade wrote gives the view its items give.
      const view = await store(db).view(job as NonNullable<typeof job>);
      const { tally: _tally, ...untallied } = job as NonNullable<typeof job>;
      const counted = await store(db).view(untallied);
      expect(view.counts).toEqual(counted.counts);
      expect(view.seatsReturnedByCourse).toEqual(counted.seatsReturnedByCourse);
      expect(view.failures).toEqual(counted.failures);
      expect(view.counts.total).toBe(ITEMS_BY_JOB[state].length);
    }
    expect((await store(db).view((await db.jobs.get(jobIds.done as number)) as never)).counts).toMatchObject({
      revoked: 2,
      alreadyGone: 2,
      keptAccepted: 1,
      failed: 1,
    });
    // The cache: every invite, found by each query the code makes.
    expect(await db.invites.count()).toBe(3);
    expect(await invitesOfCourse(db, ORIGIN, 'c-1').count()).toBe(2);
    expect(await db.invites.where('[origin+learnerId]').equals([ORIGIN, 'l-1']).count()).toBe(2);
    expect(await db.invites.where('origin').equals(ORIGIN).count()).toBe(3);
    expect(
      await db.invites
        .where('[status+expiresAt]')
        .between(['pending', 10_000], ['pending', Dexie.maxKey], false, true)
        .count(),
    ).toBe(1);
    expect(await db.courses.get(course.key)).toEqual(course);
    expect(await db.audit.count()).toBe(2);
    expect((await db.meta.get('settings'))?.value).toEqual({ concurrency: 3 });
    await db.delete();
  });
});
