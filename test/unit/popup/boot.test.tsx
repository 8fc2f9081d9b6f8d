import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { bootPopup, type LiveApi } from '../../../src/popup/boot';
import { afterNextPaint } from '../../../src/popup/paint';
import { COURSES, course, type Fake, fakeDeps, invite, NOW, settle } from './fakes';

const lives: AbortController[] = [];
const roots: HTMLElement[] = [];
afterEach(() => {
  for (const l of lives.splice(0)) l.abort();
  for (const r of roots.splice(0)) {
    render(null, r);
    r.remove();
  }
});

/** A popup page booted on the fake's I/O; counts how often live.ts was asked for. */
function boot(f: Fake, afterPaint: () => Promise<void>, hash = '') {
  const root = document.createElement('div');
  document.body.append(root);
  roots.push(root);
  const life = new AbortController();
  lives.push(life);
  const loads = { count: 0 };
  // live.ts's functions are the fake's own (the rest of the fake's deps are the page's).
  const { storage: _storage, download: _download, now: _now, ...live } = f.deps;
  bootPopup(
    {
      root,
      importLive: async () => {
        loads.count++;
        return live satisfies LiveApi;
      },
      afterPaint,
      storage: f.deps.storage,
      download: f.deps.download,
      now: f.deps.now,
      hash,
    },
    life.signal,
  );
  const rows = () =>
    [...root.querySelectorAll('li[data-course-id]')].map(
      (li) =>
        `${li.querySelector('label')?.textContent}: ${li.querySelector('[data-testid="pending"]')?.textContent}`,
    );
  const freshness = () => root.querySelector('[data-testid="freshness"]')?.textContent ?? null;
  return { root, life, loads, rows, freshness };
}

function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('popup boot', () => {
  it('renders the snapshot synchronously, marked as refreshing, and loads nothing before it is painted', async () => {
    const f = fakeDeps();
    // A first opening leaves its snapshot of the cache read behind.
    const first = boot(f, () => Promise.resolve());
    await act(() => settle());
    expect(first.rows()).toEqual(['Fire Safety: 3 pending invites', 'GDPR Essentials: 2 pending invites']);
    first.life.abort();
    f.sent.length = 0;

    f.handlers['overview.get'] = () => new Promise(() => {}); // the portal is slow
    const paint = deferred();
    const next = boot(f, () => paint.promise);
    // In the DOM when bootPopup returns, before any await.
    expect(next.rows()).toEqual(['Fire Safety: 3 pending invites', 'GDPR Essentials: 2 pending invites']);
    expect(next.freshness()).toBe('Updated 7 minutes ago, checking for changes…');
    await act(() => settle());
    expect(next.loads.count).toBe(0);
    expect(f.sent).toEqual([]);

    paint.resolve();
    await act(() => settle());
    expect(next.loads.count).toBe(1);
    expect(f.sent.map((r) => r.type).sort()).toEqual(['job.current', 'overview.get']);
    // The live cache read replaces the snapshot's rows.
    await act(async () => {
      f.feed({
        origin: COURSES[0]?.origin ?? null,
        courses: [course('c-1', 'Fire Safety', 1, null)],
        fetchedAt: NOW,
      });
      await settle();
    });
    expect(next.rows()).toEqual(['Fire Safety: 1 pending invite']);
  });

  it('with nothing cached yet, loads at once instead of waiting for a paint', async () => {
    const f = fakeDeps();
    const never = () => new Promise<void>(() => {});
    const page = boot(f, never);
    expect(page.rows()).toEqual([]);
    await act(() => settle());
    expect(page.loads.count).toBe(1);
    expect(page.rows()).toEqual(['Fire Safety: 3 pending invites', 'GDPR Essentials: 2 pending invites']);
  });

  it('opened at #expiring (a notification’s Review), shows the Expiring soon view first', async () => {
    const f = fakeDeps({ invites: [invite('i-1', 'c-1', 'Fire Safety', 'Ada Lovelace', 3_600_000)] });
    const page = boot(f, () => Promise.resolve(), '#expiring');
    await act(() => settle(20));
    expect(page.root.querySelector('[data-testid="expiring-view"]')).not.toBeNull();
    expect(page.rows()).toEqual([]);
    expect(page.root.querySelector('li[data-invite-id="i-1"] label')?.textContent).toBe('Ada Lovelace');

    const plain = boot(fakeDeps(), () => Promise.resolve(), '');
    await act(() => settle(20));
    expect(plain.root.querySelector('[data-testid="expiring-view"]')).toBeNull();
    expect(plain.rows()).toHaveLength(2);
  });
});

describe('afterNextPaint', () => {
  it('resolves after the next animation frame, without waiting for its fallback timer', async () => {
    let frame: FrameRequestCallback | null = null;
    const win = {
      requestAnimationFrame: (cb: FrameRequestCallback) => {
        frame = cb;
        return 1;
      },
      cancelAnimationFrame: () => {},
    };
    let done = false;
    void afterNextPaint(win, 60_000).then(() => {
      done = true;
    });
    await settle();
    expect(done).toBe(false);
    (frame as FrameRequestCallback | null)?.(0);
    await settle();
    expect(done).toBe(true);
  });

  it('resolves from its fallback timer when no frame comes (a hidden page)', async () => {
    let cancelled = 0;
    const win = { requestAnimationFrame: () => 7, cancelAnimationFrame: () => void cancelled++ };
    const started = Date.now();
    await afterNextPaint(win, 30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(cancelled).toBe(1);
  });
});
