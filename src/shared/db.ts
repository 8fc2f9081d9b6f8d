/**
 * Reclaim's Dexie database: one versioned schema.
 *
 * Written only by the background service worker. Extension pages (popup, options) may read it
 * (same origin, `liveQuery`); content scripts cannot see it and ask the background instead.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { AuditEntry, CachedCourse, CachedInvite, Job, JobItem } from './types';

interface MetaRow {
  key: string;
  value: unknown;
}

export class ReclaimDb extends Dexie {
  invites!: EntityTable<CachedInvite, 'key'>;
  courses!: EntityTable<CachedCourse, 'key'>;
  jobs!: EntityTable<Job, 'id'>;
  jobItems!: Dexie.Table<JobItem, [number, string]>;
  audit!: EntityTable<AuditEntry, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;

  constructor(name = 'reclaim') {
    super(name);
    this.version(1).stores({
      // Every query the UI makes: by course, by learner, by status, by expiry.
      invites: 'key, origin, [origin+courseId], [origin+learnerId], [origin+status], status, expiresAt',
      courses: 'key, origin',
      jobs: '++id, state, createdAt',
      jobItems: '[jobId+inviteId], jobId, [jobId+state], state',
      audit: '++id, at, jobId, inviteId',
      meta: 'key',
    });
    // The popup counts pending invites and finds the soonest expiry per course (and per age
    // filter) from keys alone, without loading every invite.
    this.version(2).stores({
      invites:
        'key, origin, [origin+courseId], [origin+learnerId], [origin+status], status, expiresAt, [origin+courseId+status+expiresAt]',
    });
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
