import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { InvitePlan } from '../../../src/shared/invite-work';
import type { CourseOverview, InviteLine } from '../../../src/shared/types';
import { COURSES, type Fake, fakeDeps, jobView, NOW, settle } from './fakes';
import { buttonNamed, clickAndSettle, mountPopup, unmountPopups } from './mount';

let root: HTMLElement;

async function mount(f: Fake) {
  const popup = await mountPopup(f);
  root = popup.root;
  return popup.store;
}

const button = (label: RegExp) => buttonNamed(root, label);
const click = (el: HTMLElement | null | undefined) => clickAndSettle(el);

afterEach(unmountPopups);

const plan = (over: Partial<InvitePlan> = {}): InvitePlan => ({
  courseId: 'c-1',
  courseTitle: 'Fire Safety',
  seats: { total: 20, assigned: 19, available: 1 },
  entries: 5,
  addresses: ['a@x.test', 'b@x.test', 'c@x.test', 'held@x.test'],
  malformed: [{ text: 'nope', reason: 'there is no @ in it' }],
  repeated: [],
  holding: [{ email: 'held@x.test', status: 'pending', sentAt: new Date(NOW).toISOString() }],
  toInvite: ['a@x.test', 'b@x.test'],
  free: 1,
  revokes: [
    {
      inviteId: 'i-9',
      learnerName: 'Old Learner',
      learnerEmail: 'old@x.test',
      sentAt: new Date(NOW).toISOString(),
      for: 'b@x.test',
    },
  ],
  unseated: ['c@x.test'],
  minAgeDays: 0,
  revocable: 1,
  now: NOW,
  problem: null,
  ...over,
});

describe('popup: jobs that invite', () => {
  it('counts each course’s invites expiring within the renew setting, and renews them with Undo', async () => {
    const f = fakeDeps({
      settings: { renewDays: 5 },
      overview: {
        origin: 'http://127.0.0.1:4310',
        courses: [{ ...(COURSES[0] as CourseOverview), expiring: 2 }],
        fetchedAt: NOW,
      },
    });
    f.handlers['invite.start'] = () => ({
      ...jobView(4, 'waiting', { total: 2, queued: 2 }),
      job: { ...jobView(4, 'waiting').job, reason: 'renew' },
    });
    await mount(f);
    expect(f.watches.at(-1)).toMatchObject({ renewDays: 5 });
    await click(button(/^Renew expiring \(2\) in Fire Safety$/));
    expect(f.sent.find((r) => r.type === 'invite.start')).toEqual({
      type: 'invite.start',
      work: { kind: 'renew-expiring', courseId: 'c-1', withinDays: 5 },
    });
    expect(root.querySelector('#undo-title')?.textContent).toBe('Renewing 2 invites');
  });

  it('shows the plan before anything is sent, then starts exactly that plan', async () => {
    const f = fakeDeps();
    f.handlers['invite.plan'] = () => plan();
    f.handlers['invite.start'] = () => ({
      ...jobView(5, 'waiting', { total: 5, queued: 2 }),
      job: { ...jobView(5, 'waiting').job, reason: 'make-room' },
    });
    const store = await mount(f);
    await click(button(/Invite and make room in Fire Safety/));
    expect(root.querySelector('[data-testid="invite-panel"]')).not.toBeNull();
    await act(async () => {
      store.getState().setInviteText('a@x.test, b@x.test\nc@x.test; held@x.test; nope');
      await settle();
    });
    await click(button(/Show the plan/));
    expect(f.sent.find((r) => r.type === 'invite.plan')).toMatchObject({ courseId: 'c-1', minAgeDays: 0 });
    expect(f.sent.some((r) => r.type === 'invite.start')).toBe(false);
    expect(root.querySelector('[data-testid="plan-unseated"]')?.textContent).toContain('c@x.test');
    expect(root.querySelector('[data-testid="plan-malformed"]')?.textContent).toContain(
      'nope: there is no @ in it',
    );
    expect(root.querySelector('[data-testid="plan-holding"]')?.textContent).toContain(
      'held@x.test (pending)',
    );
    await click(button(/^Invite 2 addresses and revoke 1 pending invite in Fire Safety$/));
    expect(f.sent.find((r) => r.type === 'invite.start')).toEqual({
      type: 'invite.start',
      work: {
        kind: 'make-room',
        courseId: 'c-1',
        emails: plan().addresses,
        revokeIds: ['i-9'],
        minAgeDays: 0,
      },
    });
    expect(store.getState().inviting).toBeNull();
    expect(root.querySelector('#undo-title')?.textContent).toBe('Inviting 5 addresses and making room');
  });

  it('asks for a new plan once the paste changed, and never starts a plan with a problem', async () => {
    const f = fakeDeps();
    f.handlers['invite.plan'] = () =>
      plan({ problem: 'Paste at least one e-mail address.', toInvite: [], revokes: [], unseated: [] });
    const store = await mount(f);
    await click(button(/Invite and make room in Fire Safety/));
    await act(async () => {
      store.getState().setInviteText(' ');
      await settle();
    });
    expect(button(/Show the plan/)?.disabled).toBe(true);
    await act(async () => {
      store.getState().setInviteText(';;');
      await settle();
    });
    await click(button(/Show the plan/));
    expect(root.querySelector('[data-testid="plan-problem"]')?.textContent).toBe(
      'Paste at least one e-mail address.',
    );
    expect(button(/^Invite /)).toBeUndefined();
    await act(async () => {
      await store.getState().startInvites();
    });
    expect(f.sent.some((r) => r.type === 'invite.start')).toBe(false);
  });

  it('keeps the panel with the reason when the start is refused (the course changed)', async () => {
    const f = fakeDeps();
    f.handlers['invite.plan'] = () => plan();
    const store = await mount(f);
    await click(button(/Invite and make room in Fire Safety/));
    await act(async () => {
      store.getState().setInviteText('a@x.test');
      await settle();
    });
    await click(button(/Show the plan/));
    f.deps.send = async (req) => {
      f.sent.push(req);
      return {
        ok: false,
        error: { kind: 'refused', message: 'The course changed since the plan was made.' },
      };
    };
    await click(button(/^Invite 2/));
    expect(store.getState().inviting?.error).toBe(
      "Couldn't start: the course changed since the plan was made",
    );
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('the course changed');
    expect(button(/Show the plan/)).toBeDefined();
  });

  it('reports each address, seats freed and left free first with why, and offers Retry failed', async () => {
    const line = (email: string, over: Partial<InviteLine>): InviteLine => ({
      key: email,
      email,
      courseId: 'c-1',
      courseTitle: 'Fire Safety',
      outcome: 'invited',
      detail: null,
      newInviteId: null,
      revoked: null,
      seatLeftFree: null,
      ...over,
    });
    const f = fakeDeps();
    const view = jobView(6, 'done', { total: 3, queued: 0, invited: 1, notInvited: 1, failed: 1 });
    view.job.reason = 'reassign';
    view.seatsReturnedByCourse = [{ courseId: 'c-1', courseTitle: 'Fire Safety', seats: 2 }];
    view.lines = [
      line('ok@x.test', {
        revoked: { inviteId: 'i-1', learnerName: 'Ann', learnerEmail: 'ann@x.test', outcome: 'revoked' },
      }),
      line('fail@x.test', { outcome: 'failed', detail: 'Gave up' }),
      line('late@x.test', {
        outcome: 'not-invited',
        seatLeftFree: 'No free seat: someone else took it before this invite went out.',
        revoked: { inviteId: 'i-2', learnerName: 'Bo', learnerEmail: 'bo@x.test', outcome: 'revoked' },
      }),
    ];
    f.handlers['job.current'] = () => view;
    await mount(f);
    expect(root.querySelector('#report-title')?.textContent).toBe('Reassign finished');
    expect(root.querySelector('[data-testid="report-seats-left"]')?.textContent).toBe('1');
    expect(root.querySelector('[data-testid="report-revoked"]')?.textContent).toBe('2');
    const rows = [...root.querySelectorAll('table.invite-lines tbody tr')].map((r) =>
      r.getAttribute('data-email'),
    );
    expect(rows).toEqual(['late@x.test', 'fail@x.test', 'ok@x.test']);
    expect(root.querySelector('tr[data-email="late@x.test"]')?.textContent).toContain(
      'Seat left free: No free seat',
    );
    // Not pruned yet: every address listed, and no word about pruning.
    expect(root.querySelector('[data-testid="report-pruned"]')).toBeNull();
    f.handlers['job.retryFailed'] = () => view;
    await click(button(/Retry failed/));
    expect(f.sent.some((r) => r.type === 'job.retryFailed')).toBe(true);
  });

  it('says which lines a pruned report still lists, and where the rest are', async () => {
    const f = fakeDeps();
    const view = jobView(7, 'done', { total: 40, queued: 0, invited: 39, notInvited: 1 });
    view.job.reason = 'make-room';
    view.job.itemsPrunedAt = Date.now();
    view.lines = [
      {
        key: 'i-9',
        email: 'late@x.test',
        courseId: 'c-1',
        courseTitle: 'Fire Safety',
        outcome: 'not-invited',
        detail: 'No free seat',
        newInviteId: null,
        revoked: { inviteId: 'i-9', learnerName: 'Bo', learnerEmail: 'bo@x.test', outcome: 'revoked' },
        seatLeftFree: 'No free seat',
      },
    ];
    f.handlers['job.current'] = () => view;
    await mount(f);
    expect(root.querySelector('[data-testid="report-invited"]')?.textContent).toBe('39');
    expect(root.querySelectorAll('table.invite-lines tbody tr')).toHaveLength(1);
    expect(root.querySelector('[data-testid="report-pruned"]')?.textContent).toMatch(
      /Only failures and seats left free are still listed.*audit log keeps every invite/,
    );
  });
});
