/**
 * The journal: one entry per cancel request and one per invite request that reached the
 * handler's stage (past the rate limit, the session check and injected 5xx), with what it
 * applied. Tests judge Reclaim by it: nothing cancelled twice, nothing accepted touched, no
 * address invited twice, no seat freed and left empty.
 */
import type { InviteJournalEntry, JournalAnswer, JournalEntry } from './types';

export class Journal {
  private seq = 0;
  cancels: JournalEntry[] = [];
  invites: InviteJournalEntry[] = [];

  /** The next sequence number, shared by both kinds of entry. */
  next(): number {
    return ++this.seq;
  }

  addCancel(e: JournalEntry): JournalEntry {
    this.cancels.push(e);
    return e;
  }

  addInvite(e: InviteJournalEntry): InviteJournalEntry {
    this.invites.push(e);
    return e;
  }

  /** Forgets every entry; with `restart`, sequence numbers start again at 1 (a data reset). */
  clear(restart = false): void {
    this.cancels = [];
    this.invites = [];
    if (restart) this.seq = 0;
  }

  answer(): JournalAnswer {
    return { entries: this.cancels, invites: this.invites };
  }
}
