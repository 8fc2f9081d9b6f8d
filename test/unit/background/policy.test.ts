/**
 * The job engine's outcome table (src/background/jobs/policy.ts), row by row: a step's answer
 * -> what happens to the item. Pure: no Dexie, no timers, no portal.
 */
import { describe, expect, it } from 'vitest';
import {
  backoff,
  cancelPolicy,
  type DecideContext,
  type Decision,
  decide,
  MAX_TRIES,
} from '../../../src/background/jobs/policy';
import type { Result } from '../../../src/portal/api/client';
import type { InviteStatus, JobItem, JobState, PortalError } from '../../../src/shared/types';

const NOW = 1_000_000;
const BASE = 500;

const item = (patch: Partial<JobItem> = {}): JobItem => ({
  jobId: 1,
  kind: 'cancel',
  inviteId: 'i-1',
  courseId: 'c-1',
  courseTitle: 'Course',
  learnerId: 'l-1',
  learnerName: 'Learner',
  learnerEmail: 'l@example.test',
  state: 'in-flight',
  tries: 1,
  error: null,
  updatedAt: NOW,
  ...patch,
});

const err = (kind: PortalError['kind'], extra: Partial<PortalError> = {}): Result<never> => ({
  ok: false,
  error: { kind, message: `${kind} message`, ...extra },
});
const ok = <T>(value: T): Result<T> => ({ ok: true, value });

interface Row {
  what: string;
  step: 'send' | 'settle';
  answer: Result<unknown> | Result<InviteStatus | null>;
  item?: Partial<JobItem>;
  settleFails?: number;
  mode?: 'run' | 'settle';
  jobState?: JobState;
  expect: Decision;
}

/** random = 0.5: back-off after n tries is 3/4 of its cap. */
const wait = (tries: number) => backoff(tries, BASE, 0.5);

const TABLE: Row[] = [
  // The cancel's answer.
  { what: '200', step: 'send', answer: ok({}), expect: { next: 'final', state: 'revoked', detail: null } },
  {
    what: '409 not_pending accepted',
    step: 'send',
    answer: err('not-pending', { status: 'accepted' }),
    expect: { next: 'final', state: 'kept-accepted', detail: 'Accepted by the learner: kept.' },
  },
  {
    what: '409 not_pending expired',
    step: 'send',
    answer: err('not-pending', { status: 'expired' }),
    expect: { next: 'final', state: 'already-expired', detail: null },
  },
  {
    what: '409 not_pending cancelled, first answer',
    step: 'send',
    answer: err('not-pending', { status: 'cancelled' }),
    expect: {
      next: 'final',
      state: 'revoked',
      detail:
        'The portal reported it cancelled (pending when this revoke began; the answer to its request was lost and re-sent).',
    },
  },
  {
    what: '409 not_pending cancelled after a lost answer',
    step: 'send',
    answer: err('not-pending', { status: 'cancelled' }),
    item: { answerLost: true },
    expect: {
      next: 'final',
      state: 'revoked',
      detail: 'Confirmed cancelled after an earlier answer was lost.',
    },
  },
  {
    what: '404',
    step: 'send',
    answer: err('not-found'),
    expect: { next: 'final', state: 'not-found', detail: 'not-found message' },
  },
  { what: '401', step: 'send', answer: err('signed-out'), expect: { next: 'signed-out', requeue: true } },
  {
    what: '429 with Retry-After',
    step: 'send',
    answer: err('rate-limited', { retryAfterMs: 2500 }),
    expect: { next: 'resend', at: NOW + 2500, uncount: true },
  },
  {
    what: '429 without Retry-After',
    step: 'send',
    answer: err('rate-limited'),
    expect: { next: 'resend', at: NOW + 1000, uncount: true },
  },
  {
    what: '403',
    step: 'send',
    answer: err('forbidden'),
    expect: { next: 'final', state: 'failed', detail: 'forbidden message' },
  },
  ...(['server-error', 'network-error', 'timeout', 'malformed'] as const).map(
    (kind): Row => ({
      what: `${kind}: the answer is lost`,
      step: 'send',
      answer: err(kind),
      item: { tries: 3 },
      expect: { next: 'settle', at: NOW + wait(3), lost: `${kind} message`, settleFails: 0 },
    }),
  ),
  // The re-read after a lost answer.
  {
    what: 're-read: still pending',
    step: 'settle',
    answer: ok('pending'),
    item: { tries: 2 },
    expect: { next: 'resend', at: NOW, uncount: false },
  },
  {
    what: `re-read: still pending after ${MAX_TRIES} tries`,
    step: 'settle',
    answer: ok('pending'),
    item: { tries: MAX_TRIES, error: 'HTTP 503' },
    expect: { next: 'final', state: 'failed', detail: `Gave up after ${MAX_TRIES} tries: HTTP 503` },
  },
  {
    what: 're-read: pending while a paused job settles',
    step: 'settle',
    answer: ok('pending'),
    mode: 'settle',
    jobState: 'paused',
    expect: { next: 'park' },
  },
  {
    what: 're-read: pending while a cancelled job settles',
    step: 'settle',
    answer: ok('pending'),
    mode: 'settle',
    jobState: 'cancelled',
    expect: { next: 'final', state: 'skipped', detail: null },
  },
  {
    what: 're-read: cancelled',
    step: 'settle',
    answer: ok('cancelled'),
    expect: {
      next: 'final',
      state: 'revoked',
      detail: 'Confirmed cancelled on re-read (the answer was lost).',
    },
  },
  {
    what: 're-read: expired',
    step: 'settle',
    answer: ok('expired'),
    expect: { next: 'final', state: 'already-expired', detail: null },
  },
  {
    what: 're-read: accepted',
    step: 'settle',
    answer: ok('accepted'),
    expect: { next: 'final', state: 'kept-accepted', detail: 'Accepted by the learner: kept.' },
  },
  {
    what: 're-read: absent',
    step: 'settle',
    answer: ok(null),
    expect: { next: 'final', state: 'not-found', detail: 'The portal no longer lists this invite.' },
  },
  {
    what: 're-read: 401',
    step: 'settle',
    answer: err('signed-out'),
    expect: { next: 'signed-out', requeue: false },
  },
  {
    what: 're-read: 429 keeps its count of failed re-reads',
    step: 'settle',
    answer: err('rate-limited', { retryAfterMs: 700 }),
    settleFails: 2,
    expect: { next: 'settle', at: NOW + 700, lost: null, settleFails: 2 },
  },
  {
    what: 're-read: 5xx, tried again with back-off',
    step: 'settle',
    answer: err('server-error'),
    settleFails: 1,
    expect: { next: 'settle', at: NOW + wait(2), lost: null, settleFails: 2 },
  },
  {
    what: `re-read: fails for the ${MAX_TRIES}th time`,
    step: 'settle',
    answer: err('network-error'),
    settleFails: MAX_TRIES - 1,
    expect: {
      next: 'final',
      state: 'failed',
      detail: "The answer was lost and the invite's state could not be read: network-error message",
    },
  },
];

describe('job policy: the outcome table', () => {
  it.each(TABLE)('$step $what', (row) => {
    const it = item(row.item);
    const verdict =
      row.step === 'send'
        ? cancelPolicy({ step: 'send', answer: row.answer as Result<unknown> }, it)
        : cancelPolicy({ step: 'settle', answer: row.answer as Result<InviteStatus | null> }, it);
    const ctx: DecideContext = {
      step: row.step,
      item: it,
      settleFails: row.settleFails ?? 0,
      mode: row.mode ?? 'run',
      jobState: row.jobState,
      now: NOW,
      maxTries: MAX_TRIES,
      backoffBaseMs: BASE,
      random: 0.5,
    };
    expect(decide(verdict, ctx)).toEqual(row.expect);
  });
});

describe('job policy: back-off', () => {
  it('doubles per try from the base, caps at 16x, and keeps its jitter in the upper half', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((n) => backoff(n, 100, 1))).toEqual([
      100, 200, 400, 800, 1600, 1600, 1600,
    ]);
    expect(backoff(1, 100, 0)).toBe(50);
    expect(backoff(5, 100, 0)).toBe(800);
  });
});
