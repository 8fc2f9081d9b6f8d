/**
 * Reassign and Renew on each pending row, and on a course's Usage tab "Renew expiring (N)" and
 * "Invite and make room": what they send, that bad input sends nothing, that only a person's
 * click acts, and what the row and bar say as the job goes.
 */
import { describe, expect, it, vi } from 'vitest';
import { startFeature } from '../../../src/content/lib/feature';
import { inviteHistory, usageTab } from '../../../src/content/lib/specs';
import { rootOf } from '../../../src/content/lib/styles';
import type { InvitePlan } from '../../../src/shared/invite-work';
import {
  control,
  DAY,
  fakeBackground,
  historyRow,
  type Inv,
  inviteLine,
  jobView,
  onUsageTab,
  render,
  rowOf,
  settle,
  shell,
  usageRow,
  userClick,
  userKey,
} from './fixture';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const sent = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();
const JANE: Inv = {
  id: 'i-1',
  learner: 'Jane Doe',
  course: 'Fire Safety',
  sentAt: sent(28),
  status: 'pending',
};
const BOB: Inv = {
  id: 'i-2',
  learner: 'Bob Ray',
  course: 'Fire Safety',
  sentAt: sent(10),
  status: 'pending',
};
const ANN: Inv = {
  id: 'i-3',
  learner: 'Ann Lee',
  course: 'Fire Safety',
  sentAt: sent(12),
  status: 'accepted',
};
const CY: Inv = { id: 'i-4', learner: 'Cy Old', course: 'Fire Safety', sentAt: sent(29), status: 'pending' };

const tab = onUsageTab(NOW);

/** The reassign and renew controls inside a row's control. */
function actions(id: string) {
  const inner = rootOf(control(id).host)?.querySelector('reclaim-invite-row');
  const root = inner ? rootOf(inner) : null;
  if (!root) throw new Error(`no invite actions in ${id}`);
  const buttons = [...root.querySelectorAll('button')];
  const byText = (t: RegExp) => buttons.find((b) => t.test(b.textContent ?? '')) as HTMLButtonElement;
  return {
    root,
    reassign: byText(/^Reassign$/),
    renew: byText(/^Renew$/),
    undo: byText(/^Undo/),
    retry: byText(/^Retry$/),
    go: root.querySelector('.pop button.main') as HTMLButtonElement,
    input: root.querySelector('input') as HTMLInputElement,
    note: () => {
      const n = root.querySelector<HTMLElement>('.info');
      return n && !n.hidden ? (n.textContent ?? '') : '';
    },
    problem: () => root.querySelector('[role="alert"]')?.textContent ?? '',
    visible: (b: HTMLElement) => !b.hidden,
    formOpen: () => !(root.querySelector('.pop') as HTMLElement).hidden,
  };
}

function inviteBar() {
  const bar = document.querySelector('reclaim-bar');
  const inner = bar ? rootOf(bar)?.querySelector('reclaim-invite-bar') : null;
  const root = inner ? rootOf(inner) : null;
  if (!root) throw new Error('no invite bar');
  const buttons = [...root.querySelectorAll('button')];
  const byText = (t: RegExp) => buttons.find((b) => t.test(b.textContent ?? '')) as HTMLButtonElement;
  return {
    root,
    renew: byText(/^Renew \d+ pending invites? of |^Renew expiring invites/),
    open: byText(/^Invite and make room$/),
    plan: byText(/^Show the plan|Planning/),
    start: root.querySelector('.panel .row button.main:not(:first-child)') as HTMLButtonElement,
    area: root.querySelector('textarea') as HTMLTextAreaElement,
    msg: () => root.querySelector('.row > .info')?.textContent ?? '',
    panelText: () => root.querySelector('.panel')?.textContent ?? '',
  };
}

function type(input: HTMLInputElement | HTMLTextAreaElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

function pressEnter(input: HTMLInputElement) {
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
}

async function usagePage(opts: Parameters<typeof fakeBackground>[1] = {}) {
  const bg = fakeBackground([JANE, BOB, ANN, CY], opts);
  const table = shell('usage');
  startFeature(usageTab, bg.deps, tab.run.signal);
  render(table, [JANE, BOB, ANN, CY].map(usageRow));
  await settle();
  return { bg, table };
}

describe('Reassign and Renew on a row', () => {
  it('offers both on pending rows only, named for the row’s invite', async () => {
    await usagePage();
    const jane = actions('i-1');
    expect([jane.visible(jane.reassign), jane.visible(jane.renew)]).toEqual([true, true]);
    expect(jane.reassign.getAttribute('aria-label')).toBe(
      'Reassign this seat to someone else: Jane Doe, Fire Safety',
    );
    const ann = actions('i-3');
    expect([ann.visible(ann.reassign), ann.visible(ann.renew)]).toEqual([false, false]);
  });

  it('asks for an address, refuses a malformed one with why, and sends nothing', async () => {
    const { bg } = await usagePage();
    const a = actions('i-1');
    userClick(a.reassign);
    await settle();
    expect(a.formOpen()).toBe(true);
    type(a.input, 'jane.doe@example');
    userClick(a.go);
    await settle();
    expect(a.problem()).toBe('Not an address: the domain “example” has no dot (e.g. example.com).');
    expect(bg.sent('invite.start')).toEqual([]);
  });

  it('suggests learners Reclaim knows, then reassigns with Undo and shows both outcomes', async () => {
    const { bg, table } = await usagePage();
    const a = actions('i-1');
    userClick(a.reassign);
    type(a.input, 'bob');
    await settle();
    expect(bg.sent('learners.suggest')).toEqual([{ type: 'learners.suggest', q: 'bob' }]);
    expect([...a.root.querySelectorAll('datalist option')].map((o) => o.getAttribute('value'))).toEqual([
      'Bob Ray <bob.ray@example.test>',
    ]);
    type(a.input, 'Bo Knows <Bo@Example.com>');
    userKey(a.input, 'Enter');
    await settle();
    expect(bg.sent('invite.start')).toEqual([
      {
        type: 'invite.start',
        work: { kind: 'reassign', pairs: [{ courseId: 'c-1', inviteId: 'i-1', email: 'Bo@Example.com' }] },
      },
    ]);
    // One countdown in the row, its Undo a button of its own; the row's expiry and Revoke give way.
    expect(a.note()).toBe('Reassigning in 5 s ·');
    expect(a.visible(a.undo) && a.undo.textContent).toBe('Undo');
    expect(a.undo.getAttribute('aria-label')).toBe('Undo reassign: Jane Doe, Fire Safety');
    expect(control('i-1').note).toBe('');
    expect(control('i-1').visibleButton).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(a.note()).toBe('Reassigning in 4 s ·');
    render(table, [JANE, BOB, ANN, CY].map(usageRow)); // survives the portal's re-render
    await Promise.resolve();
    expect(actions('i-1').note()).toBe('Reassigning in 4 s ·');
    const done = jobView(1, 'done', { invited: 1 }, NOW + 5000);
    done.job.reason = 'reassign';
    done.lines = [inviteLine({ email: 'Bo@Example.com' })];
    bg.push(done);
    expect(actions('i-1').note()).toBe('Revoked · invited Bo@Example.com');
  });

  it('Escape in the row undoes its renew in the window, as it undoes a revoke', async () => {
    const { bg } = await usagePage();
    const a = actions('i-2');
    userClick(a.renew);
    await settle();
    userKey(a.undo, 'Escape');
    await settle();
    expect(bg.sent('job.undo')).toEqual([{ type: 'job.undo', jobId: 1 }]);
    expect(a.note()).toBe('Undone: nothing was sent.');
  });

  it('Escape in the bar undoes Renew expiring in its window', async () => {
    const { bg } = await usagePage({ renewDays: 3 });
    userClick(inviteBar().renew);
    await settle();
    userKey(inviteBar().area, 'Escape');
    await settle();
    expect(bg.sent('job.undo')).toEqual([{ type: 'job.undo', jobId: 1 }]);
  });

  it('Undo inside the window sends job.undo; nothing was sent', async () => {
    const { bg } = await usagePage();
    const a = actions('i-2');
    userClick(a.renew);
    await settle();
    expect(bg.sent('invite.start')[0]?.work).toEqual({
      kind: 'renew',
      invites: [{ courseId: 'c-1', inviteId: 'i-2' }],
    });
    userClick(a.undo);
    await settle();
    expect(bg.sent('job.undo')).toEqual([{ type: 'job.undo', jobId: 1 }]);
    expect(a.note()).toBe('Undone: nothing was sent.');
    expect(a.visible(a.renew)).toBe(true);
  });

  it('says so when the learner accepted meanwhile, and offers Retry on a failure', async () => {
    const { bg } = await usagePage();
    userClick(actions('i-1').renew);
    userClick(actions('i-2').renew);
    await settle();
    const kept = jobView(1, 'done', { keptAccepted: 1 }, NOW);
    kept.job.reason = 'renew';
    kept.lines = [inviteLine({ outcome: 'kept-accepted', revoked: null })];
    bg.push(kept);
    expect(actions('i-1').note()).toBe('Accepted meanwhile: kept, nothing sent');
    const failed = jobView(2, 'done', { failed: 1 }, NOW);
    failed.job.reason = 'renew';
    failed.lines = [
      inviteLine({ key: 'i-2', outcome: 'failed', detail: 'The portal had an error (HTTP 503).' }),
    ];
    bg.push(failed);
    const b = actions('i-2');
    expect(b.note()).toBe('Failed: The portal had an error (HTTP 503).');
    expect(b.visible(b.retry)).toBe(true);
  });

  it('a page script’s .click(), forged events or Enter do nothing', async () => {
    const { bg } = await usagePage();
    const a = actions('i-1');
    a.renew.click();
    a.reassign.dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 1 }));
    await settle();
    expect(a.formOpen()).toBe(false);
    userClick(a.reassign);
    type(a.input, 'x@example.com');
    pressEnter(a.input); // not a person's key press in the fake: isTrusted is false
    a.go.click();
    await settle();
    expect(bg.sent('invite.start')).toEqual([]);
  });
});

describe('the click gate on what sends', () => {
  const refused = /^Nothing sent: Reclaim only acts on a control that has been in plain view/;

  it('a row’s Renew, Reassign (its button and Enter) and Retry the gate turns down send nothing, and say so', async () => {
    const { bg } = await usagePage();
    bg.gate.blind = true;
    const a = actions('i-1');
    userClick(a.renew);
    await settle();
    expect(a.note()).toMatch(refused);
    userClick(a.reassign); // opening the form sends nothing: not gated
    await settle();
    expect(a.formOpen()).toBe(true);
    type(a.input, 'bo@example.com');
    userKey(a.input, 'Enter');
    userClick(a.go);
    await settle();
    expect(a.note()).toMatch(refused);
    expect(bg.sent('invite.start')).toEqual([]);

    bg.gate.blind = false;
    userClick(a.go);
    await settle();
    expect(bg.sent('invite.start')).toHaveLength(1);
    expect(a.note()).toBe('Reassigning in 5 s ·');
    userClick(a.undo); // Undo is never gated: it only keeps a job from starting
    await settle();
    expect(bg.sent('job.undo')).toHaveLength(1);

    userClick(actions('i-2').renew);
    await settle();
    const failed = jobView(2, 'done', { failed: 1 }, NOW);
    failed.job.reason = 'renew';
    failed.lines = [inviteLine({ key: 'i-2', outcome: 'failed', detail: 'HTTP 503' })];
    bg.push(failed);
    bg.gate.blind = true;
    userClick(actions('i-2').retry);
    await settle();
    expect(bg.sent('job.retryFailed')).toEqual([]);
    expect(actions('i-2').note()).toMatch(refused);
  });

  it('a row’s control taken out of its row sends nothing and goes', async () => {
    const { bg } = await usagePage();
    const a = actions('i-1');
    const host = control('i-1').host;
    rowOf('i-2').querySelector('td[data-col="actions"]')?.prepend(host);
    userClick(a.renew);
    await settle();
    expect(bg.sent('invite.start')).toEqual([]);
    expect(host.isConnected).toBe(false);
  });

  it('the bar’s Renew expiring, Show the plan and Invite N the gate turns down send nothing, and say so', async () => {
    const plan = (): InvitePlan => ({
      courseId: 'c-1',
      courseTitle: 'Fire Safety',
      seats: { total: 4, assigned: 3, available: 1 },
      entries: 1,
      addresses: ['a@example.com'],
      malformed: [],
      repeated: [],
      holding: [],
      toInvite: ['a@example.com'],
      free: 1,
      revokes: [],
      unseated: [],
      minAgeDays: 0,
      revocable: 0,
      now: NOW,
      problem: null,
    });
    const { bg } = await usagePage({ plan });
    const b = inviteBar();
    bg.gate.blind = true;
    userClick(b.renew);
    await settle();
    expect(b.msg()).toMatch(refused);
    userClick(b.open); // opening the paste sends nothing: not gated
    await settle();
    type(b.area, 'a@example.com');
    userClick(b.plan);
    await settle();
    expect(bg.sent('invite.plan')).toEqual([]);
    bg.gate.blind = false;
    userClick(b.plan);
    await settle();
    expect(bg.sent('invite.plan')).toHaveLength(1);
    const start = [...b.root.querySelectorAll('button')].find((x) => x.textContent?.startsWith('Invite 1'));
    if (!start) throw new Error('no start button');
    bg.gate.blind = true;
    userClick(start);
    await settle();
    expect(b.msg()).toMatch(refused);
    expect(bg.sent('invite.start')).toEqual([]);
    bg.gate.blind = false;
    userClick(start);
    await settle();
    expect(bg.sent('invite.start')).toHaveLength(1);
  });
});

describe('the Usage tab’s invite bar', () => {
  it('counts the invites expiring within the renew setting and renews them with Undo', async () => {
    const { bg } = await usagePage({ renewDays: 3 });
    const b = inviteBar();
    // Jane (2 days left) and Cy (1 day).
    expect(b.renew.textContent).toBe('Renew 2 pending invites of Fire Safety that expire within 3 days');
    b.renew.click(); // a page script: nothing
    await settle();
    expect(bg.sent('invite.start')).toEqual([]);
    userClick(b.renew);
    await settle();
    expect(bg.sent('invite.start')[0]?.work).toEqual({
      kind: 'renew-expiring',
      courseId: 'c-1',
      withinDays: 3,
    });
    expect(b.msg()).toBe('Renewing 2 in 5 s');
  });

  it('shows the plan before anything is sent, then starts that plan', async () => {
    const plan = (text: string): InvitePlan => ({
      courseId: 'c-1',
      courseTitle: 'Fire Safety',
      seats: { total: 4, assigned: 4, available: 0 },
      entries: 3,
      addresses: ['a@example.com', 'b@example.com'],
      malformed: text.includes('oops') ? [{ text: 'oops', reason: 'there is no @ in it' }] : [],
      repeated: [],
      holding: [],
      toInvite: ['a@example.com'],
      free: 0,
      revokes: [
        {
          inviteId: 'i-4',
          learnerName: 'Cy Old',
          learnerEmail: 'cy@x',
          sentAt: sent(29),
          for: 'a@example.com',
        },
      ],
      unseated: ['b@example.com'],
      minAgeDays: 0,
      revocable: 1,
      now: NOW,
      problem: null,
    });
    const { bg } = await usagePage({ plan });
    const b = inviteBar();
    userClick(b.open);
    await settle();
    type(b.area, 'a@example.com, b@example.com; oops');
    userClick(b.plan);
    await settle();
    expect(bg.sent('invite.plan')).toEqual([
      { type: 'invite.plan', courseId: 'c-1', text: 'a@example.com, b@example.com; oops', minAgeDays: 0 },
    ]);
    expect(b.panelText()).toContain('1 left without a seat');
    expect(b.panelText()).toContain('Cy Old (cy@x) → a@example.com');
    expect(b.panelText()).toContain('oops: there is no @ in it');
    expect(bg.sent('invite.start')).toEqual([]);
    const start = [...b.root.querySelectorAll('button')].find(
      (x) => x.textContent === 'Invite 1 to Fire Safety and revoke 1 pending invite',
    );
    if (!start) throw new Error('no start button');
    userClick(start);
    await settle();
    expect(bg.sent('invite.start')[0]?.work).toEqual({
      kind: 'make-room',
      courseId: 'c-1',
      emails: ['a@example.com', 'b@example.com'],
      revokeIds: ['i-4'],
      minAgeDays: 0,
    });
    const done = jobView(1, 'done', { total: 2, invited: 1, notInvited: 1 }, NOW);
    done.job.reason = 'make-room';
    done.lines = [
      inviteLine({
        email: 'a@example.com',
        outcome: 'not-invited',
        seatLeftFree: 'No free seat: someone else took it.',
      }),
    ];
    bg.push(done);
    expect(b.msg()).toContain('1 seat left free: a@example.com (No free seat: someone else took it.)');
  });

  it('is not on a learner’s Invite History', async () => {
    history.pushState(null, '', '/manager/learners/l-1?tab=invite-history');
    const bg = fakeBackground([JANE]);
    const table = shell('invite-history');
    startFeature(inviteHistory, bg.deps, tab.run.signal);
    render(table, [JANE].map(historyRow));
    await settle();
    const bar = document.querySelector('reclaim-bar') as Element;
    expect(bar).not.toBeNull();
    expect(rootOf(bar)?.querySelector('reclaim-invite-bar')).toBeNull();
    expect(actions('i-1').visible(actions('i-1').reassign)).toBe(true);
  });

  it('leaves no timer behind when the page goes', async () => {
    await usagePage();
    userClick(actions('i-1').renew);
    await settle();
    tab.run.abort();
    tab.run = new AbortController();
    expect(vi.getTimerCount()).toBe(0);
  });
});
