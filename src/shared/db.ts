/**
 * Reclaim's Dexie database: one versioned schema.
 *
 * Written only by the background service worker. Extension pages (popup, options) may read it
 * (same origin, `liveQuery`); content scripts cannot see it and ask the background instead.
 */
import Dexie, { type EntityTable } from 'dexie';
import { UPDATE_PROBE_BUILD } from './build';
import { tallyOf } from './job-tally';
import type { AuditEntry, CachedCourse, CachedInvite, Job, JobItem, NotifiedInvite } from './types';

interface MetaRow {
  key: string;
  value: unknown;
}

interface DbOptions {
  /**
   * Declares the versions up to this one only: the database as a build of that version wrote
   * it (upgrade tests write one, close it, and open it with every version).
   */
  upTo?: number;
}

/** The update test's extra version (UPDATE_PROBE_BUILD): above every real one, whatever is added later. */
export const UPDATE_PROBE_VERSION = 1000;
export const UPDATE_PROBE_KEY = 'update.probe';

export class ReclaimDb extends Dexie {
  invites!: EntityTable<CachedInvite, 'key'>;
  courses!: EntityTable<CachedCourse, 'key'>;
  jobs!: EntityTable<Job, 'id'>;
  jobItems!: Dexie.Table<JobItem, [number, string]>;
  audit!: EntityTable<AuditEntry, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;
  notified!: EntityTable<NotifiedInvite, 'key'>;

  constructor(name = 'reclaim', opts: DbOptions = {}) {
    super(name);
    const upTo = opts.upTo ?? Number.POSITIVE_INFINITY;
    this.version(1).stores({
      // Every query the UI makes: by course, by learner, by status, by expiry.
      invites: 'key, origin, [origin+courseId], [origin+learnerId], [origin+status], status, expiresAt',
      courses: 'key, origin',
      jobs: '++id, state, createdAt',
      jobItems: '[jobId+inviteId], jobId, [jobId+state], state',
      audit: '++id, at, jobId, inviteId',
      meta: 'key',
    });
    if (upTo < 2) return;
    // The popup counts pending invites and finds the soonest expiry per course (and per age
    // filter) from keys alone, without loading every invite.
    this.version(2).stores({
      invites:
        'key, origin, [origin+courseId], [origin+learnerId], [origin+status], status, expiresAt, [origin+courseId+status+expiresAt]',
    });
    if (upTo < 3) return;
    // Items say what they do; every item written before they did was a cancel.
    this.version(3)
      .stores({})
      .upgrade((tx) =>
        tx
          .table('jobItems')
          .toCollection()
          .modify((item: Partial<JobItem>) => {
            item.kind ??= 'cancel';
          }),
      );
    if (upTo < 4) return;
    // At 50,000 cached invites every index costs bytes and write time per invite: the badge counts
    // pending invites from [status+expiresAt] keys, and only indexes a query uses are kept. A
    // course's invites come from the leading parts of [origin+courseId+status+expiresAt]
    // (`invitesOfCourse`); Dexie serves `origin` from the first part of [origin+learnerId]. Jobs
    // keep their items counted on their rows (shared/job-tally.ts): each is counted once here.
    this.version(4)
      .stores({
        invites: 'key, [origin+learnerId], [status+expiresAt], [origin+courseId+status+expiresAt]',
        jobItems: '[jobId+inviteId], jobId, [jobId+state]',
      })
      .upgrade(async (tx) => {
        const jobs = tx.table<Job, number>('jobs');
        const items = tx.table<JobItem, [number, string]>('jobItems');
        for (const job of await jobs.toArray()) {
          if (job.tally) continue;
          job.tally = tallyOf(await items.where('jobId').equals(job.id).toArray());
          await jobs.put(job);
        }
      });
    if (upTo < 5) return;
    // Items that invite (reassign, renew, make room) carry the course and address they invite,
    // indexed with their job: a new job asks each running job whether it invites the same address
    // to the same course (background/jobs/holds.ts). No item written before this version invites.
    this.version(5).stores({
      jobItems: '[jobId+inviteId], jobId, [jobId+state], [jobId+inviteTarget]',
    });
    if (upTo < 6) return;
    // The expiry watch's memory (background/expiry-watch.ts): each invite it has told the manager
    // is expiring, so it never tells of the same invite twice. Dropped once the invite has expired.
    this.version(6).stores({ notified: 'key, expiresAt' });
    if (UPDATE_PROBE_BUILD) {
      // A new index, and an upgrade that reads every job and item, noting what it found.
      this.version(UPDATE_PROBE_VERSION)
        .stores({ jobItems: '[jobId+inviteId], jobId, [jobId+state], [jobId+inviteTarget], updatedAt' })
        .upgrade(async (tx) => {
          const items: JobItem[] = await tx.table('jobItems').toArray();
          const byState: Record<string, number> = {};
          for (const item of items) byState[item.state] = (byState[item.state] ?? 0) + 1;
          const jobs = await tx.table('jobs').count();
          await tx
            .table('meta')
            .put({ key: UPDATE_PROBE_KEY, value: { jobs, items: items.length, byState } });
        });
    }
  }
}

let instance: ReclaimDb | null = null;

export function db(): ReclaimDb {
  instance ??= new ReclaimDb();
  return instance;
}

export const inviteKey = (origin: string, id: string) => `${origin}#${id}`;

/**
 * The cached invites of one course, from the leading parts of [origin+courseId+status+expiresAt]:
 * every status (a string) sorts above '' and below any array.
 */
export const invitesOfCourse = (database: ReclaimDb, origin: string, courseId: string) =>
  database.invites
    .where('[origin+courseId+status+expiresAt]')
    .between([origin, courseId, ''], [origin, courseId, []]);
