import { afterEach, describe, expect, it } from 'vitest';
import { csvFileName, inScopeCount, isCounting, scopeOf } from '../../../src/popup/selectors';
import { createPopupStore } from '../../../src/popup/store';
import { fakeDeps, jobView, NOW, settle } from './fakes';

const lives: AbortController[] = [];
afterEach(() => {
  for (const l of lives.splice(0)) l.abort();
});

async function started(f = fakeDeps()) {
  const store = createPopupStore(f.deps);
  const life = new AbortController();
  lives.push(life);
  await store.getState().init(life.signal);
  await settle();
  return { store, f, life };
}

describe('popup store', () => {
  it('paints from the cache, then asks the background to refresh', async () => {
    const f = fakeDeps({ settings: { minAgeDays: 7 } });
    const { store } = await started(f);
    const s = store.getState();
    expect(s.overview?.courses.map((c) => c.title)).toEqual(['Fire Safety', 'GDPR Essentials']);
    expect(s.minAgeDays).toBe(7);
    expect(f.watches[0]?.minAgeDays).toBe(7);
    expect(f.sent.map((r) => r.type)).toContain('overview.get');
    expect(f.sent.find((r) => r.type === 'overview.get')).toEqual({ type: 'overview.get', refresh: true });
    expect(s.signedIn).toBe(true);
    expect(inScopeCount(s)).toBe(3);
  });

  it('paints the next opening synchronously from its snapshot of the last cache read', async () => {
    const f = fakeDeps({ settings: { minAgeDays: 3 } });
    expect(createPopupStore(f.deps).getState().overview).toBeNull();
    await started(f);
    const next = createPopupStore(f.deps).getState();
    expect(next.overview?.courses.map((c) => [c.courseId, c.pending, c.inScope])).toEqual([
      ['c-1', 3, 1],
      ['c-2', 2, 2],
    ]);
    expect(next.minAgeDays).toBe(3);
  });

  it('marks the cache as being refreshed as soon as init is called, before anything it awaits', async () => {
    const f = fakeDeps();
    const store = createPopupStore(f.deps);
    const life = new AbortController();
    lives.push(life);
    const done = store.getState().init(life.signal);
    expect(store.getState().refreshing).toBe(true);
    await done;
    await settle();
    expect(store.getState().refreshing).toBe(false);
    // The cache is watched with the stored filter only, not first with a guess.
    expect(f.watches.map((w) => w.minAgeDays)).toEqual([0]);
  });

  it('keeps the portal clock offset for the next first paint', async () => {
    const f = fakeDeps();
    f.handlers['overview.get'] = () => ({
      courses: [],
      fetchedAt: NOW,
      portalNow: NOW + 86_400_000,
      signedIn: true,
      error: null,
    });
    const { store } = await started(f);
    expect(store.getState().portalNow()).toBe(NOW + 86_400_000);
    const again = createPopupStore(f.deps);
    expect(again.getState().portalNow()).toBe(NOW + 86_400_000);
  });

  it('says signed out when the portal answers 401', async () => {
    const f = fakeDeps();
    f.handlers['overview.get'] = () => ({
      courses: [],
      fetchedAt: null,
      portalNow: NOW,
      signedIn: false,
      error: { kind: 'signed-out', message: 'unauthenticated' },
    });
    const { store } = await started(f);
    expect(store.getState().signedIn).toBe(false);
    expect(store.getState().refreshError).toBeNull();
    store.getState().signIn();
    expect(f.opened).toEqual(['http://127.0.0.1:4310/login']);
  });

  it('revokes the courses on screen by name, only the ticked ones, with the age filter', async () => {
    const { store, f } = await started();
    expect(scopeOf(store.getState())).toEqual({ kind: 'courses', courseIds: ['c-1', 'c-2'] });
    store.getState().toggleCourse('c-2', false);
    await store.getState().setMinAgeDays(10);
    expect(f.sent.at(-1)).toEqual({ type: 'settings.set', settings: { minAgeDays: 10 } });
    f.handlers['job.start'] = () => jobView(4, 'waiting');
    await store.getState().revoke();
    expect(f.sent.at(-1)).toEqual({
      type: 'job.start',
      scope: { kind: 'courses', courseIds: ['c-1'], minAgeDays: 10 },
    });
    expect(store.getState().job?.job.id).toBe(4);
    store.getState().setAllTicked(false);
    expect(scopeOf(store.getState())).toBeNull();
  });

  it('shows no count for a new age filter until the cache was counted with it', async () => {
    const { store, f } = await started();
    expect(isCounting(store.getState())).toBe(false);
    const pending = store.getState().setMinAgeDays(10);
    expect(isCounting(store.getState())).toBe(true);
    expect(f.watches.at(-1)?.minAgeDays).toBe(10);
    await pending;
    await settle();
    expect(isCounting(store.getState())).toBe(false);
  });

  it('follows the job from the events port and drops it after Undo', async () => {
    const { store, f } = await started();
    f.handlers['job.start'] = () => jobView(9, 'waiting');
    await store.getState().revoke();
    f.emit({ type: 'job', view: jobView(9, 'waiting', { total: 6, queued: 6 }) });
    expect(store.getState().job?.counts.total).toBe(6);
    // Another job's events do not replace the one on screen.
    f.emit({ type: 'job', view: jobView(10, 'running') });
    expect(store.getState().job?.job.id).toBe(9);
    f.handlers['job.undo'] = () => jobView(9, 'undone');
    await store.getState().undo();
    expect(store.getState().job).toBeNull();
    expect(store.getState().notice).toMatch(/nothing was sent/i);
  });

  it('shows the running job again on reopening; a finished report once, then the courses', async () => {
    const f = fakeDeps();
    f.handlers['job.current'] = () => jobView(3, 'running', { queued: 1, revoked: 4 });
    const { store } = await started(f);
    expect(store.getState().job?.job.state).toBe('running');

    // It finished while the popup was closed: the next opening shows its report...
    f.handlers['job.current'] = () => jobView(3, 'done', { queued: 0, revoked: 5 });
    const second = await started(f);
    expect(second.store.getState().job?.job.state).toBe('done');
    // ...and the one after that the courses again.
    const third = await started(f);
    expect(third.store.getState().job).toBeNull();
    // A report already seen while the popup was open is not shown again either.
    f.handlers['job.start'] = () => jobView(4, 'waiting');
    await third.store.getState().revoke();
    f.emit({ type: 'job', view: jobView(4, 'done', { queued: 0, revoked: 5 }) });
    f.handlers['job.current'] = () => jobView(4, 'done', { queued: 0, revoked: 5 });
    const fourth = await started(f);
    expect(fourth.store.getState().job).toBeNull();
  });

  it('reconnects the events port when the service worker goes away, and resyncs the job', async () => {
    const { store, f } = await started();
    f.handlers['job.start'] = () => jobView(5, 'waiting');
    await store.getState().revoke();
    f.handlers['job.current'] = () => jobView(5, 'running', { queued: 1, revoked: 4 });
    f.closePort();
    await new Promise((r) => setTimeout(r, 600));
    await settle();
    expect(store.getState().job?.counts.revoked).toBe(4);
    f.emit({ type: 'job', view: jobView(5, 'done', { queued: 0, revoked: 5 }) });
    expect(store.getState().job?.job.state).toBe('done');
  });

  it('tears down its port and watches when the popup closes', async () => {
    const { f, life } = await started();
    life.abort();
    f.emit({ type: 'job', view: jobView(1, 'running') });
    f.closePort();
    await new Promise((r) => setTimeout(r, 600));
    expect(f.sent.filter((r) => r.type === 'job.current')).toHaveLength(1);
  });

  it('exports the audit CSV under a dated name', async () => {
    const { store, f } = await started();
    f.handlers['audit.csv'] = () => ({ csv: 'when,learner\r\n', rows: 0 });
    await store.getState().exportCsv();
    expect(f.downloads).toEqual([{ filename: csvFileName(new Date(NOW)), text: 'when,learner\r\n' }]);
    expect(csvFileName(new Date(2026, 0, 5, 10))).toBe('reclaim-audit-2026-01-05.csv');
  });
});
