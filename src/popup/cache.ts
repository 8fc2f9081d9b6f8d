/**
 * What the popup reads straight from Reclaim's database besides the overview
 * (src/shared/overview.ts): read only, every change goes through the background.
 */
import { db, type ReclaimDb } from '../shared/db';
import type { AuditEntry } from '../shared/types';

/** The newest audit entries, newest first. */
export function readAudit(limit: number, database: ReclaimDb = db()): Promise<AuditEntry[]> {
  return database.audit.orderBy('at').reverse().limit(limit).toArray();
}
