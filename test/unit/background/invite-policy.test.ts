/**
 * The outcome tables of the kinds that invite (src/background/jobs/invite-policy.ts), row by row,
 * through `decide`: an answer or a re-read -> what happens to the item. Pure.
 */
import { describe, expect, it } from 'vitest';
import type { InviteRead, InviteSent } from '../../../src/background/jobs/invite-executor';
import { cancelThenInvitePolicy, invitePolicy, ownInvite } from '../../../src/background/jobs/invite-policy';
import { type Decision, decide, type Verdict } from '../../../src/background/jobs/policy';
import type { Result } from '../../../src/portal/api/client';
import type { Invite } from '../../../src/portal/api/schemas';
import type { InviteStatus, JobItem, PortalError } from '../../../src/shared/types';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 12);
/** The item's first invite request left after this portal time. */
const FROM = NOW - 60_000;

const item = (patch: Partial<JobItem> = {}): JobItem => ({
  jobId: 1,
  kind: 'invite',
  inviteId: 'invite:c-1:new@x.test',
  courseId: 'c-1',
  courseTitle: 'Course',
  learnerId: '',
  learnerName: 'New@x.test',
  learnerEmail: 'New@x.test',
  state: 'in-flight',
  tries: 1,
  error: null,
  updatedAt: NOW,
  email: 'New@x.test',
  reason: 'make-room',
  inviteFrom: FROM,
  ...patch,
});

const invite = (id: string, status: InviteStatus, sentAt: number, email = 'new@X.test'): Invite => ({
  id,
  course: { id: 'c-1', title: 'Course' },
  learner: { id: 'l-9', name: email, email },
  sentAt: new Date(sentAt).toISOString(),
  status,
  progress: null,
});

const err = (kind: PortalError['kind']): Result<never> => ({
  ok: false,
  error: { kind, message: `${kind} message` },
});
const answer = (items: Invite[], skipped: { email: string; reason: string }[] = []): InviteSent => ({
  ok: true,
  value: { items, skipped, seats: { total: 10, assigned: 10, available: 0 } },
});

function run(verdict: Verdict, step: 'send' | 'settle', it: JobItem = item()): Decision {
  return decide(verdict, {
    step,
    item: it,
    settleFails: 0,
    mode: 'run',
    now: NOW,
    maxTries: 5,
    backoffBaseMs: 500,
    random: 0.5,
  });
}
const send = (a: InviteSent, it = item()) => run(invitePolicy({ step: 'send', answer: a }, it), 'send', it);
const settle = (a: InviteRead, it = item()) =>
  run(invitePolicy({ step: 'settle', answer: a }, it), 'settle', it);

describe('inviting an address: the answer', () => {
  it('201 with an invite for the address (any case): invited, the new invite recorded', () => {
    expect(send(answer([invite('i-50', 'pending', NOW)]))).toEqual({
      next: 'final',
      state: 'invited',
      detail: null,
      patch: { newInviteId: 'i-50' },
    });
  });

  it('201 with the address skipped: re-read the course now (whose invite is it?)', () => {
    expect(send(answer([], [{ email: 'NEW@x.test', reason: 'already_pending' }]))).toMatchObject({
      next: 'settle',
      at: NOW,
      lost: expect.stringMatching(/already has an invite/),
    });
  });

  it('201 that does not mention the address: the answer is not about this request, re-read after a back-off', () => {
    expect(send(answer([invite('i-51', 'pending', NOW, 'other@x.test')]))).toMatchObject({ next: 'settle' });
  });

  it.each([
    ['no-seats', 'not-invited', /No free seat: someone else took it/],
    ['invalid-emails', 'not-invited', /refused this address/],
    ['not-found', 'not-invited', /does not know this course/],
  ] as const)('%s: %s, with why', (kind, state, why) => {
    expect(send(err(kind))).toMatchObject({ next: 'final', state, detail: expect.stringMatching(why) });
  });

  it.each(['server-error', 'network-error', 'timeout', 'malformed'] as const)(
    '%s: the answer is lost, settled by re-reading',
    (kind) => {
      expect(send(err(kind))).toMatchObject({ next: 'settle', lost: `${kind} message` });
    },
  );

  it('signed out (any shape): stays in flight to be re-read once signed in, never sent blind; 429: sent again later, uncounted', () => {
    expect(send(err('signed-out'))).toEqual({ next: 'signed-out', requeue: false, recheck: true });
    expect(send(err('rate-limited'))).toMatchObject({ next: 'resend', uncount: true });
  });
});

describe('inviting an address: the re-read of its invites in the course', () => {
  it('an invite sent at or after the first request is the item’s own: invited, confirmed', () => {
    const d = settle({
      ok: true,
      value: [invite('i-old', 'cancelled', FROM - DAY), invite('i-60', 'pending', FROM)],
    });
    expect(d).toMatchObject({ next: 'final', state: 'invited', patch: { newInviteId: 'i-60' } });
    expect(d.next === 'final' && d.detail).toMatch(/Confirmed on re-read/);
  });

  it('its own invite even when cancelled or accepted since: nothing sent again', () => {
    const d = settle({ ok: true, value: [invite('i-61', 'cancelled', FROM + 500)] });
    expect(d).toMatchObject({
      next: 'final',
      state: 'invited',
      detail: expect.stringMatching(/cancelled since/),
    });
  });

  it('a pending or accepted invite sent before the first request is someone else’s: already-invited, said so', () => {
    for (const status of ['pending', 'accepted'] as const) {
      const d = settle({ ok: true, value: [invite('i-70', status, FROM - 1)] });
      expect(d).toMatchObject({
        next: 'final',
        state: 'already-invited',
        detail: expect.stringMatching(/Someone else invited this address/),
      });
    }
  });

  it('nothing live and nothing of its own: not applied, sent again', () => {
    const d = settle({ ok: true, value: [invite('i-71', 'expired', FROM - 31 * DAY)] });
    expect(d).toEqual({ next: 'resend', at: NOW, uncount: false });
  });

  it('after a send answered signed out: its own invite is invited; nothing of its own, sent again with the try given back', () => {
    const out = item({ answerLost: true, signedOut: true });
    expect(settle({ ok: true, value: [invite('i-73', 'cancelled', FROM + 10)] }, out)).toMatchObject({
      next: 'final',
      state: 'invited',
      patch: { newInviteId: 'i-73' },
    });
    expect(settle({ ok: true, value: [] }, out)).toEqual({ next: 'resend', at: NOW, uncount: true });
    // Its last try was no try: five sends answered signed out never fail the item.
    expect(settle({ ok: true, value: [] }, { ...out, tries: 5 })).toMatchObject({ next: 'resend' });
    expect(settle({ ok: true, value: [] }, { ...out, signedOut: false, tries: 5 })).toMatchObject({
      next: 'final',
      state: 'failed',
    });
    // While the job only settles (paused): back to queued, the try given back.
    const paused = decide(invitePolicy({ step: 'settle', answer: { ok: true, value: [] } }, out), {
      step: 'settle',
      item: out,
      settleFails: 0,
      mode: 'settle',
      jobState: 'paused',
      now: NOW,
      maxTries: 5,
      backoffBaseMs: 500,
      random: 0.5,
    });
    expect(paused).toEqual({ next: 'park', uncount: true });
  });

  it('without its send time (never written), any invite found counts as its own: nothing is sent twice', () => {
    expect(ownInvite([invite('i-72', 'pending', 0)], undefined)?.id).toBe('i-72');
  });

  it('a re-read that fails is tried again with back-off', () => {
    expect(settle(err('server-error'))).toMatchObject({ next: 'settle', settleFails: 1 });
  });
});

describe('cancelling then inviting', () => {
  const pair = (patch: Partial<JobItem> = {}) =>
    item({
      kind: 'cancel-then-invite',
      inviteId: 'i-1',
      learnerId: 'l-1',
      phase: 'cancel',
      inviteFrom: undefined,
      ...patch,
    });
  const cancelSent = (a: Result<unknown>, it = pair()) =>
    run(cancelThenInvitePolicy({ step: 'send', answer: { phase: 'cancel', answer: a } }, it), 'send', it);

  it('a cancel that frees the seat proceeds to the invite, recording how', () => {
    expect(cancelSent({ ok: true, value: {} })).toEqual({
      next: 'proceed',
      patch: { phase: 'invite', seatFreed: 'revoked' },
      outcome: 'revoked',
      detail: null,
    });
    const expired = cancelSent({
      ok: false,
      error: { kind: 'not-pending', status: 'expired', message: 'x' },
    });
    expect(expired).toMatchObject({ next: 'proceed', patch: { seatFreed: 'already-expired' } });
  });

  it('an invite accepted meanwhile is kept, and nothing is sent to the address', () => {
    const d = cancelSent({ ok: false, error: { kind: 'not-pending', status: 'accepted', message: 'x' } });
    expect(d).toMatchObject({
      next: 'final',
      state: 'kept-accepted',
      detail: expect.stringMatching(/nothing was sent to New@x.test/),
    });
  });

  it('an invite the portal does not know: nothing is sent to the address', () => {
    const d = cancelSent(err('not-found'));
    expect(d).toMatchObject({
      next: 'final',
      state: 'not-found',
      detail: expect.stringMatching(/Nothing was sent to/),
    });
  });

  it('signed out on its cancel: back to queued, uncounted (a cancel may go again); on its invite: re-read first', () => {
    expect(cancelSent(err('signed-out'))).toEqual({ next: 'signed-out', requeue: true });
    const it2 = pair({ phase: 'invite', seatFreed: 'revoked', inviteFrom: FROM });
    const d = run(
      cancelThenInvitePolicy({ step: 'send', answer: { phase: 'invite', answer: err('signed-out') } }, it2),
      'send',
      it2,
    );
    expect(d).toEqual({ next: 'signed-out', requeue: false, recheck: true });
  });

  it('a lost cancel answer is settled from the learner’s invites; confirmed cancelled proceeds', () => {
    expect(cancelSent(err('timeout'))).toMatchObject({ next: 'settle' });
    const it2 = pair({ answerLost: true });
    const d = run(
      cancelThenInvitePolicy(
        { step: 'settle', answer: { phase: 'cancel', answer: { ok: true, value: 'cancelled' } } },
        it2,
      ),
      'settle',
      it2,
    );
    expect(d).toMatchObject({ next: 'proceed', patch: { phase: 'invite', seatFreed: 'revoked' } });
  });

  it('in its invite phase, reads the invite’s answer', () => {
    const it2 = pair({ phase: 'invite', seatFreed: 'revoked', inviteFrom: FROM });
    const d = run(
      cancelThenInvitePolicy(
        { step: 'send', answer: { phase: 'invite', answer: answer([invite('i-80', 'pending', NOW)]) } },
        it2,
      ),
      'send',
      it2,
    );
    expect(d).toMatchObject({ next: 'final', state: 'invited', patch: { newInviteId: 'i-80' } });
  });
});
