/**
 * The job engine's rules, pure: no Dexie, no timers, no portal. Every step an item takes (a send,
 * or a re-read that settles a lost answer) ends here: its kind's policy function reads the
 * answer into a Verdict, and `decide` turns that into what the engine does next. Which item and
 * job states are final or active is src/shared/job-states.ts: every context asks that.
 *
 * Item life: queued -> in-flight (written BEFORE the request is sent) -> an outcome.
 *
 * Failures every kind shares (`decide`):
 *   signed out          the job pauses as 'signed-out'; a sent item goes back to queued, its
 *                       try not counted (the client reads every shape a portal gives for an
 *                       ended session as one: a 401, a redirect, a sign-in page, a 403, ...).
 *                       A request that must never go twice (an invite) stays in flight instead,
 *                       marked `signedOut`, and is re-read once signed in before it is sent
 *                       again (some of those shapes are confirmed by a session read after the
 *                       fact, and cannot show that the request did not apply); its try is given
 *                       back if it did not.
 *   429                 the step waits Retry-After (1 s without one); not counted as a try
 *   5xx, network error, timeout, malformed 200: the answer is LOST. The request may or may not
 *                       have applied: the item stays 'in-flight', is marked `answerLost`, and is
 *                       settled by re-reading the portal before anything else is sent for it
 *                       (after a back-off). An item found 'in-flight' at start-up is the same case
 *                       (the worker died between sending and recording).
 *   other 4xx           failed, with the portal's reason
 *
 * Items of two requests (cancel-then-invite) end their first with 'proceed': the item is written
 * back to queued for its next request (with what it must remember, and its tries reset), and that
 * write is durable before the next request leaves, since it is claimed like any send. An answer
 * that does not tell whether the item's aim was reached ('unclear': an address skipped as already
 * invited) is settled by a re-read at once, like a lost one.
 *
 * A re-read that shows the request did not apply ('not-applied') sends it again, up to
 * MAX_TRIES tries in all, then fails the item. While a paused or cancelled job only settles
 * what was in flight, such an item goes back to queued (or is skipped, if the job was cancelled).
 * A re-read that itself fails is tried again with back-off, MAX_TRIES times, then fails the item.
 *
 * Cancelling an invite (`cancelPolicy`), from the cancel's answer:
 *   200                          revoked
 *   409 not_pending accepted     kept-accepted (never retried)
 *   409 not_pending cancelled    revoked (see "Who cancelled it?")
 *   409 not_pending expired      already-expired
 *   404                          not-found
 * and from the re-read of the learner's invites after a lost answer:
 *   pending   -> not applied;  cancelled -> revoked (confirmed on re-read);
 *   expired   -> already-expired;  accepted -> kept-accepted;  absent -> not-found.
 * Re-sending a cancel is always safe for the portal (a non-pending invite is never changed), so
 * no invite can be cancelled twice; the rules above only keep the counts honest.
 *
 * Who cancelled it? Every item queued by a job was PENDING on the portal when the job resolved
 * its scope. A 409 'cancelled' to this job's request therefore means the invite was cancelled
 * after that read, and the usual cause is this job: a browser re-sends a POST by itself when a
 * reused connection drops before the answer (Chromium does), so the first transmission applied
 * the cancel and the second gets "already cancelled" (the reference portal's drop-after-apply
 * fault shows it: its journal has the job's first request applied). The portal cannot tell
 * Reclaim who cancelled an invite, so such an item counts as revoked (its audit detail says how
 * it was confirmed); a cancel by someone else in the same seconds is counted the same way, and
 * the seat was returned either way. 'already-cancelled' and 'already-expired' are for invites
 * that were not pending when the scope was resolved (explicit invite ids), and 'already-expired'
 * also when the portal answers 409 expired.
 */
import type { Result } from '../../portal/api/client';
import { t, tn } from '../../shared/i18n';
import type {
  AuditOutcome,
  FinalItemState,
  InviteStatus,
  JobItem,
  JobState,
  PortalError,
} from '../../shared/types';

export const MAX_TRIES = 5;
/** How long a 429 without Retry-After makes a step wait. */
const RATE_LIMIT_WAIT_MS = 1000;

/** One step of an item: sending its request, or re-reading the portal to settle a lost answer. */
export type Step = 'send' | 'settle';

/** What a kind's policy function reads from one step's answer. */
export type Verdict =
  /** The item's outcome; `patch` is what else the item records with it (e.g. the invite created). */
  | { outcome: FinalItemState; detail: string | null; patch?: ItemPatch }
  /** A re-read shows the request did not apply. */
  | 'not-applied'
  /**
   * The portal call failed; `decide` knows what each kind of failure means. `once`: the request
   * must never go twice (an invite), so a sign-out answer to it, which cannot show that it did
   * not apply, is settled by a re-read before it is sent again.
   */
  | { failure: PortalError; once?: boolean }
  /** A send's answer does not tell whether the item's aim was reached: re-read the portal now. */
  | { unclear: string }
  /** The item's first request ended with `outcome` (audited); it goes on with its next, recording `patch`. */
  | { proceed: ItemPatch; outcome: AuditOutcome; detail: string | null };

/** What a kind's policy may record on an item besides its state (never its key, job or kind). */
export type ItemPatch = Partial<Pick<JobItem, 'phase' | 'seatFreed' | 'newInviteId' | 'inviteFrom'>>;

/** One step's answer, as a kind's executor returns it: `Sent` for a send, `Read` for a re-read. */
type StepAnswer<Sent, Read> = { step: 'send'; answer: Sent } | { step: 'settle'; answer: Read };

/** A kind's policy function: one step's answer (and the item as it was sent) -> a verdict. Pure. */
export type KindPolicy<Sent, Read> = (result: StepAnswer<Sent, Read>, item: JobItem) => Verdict;

/** What the engine does with the item next. Times are on the `now` given to `decide`. */
export type Decision =
  | { next: 'final'; state: FinalItemState; detail: string | null; patch?: ItemPatch }
  /** Its first request is done: back to queued with `patch`, tries reset, and sent on (unless only settling). */
  | { next: 'proceed'; patch: ItemPatch; outcome: AuditOutcome; detail: string | null }
  /** Back to queued and sent again at `at`; `uncount` gives the try it took back (a 429, a 401). */
  | { next: 'resend'; at: number; uncount: boolean }
  /**
   * Stays in flight with its answer lost, and is re-read at `at`. `lost` is the error that lost
   * the answer, set when a send lost it; `settleFails` counts re-reads that failed.
   */
  | { next: 'settle'; at: number; lost: string | null; settleFails: number }
  /**
   * The manager must sign in again; `requeue`: the item sent goes back to queued, uncounted.
   * `recheck`: the item sent stays in flight, marked `signedOut`, to be re-read once signed in.
   */
  | { next: 'signed-out'; requeue: boolean; recheck?: boolean }
  /** Not applied while the job only settles (paused): back to queued for a later run (`uncount`: as for resend). */
  | { next: 'park'; uncount?: boolean };

export interface DecideContext {
  step: Step;
  item: JobItem;
  /** Failed re-reads of this item so far in this run. */
  settleFails: number;
  /** 'run' sends; 'settle' only settles what was in flight (paused or cancelled job). */
  mode: 'run' | 'settle';
  /** The job's state now; only read for a 'not-applied' verdict while settling. */
  jobState?: JobState;
  now: number;
  maxTries: number;
  backoffBaseMs: number;
  /** A number in [0, 1): the back-off's jitter. */
  random: number;
}

/** Answers whose request may or may not have applied. */
const LOST: ReadonlySet<PortalError['kind']> = new Set([
  'server-error',
  'network-error',
  'timeout',
  'malformed',
]);

/** Back-off before try `tries + 1`: doubles per try from `baseMs`, capped at 16x, with jitter in its upper half. */
export function backoff(tries: number, baseMs: number, random: number): number {
  const cap = Math.min(baseMs * 16, baseMs * 2 ** Math.max(0, tries - 1));
  return Math.round(cap / 2 + random * (cap / 2));
}

export function decide(verdict: Verdict, ctx: DecideContext): Decision {
  if (verdict === 'not-applied') return notApplied(ctx);
  if ('proceed' in verdict)
    return { next: 'proceed', patch: verdict.proceed, outcome: verdict.outcome, detail: verdict.detail };
  if ('outcome' in verdict) {
    const d: Decision = { next: 'final', state: verdict.outcome, detail: verdict.detail };
    if (verdict.patch) d.patch = verdict.patch;
    return d;
  }
  if ('unclear' in verdict) {
    // From a send: settle now. A re-read that cannot tell counts as one that failed.
    if (ctx.step === 'send') return { next: 'settle', at: ctx.now, lost: verdict.unclear, settleFails: 0 };
    return settleFailed(ctx, verdict.unclear);
  }
  const e = verdict.failure;
  const wait = ctx.now + (e.retryAfterMs ?? RATE_LIMIT_WAIT_MS);
  if (ctx.step === 'send') {
    if (e.kind === 'signed-out')
      return verdict.once
        ? { next: 'signed-out', requeue: false, recheck: true }
        : { next: 'signed-out', requeue: true };
    if (e.kind === 'rate-limited') return { next: 'resend', at: wait, uncount: true };
    if (LOST.has(e.kind)) {
      const at = ctx.now + backoff(ctx.item.tries, ctx.backoffBaseMs, ctx.random);
      return { next: 'settle', at, lost: e.message, settleFails: 0 };
    }
    return { next: 'final', state: 'failed', detail: e.message };
  }
  if (e.kind === 'signed-out') return { next: 'signed-out', requeue: false };
  if (e.kind === 'rate-limited')
    return { next: 'settle', at: wait, lost: null, settleFails: ctx.settleFails };
  return settleFailed(ctx, e.message);
}

/** A re-read that failed: tried again with back-off, MAX_TRIES times, then the item fails. */
function settleFailed(ctx: DecideContext, why: string): Decision {
  const fails = ctx.settleFails + 1;
  if (fails >= ctx.maxTries) {
    const detail = t('engineLostUnread', why);
    return { next: 'final', state: 'failed', detail };
  }
  const at = ctx.now + backoff(fails, ctx.backoffBaseMs, ctx.random);
  return { next: 'settle', at, lost: null, settleFails: fails };
}

function notApplied(ctx: DecideContext): Decision {
  // A send answered signed out is no try: given back once the re-read shows it did not apply.
  const uncount = ctx.item.signedOut === true;
  if (ctx.mode === 'settle') {
    if (ctx.jobState === 'cancelled') return { next: 'final', state: 'skipped', detail: null };
    return uncount ? { next: 'park', uncount } : { next: 'park' };
  }
  if (ctx.item.tries - (uncount ? 1 : 0) >= ctx.maxTries) {
    const detail = tn('engineGaveUp', ctx.item.tries, ctx.item.error ?? t('errorNoAnswer'));
    return { next: 'final', state: 'failed', detail };
  }
  return { next: 'resend', at: ctx.now, uncount };
}

/**
 * The cancel kind's policy (the table in this file's header). A send answers the cancel (its
 * body unused); a re-read answers the invite's status on the portal, null when it is absent.
 */
export const cancelPolicy: KindPolicy<Result<unknown>, Result<InviteStatus | null>> = (result, item) => {
  if (result.step === 'settle') {
    const answer = result.answer;
    if (!answer.ok) return { failure: answer.error };
    switch (answer.value) {
      case null:
        return { outcome: 'not-found', detail: t('engineNoLongerListed') };
      case 'cancelled':
        return { outcome: 'revoked', detail: t('engineConfirmedCancelled') };
      case 'expired':
        return { outcome: 'already-expired', detail: null };
      case 'accepted':
        return { outcome: 'kept-accepted', detail: t('engineKept') };
      default:
        return 'not-applied';
    }
  }
  const answer = result.answer;
  if (answer.ok) return { outcome: 'revoked', detail: null };
  const e = answer.error;
  if (e.kind === 'not-found') return { outcome: 'not-found', detail: e.message };
  if (e.kind !== 'not-pending') return { failure: e };
  if (e.status === 'accepted') return { outcome: 'kept-accepted', detail: t('engineKept') };
  if (e.status === 'expired') return { outcome: 'already-expired', detail: null };
  return {
    outcome: 'revoked',
    detail: item.answerLost ? t('engineCancelledAfterLost') : t('engineCancelledResent'),
  };
};
