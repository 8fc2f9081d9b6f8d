/**
 * What the in-page controls show, as phases of a row and of the table's Revoke all, and the
 * words for them. Pure: the controller moves rows between phases as job views arrive.
 */
import { heldText } from '../../shared/held';
import { type PluralKey, t, tn } from '../../shared/i18n';
import { isActiveJob } from '../../shared/job-states';
import type { CachedInvite, JobView } from '../../shared/types';
import { failureWords } from '../../shared/ui/failure-words';

/** What one invite's control shows. */
export type RowPhase =
  | { kind: 'idle' }
  /**
   * In its Undo window, which began at the click (`startAt`: its end, this computer's clock);
   * the background's own window began when it had read the scope, so it ends later still.
   */
  | { kind: 'waiting'; startAt: number }
  | { kind: 'undoing' } // Undo pressed, the background not yet done with it
  | { kind: 'running'; note: string | null }
  | { kind: 'queued'; startAt: number | null } // covered by the table's Revoke all, in its Undo window
  | { kind: 'checking' } // Revoke all finished; waiting for fresh invites to tell this row's outcome
  | { kind: 'revoked' }
  | { kind: 'kept' }
  | { kind: 'gone'; text: 'rowGone' | 'rowHeld' | 'rowNoLonger'; final: boolean } // text: its words' key
  | { kind: 'failed'; reason: string };

export interface BulkState {
  phase: 'idle' | 'waiting' | 'undoing' | 'running' | 'done' | 'undone' | 'error';
  view: JobView | null;
  /** Pending invites the manager saw counted when starting: the rows the job covers. */
  ids: ReadonlySet<string>;
  message: string | null;
  /** End of the Undo window that began at the click (this computer's clock), while there is one. */
  startAt: number | null;
}

/** A row's own job is under way. */
export const ACTIVE_ROW: ReadonlySet<RowPhase['kind']> = new Set(['waiting', 'undoing', 'running']);
/** A row's invite reached an outcome: it is no longer pending. */
export const FINAL_ROW: ReadonlySet<RowPhase['kind']> = new Set(['revoked', 'kept', 'gone']);

/** Which of two views of one job is further along: waiting, then active, then finished. */
function rank(view: JobView): number {
  if (view.job.state === 'waiting') return 0;
  return isActiveJob(view.job.state) ? 1 : 2;
}
export const newerView = (a: JobView, b: JobView): JobView => (rank(b) > rank(a) ? b : a);

const ALREADY_GONE: RowPhase = { kind: 'gone', text: 'rowGone', final: true };

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
      return { kind: 'running', note: job.message ?? t('rowPaused') };
  }
  if (counts.revoked > 0) return { kind: 'revoked' };
  if (counts.keptAccepted > 0) return { kind: 'kept' };
  if (counts.alreadyGone > 0) return ALREADY_GONE;
  if (counts.failed > 0) return { kind: 'failed', reason: view.failures[0]?.error ?? t('rowUnknown') };
  // Another job (the table's Revoke all, another tab, the popup) is revoking this invite.
  if (job.heldByOthers?.length) return { kind: 'gone', text: 'rowHeld', final: false };
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
    return view.counts.revoked === 0 ? ALREADY_GONE : { kind: 'gone', text: 'rowNoLonger', final: true };
  }
  return fresh ? { kind: 'idle' } : null;
}

/** Whole seconds left until `at` (this computer's clock), at least 0. */
export const secondsLeft = (at: number, now = Date.now()): number =>
  Math.max(0, Math.ceil((at - now) / 1000));

/** A row's outcome or state in words ('' where the row shows its expiry instead). */
export function describe(phase: RowPhase): string {
  switch (phase.kind) {
    case 'revoked':
      return t('rowReturned');
    case 'kept':
      return t('rowKept');
    case 'gone':
      return t(phase.text);
    case 'failed':
      return failureWords(phase.reason);
    case 'checking':
      return t('rowChecking');
    case 'undoing':
      return t('rowUndoing');
    case 'running':
      return phase.note ? t('rowPausedWhy', phase.note) : t('rowRevoking');
    default:
      return '';
  }
}

/**
 * What the row's status cell says instead of the portal's stale "pending", once Reclaim knows
 * better (null: the portal's own status stands).
 */
export function statusWord(phase: RowPhase): string | null {
  if (phase.kind === 'revoked') return t('rowRevoked');
  if (phase.kind === 'kept') return t('rowAccepted');
  if (phase.kind === 'gone' && phase.final) return t('rowNotPending');
  return null;
}

/** The counts a revoke's end names, in this order. */
const SUMMED = [
  ['revoked', 'rowSumRevoked'],
  ['keptAccepted', 'rowSumKept'],
  ['alreadyGone', 'rowSumGone'],
  ['failed', 'rowSumFailed'],
  ['skipped', 'rowSumSkipped'],
] as const satisfies readonly (readonly [keyof JobView['counts'], PluralKey])[];

/** The end of a revoke in one sentence: only the counts that are not zero. */
export function summary(view: JobView): string {
  const parts = SUMMED.filter(([count]) => view.counts[count]).map(([count, key]) =>
    tn(key, view.counts[count]),
  );
  const held = heldText(view.job.heldByOthers);
  if (held) parts.push(held);
  return parts.length ? t('rowDone', parts.join(', ')) : t('rowDoneNone');
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
