/**
 * How long Reclaim keeps what it stores, and forgetting a portal. What is kept holds learners'
 * names and e-mail addresses, so nothing stays for ever (README "What Reclaim stores"):
 *
 *   audit log                   entries older than `auditRetentionDays`
 *   finished revokes and items  finished longer ago than `auditRetentionDays` (a revoke still
 *                               under way, or still settling a request, is never dropped)
 *   cached courses and invites  not read from the portal for `cacheRetentionDays`, with the
 *                               marks of when each learner or course was last read
 *   invites told of as expiring until they expire (expiry-watch.ts)
 *
 * Forgetting a portal removes all of that for every origin an entry covers (a built-in loopback
 * entry covers every port), at once, while no revoke of it is under way.
 */

import type { ReclaimDb } from '../shared/db';
import { t } from '../shared/i18n';
import { isActiveJob } from '../shared/job-states';
import type { Forgotten } from '../shared/messages';
import { isBuiltInOrigin } from '../shared/origins';
import type { Settings } from '../shared/types';
import { originAllowed } from './allowed';
import { refreshedOrigin } from './cache';
import { watchedOrigin } from './expiry-watch';

const DAY_MS = 86_400_000;

export interface Swept {
  audit: number;
  jobs: number;
  items: number;
  invites: number;
  courses: number;
}

/** Drops what is older than the settings keep it (one transaction). */
export function sweep(db: ReclaimDb, settings: Settings, now: number): Promise<Swept> {
  const auditBefore = now - settings.auditRetentionDays * DAY_MS;
  const cacheBefore = now - settings.cacheRetentionDays * DAY_MS;
  return db.transaction('rw', [db.audit, db.jobs, db.jobItems, db.invites, db.courses, db.meta], async () => {
    const audit = await db.audit.where('at').below(auditBefore).delete();
    const old = await db.jobs
      .filter((j) => !isActiveJob(j.state) && j.finishedAt !== null && j.finishedAt < auditBefore)
      .primaryKeys();
    const items = await db.jobItems.where('jobId').anyOf(old).delete();
    await db.jobs.bulkDelete(old);
    const invites = await db.invites.filter((i) => i.fetchedAt < cacheBefore).delete();
    const courses = await db.courses.filter((c) => c.fetchedAt < cacheBefore).delete();
    await db.meta
      .filter((m) => refreshedOrigin(m.key) !== null && typeof m.value === 'number' && m.value < cacheBefore)
      .delete();
    return { audit, jobs: old.length, items, invites, courses };
  });
}

/** Removes everything stored for the origins `covers` accepts (one transaction). */
export function forgetStored(
  db: ReclaimDb,
  covers: (origin: string) => boolean,
  lastOriginKey: string,
): Promise<Forgotten> {
  const tables = [db.audit, db.jobs, db.jobItems, db.invites, db.courses, db.meta, db.notified];
  return db.transaction('rw', tables, async () => {
    const jobIds = await db.jobs.filter((j) => covers(j.origin)).primaryKeys();
    const items = await db.jobItems.where('jobId').anyOf(jobIds).delete();
    await db.jobs.bulkDelete(jobIds);
    const audit = await db.audit.filter((e) => covers(e.origin)).delete();
    const invites = await db.invites.filter((i) => covers(i.origin)).delete();
    const courses = await db.courses.filter((c) => covers(c.origin)).delete();
    await db.notified.filter((n) => covers(n.origin)).delete();
    await db.meta
      .filter((m) => {
        const origin = m.key === lastOriginKey ? m.value : (refreshedOrigin(m.key) ?? watchedOrigin(m));
        return typeof origin === 'string' && covers(origin);
      })
      .delete();
    return { invites, courses, jobs: jobIds.length, items, audit };
  });
}

interface ForgetDeps {
  db: ReclaimDb;
  /** Whether a revoke of an origin `covers` accepts is under way (or still driven). */
  busyOn(covers: (origin: string) => boolean): Promise<boolean>;
  /** Withdraws an added origin: content scripts, header rule, host permission, the setting. */
  removeOrigin(origin: string): Promise<Settings>;
  settings(): Promise<Settings>;
  lastOriginKey: string;
}

/** "Forget this portal": refused while a revoke there is under way, then everything goes. */
export async function forgetPortal(
  deps: ForgetDeps,
  raw: string,
): Promise<{ settings: Settings; forgotten: Forgotten }> {
  const entry = new URL(raw).origin;
  const covers = (origin: string) => originAllowed(origin, [entry]);
  if (await deps.busyOn(covers)) {
    throw new Error(t('retentionBusy', entry));
  }
  const forgotten = await forgetStored(deps.db, covers, deps.lastOriginKey);
  // A built-in origin keeps its access (the manifest grants it); an added one is withdrawn.
  const settings = isBuiltInOrigin(entry) ? await deps.settings() : await deps.removeOrigin(entry);
  return { settings, forgotten };
}
