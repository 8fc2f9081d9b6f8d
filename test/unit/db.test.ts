/** Reclaim's database across its schema versions: what a version-2 database held is all there in version 3. */
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { ReclaimDb } from '../../src/shared/db';

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

    const db = new ReclaimDb(name);
    await db.open();
    expect(db.verno).toBe(3);
    expect(await db.jobs.get(jobId)).toEqual({ ...job, id: jobId });
    const after = await db.jobItems.where('jobId').equals(jobId).sortBy('inviteId');
    expect(after).toEqual(items.map((i) => ({ ...i, kind: 'cancel' })));
    expect(await db.jobItems.where('[jobId+state]').equals([jobId, 'in-flight']).count()).toBe(1);
    expect(await db.audit.count()).toBe(1);
    expect((await db.meta.get('settings'))?.value).toEqual({ concurrency: 3 });
    await db.delete();
  });
});
