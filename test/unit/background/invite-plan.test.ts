/** "Invite and make room", planned: seat arithmetic, whom to revoke, who stays unseated, bad input. */
import { describe, expect, it } from 'vitest';
import { type PlanInvite, planMakeRoom } from '../../../src/background/jobs/invite-plan';
import { parseAddressList } from '../../../src/shared/addresses';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 12);

function invite(
  id: string,
  daysAgo: number,
  email: string,
  status: PlanInvite['status'] = 'pending',
): PlanInvite {
  return { id, status, sentAt: new Date(NOW - daysAgo * DAY).toISOString(), learner: { name: email, email } };
}

const INVITES: PlanInvite[] = [
  invite('p-young', 1, 'young@x.test'),
  invite('p-old', 20, 'old@x.test'),
  invite('p-oldest', 28, 'oldest@x.test'),
  invite('p-mid', 10, 'mid@x.test'),
  invite('p-expired', 31, 'expired@x.test'), // still 'pending' on the portal's last word, but past 30 days
  invite('a-1', 29, 'acc@x.test', 'accepted'),
];

function plan(text: string, available: number, minAgeDays = 0, invites = INVITES) {
  const assigned = 5;
  return planMakeRoom({
    course: { id: 'c-1', title: 'Fire Safety', seats: { total: assigned + available, assigned, available } },
    invites,
    list: parseAddressList(text),
    minAgeDays,
    now: NOW,
  });
}

describe('planning "invite and make room"', () => {
  it('takes free seats first and sends nothing else while they suffice', () => {
    const p = plan('a@x.test, b@x.test', 3);
    expect(p).toMatchObject({
      toInvite: ['a@x.test', 'b@x.test'],
      free: 2,
      revokes: [],
      unseated: [],
      problem: null,
    });
  });

  it('revokes the oldest pending invites for the rest, never accepted or expired ones', () => {
    const p = plan('a@x.test\nb@x.test\nc@x.test\nd@x.test', 1);
    expect(p.free).toBe(1);
    expect(p.revokes.map((r) => [r.inviteId, r.for])).toEqual([
      ['p-oldest', 'b@x.test'],
      ['p-old', 'c@x.test'],
      ['p-mid', 'd@x.test'],
    ]);
    expect(p.revocable).toBe(4);
    expect(p.unseated).toEqual([]);
  });

  it('with an age filter, revokes only invites at least that old, and says who stays unseated', () => {
    const p = plan('a@x.test; b@x.test; c@x.test; d@x.test', 0, 15);
    expect(p.revokes.map((r) => r.inviteId)).toEqual(['p-oldest', 'p-old']);
    expect(p.toInvite).toEqual(['a@x.test', 'b@x.test']);
    expect(p.unseated).toEqual(['c@x.test', 'd@x.test']);
    expect(p.minAgeDays).toBe(15);
  });

  it('never revokes the invite of an address on the list: that address already holds one', () => {
    const p = plan('Old Timer <OLD@x.test>, acc@x.test, n1@x.test, n2@x.test', 0);
    expect(p.holding).toEqual([
      { email: 'OLD@x.test', status: 'pending', sentAt: INVITES[1]?.sentAt },
      { email: 'acc@x.test', status: 'accepted', sentAt: INVITES[5]?.sentAt },
    ]);
    expect(p.revokes.map((r) => r.inviteId)).toEqual(['p-oldest', 'p-mid']);
    expect(p.toInvite).toEqual(['n1@x.test', 'n2@x.test']);
  });

  it('an expired invite holds nothing: its address is invited like a new one', () => {
    const p = plan('expired@x.test', 1);
    expect(p.holding).toEqual([]);
    expect(p.toInvite).toEqual(['expired@x.test']);
  });

  it('lists malformed and repeated entries and never plans them', () => {
    const p = plan('a@x.test\nA@X.TEST\njane@example\n\tno\n', 5);
    expect(p.malformed.map((m) => m.text)).toEqual(['jane@example', 'no']);
    expect(p.repeated).toEqual([{ email: 'a@x.test', times: 2 }]);
    expect(p.toInvite).toEqual(['a@x.test']);
    expect(p.addresses).toEqual(['a@x.test']);
  });

  it.each([
    ['', /Paste at least one e-mail address/],
    ['nope; also-nope', /None of these is a well-formed/],
    ['young@x.test', /already holds an invite of this course/],
  ])('gives a clear problem and plans nothing for %j', (text, why) => {
    const p = plan(text, 5);
    expect(p.problem).toMatch(why);
    expect([p.toInvite, p.revokes, p.unseated]).toEqual([[], [], []]);
  });

  it('refuses more than 10,000 addresses at once', () => {
    const text = Array.from({ length: 10_001 }, (_, k) => `u${k}@x.test`).join('\n');
    expect(plan(text, 5).problem).toMatch(/paste at most 10,000/);
  });

  it('plans 5,000 pasted addresses against a course of 1,100 invites in well under a second', () => {
    const invites = Array.from({ length: 1100 }, (_, k) =>
      invite(`i-${k}`, (k % 290) / 10, `learner${k}@x.test`, k < 100 ? 'accepted' : 'pending'),
    );
    const text = Array.from({ length: 5000 }, (_, k) => `New Person ${k} <new${k}@example.com>`).join(',\n');
    const t0 = performance.now();
    const p = plan(text, 10, 0, invites);
    const ms = performance.now() - t0;
    console.info(JSON.stringify({ test: 'plan-5000', ms: Math.round(ms * 10) / 10 }));
    expect(p.toInvite).toHaveLength(1010);
    expect(p.unseated).toHaveLength(3990);
    expect(p.revokes).toHaveLength(1000);
    expect(ms).toBeLessThan(1000);
  });
});
