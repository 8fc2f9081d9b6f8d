/**
 * What a test concludes from the portal's journal (GET /__sim/journal): pure functions over its
 * entries, so they work in-process and over HTTP alike.
 */
import type { InviteJournalEntry, JournalEntry } from './types';

export interface InvitedTwice {
  courseId: string;
  /** Lower-cased. */
  email: string;
  /** Every invite created for the address in the course, in journal order. */
  inviteIds: string[];
}

/**
 * Addresses for which more than one invite was created in the same course over the entries
 * given (pass the entries of one job's window: a manager may rightly invite someone again
 * after their invite was cancelled or expired).
 */
export function invitedTwice(invites: readonly InviteJournalEntry[]): InvitedTwice[] {
  const by = new Map<string, InvitedTwice>();
  for (const e of [...invites].sort((a, b) => a.seq - b.seq)) {
    for (const c of e.created) {
      const email = c.email.toLowerCase();
      const key = `${e.courseId} ${email}`;
      const hit = by.get(key) ?? { courseId: e.courseId, email, inviteIds: [] };
      hit.inviteIds.push(c.inviteId);
      by.set(key, hit);
    }
  }
  return [...by.values()].filter((x) => x.inviteIds.length > 1);
}

/**
 * Per course: seats freed by applied cancels minus invites created, over the entries given;
 * only courses where more were freed than filled. A job that frees a seat for each address it
 * invites must leave none, or report why for each.
 */
export function seatsFreedNotRefilled(
  cancels: readonly JournalEntry[],
  invites: readonly InviteJournalEntry[],
): Record<string, number> {
  const balance = new Map<string, number>();
  for (const e of cancels) {
    if (e.applied && e.courseId) balance.set(e.courseId, (balance.get(e.courseId) ?? 0) + 1);
  }
  for (const e of invites) balance.set(e.courseId, (balance.get(e.courseId) ?? 0) - e.created.length);
  return Object.fromEntries([...balance].filter(([, n]) => n > 0));
}
