/**
 * The expiry watch over a MiniPortal: it reads (never writes), tells of newly expiring invites
 * once, nothing when signed out or switched off, and its notification's buttons do what they say.
 */
import { describe, expect, it } from 'vitest';
import { createExpiryWatch } from '../../../src/background/expiry-watch';
import type { InviteStartRequest } from '../../../src/background/jobs/requests';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import type { Settings } from '../../../src/shared/types';
import { type WatchStatus, watchStatusKey } from '../../../src/shared/watch-status';
import type { InviteSeed } from './fake-portal';
import { PORTAL, setup } from './harness';

const DAY = 86_400_000;
/** Sent `age` days ago: it expires in 30 - age days. */
const sent = (age: number) => new Date(Date.now() - age * DAY).toISOString();

const SEED: InviteSeed[] = [
  { id: 'i-1', courseId: 'c-1', learnerId: 'l-1', status: 'pending', sentAt: sent(29.5) },
  { id: 'i-2', courseId: 'c-1', learnerId: 'l-2', status: 'pending', sentAt: sent(28) },
  { id: 'i-3', courseId: 'c-2', learnerId: 'l-3', status: 'pending', sentAt: sent(27.5) },
  { id: 'i-4', courseId: 'c-2', learnerId: 'l-4', status: 'pending', sentAt: sent(10) },
  { id: 'i-5', courseId: 'c-2', learnerId: 'l-5', status: 'accepted', sentAt: sent(29) },
];

function rig(seed = SEED, patch: Partial<Settings> = {}) {
  const t = setup(seed);
  const settings: Settings = { ...DEFAULT_SETTINGS, ...patch };
  const shown: { id: string; title: string; message: string; host: string }[] = [];
  const cleared: string[] = [];
  const started: InviteStartRequest[] = [];
  const opened: string[] = [];
  const watch = createExpiryWatch({
    db: t.db,
    cache: t.cache,
    client: t.client,
    settings: async () => settings,
    reachable: async () => [PORTAL],
    now: Date.now,
    notify: async (id, words) => void shown.push({ id, ...words }),
    clear: async (id) => void cleared.push(id),
    startRenew: async (req) => {
      started.push(req);
      return t.runner.startInvites(req);
    },
    openUsage: async (origin, courseId) => void opened.push(`usage ${origin} ${courseId}`),
    openExpiring: async () => void opened.push('expiring'),
    openJob: async () => void opened.push('job'),
    changed: () => {},
  });
  return { ...t, watch, shown, cleared, started, opened, settings };
}

/** A portal Reclaim has read once (the watch only watches portals it knows). */
async function known(r: ReturnType<typeof rig>) {
  const read = await r.cache.refreshAll(PORTAL, { full: true }).done;
  expect(read.ok).toBe(true);
  r.portal.calls.length = 0;
}

const status = async (r: ReturnType<typeof rig>) =>
  (await r.db.meta.get(watchStatusKey(PORTAL)))?.value as WatchStatus | undefined;

describe('expiry watch', () => {
  it('tells once per portal of the pending invites expiring within the window: how many, where, the soonest', async () => {
    const r = rig();
    await known(r);
    const made = await r.watch.run();
    expect(made).toHaveLength(1);
    expect(r.shown).toHaveLength(1);
    expect(r.shown[0]?.title).toBe('3 invites expire within 3 days');
    expect(r.shown[0]?.message).toMatch(
      /^In .*c-1.* \(2\) and .*c-2.* \(1\)\. The soonest expires in 1[12] hours\.$/,
    );
    expect(r.shown[0]?.host).toBe(new URL(PORTAL).host);
    expect((await r.db.notified.toArray()).map((n) => n.inviteId).sort()).toEqual(['i-1', 'i-2', 'i-3']);
    expect((await status(r))?.outcome).toBe('read');
    // It only read.
    expect(r.portal.calls.every((c) => c.method === 'GET')).toBe(true);
    expect(r.portal.cancelCalls).toEqual([]);
  });

  it('makes no second notification when nothing is new, and tells only of the new one after', async () => {
    const r = rig();
    await known(r);
    await r.watch.run();
    expect(await r.watch.run()).toEqual([]);
    expect(r.shown).toHaveLength(1);
    r.portal.invites.set('i-9', {
      id: 'i-9',
      courseId: 'c-2',
      learnerId: 'l-9',
      status: 'pending',
      sentAt: sent(29),
    });
    await r.cache.refreshAll(PORTAL, { full: true }).done;
    expect(await r.watch.run()).toHaveLength(1);
    expect(r.shown[1]?.title).toBe('1 invite expires within 3 days');
  });

  it('does nothing when signed out but say so, after one request', async () => {
    const r = rig();
    await known(r);
    r.portal.signedIn = false;
    expect(await r.watch.run()).toEqual([]);
    expect(r.shown).toEqual([]);
    expect(r.portal.calls).toHaveLength(1);
    expect((await status(r))?.outcome).toBe('signed-out');
    expect(await r.db.notified.count()).toBe(0);
  });

  it('stops saying signed out once the manager is signed in again, and leaves any other status', async () => {
    const r = rig();
    await known(r);
    r.portal.signedIn = false;
    await r.watch.run();
    expect((await status(r))?.outcome).toBe('signed-out');
    await r.watch.signedInAgain(PORTAL);
    expect(await status(r)).toBeUndefined();
    r.portal.signedIn = true;
    await r.watch.run();
    await r.watch.signedInAgain(PORTAL);
    expect((await status(r))?.outcome).toBe('read');
  });

  it('makes no notification when switched off in the options, and still reads', async () => {
    const r = rig(SEED, { notifyExpiring: false });
    await known(r);
    expect(await r.watch.run()).toEqual([]);
    expect(r.shown).toEqual([]);
    expect((await status(r))?.outcome).toBe('read');
  });

  it('watches no portal it has never read', async () => {
    const r = rig();
    expect(await r.watch.run()).toEqual([]);
    expect(r.portal.calls).toEqual([]);
  });

  it('Review opens the expiring view for several courses, the Usage tab for one', async () => {
    const r = rig();
    await known(r);
    const [id] = await r.watch.run();
    await r.watch.act(id as string, 'review');
    expect(r.opened).toEqual(['expiring']);
    expect(r.cleared).toEqual([id]);
    const one = rig([SEED[0] as InviteSeed, SEED[3] as InviteSeed]);
    await known(one);
    const [only] = await one.watch.run();
    await one.watch.act(only as string, 'review');
    expect(one.opened).toEqual([`usage ${PORTAL} c-1`]);
  });

  it('Renew all renews exactly the invites it told of, with the Undo window, and shows the job', async () => {
    const r = rig();
    await known(r);
    const [id] = await r.watch.run();
    const started = await r.watch.act(id as string, 'renew-all');
    expect(r.started).toHaveLength(1);
    expect(r.started[0]).toMatchObject({
      origin: PORTAL,
      surface: 'notification',
      undoSeconds: r.settings.undoSeconds,
      work: {
        kind: 'renew',
        invites: [
          { courseId: 'c-1', inviteId: 'i-1' },
          { courseId: 'c-1', inviteId: 'i-2' },
          { courseId: 'c-2', inviteId: 'i-3' },
        ],
      },
    });
    expect(started?.ok && started.view.job.state).toBe('waiting');
    expect(r.opened).toEqual(['job']);
    // A second click on a notification already acted on does nothing.
    expect(await r.watch.act(id as string, 'renew-all')).toBeNull();
    expect(r.started).toHaveLength(1);
  });
});
