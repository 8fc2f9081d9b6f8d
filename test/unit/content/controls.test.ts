import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FeatureSpec, SHAPE_GRACE_MS, startFeature } from '../../../src/content/lib/feature';
import { NOTICE_TEXT } from '../../../src/content/lib/notice';
import { inviteHistory, usageTab } from '../../../src/content/lib/specs';
import { rootOf } from '../../../src/content/lib/styles';
import { formatCountdown } from '../../../src/shared/expiry';
import {
  bar,
  control,
  DAY,
  fakeBackground,
  HOUR,
  historyRow,
  hosts,
  type Inv,
  jobView,
  render,
  rowOf,
  settle,
  shell,
  usageRow,
  userClick,
} from './fixture';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const sent = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();
// 6.5 days left; 2.4 h left; accepted; a pending invite on another Usage page.
const JANE: Inv = {
  id: 'i-1',
  learner: 'Jane Doe',
  course: 'Fire Safety',
  sentAt: sent(23.5),
  status: 'pending',
};
const BOB: Inv = {
  id: 'i-2',
  learner: 'Bob Ray',
  course: 'Fire Safety',
  sentAt: sent(29.9),
  status: 'pending',
};
const ANN: Inv = {
  id: 'i-3',
  learner: 'Ann Lee',
  course: 'Fire Safety',
  sentAt: sent(10),
  status: 'accepted',
};
const PAGE2: Inv = {
  id: 'i-4',
  learner: 'Cy Twombly',
  course: 'Fire Safety',
  sentAt: sent(3),
  status: 'pending',
};
const VISIBLE = [JANE, BOB, ANN];
/** Pending on the page but not in the background's cache. */
const UNCACHED: Inv = {
  id: 'i-9',
  learner: 'Di New',
  course: 'Fire Safety',
  sentAt: sent(0.5),
  status: 'pending',
};

let run: AbortController;

beforeEach(() => {
  vi.useFakeTimers({
    now: NOW,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
  history.pushState(null, '', '/manager/licenses/c-1/distribute?tab=usage');
  run = new AbortController();
});

afterEach(() => {
  run.abort();
  vi.useRealTimers();
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

async function usagePage(opts: { portalOffset?: number; invites?: Inv[] } = {}) {
  const bg = fakeBackground(opts.invites ?? [JANE, BOB, ANN, PAGE2], opts);
  const table = shell('usage');
  startFeature(usageTab, bg.deps, run.signal);
  render(table, VISIBLE.map(usageRow)); // the portal's first render, after its own fetch
  await settle();
  return { bg, table };
}

describe('row controls', () => {
  it('puts one control in each invite row: Revoke on pending rows, "Kept — accepted" on accepted ones', async () => {
    await usagePage();
    expect(hosts()).toHaveLength(3);
    const jane = control('i-1');
    expect(jane.visibleButton).toBe(true);
    expect(jane.button.textContent).toBe('Revoke');
    expect(jane.button.getAttribute('aria-label')).toBe('Revoke invite: Jane Doe, Fire Safety');
    expect(jane.host.parentElement?.getAttribute('data-col')).toBe('actions');
    // A closed root: the page's scripts cannot reach what is inside.
    expect(jane.host.shadowRoot).toBeNull();
    expect(rootOf(jane.host)?.mode).toBe('closed');
    const ann = control('i-3');
    expect(ann.note).toBe('Kept — accepted');
    expect(ann.visibleButton).toBe(false);
    // The portal's own Cancel stays where it was, untouched.
    expect(document.querySelectorAll('td[data-col="actions"] > button.cancel')).toHaveLength(3);
  });

  it('comes back after each of 100 wholesale re-renders before the next task: one per row, nothing left over', async () => {
    const { table } = await usagePage();
    const timersBefore = vi.getTimerCount();
    for (let i = 0; i < 100; i++) {
      render(table, VISIBLE.map(usageRow));
      await Promise.resolve(); // the observer's microtask: no paint can happen before it
      expect(hosts()).toHaveLength(3);
    }
    for (const inv of VISIBLE)
      expect(hosts(document.querySelector(`tr[data-invite-id="${inv.id}"]`) as Element)).toHaveLength(1);
    expect(document.querySelectorAll('reclaim-bar')).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(timersBefore);
  });

  it('moves each invite’s own control into its re-rendered row, follows what the row says now, and drops controls of invites that left', async () => {
    const { table } = await usagePage();
    const first = new Map(VISIBLE.map((inv) => [inv.id, control(inv.id).host]));
    render(table, [JANE, { ...BOB, status: 'accepted' as const }, ANN].map(usageRow));
    await Promise.resolve();
    for (const inv of VISIBLE) expect(control(inv.id).host).toBe(first.get(inv.id));
    expect(control('i-2').note).toBe('Kept — accepted');
    expect(control('i-2').visibleButton).toBe(false);
    expect(control('i-1').button.getAttribute('aria-label')).toBe('Revoke invite: Jane Doe, Fire Safety');

    render(table, [PAGE2].map(usageRow)); // another page: the first page's invites left the table
    await Promise.resolve();
    render(table, VISIBLE.map(usageRow));
    await Promise.resolve();
    expect(hosts()).toHaveLength(3);
    expect(control('i-1').host).not.toBe(first.get('i-1'));
    expect(control('i-2').visibleButton).toBe(true); // pending again, as the row says
  });

  it('a row the page moves keeps its control; a row the page clones gets a working one, not the empty copy', async () => {
    const { table } = await usagePage();
    const tbody = table.tBodies[0] as HTMLTableSectionElement;
    const jane = control('i-1').host;
    tbody.append(rowOf('i-1')); // moved to the end, not re-rendered
    await Promise.resolve();
    expect(control('i-1').host).toBe(jane);

    // A clone carries our host element but not its shadow root.
    const copy = rowOf('i-2').cloneNode(true) as HTMLElement;
    render(table, [rowOf('i-1').cloneNode(true) as HTMLElement, copy]);
    await Promise.resolve();
    expect(hosts()).toHaveLength(2);
    expect(control('i-1').host).toBe(jane);
    expect(control('i-2').button.textContent).toBe('Revoke');
  });

  it('for an invite the cache does not hold, follows the sent date and name the re-rendered row says', async () => {
    const { table } = await usagePage();
    render(table, [...VISIBLE, UNCACHED].map(usageRow));
    await Promise.resolve();
    const host = control('i-9').host;
    expect(control('i-9').note).toBe('expires in 29 days');
    render(table, [...VISIBLE, { ...UNCACHED, learner: 'Di Newer', sentAt: sent(28.5) }].map(usageRow));
    await Promise.resolve();
    expect(control('i-9').host).toBe(host);
    expect(control('i-9').note).toBe('expires in 1 day');
    expect(control('i-9').button.getAttribute('aria-label')).toBe('Revoke invite: Di Newer');
  });

  it('rows the page renders just before a URL event get their controls then, once, and none is lost', async () => {
    const { table } = await usagePage();
    render(table, [JANE, BOB].map(usageRow));
    // The page's own pushState handler runs before the observer's microtask.
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(hosts()).toHaveLength(2);
    await Promise.resolve();
    expect(hosts()).toHaveLength(2);
    render(table, VISIBLE.map(usageRow)); // and the observer still follows the page afterwards
    await Promise.resolve();
    expect(hosts()).toHaveLength(3);
  });

  it('keeps a row’s Undo countdown and outcome by invite id through re-renders', async () => {
    const { bg, table } = await usagePage();
    userClick(control('i-1').button);
    await settle();
    expect(bg.sent('job.start')).toEqual([
      { type: 'job.start', scope: { kind: 'invites', inviteIds: ['i-1'] } },
    ]);
    expect(control('i-1').button.textContent).toBe('Undo (5)');
    expect(control('i-1').button.getAttribute('aria-label')).toBe('Undo revoke: Jane Doe, Fire Safety');

    render(table, VISIBLE.map(usageRow));
    await Promise.resolve();
    expect(control('i-1').button.textContent).toBe('Undo (5)');
    vi.advanceTimersByTime(1000);
    expect(control('i-1').button.textContent).toBe('Undo (4)');

    bg.push(jobView(1, 'running', { queued: 1 }, NOW + 5000));
    expect(control('i-1').note).toBe('Revoking…');
    expect(control('i-1').visibleButton).toBe(false);
    bg.push(jobView(1, 'done', { revoked: 1 }, NOW + 5000));
    expect(control('i-1').note).toBe('Revoked — seat returned');

    render(table, VISIBLE.map(usageRow)); // the portal still lists it until its own refresh
    await Promise.resolve();
    expect(control('i-1').note).toBe('Revoked — seat returned');
    expect(control('i-1').visibleButton).toBe(false);
    // Other rows were not touched.
    expect(control('i-2').button.textContent).toBe('Revoke');
  });

  it('Undo inside the window sends job.undo and brings the Revoke control back', async () => {
    const { bg } = await usagePage();
    userClick(control('i-2').button);
    await settle();
    vi.advanceTimersByTime(2000);
    expect(control('i-2').button.textContent).toBe('Undo (3)');
    userClick(control('i-2').button);
    await settle();
    expect(bg.sent('job.undo')).toEqual([{ type: 'job.undo', jobId: 1 }]);
    expect(control('i-2').button.textContent).toBe('Revoke');
    expect(control('i-2').button.getAttribute('aria-label')).toBe('Revoke invite: Bob Ray, Fire Safety');
  });

  it('shows each outcome: kept because accepted meanwhile, already gone, failed with the reason and a Retry', async () => {
    const { bg } = await usagePage();
    for (const id of ['i-1', 'i-2']) {
      userClick(control(id).button);
      await settle();
    }
    bg.push(jobView(1, 'done', { keptAccepted: 1 }, NOW + 5000));
    expect(control('i-1').note).toBe('Kept — accepted');
    expect(control('i-1').visibleButton).toBe(false);

    bg.push(
      jobView(2, 'done', { failed: 1 }, NOW + 5000, [
        {
          inviteId: 'i-2',
          learnerName: 'Bob Ray',
          courseTitle: 'Fire Safety',
          error: 'The portal answered 503.',
        },
      ]),
    );
    const bob = control('i-2');
    expect(bob.note).toBe('Failed: The portal answered 503.');
    expect(bob.button.textContent).toBe('Retry');
    expect(bob.button.getAttribute('aria-label')).toBe('Retry revoke: Bob Ray, Fire Safety');
    userClick(bob.button);
    await settle();
    expect(bg.sent('job.start')).toHaveLength(3);
    expect(control('i-2').button.textContent).toBe('Undo (5)');
    bg.push(jobView(3, 'done', { alreadyGone: 1 }, NOW + 5000));
    expect(control('i-2').note).toBe('Already gone');
  });

  it('a page script’s .click() or forged events revoke nothing', async () => {
    const { bg } = await usagePage();
    const { button } = control('i-1');
    button.click();
    button.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, detail: 1 }));
    button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    bar().main.click();
    await settle();
    expect(bg.sent('job.start')).toHaveLength(0);
    expect(control('i-1').button.textContent).toBe('Revoke');

    // A real click starts it; the second click of a double click does not undo it.
    userClick(button);
    await settle();
    const second = new MouseEvent('click', { bubbles: true, composed: true, detail: 2 });
    vi.spyOn(bg.deps, 'isTrusted').mockReturnValue(true);
    control('i-1').button.dispatchEvent(second);
    await settle();
    expect(bg.sent('job.undo')).toHaveLength(0);
  });
});

describe('a control bound to its row', () => {
  it('a row whose invite hook now names another invite: nothing sent, the control goes', async () => {
    const { bg } = await usagePage();
    const jane = control('i-1');
    rowOf('i-1').setAttribute('data-invite-id', 'i-2');
    userClick(jane.button);
    await settle();
    expect(bg.sent('job.start')).toHaveLength(0);
    expect(jane.host.isConnected).toBe(false);
  });

  it('a control the page moved into another row: nothing sent, the control goes; the other row’s own still works', async () => {
    const { bg } = await usagePage();
    const jane = control('i-1');
    const bobCell = control('i-2').host.parentElement as HTMLElement;
    bobCell.prepend(jane.host);
    await settle();
    userClick(jane.button);
    await settle();
    expect(bg.sent('job.start')).toHaveLength(0);
    expect(jane.host.isConnected).toBe(false);
    userClick(control('i-2').button);
    await settle();
    expect(bg.sent('job.start')).toEqual([
      { type: 'job.start', scope: { kind: 'invites', inviteIds: ['i-2'] } },
    ]);
  });
});

describe('expiry countdown', () => {
  it('labels pending rows with the time left by the portal’s clock, urgent under 3 days', async () => {
    const offset = 2 * HOUR; // the portal's clock runs 2 h ahead of this computer's
    await usagePage({ portalOffset: offset });
    expect(control('i-1').note).toBe('expires in 6 days');
    expect(control('i-1').note).toBe(formatCountdown(JANE.sentAt, NOW + offset));
    expect(control('i-2').note).toBe('expires in 24 min'); // 2.4 h left by this computer's clock
    const urgent = (id: string) =>
      rootOf(control(id).host)?.querySelector('.note')?.classList.contains('urgent');
    expect(urgent('i-2')).toBe(true);
    expect(urgent('i-1')).toBe(false);
  });

  it('stays live with one timer for the whole table, and drops Revoke once expired', async () => {
    await usagePage({ portalOffset: 2 * HOUR });
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(24 * 60_000 + 100);
    expect(control('i-2').note).toBe('expired');
    expect(control('i-2').visibleButton).toBe(false);
    vi.advanceTimersByTime(10 * HOUR);
    expect(control('i-1').note).toBe('expires in 5 days');
    expect(vi.getTimerCount()).toBe(1);
  });

  it('falls back to the row’s <time datetime> for an invite the cache does not hold yet', async () => {
    const { table } = await usagePage();
    render(table, [...VISIBLE, UNCACHED].map(usageRow));
    await Promise.resolve();
    expect(control('i-9').note).toBe('expires in 29 days');
    expect(control('i-9').button.getAttribute('aria-label')).toBe('Revoke invite: Di New');
  });
});

describe('Revoke all pending', () => {
  it('counts every pending invite of the course across pages, and runs it with Undo, progress and a summary', async () => {
    const { bg, table } = await usagePage();
    expect(bar().main.textContent).toBe('Revoke all pending (3)'); // Jane, Bob, and Cy on page 2
    userClick(bar().main);
    await settle();
    expect(bg.sent('job.start')).toEqual([{ type: 'job.start', scope: { kind: 'course', courseId: 'c-1' } }]);
    expect(bar().main.textContent).toBe('Undo (5)');
    expect(bar().main.getAttribute('aria-label')).toBe('Undo revoke all pending (3)');
    expect(bar().msg).toBe('Revoking 3 pending invites in 5 s');
    expect(control('i-1').note).toBe('Queued to revoke');
    expect(control('i-3').note).toBe('Kept — accepted');

    bg.push(jobView(1, 'running', { total: 3, queued: 2, revoked: 1 }, NOW + 5000));
    expect(bar().msg).toBe('Revoking… 1 of 3 done');
    expect(bar().progress.hidden).toBe(false);
    expect(bar().progress.value).toBe(1);
    expect(control('i-2').note).toBe('Revoking…');

    bg.setInvites([ANN]); // the background's cache after the job
    bg.push(jobView(1, 'done', { total: 3, revoked: 3 }, NOW + 5000));
    await settle();
    expect(bar().msg).toBe('Done: 3 revoked, 0 kept (accepted), 0 already gone, 0 failed.');
    expect(control('i-1').note).toBe('Revoked — seat returned');
    render(table, VISIBLE.map(usageRow));
    await Promise.resolve();
    expect(control('i-2').note).toBe('Revoked — seat returned');
    expect(bar().main.textContent).toBe('Revoke all pending (0)');
    expect(bar().main.getAttribute('aria-disabled')).toBe('true');
    expect(bar().refresh.hidden).toBe(false);
    userClick(bar().refresh);
    expect(bg.reloads).toHaveLength(1);
  });

  it('tells each row its own outcome when the results are mixed', async () => {
    const { bg } = await usagePage();
    userClick(bar().main);
    await settle();
    bg.setInvites([ANN, { ...JANE, status: 'accepted' }]); // Jane accepted during the Undo window
    bg.push(
      jobView(1, 'done', { total: 3, revoked: 1, keptAccepted: 1, failed: 1 }, NOW + 5000, [
        {
          inviteId: 'i-2',
          learnerName: 'Bob Ray',
          courseTitle: 'Fire Safety',
          error: 'Rate limited too long.',
        },
      ]),
    );
    await settle();
    expect(control('i-1').note).toBe('Kept — accepted');
    expect(control('i-2').note).toBe('Failed: Rate limited too long.');
    expect(control('i-2').button.textContent).toBe('Retry');
    expect(bar().msg).toBe('Done: 1 revoked, 1 kept (accepted), 0 already gone, 1 failed.');
  });

  it('Undo of Revoke all sends job.undo and puts every row back', async () => {
    const { bg } = await usagePage();
    userClick(bar().main);
    await settle();
    userClick(bar().main);
    await settle();
    expect(bg.sent('job.undo')).toEqual([{ type: 'job.undo', jobId: 1 }]);
    expect(bar().msg).toBe('Undone: nothing was revoked.');
    expect(control('i-1').button.textContent).toBe('Revoke');
    expect(bar().main.textContent).toBe('Revoke all pending (3)');
  });

  it('on Invite History covers the learner’s pending invites in every course', async () => {
    history.pushState(null, '', '/manager/learners/l-1?tab=invite-history');
    const mine: Inv[] = [
      { ...JANE, course: 'Fire Safety', courseId: 'c-1' },
      {
        id: 'i-5',
        learner: 'Jane Doe',
        course: 'First Aid at Work',
        courseId: 'c-2',
        sentAt: sent(1),
        status: 'pending',
      },
      {
        id: 'i-6',
        learner: 'Jane Doe',
        course: 'GDPR Essentials',
        courseId: 'c-4',
        sentAt: sent(5),
        status: 'accepted',
      },
    ];
    const bg = fakeBackground(mine);
    const table = shell('invite-history');
    startFeature(inviteHistory, bg.deps, run.signal);
    render(table, mine.map(historyRow));
    await settle();
    expect(bg.sent('invites.get')[0]?.target).toEqual({ kind: 'learner', learnerId: 'l-1' });
    expect(bar().main.textContent).toBe('Revoke all pending (2)');
    expect(control('i-5').button.getAttribute('aria-label')).toBe(
      'Revoke invite: Jane Doe, First Aid at Work',
    );
    expect(control('i-6').note).toBe('Kept — accepted');
    userClick(bar().main);
    await settle();
    expect(bg.sent('job.start')[0]?.scope).toEqual({ kind: 'learner', learnerId: 'l-1' });
  });
});

describe('navigation and teardown', () => {
  it('follows Usage page changes and keeps state by invite id across them', async () => {
    const { bg, table } = await usagePage();
    userClick(control('i-1').button);
    await settle();
    bg.push(jobView(1, 'done', { revoked: 1 }, NOW + 5000));
    history.pushState(null, '', '/manager/licenses/c-1/distribute?tab=usage&page=2');
    render(table, [PAGE2].map(usageRow));
    await Promise.resolve();
    expect(hosts()).toHaveLength(1);
    expect(control('i-4').button.getAttribute('aria-label')).toBe('Revoke invite: Cy Twombly, Fire Safety');
    history.pushState(null, '', '/manager/licenses/c-1/distribute?tab=usage&page=1');
    render(table, VISIBLE.map(usageRow));
    await Promise.resolve();
    expect(control('i-1').note).toBe('Revoked — seat returned');
    expect(bg.sent('invites.get').filter((r) => r.refresh)).toHaveLength(1); // one controller for the course
  });

  it('tears down the old page’s controls and port when the URL moves to another course', async () => {
    const { bg, table } = await usagePage();
    history.pushState(null, '', '/manager/licenses/c-2/distribute?tab=usage');
    render(table, [{ ...PAGE2, id: 'i-7', courseId: 'c-2' }].map(usageRow));
    await settle();
    expect(bg.ports[0]?.connected).toBe(false);
    expect(bg.sent('invites.get').at(-1)?.target).toEqual({ kind: 'course', courseId: 'c-2' });
    expect(hosts()).toHaveLength(1);
    expect(document.querySelectorAll('reclaim-bar')).toHaveLength(1);
  });

  it('leaves nothing behind when aborted: no controls, timers, port or observer', async () => {
    const { bg, table } = await usagePage();
    userClick(control('i-1').button);
    await settle();
    run.abort();
    expect(document.querySelectorAll('reclaim-row, reclaim-bar, reclaim-notice')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(bg.ports.every((p) => !p.connected)).toBe(true);
    render(table, VISIBLE.map(usageRow));
    await settle();
    expect(hosts()).toHaveLength(0);
  });

  it('reconnects after the background restarts mid-job and asks for the job it may have missed', async () => {
    const { bg } = await usagePage();
    userClick(control('i-1').button);
    await settle();
    bg.ports[0]?.drop();
    bg.push(jobView(1, 'done', { revoked: 1 }, NOW + 5000)); // while nobody listened
    vi.advanceTimersByTime(1000);
    await settle();
    expect(bg.ports).toHaveLength(2);
    expect(bg.sent('job.get')).toEqual([{ type: 'job.get', jobId: 1 }]);
    expect(control('i-1').note).toBe('Revoked — seat returned');
  });

  it('after a reconnect asks only for jobs still running, not a finished Revoke all', async () => {
    const { bg } = await usagePage();
    userClick(bar().main);
    await settle();
    bg.push(
      jobView(1, 'done', { total: 3, revoked: 2, failed: 1 }, NOW + 5000, [
        {
          inviteId: 'i-2',
          learnerName: 'Bob Ray',
          courseTitle: 'Fire Safety',
          error: 'The portal answered 503.',
        },
      ]),
    );
    await settle();
    const summaries = bar().msg;
    userClick(control('i-2').button); // Retry: a row job of its own
    await settle();
    bg.ports[0]?.drop();
    vi.advanceTimersByTime(1000);
    await settle();
    expect(bg.sent('job.get').map((r) => r.jobId)).toEqual([2]);
    expect(bar().msg).toBe(summaries);
  });
});

describe('a page Reclaim cannot read', () => {
  const notices = () => document.querySelectorAll('reclaim-notice');
  const noticeText = () => {
    const host = notices()[0];
    return (host && rootOf(host)?.textContent) ?? '';
  };

  it('rows without a readable status: one notice, no controls, through many re-renders', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { bg, table } = await usagePage();
    const odd = () =>
      VISIBLE.map((inv) => {
        const row = usageRow(inv);
        row.querySelector('[data-col="status"]')?.replaceChildren('✓');
        return row;
      });
    for (let i = 0; i < 10; i++) {
      render(table, odd());
      await settle();
    }
    expect(notices()).toHaveLength(1);
    expect(noticeText()).toContain(NOTICE_TEXT);
    expect(hosts()).toHaveLength(0);
    expect(document.querySelectorAll('reclaim-bar')).toHaveLength(0);
    expect(bg.sent('job.start')).toHaveLength(0);
    expect(errors).not.toHaveBeenCalled();
  });

  it('rows that lost their invite hook: the notice, no controls', async () => {
    const { table } = await usagePage();
    render(
      table,
      VISIBLE.map((inv) => {
        const row = usageRow(inv);
        row.removeAttribute('data-invite-id');
        return row;
      }),
    );
    await settle();
    expect(notices()).toHaveLength(1);
    expect(hosts()).toHaveLength(0);
  });

  it('the Usage tab without its table hook: the notice after a short grace, no controls', async () => {
    const bg = fakeBackground([JANE]);
    const table = shell('usage', false);
    startFeature(usageTab, bg.deps, run.signal);
    render(table, [JANE].map(usageRow));
    await settle();
    expect(notices()).toHaveLength(0); // the portal may still be rendering
    vi.advanceTimersByTime(SHAPE_GRACE_MS);
    expect(notices()).toHaveLength(1);
    expect(hosts()).toHaveLength(0);
    render(table, [JANE].map(usageRow));
    await settle();
    expect(notices()).toHaveLength(1);
  });

  it('a tab without the table (learner Details) is not a changed page: no notice', async () => {
    history.pushState(null, '', '/manager/learners/l-1?tab=details');
    const bg = fakeBackground([JANE]);
    document.body.replaceChildren(document.createElement('table'));
    startFeature(inviteHistory, bg.deps, run.signal);
    vi.advanceTimersByTime(SHAPE_GRACE_MS * 2);
    await settle();
    expect(notices()).toHaveLength(0);
    expect(bg.calls).toHaveLength(0); // nothing asked of the background on a page without controls
  });

  it('an unexpected error stops the feature once, loudly, with the notice: no exception loop', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const bg = fakeBackground([JANE]);
    const table = shell('usage');
    let calls = 0;
    const flaky: FeatureSpec = {
      ...usageTab,
      target(url) {
        if (++calls > 1) throw new Error('boom');
        return usageTab.target(url);
      },
    };
    startFeature(flaky, bg.deps, run.signal);
    for (let i = 0; i < 5; i++) {
      render(table, [JANE].map(usageRow));
      await settle();
    }
    expect(errors).toHaveBeenCalledTimes(1);
    expect(calls).toBe(2);
    expect(notices()).toHaveLength(1);
    expect(hosts()).toHaveLength(0);
  });
});
