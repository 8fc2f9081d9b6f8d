/**
 * What the in-page controls show, as phases of a row and of the table's Revoke all, and the
 * words for them. Pure: the controller moves rows between phases as job views arrive.
 */
import { heldText } from '../../shared/held';
import { isActiveJob } from '../../shared/job-states';
import type { CachedInvite, JobView } from '../../shared/types';

/** What one invite's control shows. */
export type RowPhase =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | { kind: 'waiting'; startAt: number }
  | { kind: 'running'; note: string | null }
  | { kind: 'queued' } // covered by the table's Revoke all, in its Undo window
  | { kind: 'checking' } // Revoke all finished; waiting for fresh invites to tell this row's outcome
  | { kind: 'revoked' }
  | { kind: 'kept' }
  | { kind: 'gone'; text: string }
  | { kind: 'failed'; reason: string };

export interface BulkState {
  phase: 'idle' | 'starting' | 'waiting' | 'running' | 'done' | 'undone' | 'error';
  view: JobView | null;
  /** Pending invites the manager saw counted when starting: the rows the job covers. */
  ids: ReadonlySet<string>;
  message: string | null;
}

/** A row's own job is under way. */
export const ACTIVE_ROW: ReadonlySet<RowPhase['kind']> = new Set(['starting', 'waiting', 'running']);
/** A row's invite reached an outcome: it is no longer pending. */
export const FINAL_ROW: ReadonlySet<RowPhase['kind']> = new Set(['revoked', 'kept', 'gone']);

/** Which of two views of one job is further along: waiting, then active, then finished. */
function rank(view: JobView): number {
  if (view.job.state === 'waiting') return 0;
  return isActiveJob(view.job.state) ? 1 : 2;
}
export const newerView = (a: JobView, b: JobView): JobView => (rank(b) > rank(a) ? b : a);

/** The phase of a row whose own job (one invite) is in `view`. */
export function rowJobPhase(view: JobView): RowPhase {
  const { job, counts } = view;
  switch (job.state) {
    case 'waiting':
      return { kind: 'waiting', startAt: job.startAt };
    case 'running':
      return { kind: 'running', note: null };
    case 'paused':
    case 'signed-out':
      return { kind: 'running', note: job.message ?? 'Paused' };
  }
  if (counts.revoked > 0) return { kind: 'revoked' };
  if (counts.keptAccepted > 0) return { kind: 'kept' };
  if (counts.alreadyGone > 0) return { kind: 'gone', text: 'Already gone' };
  if (counts.failed > 0) return { kind: 'failed', reason: view.failures[0]?.error ?? 'unknown error' };
  // Another job (the table's Revoke all, another tab, the popup) is revoking this invite.
  if (job.heldByOthers?.length) return { kind: 'gone', text: 'Already being revoked' };
  return { kind: 'idle' };
}

/**
 * A row covered by a Revoke all that finished: its failure, revoked when every item of the job
 * was revoked, else 'checking' until fresh invites tell.
 */
export function bulkRowPhase(view: JobView, failures: ReadonlyMap<string, string>, id: string): RowPhase {
  const reason = failures.get(id);
  if (reason !== undefined) return { kind: 'failed', reason };
  const c = view.counts;
  const oneKind = c.keptAccepted === 0 && c.alreadyGone === 0 && c.skipped === 0;
  return oneKind && c.revoked > 0 ? { kind: 'revoked' } : { kind: 'checking' };
}

/**
 * A 'checking' row, from its invite as the cache has it now: kept, revoked or gone once it is
 * no longer pending; idle once the cache is `fresh` (read after the job) and still says pending;
 * else null (keep checking).
 */
export function checkedPhase(
  invite: CachedInvite | undefined,
  view: JobView,
  fresh: boolean,
): RowPhase | null {
  if (invite?.status === 'accepted') return { kind: 'kept' };
  if (invite?.status !== 'pending') {
    if (view.counts.alreadyGone === 0) return { kind: 'revoked' };
    return view.counts.revoked === 0
      ? { kind: 'gone', text: 'Already gone' }
      : { kind: 'gone', text: 'No longer pending' };
  }
  return fresh ? { kind: 'idle' } : null;
}

export function describe(phase: RowPhase): string {
  switch (phase.kind) {
    case 'revoked':
      return 'Revoked — seat returned';
    case 'kept':
      return 'Kept — accepted';
    case 'gone':
      return phase.text;
    case 'failed':
      return `Failed: ${phase.reason}`;
    case 'queued':
      return 'Queued to revoke';
    case 'checking':
      return 'Checking…';
    case 'running':
      return phase.note ? `Paused: ${phase.note}` : 'Revoking…';
    default:
      return '';
  }
}

export function summary(view: JobView): string {
  const c = view.counts;
  const parts = [
    `${c.revoked} revoked`,
    `${c.keptAccepted} kept (accepted)`,
    `${c.alreadyGone} already gone`,
    `${c.failed} failed`,
  ];
  if (c.skipped) parts.push(`${c.skipped} not sent`);
  const held = heldText(view.job.heldByOthers);
  return `Done: ${parts.join(', ')}.${held ? ` ${held}.` : ''}`;
}

export function isJobView(value: unknown): value is JobView {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<JobView>;
  return (
    typeof v.job === 'object' &&
    v.job !== null &&
    typeof v.job.id === 'number' &&
    typeof v.job.state === 'string' &&
    typeof v.counts === 'object' &&
    v.counts !== null &&
    Array.isArray(v.failures)
  );
}
