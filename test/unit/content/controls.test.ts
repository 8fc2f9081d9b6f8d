import { describe, expect, it, vi } from 'vitest';
import { type FeatureSpec, SHAPE_GRACE_MS, startFeature } from '../../../src/content/lib/feature';
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

const tab = onUsageTab(NOW);

async function usagePage(opts: Parameters<typeof fakeBackground>[1] & { invites?: Inv[] } = {}) {
  const bg = fakeBackground(opts.invites ?? [JANE, BOB, ANN, PAGE2], opts);
  const table = shell('usage');
  startFeature(usageTab, bg.deps, tab.run.signal);
  render(table, VISIBLE.map(usageRow)); // the portal's first render, after its own fetch
  await settle();
  return { bg, table };
}

describe('row controls', () => {
  it('puts one control in each invite row: Revoke on pending rows, nothing on accepted ones (the portal’s badge says it)', async () => {
    await usagePage();
    expect(hosts()).toHaveLength(3);
    const jane = control('i-1');
    expect(jane.shownButtons.map((b) => b.textContent)).toEqual(['Revoke']);
    expect(jane.button.getAttribute('aria-label')).toBe('Revoke invite: Jane Doe, Fire Safety');
    expect(jane.host.parentElement?.getAttribute('data-col')).toBe('actions');
    // A closed root: the page's scripts cannot reach what is inside.
    expect(jane.host.shadowRoot).toBeNull();
    expect(rootOf(jane.host)?.mode).toBe('closed');
    const ann = control('i-3');
    expect(ann.note).toBe('');
    expect(ann.shownButtons).toEqual([]);
    expect(ann.host.hasAttribute('data-empty')).toBe(true);
    // The portal's own Cancel is still in every row, untouched; on the rows Reclaim controls the
    // page's one rule hides it (Reclaim's host comes first in the cell and says so).
    expect(document.querySelectorAll('td[data-col="actions"] > button.cancel')).toHaveLength(3);
    expect(jane.host.nextElementSibling?.matches('button.cancel')).toBe(true);
    expect(jane.host.getAttribute('data-portal')).toBe('hidden');
    expect(ann.host.getAttribute('data-portal')).toBeNull();
    const rule = document.querySelector('style[data-reclaim="page-style"]')?.textContent ?? '';
    expect(rule).toContain('reclaim-row[data-portal="hidden"] ~ :not([data-reclaim])');
    expect(rule).toContain('display: none !important');
  });

  it('keeps the portal’s own Cancel beside Reclaim’s when the manager asked to, and makes it inert once Reclaim revokes', async () => {
    const { bg } = await usagePage({ showPortalCancel: true });
    const jane = control('i-1');
    expect(jane.host.getAttribute('data-portal')).toBeNull();
    const portalCancel = () => rowOf('i-1').querySelector('button.cancel') as HTMLButtonElement;
    expect(portalCancel().hasAttribute('inert')).toBe(false);
    userClick(jane.button);
    await settle();
    expect(portalCancel().hasAttribute('inert')).toBe(true);
    bg.push(jobView(1, 'done', { revoked: 1 }, NOW + 5000));
    await settle();
    expect(portalCancel().hasAttribute('inert')).toBe(true);
    // Bob's row, not revoked, keeps a live Cancel.
    expect((rowOf('i-2').querySelector('button.cancel') as HTMLElement).hasAttribute('inert')).toBe(false);
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
    expect(control('i-2').note).toBe('');
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

  it('keeps a row’s Undo countdown and outcome by invite id through re-renders; the countdown replaces the expiry', async () => {
    const { bg, table } = await usagePage();
    userClick(control('i-1').button);
    await settle();
    expect(bg.sent('job.start')).toEqual([
      { type: 'job.start', scope: { kind: 'invites', inviteIds: ['i-1'] } },
    ]);
    // One countdown in the row, Undo its own button, Revoke gone meanwhile.
    expect(control('i-1').note).toBe('Revoking in 5 s ·');
    expect(control('i-1').shownButtons).toEqual([control('i-1').undo]);
    expect(control('i-1').undo.textContent).toBe('Undo');
    expect(control('i-1').undo.getAttribute('aria-label')).toBe('Undo revoke: Jane Doe, Fire Safety');

    render(table, VISIBLE.map(usageRow));
    await Promise.resolve();
    expect(control('i-1').note).toBe('Revoking in 5 s ·');
    vi.advanceTimersByTime(1000);
    expect(control('i-1').note).toBe('Revoking in 4 s ·');

    bg.push(jobView(1, 'running', { queued: 1 }, NOW + 5000));
    expect(control('i-1').note).toBe('Revoking…');
    expect(control('i-1').shownButtons).toEqual([]);
    bg.push(jobView(1, 'done', { revoked: 1 }, NOW + 5000));
    await settle();
    expect(control('i-1').note).toBe('Seat returned');
    expect(control('i-1').status).toBe('Revoked');

    render(table, VISIBLE.map(usageRow)); // the portal still lists it as pending until its own refresh
    await Promise.resolve();
    expect(control('i-1').note).toBe('Seat returned');
    expect(control('i-1').status).toBe('Revoked'); // over the portal's stale "pending", in the new row
    expect(rowOf('i-1').querySelectorAll('reclaim-status')).toHaveLength(1);
    expect(rowOf('i-1').querySelector('td[data-col="status"]')?.firstElementChild?.tagName).toBe(
      'RECLAIM-STATUS',
    );
    expect(control('i-1').shownButtons).toEqual([]);
    // Other rows were not touched.
    expect(control('i-2').button.textContent).toBe('Revoke');
    expect(control('i-2').status).toBeNull();
  });

  it('Undo inside the window sends job.undo and brings the Revoke control back', async () => {
    const { bg } = await usagePage();
    userClick(control('i-2').button);
    await settle();
    vi.advanceTimersByTime(2000);
    expect(control('i-2').note).toBe('Revoking in 3 s ·');
    userClick(control('i-2').undo);
    await settle();
    expect(bg.sent('job.undo')).toEqual([{ type: 'job.undo', jobId: 1 }]);
    expect(control('i-2').shownButtons.map((b) => b.textContent)).toEqual(['Revoke']);
    expect(control('i-2').button.getAttribute('aria-label')).toBe('Revoke invite: Bob Ray, Fire Safety');
    expect(control('i-2').note).toBe('expires in 2 hours');
  });

  it('the Undo window starts at the click: Undo shows before the background answers, and an Undo then is sent once it does', async () => {
    const { bg } = await usagePage({ slowStart: true });
    userClick(control('i-1').button);
    await settle();
    expect(bg.sent('job.start')).toHaveLength(1);
    expect(control('i-1').note).toBe('Revoking in 5 s ·');
    expect(control('i-1').visibleUndo).toBe(true);
    vi.advanceTimersByTime(600);
    userClick(control('i-1').undo);
    await settle();
    expect(control('i-1').note).toBe('Undoing…');
    expect(bg.sent('job.undo')).toHaveLength(0); // no job to undo yet
    bg.answerStarts();
    await settle();
    expect(bg.sent('job.undo')).toEqual([{ type: 'job.undo', jobId: 1 }]);
    expect(control('i-1').shownButtons.map((b) => b.textContent)).toEqual(['Revoke']);
    expect(bar().live).toBe('Undone: Jane Doe, Fire Safety stays invited.');
  });

  it('Escape anywhere in the row undoes its revoke in the window; elsewhere it does nothing', async () => {
    const { bg } = await usagePage();
    userClick(control('i-1').button);
    await settle();
    userKey(rowOf('i-2').querySelector('a') as Element, 'Escape'); // another row: nothing
    await settle();
    expect(bg.sent('job.undo')).toHaveLength(0);
    userKey(rowOf('i-1').querySelector('a') as Element, 'Escape'); // the portal's link in the same row
    await settle();
    expect(bg.sent('job.undo')).toEqual([{ type: 'job.undo', jobId: 1 }]);
    expect(control('i-1').visibleButton).toBe(true);
    // A page script's Escape is not the manager's.
    userClick(control('i-2').button);
    await settle();
    rowOf('i-2').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await settle();
    expect(bg.sent('job.undo')).toHaveLength(1);
    userKey(control('i-2').host, 'Escape'); // from Reclaim's own control
    await settle();
    expect(bg.sent('job.undo')).toEqual([
      { type: 'job.undo', jobId: 1 },
      { type: 'job.undo', jobId: 2 },
    ]);
  });

  it('shows each outcome: kept because accepted meanwhile, already gone, failed with the reason and a Retry', async () => {
    const { bg } = await usagePage();
    for (const id of ['i-1', 'i-2']) {
      userClick(control(id).button);
      await settle();
    }
    bg.push(jobView(1, 'done', { keptAccepted: 1 }, NOW + 5000));
    expect(control('i-1').note).toBe('Not revoked: the learner accepted');
    expect(control('i-1').status).toBe('Accepted');
    expect(control('i-1').visibleButton).toBe(false);

    bg.push(
      jobView(2, 'done', { failed: 1 }, NOW + 5000, [
        {
          inviteId: 'i-2',
          learnerName: 'Bob Ray',
          courseTitle: 'Fire Safety',
          error: 'Gave up after 5 tries: The portal had an error (HTTP 503).',
        },
      ]),
    );
    const bob = control('i-2');
    expect(bob.note).toBe("Couldn't cancel: the portal had an error (tried 5 times)");
    expect(bob.status).toBeNull(); // still pending
    expect(bob.shownButtons.map((b) => b.textContent)).toEqual(['Retry']);
    expect(bob.button.getAttribute('aria-label')).toBe('Retry revoke: Bob Ray, Fire Safety');
    userClick(bob.button);
    await settle();
    expect(bg.sent('job.start')).toHaveLength(3);
    expect(control('i-2').note).toBe('Revoking in 5 s ·');
    bg.push(jobView(3, 'done', { alreadyGone: 1 }, NOW + 5000));
    expect(control('i-2').note).toBe('Already cancelled or expired');
    expect(control('i-2').status).toBe('Not pending');
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
    expect(control('i-2').note).toBe('expires in 24 minutes'); // 2.4 h left by this computer's clock
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
  it('counts every pending invite of the course across pages, says so, and runs it with Undo, progress and a summary', async () => {
    const { bg, table } = await usagePage({ seats: { total: 10, assigned: 4, available: 6 } });
    // Jane and Bob on this page, and Cy on page 2: the label and the numbers beside it add up.
    expect(bar().main.textContent).toBe('Revoke all 3 pending invites of Fire Safety');
    expect(bar().msg).toBe('Every page of this table: 2 on this page, 1 on other pages.');
    expect(bar().seats).toBe(''); // the portal's own seat line is right until a revoke
    userClick(bar().main);
    await settle();
    expect(bg.sent('job.start')).toEqual([{ type: 'job.start', scope: { kind: 'course', courseId: 'c-1' } }]);
    // The destructive button gives way to a separate Undo.
    expect(bar().mainShown).toBe(false);
    expect(bar().undoShown).toBe(true);
    expect(bar().undo.textContent).toBe('Undo');
    expect(bar().undo.getAttribute('aria-label')).toBe('Undo revoking all 3 pending invites of Fire Safety');
    expect(bar().msg).toBe('Revoking all 3 pending invites of Fire Safety in 5 s');
    expect(control('i-1').note).toBe('Revoking with all the others in 5 s');
    expect(control('i-1').shownButtons).toEqual([]);
    expect(control('i-3').note).toBe('');

    bg.push(jobView(1, 'running', { total: 3, queued: 2, revoked: 1 }, NOW + 5000));
    expect(bar().msg).toBe('Revoking… 1 of 3 done');
    expect(bar().undoShown).toBe(false);
    expect(bar().progress.hidden).toBe(false);
    expect(bar().progress.value).toBe(1);
    expect(control('i-2').note).toBe('Revoking…');

    bg.setInvites([ANN]); // the background's cache after the job
    bg.setSeats({ total: 10, assigned: 1, available: 9 });
    bg.push(jobView(1, 'done', { total: 3, revoked: 3 }, NOW + 5000));
    await settle();
    expect(bar().msg).toBe('Done: 3 revoked. No pending invites left.');
    expect(bar().mainShown).toBe(false); // no greyed "Revoke all (0)"
    expect(bar().seats).toBe(
      'Seats now: 10 total · 1 assigned · 9 available. This table now lists 1 invite (0 pending).',
    );
    expect(control('i-1').note).toBe('Seat returned');
    expect(control('i-1').status).toBe('Revoked');
    render(table, VISIBLE.map(usageRow));
    await Promise.resolve();
    expect(control('i-2').note).toBe('Seat returned');
    expect(control('i-2').status).toBe('Revoked');
    expect(control('i-3').status).toBeNull();
  });

  it('announces in its one live region the start, 25, 50 and 75 % and the end, once each, over a 100-invite job', async () => {
    const many: Inv[] = Array.from({ length: 100 }, (_, k) => ({
      id: `m-${k}`,
      learner: `Learner ${k}`,
      course: 'Fire Safety',
      sentAt: sent(1 + (k % 20)),
      status: 'pending' as const,
    }));
    const { bg } = await usagePage({ invites: many });
    const heard: string[] = [];
    const live = bar().root.querySelector('[aria-live]') as HTMLElement;
    expect(bar().root.querySelectorAll('[aria-live], [role="status"], [role="alert"]')).toHaveLength(1);
    const listen = () => {
      if (live.textContent && live.textContent !== heard.at(-1)) heard.push(live.textContent);
    };
    userClick(bar().main);
    await settle();
    listen();
    for (let s = 0; s < 5; s++) {
      vi.advanceTimersByTime(1000); // the countdown ticks: nothing said
      await settle();
      listen();
    }
    for (let done = 0; done <= 100; done++) {
      bg.push(jobView(1, 'running', { total: 100, queued: 100 - done, revoked: done }, NOW + 5000));
      await settle();
      listen();
    }
    bg.push(jobView(1, 'done', { total: 100, revoked: 100 }, NOW + 5000));
    await settle();
    listen();
    expect(heard).toEqual([
      'Revoking all 100 pending invites of Fire Safety in 5 s. Undo, or Escape, keeps them.',
      '25% done: 25 of 100 invites.',
      '50% done: 50 of 100 invites.',
      '75% done: 75 of 100 invites.',
      'Done: 100 revoked.',
    ]);
  });

  it('tells each row its own outcome when the results are mixed', async () => {
    const { bg } = await usagePage();
    userClick(bar().main);
    await settle();
    // Jane accepted during the Undo window; Bob's cancel failed, so he is still pending.
    bg.setInvites([ANN, { ...JANE, status: 'accepted' }, BOB]);
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
    expect(control('i-1').note).toBe('Not revoked: the learner accepted');
    expect(control('i-2').note).toBe("Couldn't cancel: rate limited too long");
    expect(control('i-2').button.textContent).toBe('Retry');
    expect(bar().msg).toBe(
      "Done: 1 revoked, 1 kept (accepted meanwhile), 1 couldn't be cancelled (Retry on their rows).",
    );
    expect(bar().main.textContent).toBe('Revoke all 1 pending invite of Fire Safety');
  });

  it('Undo of Revoke all sends job.undo and puts every row back; a second press of the same place does not revoke again', async () => {
    const { bg } = await usagePage();
    userClick(bar().main);
    await settle();
    userClick(bar().main); // hidden in the window: the press lands on nothing of Reclaim's
    await settle();
    expect(bg.sent('job.start')).toHaveLength(1);
    expect(bg.sent('job.undo')).toHaveLength(0);
    userClick(bar().undo);
    await settle();
    expect(bg.sent('job.undo')).toEqual([{ type: 'job.undo', jobId: 1 }]);
    expect(bar().msg).toBe(
      'Undone: nothing was revoked. Every page of this table: 2 on this page, 1 on other pages.',
    );
    expect(control('i-1').button.textContent).toBe('Revoke');
    expect(bar().main.textContent).toBe('Revoke all 3 pending invites of Fire Safety');
    expect(bar().undoShown).toBe(false);
  });

  it('Escape in the bar, or in a row Revoke all covers, undoes Revoke all', async () => {
    const { bg } = await usagePage();
    userClick(bar().main);
    await settle();
    userKey(bar().undo, 'Escape');
    await settle();
    expect(bg.sent('job.undo')).toEqual([{ type: 'job.undo', jobId: 1 }]);
    userClick(bar().main);
    await settle();
    userKey(control('i-2').host, 'Escape');
    await settle();
    expect(bg.sent('job.undo')).toEqual([
      { type: 'job.undo', jobId: 1 },
      { type: 'job.undo', jobId: 2 },
    ]);
  });

  it('offers Undo for a revoke started in the popup that covers the course, for the rest of its window', async () => {
    const { bg } = await usagePage();
    const popupJob = (state: string) => ({
      id: 7,
      state,
      startAt: NOW + 4000,
      finishedAt: state === 'done' ? NOW + 6000 : null,
      surface: 'popup',
      minAgeDays: 0,
      othersToo: true,
    });
    bg.deliver({ type: 'covering-job', job: popupJob('waiting') });
    await settle();
    expect(bar().mainShown).toBe(false);
    expect(bar().msg).toBe(
      "The revoke started in the toolbar popup takes this page's 3 pending invites (and other courses): it starts in 4 s.",
    );
    expect(bar().undo.getAttribute('aria-label')).toBe('Undo the revoke started in the toolbar popup');
    vi.advanceTimersByTime(1000);
    expect(bar().msg).toContain('it starts in 3 s.');
    bg.jobs.set(7, jobView(7, 'waiting', { total: 9, queued: 9 }, NOW + 4000));
    userKey(bar().undo, 'Escape');
    await settle();
    expect(bg.sent('job.undo')).toEqual([{ type: 'job.undo', jobId: 7 }]);
    expect(bar().mainShown).toBe(true);
    expect(bar().live).toBe('Undone: the revoke started in the toolbar popup sends nothing.');
  });

  it('asks on load for a popup revoke in its window, and follows it to its end', async () => {
    const bg = fakeBackground([JANE, BOB, ANN, PAGE2]);
    bg.setCovering({
      id: 4,
      state: 'waiting',
      startAt: NOW + 3000,
      finishedAt: null,
      surface: 'popup',
      minAgeDays: 0,
      othersToo: false,
    });
    const table = shell('usage');
    startFeature(usageTab, bg.deps, tab.run.signal);
    render(table, VISIBLE.map(usageRow));
    await settle();
    expect(bar().undoShown).toBe(true);
    vi.advanceTimersByTime(3000);
    bg.deliver({
      type: 'covering-job',
      job: {
        id: 4,
        state: 'running',
        startAt: NOW + 3000,
        finishedAt: null,
        surface: 'popup',
        minAgeDays: 0,
        othersToo: false,
      },
    });
    await settle();
    expect(bar().undoShown).toBe(false);
    expect(bar().msg).toBe("The revoke started in the toolbar popup is under way for this page's invites.");
    bg.deliver({
      type: 'covering-job',
      job: {
        id: 4,
        state: 'done',
        startAt: NOW + 3000,
        finishedAt: NOW + 4000,
        surface: 'popup',
        minAgeDays: 0,
        othersToo: false,
      },
    });
    await settle();
    expect(bar().mainShown).toBe(true);
    expect(bg.sent('invites.get').at(-1)?.refresh).toBe(true);
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
    startFeature(inviteHistory, bg.deps, tab.run.signal);
    render(table, mine.map(historyRow));
    await settle();
    expect(bg.sent('invites.get')[0]?.target).toEqual({ kind: 'learner', learnerId: 'l-1' });
    expect(bar().main.textContent).toBe("Revoke Jane Doe's 2 pending invites (2 courses)");
    expect(bar().msg).toBe(''); // one table, no pages to speak of
    expect(control('i-5').button.getAttribute('aria-label')).toBe(
      'Revoke invite: Jane Doe, First Aid at Work',
    );
    expect(control('i-6').note).toBe('');
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
    expect(control('i-1').note).toBe('Seat returned');
    // One controller for the course: read on load, and once after the revoke.
    expect(bg.sent('invites.get').filter((r) => r.refresh)).toHaveLength(2);
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
    tab.run.abort();
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
    expect(control('i-1').note).toBe('Seat returned');
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
    expect(noticeText()).toContain('Reclaim could not read this page, so it added no controls here.');
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
    startFeature(usageTab, bg.deps, tab.run.signal);
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
    startFeature(inviteHistory, bg.deps, tab.run.signal);
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
    startFeature(flaky, bg.deps, tab.run.signal);
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
