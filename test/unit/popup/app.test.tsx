import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { saveSnapshot } from '../../../src/popup/memory';
import { course, type Fake, fakeDeps, jobView, NOW, settle } from './fakes';
import { mountPopup, renderPopup, unmountPopups } from './mount';

let root: HTMLElement;

async function mount(f: Fake) {
  const popup = await mountPopup(f);
  root = popup.root;
  return popup.store;
}

const text = (sel: string) => root.querySelector(sel)?.textContent?.trim() ?? null;
const button = (label: RegExp) =>
  [...root.querySelectorAll('button')].find((b) => label.test(b.textContent ?? '')) as
    | HTMLButtonElement
    | undefined;

async function click(el: HTMLElement | undefined) {
  if (!el) throw new Error('nothing to click');
  await act(async () => {
    el.click();
    await settle();
  });
}

afterEach(unmountPopups);

describe('popup', () => {
  it('shows totals, each course, the soonest expiry (urgent under 3 days) and the cache being checked', async () => {
    const f = fakeDeps();
    f.handlers['overview.get'] = () => new Promise(() => {}); // still refreshing
    await mount(f);
    // The courses were read 5 minutes ago (fresh); the course list 7 minutes ago.
    expect(text('[data-testid="freshness"]')).toBe('Updated 7 minutes ago, checking for changes…');
    expect(text('[data-testid="total-pending"]')).toBe('3');
    expect(text('[data-testid="total-courses"]')).toBe('2');
    const fire = root.querySelector('[data-course-id="c-1"]');
    expect(fire?.querySelector('label')?.textContent).toBe('Fire Safety');
    expect(fire?.querySelector('[data-testid="pending"]')?.textContent).toBe('3 pending invites');
    expect(fire?.querySelector('[data-testid="seats"]')?.textContent).toBe('revoking returns 1 seat');
    const soonest = fire?.querySelector('[data-testid="soonest"]');
    expect(soonest?.textContent).toBe('First one expires in 5 hours');
    expect(soonest?.classList.contains('rc-urgent')).toBe(true);
    const gdpr = root.querySelector('[data-course-id="c-2"] [data-testid="soonest"]');
    expect(gdpr?.textContent).toBe('First one expires in 10 days');
    expect(gdpr?.classList.contains('rc-urgent')).toBe(false);
    expect(button(/^Revoke 3 pending invites in 2 courses$/)).toBeTruthy();
  });

  it('unticking a course changes what the button revokes, and the totals with it', async () => {
    const f = fakeDeps();
    await mount(f);
    const box = root.querySelector<HTMLInputElement>('#course-c-1');
    await click(box ?? undefined);
    expect(text('[data-course-id="c-1"] [data-testid="seats"]')).toBe('not included');
    expect(text('[data-testid="total-pending"]')).toBe('2');
    expect(text('[data-testid="total-courses"]')).toBe('1');
    expect(button(/^Revoke 2 pending invites in 1 course$/)).toBeTruthy();
    f.handlers['job.start'] = () => jobView(2, 'waiting', { total: 2, queued: 2 });
    await click(button(/^Revoke 2 pending invites in 1 course$/));
    expect(f.sent.find((r) => r.type === 'job.start')).toEqual({
      type: 'job.start',
      scope: { kind: 'courses', courseIds: ['c-2'] },
    });
  });

  it('signed out: says so, offers only the sign-in button, which opens the portal’s /login', async () => {
    const f = fakeDeps();
    f.handlers['overview.get'] = () => ({
      courses: [],
      fetchedAt: null,
      portalNow: NOW,
      signedIn: false,
      error: { kind: 'signed-out', message: '401' },
    });
    await mount(f);
    expect(text('h2')).toBe('You’re signed out of the portal');
    expect(root.querySelector('.courses')).toBeNull();
    expect(button(/Revoke/)).toBeUndefined();
    await click(button(/Sign in to the portal/));
    expect(f.opened).toEqual(['http://127.0.0.1:4310/login']);
  });

  it('no portal origin allowed: says how to add one', async () => {
    const f = fakeDeps({ settings: { origins: [] } });
    await mount(f);
    expect(text('h2')).toBe('No portal added yet');
    await click(button(/Open options/));
    expect(f.opened).toEqual(['options']);
  });

  it('nothing cached and the portal unreachable: no empty totals, says what to do', async () => {
    const f = fakeDeps({ overview: { origin: null, courses: [], fetchedAt: null } });
    f.handlers['overview.get'] = () => ({
      courses: [],
      fetchedAt: null,
      portalNow: NOW,
      signedIn: null,
      error: { kind: 'network-error', message: 'Failed to fetch' },
      origin: 'http://127.0.0.1',
    });
    await mount(f);
    expect(text('h2')).toBe('Open your portal once');
    expect(root.querySelector('[data-testid="total-pending"]')).toBeNull();
    expect(root.textContent).toContain("Last try: Couldn't refresh: failed to fetch");
    await click(button(/Open options/));
    expect(f.opened).toEqual(['options']);
  });

  it('one click: Undo window with a countdown, then progress, then the report with Retry failed', async () => {
    const f = fakeDeps();
    f.handlers['job.start'] = () => jobView(7, 'waiting', { total: 3, queued: 3 });
    await mount(f);
    await click(button(/^Revoke 3 pending invites in 2 courses$/));
    expect(text('#undo-title')).toBe('Revoking 3 pending invites in every course');
    expect(text('[data-testid="undo-countdown"]')).toBe('Starting in 5 s. Nothing has been sent yet.');
    expect(button(/^Undo$/)).toBeTruthy();
    expect(document.activeElement?.textContent).toBe('Undo');

    await act(async () => {
      f.emit({ type: 'job', view: jobView(7, 'running', { total: 3, queued: 1, revoked: 2 }) });
    });
    const bar = root.querySelector('[role="progressbar"]');
    expect(bar?.getAttribute('aria-valuenow')).toBe('2');
    expect(bar?.getAttribute('aria-valuemax')).toBe('3');
    expect(text('[data-testid="progress-text"]')).toBe('2 of 3 done · 2 revoked');
    await act(async () => {
      f.emit({ type: 'job', view: jobView(7, 'running', { total: 3, queued: 3 }) });
    });
    expect(text('[data-testid="progress-text"]')).toBe('0 of 3 done');

    const done = jobView(7, 'done', { total: 3, queued: 0, revoked: 1, keptAccepted: 1, failed: 1 });
    done.seatsReturnedByCourse = [{ courseId: 'c-1', courseTitle: 'Fire Safety', seats: 1 }];
    done.failures = [
      {
        inviteId: 'i-3',
        learnerName: 'Jane Doe',
        courseTitle: 'Fire Safety',
        error: 'Gave up after 5 tries: The portal had an error (HTTP 503).',
      },
    ];
    await act(async () => {
      f.emit({ type: 'job', view: done });
    });
    // One line, no zeros, and the failure in plain words.
    expect(text('[data-testid="report-line"]')).toBe('Done: 1 revoked, 1 kept (accepted), 1 failed');
    expect(text('[data-testid="report-revoked"]')).toBe('1');
    expect(root.querySelector('[data-testid="report-gone"]')).toBeNull();
    expect(text('.report tr[data-course-id="c-1"]')).toBe('Fire Safety1');
    expect(text('.failures li')).toBe(
      "Jane Doe, Fire Safety: Couldn't cancel: the portal had an error (tried 5 times)",
    );
    f.handlers['job.retryFailed'] = () =>
      jobView(7, 'running', { total: 3, queued: 1, revoked: 1, keptAccepted: 1 });
    await click(button(/Retry failed/));
    expect(f.sent.at(-1)).toEqual({ type: 'job.retryFailed', jobId: 7 });
    expect(root.querySelector('[role="progressbar"]')).toBeTruthy();
  });

  it('a job that left invites to another says so in its Undo window and its report', async () => {
    const f = fakeDeps();
    const held = [{ jobId: 4, startedAt: NOW - 60_000, count: 12 }];
    const waiting = jobView(9, 'waiting', { total: 3, queued: 3 });
    waiting.job.heldByOthers = held;
    f.handlers['job.start'] = () => waiting;
    await mount(f);
    await click(button(/^Revoke 3 pending invites in 2 courses$/));
    expect(text('[data-testid="job-held"]')).toMatch(
      /^12 already being revoked by the job started at \d{1,2}:\d{2}.*: left to that job\.$/,
    );
    const wholly = jobView(9, 'done', { total: 0, queued: 0 });
    wholly.job.heldByOthers = held;
    await act(async () => {
      f.emit({ type: 'job', view: wholly });
    });
    expect(text('[data-testid="job-held"]')).toMatch(/^Nothing to send: 12 already being revoked by the job/);
  });

  it('Undo sends job.undo and returns to the courses', async () => {
    const f = fakeDeps();
    f.handlers['job.start'] = () => jobView(8, 'waiting', { total: 3, queued: 3 });
    f.handlers['job.undo'] = () => jobView(8, 'undone', { total: 3, queued: 3 });
    await mount(f);
    await click(button(/^Revoke 3 pending invites in 2 courses$/));
    await click(button(/^Undo/));
    expect(f.sent.at(-1)).toEqual({ type: 'job.undo', jobId: 8 });
    expect(text('.rc-note-ok')).toBe('Revoke undone. Nothing was sent to the portal.');
    // The focus is on what happened, not back on Revoke: Enter, Enter, Enter does not revoke again.
    expect(document.activeElement).toBe(root.querySelector('.rc-note-ok'));
    expect(button(/^Revoke 3 pending invites in 2 courses$/)).toBeTruthy();
  });

  it('tabs follow the arrow keys, with one tab stop', async () => {
    await mount(fakeDeps());
    const overview = root.querySelector<HTMLButtonElement>('#tab-overview');
    const audit = root.querySelector<HTMLButtonElement>('#tab-audit');
    expect([overview?.tabIndex, audit?.tabIndex]).toEqual([0, -1]);
    overview?.focus();
    await act(async () => {
      overview?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      await settle();
    });
    expect(audit?.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(audit);
    expect([overview?.tabIndex, audit?.tabIndex]).toEqual([-1, 0]);
    expect(root.querySelector('[role="tabpanel"]')?.getAttribute('aria-labelledby')).toBe('tab-audit');
  });

  it('audit tab lists entries and exports the CSV', async () => {
    const f = fakeDeps({
      audit: [
        {
          id: 1,
          at: NOW,
          origin: 'http://127.0.0.1:4310',
          jobId: 1,
          surface: 'popup',
          inviteId: 'i-1',
          learnerName: 'Jane Doe',
          learnerEmail: 'jane@example.test',
          courseId: 'c-1',
          courseTitle: 'Fire Safety',
          outcome: 'kept-accepted',
          detail: null,
        },
      ],
    });
    f.handlers['audit.csv'] = () => ({ csv: 'x', rows: 1 });
    await mount(f);
    const tab = root.querySelector<HTMLButtonElement>('#tab-audit');
    await click(tab ?? undefined);
    expect(tab?.getAttribute('aria-selected')).toBe('true');
    const cells = [...root.querySelectorAll('tbody tr td')].map((td) => td.textContent);
    expect(cells.slice(1)).toEqual(['Jane Doejane@example.testFire Safety', 'Kept (accepted)']);
    await click(button(/Export CSV/));
    expect(f.downloads[0]?.filename).toMatch(/^reclaim-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(text('[role="status"]')).toBe('Exported 1 entry.');
  });

  it('says how fresh each course is, and Refresh all asks for every course', async () => {
    const HOUR = 3_600_000;
    const f = fakeDeps({
      overview: {
        origin: 'http://127.0.0.1:4310',
        fetchedAt: NOW - 60_000,
        courses: [
          course('c-1', 'Fire Safety', 3, HOUR, 3, NOW - 5 * 60_000),
          course('c-2', 'GDPR Essentials', 2, HOUR, 2, NOW - 2 * HOUR),
          { ...course('c-3', 'Lone Working', 1, HOUR, 1, NOW - 60_000), readDue: true },
          course('c-4', 'Manual Handling', 0, null, 0, null),
        ],
      },
    });
    await mount(f);
    const shown = (id: string) => text(`[data-course-id="${id}"] [data-testid="course-freshness"]`);
    expect(shown('c-1')).toBe('updated 5 minutes ago');
    // Older than the setting (60 minutes by default), or due for a read: stale.
    expect(shown('c-2')).toBe('stale: updated 2 hours ago');
    expect(shown('c-3')).toBe('stale: updated 1 minute ago');
    expect(shown('c-4')).toBe('not read yet');
    expect(f.sent.filter((r) => r.type === 'overview.get')).toEqual([
      { type: 'overview.get', refresh: true },
    ]);
    await click(button(/^Refresh all$/));
    expect(f.sent.filter((r) => r.type === 'overview.get').at(-1)).toEqual({
      type: 'overview.get',
      refresh: true,
      full: true,
    });
  });

  it('puts the first rows of a long course list on screen first, and every row right after', async () => {
    const many = Array.from({ length: 120 }, (_, k) =>
      course(`c-${k}`, `Course ${String(k).padStart(3, '0')}`, 1, 3_600_000),
    );
    const overview = { origin: 'http://127.0.0.1:4310', fetchedAt: NOW, courses: many };
    const f = fakeDeps({ overview });
    // As on every opening after the first: the popup paints from its snapshot of the cache.
    saveSnapshot(f.deps.storage, { minAgeDays: 0, overview });
    root = renderPopup(f).root;
    // The first render, before any frame: the first screenful only.
    const first = root.querySelectorAll('li[data-course-id]').length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(120);
    // Then, once that has been painted, the rest.
    await vi.waitFor(() => expect(root.querySelectorAll('li[data-course-id]').length).toBe(120));
  });
});
