import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { Overview } from '../../../src/shared/overview';
import type { CourseOverview, JobView } from '../../../src/shared/types';
import { COURSES, course, type Fake, fakeDeps, jobView, NOW, settle } from './fakes';
import { mountPopup, unmountPopups } from './mount';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ORIGIN = 'http://127.0.0.1:4310';
const [FIRE, GDPR] = COURSES as [CourseOverview, CourseOverview];

let root: HTMLElement;

async function mount(f: Fake) {
  const popup = await mountPopup(f);
  root = popup.root;
  return popup.store;
}

afterEach(unmountPopups);

const text = (sel: string) => root.querySelector(sel)?.textContent?.trim() ?? null;
const buttons = () => [...root.querySelectorAll('button')];
const button = (label: RegExp) =>
  buttons().find((b) => label.test(b.getAttribute('aria-label') ?? b.textContent ?? ''));

async function click(el: HTMLElement | undefined) {
  if (!el) throw new Error('nothing to click');
  await act(async () => {
    el.click();
    await settle();
  });
}

async function feed(f: Fake, overview: Overview) {
  await act(async () => {
    f.feed(overview);
    await settle();
  });
}

/** Presses Escape where the focus is; answers whether the popup kept it (default prevented). */
async function pressEscape(): Promise<boolean> {
  const e = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
  await act(async () => {
    (document.activeElement ?? document.body).dispatchEvent(e);
    await settle();
  });
  return e.defaultPrevented;
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Every figure on screen that a revoke of the ticked courses adds up from. */
function figures() {
  const seats = [...root.querySelectorAll<HTMLElement>('[data-seats]')].map((e) => Number(e.dataset.seats));
  const label = button(/^Revoke /)?.textContent ?? '';
  const m = /^Revoke (\d+) pending invites?.* in (\d+) courses?$/.exec(label);
  return {
    lines: seats.reduce((a, b) => a + b, 0),
    courseLines: seats.length,
    total: Number(text('[data-testid="total-pending"]')),
    courses: Number(text('[data-testid="total-courses"]')),
    buttonInvites: Number(m?.[1]),
    buttonCourses: Number(m?.[2]),
  };
}

describe('popup: no false zeros', () => {
  it('while it reads for the first time: placeholders, never 0 or "Nothing to revoke"', async () => {
    const f = fakeDeps({ overview: { origin: null, courses: [], fetchedAt: null } });
    f.handlers['overview.get'] = () => new Promise(() => {}); // the portal is slow
    await mount(f);
    expect(text('[data-testid="freshness"]')).toBe('Reading your courses from the portal…');
    expect(text('[data-testid="total-pending"]')).toBe('—not known yet');
    expect(text('[data-testid="total-courses"]')).toBe('—not known yet');
    expect(root.textContent).not.toMatch(/Nothing to revoke|No courses/);
    expect(button(/Revoke|Nothing/)).toBeUndefined();

    // The course list is in, not yet the courses' invites: still not a 0.
    const gdprUnread = course('c-2', 'GDPR', 0, null, 0, null);
    const unread = [course('c-1', 'Fire Safety', 0, null, 0, null), gdprUnread];
    await feed(f, { origin: ORIGIN, courses: unread, fetchedAt: NOW });
    expect(text('[data-testid="total-pending"]')).toBe('—not known yet');
    expect(text('[data-course-id="c-1"] [data-testid="seats"]')).toBe('pending invites not read yet');
    expect(text('[data-course-id="c-1"] [data-testid="course-freshness"]')).toBe('being read…');
    expect(root.querySelector('[data-course-id="c-1"] [data-testid="pending"]')).toBeNull();
    expect(text('[data-testid="unread-note"]')).toBe('2 courses are still being read: not counted yet.');
    expect(button(/Revoke|Nothing|Renew/)).toBeUndefined();

    // One course read: the figures are those of the courses read, and say what is left out.
    await feed(f, {
      origin: ORIGIN,
      courses: [course('c-1', 'Fire Safety', 4, DAY), gdprUnread],
      fetchedAt: NOW,
    });
    expect(figures()).toMatchObject({ total: 4, courses: 1, buttonInvites: 4, buttonCourses: 1 });
    expect(root.querySelector<HTMLInputElement>('#course-c-2')?.disabled).toBe(true);
    expect(text('[data-testid="unread-note"]')).toBe('1 course is still being read: not counted yet.');
  });

  it('a course never read is not revoked: the scope names the courses read', async () => {
    const f = fakeDeps({
      overview: {
        origin: ORIGIN,
        courses: [...COURSES, course('c-3', 'Lone Working', 0, null, 0, null)],
        fetchedAt: NOW,
      },
    });
    f.handlers['job.start'] = () => jobView(3, 'waiting');
    await mount(f);
    expect(text('[data-testid="unread-note"]')).toBe('1 course not read yet: not counted, not revoked.');
    await click(button(/^Revoke 3 pending invites in 2 courses$/));
    expect(f.sent.find((r) => r.type === 'job.start')).toEqual({
      type: 'job.start',
      scope: { kind: 'courses', courseIds: ['c-1', 'c-2'] },
    });
  });

  it('a refresh whose course list came in but whose course reads failed shows the last good read’s age', async () => {
    const f = fakeDeps({
      overview: {
        origin: ORIGIN,
        // The list was read a minute ago; Fire Safety's invites could not be read since 3 hours ago.
        fetchedAt: NOW - 60_000,
        courses: [{ ...FIRE, readAt: NOW - 3 * HOUR, readDue: true }, GDPR],
      },
    });
    f.handlers['overview.get'] = () => ({
      courses: [],
      fetchedAt: NOW - 60_000,
      portalNow: NOW,
      signedIn: true,
      error: { kind: 'server-error', message: 'The portal had an error (HTTP 500).' },
    });
    await mount(f);
    expect(text('[data-testid="freshness"]')).toBe(
      "Updated 3 hours ago · couldn't refresh: the portal had an error",
    );
    expect(root.textContent).not.toMatch(/just now|HTTP/);
    expect(text('[data-course-id="c-1"] [data-testid="course-freshness"]')).toBe(
      'stale: updated 3 hours ago',
    );
    expect(button(/^Try again$/)).toBeTruthy();
  });

  it('a refresh that failed outright shows the age of what is cached, never "just now"', async () => {
    const f = fakeDeps({
      overview: {
        origin: ORIGIN,
        fetchedAt: NOW - 3 * HOUR,
        courses: COURSES.map((c) => ({ ...c, readAt: NOW - 3 * HOUR })),
      },
    });
    const send = f.deps.send;
    f.deps.send = async (request) =>
      request.type === 'overview.get'
        ? {
            ok: false,
            error: {
              kind: 'network-error',
              message: 'Could not reach the portal (GET /api/courses): TypeError',
            },
          }
        : send(request);
    await mount(f);
    expect(text('[data-testid="freshness"]')).toBe(
      "Updated 3 hours ago · couldn't refresh: the portal could not be reached",
    );
    f.deps.send = send;
    await click(button(/^Try again$/));
    expect(text('[data-testid="freshness"]')).toBe('Updated 3 hours ago — stale');
  });
});

describe('popup: labels that say the scope, numbers that add up', () => {
  it('the totals and the button follow the ticks and the age filter, and add up from the lines', async () => {
    const fire = course('c-1', 'Fire Safety', 9, DAY, 9);
    const gdpr = course('c-2', 'GDPR Essentials', 12, 4 * DAY, 12);
    const lone = course('c-3', 'Lone Working', 4, 6 * DAY, 4);
    const three = [fire, gdpr, lone];
    const f = fakeDeps({ overview: { origin: ORIGIN, courses: three, fetchedAt: NOW } });
    const store = await mount(f);
    expect(figures()).toEqual({
      lines: 25,
      courseLines: 3,
      total: 25,
      courses: 3,
      buttonInvites: 25,
      buttonCourses: 3,
    });

    await click(root.querySelector<HTMLInputElement>('#course-c-2') ?? undefined);
    expect(figures()).toEqual({
      lines: 13,
      courseLines: 2,
      total: 13,
      courses: 2,
      buttonInvites: 13,
      buttonCourses: 2,
    });

    // The age filter: the cache counts again (fed here), and every figure follows it.
    await act(async () => {
      void store.getState().setMinAgeDays(7);
      await settle();
    });
    await feed(f, {
      origin: ORIGIN,
      fetchedAt: NOW,
      courses: [
        { ...fire, inScope: 5 },
        { ...gdpr, inScope: 7 },
        { ...lone, inScope: 1 },
      ],
    });
    expect(figures()).toEqual({
      lines: 6,
      courseLines: 2,
      total: 6,
      courses: 2,
      buttonInvites: 6,
      buttonCourses: 2,
    });
    expect(button(/^Revoke /)?.textContent).toBe(
      'Revoke 6 pending invites sent more than 7 days ago in 2 courses',
    );
    expect(root.querySelector('dt')?.textContent).toBe('Pending invites sent more than 7 days ago');
    expect(text('[data-course-id="c-1"] [data-testid="seats"]')).toBe(
      'revoking returns 5 seats (invites sent more than 7 days ago)',
    );
  });

  it('nothing to revoke: a sentence, never a greyed destructive button; no "Renew expiring (0)"', async () => {
    const f = fakeDeps({
      overview: {
        origin: ORIGIN,
        fetchedAt: NOW,
        courses: [{ ...course('c-1', 'Fire Safety', 0, null, 0), expiring: 0 }],
      },
    });
    await mount(f);
    expect(button(/Revoke|Renew/)).toBeUndefined();
    expect(text('[data-testid="nothing-to-revoke"]')).toBe('Nothing to revoke in the ticked course.');
    expect(text('[data-testid="total-pending"]')).toBe('0');
  });
});

describe('popup: Undo from the click, its own button, and Escape', () => {
  it('shows the countdown and Undo at once, before the background answers; Undo then undoes the job it starts', async () => {
    const f = fakeDeps();
    const start = deferred<JobView>();
    f.handlers['job.start'] = () => start.promise;
    f.handlers['job.undo'] = () => jobView(7, 'undone');
    await mount(f);
    await click(button(/^Revoke 3 pending invites in 2 courses$/));
    // At once: what, where and when, said once, and Undo (never a disabled "Starting…").
    expect(text('#undo-title')).toBe('Revoking 3 pending invites in 2 courses');
    expect(text('[data-testid="undo-countdown"]')).toBe('Starting in 5 s. Nothing has been sent yet.');
    const undo = button(/^Undo$/);
    expect(undo?.disabled).toBe(false);
    expect(document.activeElement).toBe(undo);
    expect(button(/^Revoke/)).toBeUndefined(); // Undo never shares a button with Revoke

    // The popup's count reaches 0 while the background still reads the scope: Undo stays.
    await act(async () => {
      f.clock.now += 5000;
      await new Promise((r) => setTimeout(r, 300));
    });
    expect(text('[data-testid="undo-countdown"]')).toBe('Starting now. Nothing has been sent yet.');
    await click(button(/^Undo$/));
    expect(text('[data-testid="undo-countdown"]')).toBe('Undoing… Nothing has been sent.');
    expect(f.sent.some((r) => r.type === 'job.undo')).toBe(false);

    // The job is written: it is undone at once, inside its own (later) window.
    await act(async () => {
      start.resolve({
        ...jobView(7, 'waiting'),
        job: { ...jobView(7, 'waiting').job, startAt: f.clock.now + 5000 },
      });
      await settle();
    });
    expect(f.sent.at(-1)).toEqual({ type: 'job.undo', jobId: 7 });
    expect(text('.rc-note-ok')).toBe('Revoke undone. Nothing was sent to the portal.');
    expect(root.querySelector('[data-job-id]')).toBeNull();
  });

  it('keeps the countdown from the click once the job is written: no jump back up', async () => {
    const f = fakeDeps();
    const start = deferred<JobView>();
    f.handlers['job.start'] = () => start.promise;
    await mount(f);
    await click(button(/^Revoke 3 pending invites in 2 courses$/));
    await act(async () => {
      f.clock.now += 1500; // the background took 1.5 s to read the scope
      start.resolve({
        ...jobView(4, 'waiting'),
        job: { ...jobView(4, 'waiting').job, startAt: f.clock.now + 5000 },
      });
      await new Promise((r) => setTimeout(r, 300));
    });
    expect(root.querySelector('[data-job-id="4"]')).not.toBeNull();
    expect(text('[data-testid="undo-countdown"]')).toBe('Starting in 4 s. Nothing has been sent yet.');
    expect(button(/^Undo$/)?.disabled).toBe(false);
  });

  it('Escape undoes a job in its Undo window (and keeps the popup open), and does nothing otherwise', async () => {
    const f = fakeDeps();
    f.handlers['job.start'] = () => jobView(8, 'waiting');
    f.handlers['job.undo'] = () => jobView(8, 'undone');
    await mount(f);
    expect(await pressEscape()).toBe(false);
    expect(f.sent.some((r) => r.type === 'job.undo')).toBe(false);

    await click(button(/^Revoke 3 pending invites in 2 courses$/));
    (root.querySelector('h2') as HTMLElement | null)?.focus(); // wherever the focus is
    expect(await pressEscape()).toBe(true);
    expect(f.sent.at(-1)).toEqual({ type: 'job.undo', jobId: 8 });
    expect(text('.rc-note-ok')).toBe('Revoke undone. Nothing was sent to the portal.');

    // Back on the courses: Escape is the browser's again.
    expect(await pressEscape()).toBe(false);
    expect(f.sent.filter((r) => r.type === 'job.undo')).toHaveLength(1);
  });

  it('a job running or finished: Escape sends nothing', async () => {
    const f = fakeDeps();
    f.handlers['job.current'] = () => jobView(3, 'running', { queued: 2, revoked: 3 });
    await mount(f);
    expect(root.querySelector('[role="progressbar"]')).not.toBeNull();
    expect(await pressEscape()).toBe(false);
    expect(f.sent.some((r) => r.type === 'job.undo')).toBe(false);
  });
});

describe('popup: reports without zeros or jargon', () => {
  it('a job that invites: one line without zeros, a failure in plain words', async () => {
    const f = fakeDeps();
    const view = jobView(6, 'done', { total: 2, queued: 0, invited: 1, failed: 1 });
    view.job.reason = 'reassign';
    view.seatsReturnedByCourse = [{ courseId: 'c-1', courseTitle: 'Fire Safety', seats: 1 }];
    view.lines = [
      {
        key: 'i-1',
        email: 'new@x.test',
        courseId: 'c-1',
        courseTitle: 'Fire Safety',
        outcome: 'invited',
        detail: null,
        newInviteId: 'i-9',
        revoked: { inviteId: 'i-1', learnerName: 'Old', learnerEmail: 'old@x.test', outcome: 'revoked' },
        seatLeftFree: null,
      },
      {
        key: 'i-2',
        email: 'other@x.test',
        courseId: 'c-1',
        courseTitle: 'Fire Safety',
        outcome: 'failed',
        detail: 'Gave up after 5 tries: The portal had an error (HTTP 500).',
        newInviteId: null,
        revoked: { inviteId: 'i-2', learnerName: 'Older', learnerEmail: 'older@x.test', outcome: 'failed' },
        seatLeftFree: null,
      },
    ];
    f.handlers['job.current'] = () => view;
    await mount(f);
    expect(text('[data-testid="report-line"]')).toBe('Done: 1 invited, 1 revoked, 1 failed');
    expect(text('tr[data-email="other@x.test"] .detail')).toBe(
      "Couldn't cancel: the portal had an error (tried 5 times)",
    );
    expect(root.textContent).not.toMatch(/HTTP|Gave up/);
  });
});
