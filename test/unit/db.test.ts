/**
 * Reclaim's database across its schema versions. For every upgrade, a database as the previous
 * version wrote it (jobs in every state, items in every state, cache, audit log, settings) is
 * opened by the next version and by the latest: nothing is lost, every index answers, and the
 * jobs carry on (a job left running by an older build finishes after the upgrade).
 *
 * `new ReclaimDb(name, { upTo: n })` declares the versions up to n only: the database exactly as
 * a build of version n wrote it. A new version is covered here without a new test.
 */
import { describe, expect, it } from 'vitest';
import { inviteTargetOf } from '../../src/background/jobs/invite-items';
import { JobRunner } from '../../src/background/jobs/runner';
import { PortalClient } from '../../src/portal/api/client';
import { ReclaimDb } from '../../src/shared/db';
import { tallyOf } from '../../src/shared/job-tally';
import type { AuditEntry, CachedInvite, ItemState, Job, JobItem, JobState } from '../../src/shared/types';
import { MiniPortal } from './background/fake-portal';

const LATEST = new ReclaimDb('reclaim-verno-only').verno;
const ORIGIN = 'http://127.0.0.1:4310';
const T0 = 1_700_000_000_000;
const JOB_STATES: JobState[] = ['waiting', 'running', 'paused', 'signed-out', 'done', 'undone', 'cancelled'];
const ITEM_STATES: ItemState[] = [
  'queued',
  'in-flight',
  'revoked',
  'already-cancelled',
  'already-expired',
  'kept-accepted',
  'not-found',
  'skipped',
  'failed',
];
/** Versions before this one wrote items without a kind (version 3 gave every one 'cancel'). */
const KINDS_FROM = 3;
/** From this version each job carries the count of its items by state (shared/job-tally.ts). */
const TALLY_FROM = 4;
/**
 * From this version jobs may invite: items of kinds 'invite' and 'cancel-then-invite', with their
 * address, course and address as one indexed key (`inviteTarget`), phase, and outcomes.
 */
const INVITES_FROM = 5;
const INVITE_KINDS = ['invite', 'cancel-then-invite'] as const;
const INVITE_ITEM_STATES: ItemState[] = [...ITEM_STATES, 'invited', 'already-invited', 'not-invited'];

function job(state: JobState, k: number, invites = false): Omit<Job, 'id'> {
  const finished = ['done', 'undone', 'cancelled'].includes(state);
  const row: Omit<Job, 'id'> = {
    origin: ORIGIN,
    scope: { kind: 'course', courseId: `c-${k}` },
    state,
    surface: k % 2 ? 'popup' : 'usage',
    createdAt: T0 + k,
    startAt: T0 + k + 5000,
    finishedAt: finished ? T0 + k + 60_000 : null,
    concurrency: 6,
    message: state === 'signed-out' ? 'Sign in to the portal again.' : null,
    keptAcceptedAtStart: k,
  };
  if (invites) row.reason = 'make-room';
  return row;
}

function item(jobId: number, state: ItemState, n: number, version: number): JobItem {
  const row: JobItem = {
    jobId,
    kind: 'cancel',
    inviteId: `j${jobId}-i${n}`,
    courseId: 'c-1',
    courseTitle: 'Fire Safety',
    learnerId: `l-${n}`,
    learnerName: `Learner ${n}`,
    learnerEmail: `l${n}@example.test`,
    state,
    tries: state === 'queued' || state === 'skipped' ? 0 : 1,
    error: state === 'failed' ? 'The portal had an error (HTTP 500).' : null,
    updatedAt: T0 + n,
  };
  if (state === 'in-flight') row.answerLost = true;
  if (version < KINDS_FROM) delete (row as Partial<JobItem>).kind;
  return row;
}

/** An item of a job that invites, in `state`, with every field its kind writes. */
function invitingItem(
  jobId: number,
  kind: (typeof INVITE_KINDS)[number],
  state: ItemState,
  n: number,
): JobItem {
  const email = `${kind === 'invite' ? 'New' : 'Pair'}.${n}@example.test`;
  const target = inviteTargetOf('c-1', email);
  const row: JobItem = {
    ...item(jobId, state, n, INVITES_FROM),
    kind,
    email,
    inviteTarget: target,
    reason: 'make-room',
  };
  if (kind === 'invite') {
    Object.assign(row, { inviteId: target, learnerId: '', learnerName: email, learnerEmail: email });
  } else {
    row.inviteId = `j${jobId}-p${n}`;
    row.phase = n % 2 ? 'invite' : 'cancel';
    if (row.phase === 'invite') row.seatFreed = 'revoked';
  }
  if (row.tries > 0) row.inviteFrom = T0 + n;
  if (state === 'invited') row.newInviteId = `new-${jobId}-${n}`;
  return row;
}

const invite = (n: number): CachedInvite => ({
  key: `${ORIGIN}#i-${n}`,
  origin: ORIGIN,
  id: `i-${n}`,
  courseId: 'c-1',
  courseTitle: 'Fire Safety',
  learnerId: `l-${n}`,
  learnerName: `Learner ${n}`,
  learnerEmail: `l${n}@example.test`,
  sentAt: new Date(T0 - n * 86_400_000).toISOString(),
  expiresAt: T0 + (30 - n) * 86_400_000,
  status: n % 3 ? 'pending' : 'accepted',
  progress: n % 3 ? null : 40,
  fetchedAt: T0,
});

/** IndexedDB's order of string keys. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Written {
  /** The version that wrote it. */
  version: number;
  jobs: Job[];
  items: JobItem[];
  invites: CachedInvite[];
  audit: AuditEntry[];
}

/**
 * A database as `version` wrote it: a revoke in every state, each with an item in every state;
 * from INVITES_FROM also a job that invites in every state, with items of both its kinds in
 * every state; from TALLY_FROM each job with its tally, as a build of that version writes it.
 */
async function writeAs(version: number, name: string): Promise<Written> {
  const db = new ReclaimDb(name, { upTo: version });
  await db.open();
  expect(db.verno).toBe(version);
  const jobs: Job[] = [];
  const items: JobItem[] = [];
  const add = async (row: Omit<Job, 'id'>, itemsOf: (id: number) => JobItem[]) => {
    const id = (await db.jobs.add(row as Job)) as number;
    const mine = itemsOf(id);
    const written: Job = { ...row, id };
    if (version >= TALLY_FROM) {
      written.tally = tallyOf(mine);
      await db.jobs.put(written);
    }
    jobs.push(written);
    items.push(...mine);
  };
  for (const [k, state] of JOB_STATES.entries()) {
    await add(job(state, k), (id) => ITEM_STATES.map((s, n) => item(id, s, n, version)));
  }
  if (version >= INVITES_FROM) {
    for (const [k, state] of JOB_STATES.entries()) {
      await add(job(state, JOB_STATES.length + k, true), (id) =>
        INVITE_KINDS.flatMap((kind) => INVITE_ITEM_STATES.map((s, n) => invitingItem(id, kind, s, n))),
      );
    }
  }
  await db.jobItems.bulkAdd(items);
  const invites = Array.from({ length: 12 }, (_, n) => invite(n + 1));
  await db.invites.bulkAdd(invites);
  await db.courses.add({
    key: `${ORIGIN}#c-1`,
    origin: ORIGIN,
    id: 'c-1',
    title: 'Fire Safety',
    seats: { total: 20, assigned: 12, available: 8 },
    pending: 8,
    fetchedAt: T0,
  });
  const audit: AuditEntry[] = [];
  const audited = items.filter((x) => x.state === 'revoked' || x.state === 'invited');
  for (const [n, i] of audited.entries()) {
    const entry: AuditEntry = {
      at: T0 + n,
      origin: ORIGIN,
      jobId: i.jobId,
      surface: 'popup',
      inviteId: i.inviteId,
      learnerName: i.learnerName,
      learnerEmail: i.learnerEmail,
      courseId: i.courseId,
      courseTitle: i.courseTitle,
      outcome: i.state === 'invited' ? 'invited' : 'revoked',
      detail: null,
    };
    if (i.reason)
      Object.assign(entry, { action: i.state === 'invited' ? 'invite' : 'cancel', reason: i.reason });
    entry.id = (await db.audit.add(entry)) as number;
    audit.push(entry);
  }
  await db.meta.bulkPut([
    { key: 'settings', value: { undoSeconds: 9, concurrency: 3 } },
    { key: 'portal.lastOrigin', value: ORIGIN },
  ]);
  db.close();
  return { version, jobs, items, invites, audit };
}

/** Opens `name` with the versions up to `version` and checks that everything written is there. */
async function expectAllThere(name: string, version: number, written: Written): Promise<ReclaimDb> {
  const db = new ReclaimDb(name, { upTo: version });
  await db.open();
  expect(db.verno).toBe(version);
  const jobs = await db.jobs.orderBy('id').toArray();
  expect(jobs.map(({ tally: _, ...rest }) => rest)).toEqual(
    written.jobs.map(({ tally: _, ...rest }) => rest),
  );
  const withKind =
    version >= KINDS_FROM ? written.items.map((i) => ({ ...i, kind: i.kind ?? 'cancel' })) : written.items;
  if (version >= TALLY_FROM) {
    for (const j of jobs) expect(j.tally).toEqual(tallyOf(withKind.filter((i) => i.jobId === j.id)));
  }
  expect(await db.jobItems.orderBy('[jobId+inviteId]').toArray()).toEqual(
    [...withKind].sort((a, b) => a.jobId - b.jobId || byCodeUnits(a.inviteId, b.inviteId)),
  );
  expect(await db.invites.orderBy('key').toArray()).toEqual(
    [...written.invites].sort((a, b) => byCodeUnits(a.key, b.key)),
  );
  expect(await db.audit.orderBy('id').toArray()).toEqual(written.audit);
  expect((await db.meta.get('settings'))?.value).toEqual({ undoSeconds: 9, concurrency: 3 });
  // Every index the engine and the views query answers over the old rows.
  const perState = written.version >= INVITES_FROM ? 2 : 1; // a revoke, and a job that invites
  for (const state of JOB_STATES) expect(await db.jobs.where('state').equals(state).count()).toBe(perState);
  const first = written.jobs[0] as Job;
  for (const state of ITEM_STATES) {
    expect(await db.jobItems.where('[jobId+state]').equals([first.id, state]).count()).toBe(1);
  }
  const inviting = written.jobs.find((j) => j.reason);
  expect(inviting !== undefined).toBe(written.version >= INVITES_FROM);
  if (inviting) {
    for (const state of INVITE_ITEM_STATES) {
      expect(await db.jobItems.where('[jobId+state]').equals([inviting.id, state]).count()).toBe(2);
    }
    // Each address a job invites, found by its course and address (holds.ts asks this).
    for (const i of written.items.filter((x) => x.jobId === inviting.id)) {
      const found = await db.jobItems
        .where('[jobId+inviteTarget]')
        .equals([inviting.id, i.inviteTarget as string])
        .toArray();
      expect(found).toEqual([i]);
    }
  }
  expect(await db.invites.where('[origin+learnerId]').equals([ORIGIN, 'l-3']).count()).toBe(1);
  if (version >= 2) {
    const pending = await db.invites
      .where('[origin+courseId+status+expiresAt]')
      .between([ORIGIN, 'c-1', 'pending', 0], [ORIGIN, 'c-1', 'pending', Number.MAX_SAFE_INTEGER])
      .count();
    expect(pending).toBe(written.invites.filter((i) => i.status === 'pending').length);
  }
  return db;
}

describe('database upgrades', () => {
  it('has every version declared in order, the latest opened by default', () => {
    expect(LATEST).toBeGreaterThanOrEqual(3);
    for (let v = 1; v <= LATEST; v++) expect(new ReclaimDb(`verno-${v}`, { upTo: v }).verno).toBe(v);
  });

  for (let v = 1; v < LATEST; v++) {
    it(`opens a version-${v} database at version ${v + 1} and at the latest: nothing lost`, async () => {
      const name = `reclaim-upgrade-${v}-${Math.random()}`;
      const written = await writeAs(v, name);
      (await expectAllThere(name, v + 1, written)).close();
      const latest = await expectAllThere(name, LATEST, written);
      await latest.delete();
    });
  }

  it(`opens a database the latest version (${LATEST}) wrote again: nothing lost, every index answers`, async () => {
    const name = `reclaim-latest-${Math.random()}`;
    const written = await writeAs(LATEST, name);
    await (await expectAllThere(name, LATEST, written)).delete();
  });

  it('a job an older build left running finishes after the upgrade: each invite cancelled once', async () => {
    const name = `reclaim-upgrade-resume-${Math.random()}`;
    const old = new ReclaimDb(name, { upTo: 2 });
    const jobId = (await old.jobs.add({ ...job('running', 1), origin: ORIGIN } as Job)) as number;
    const states: ItemState[] = ['revoked', 'in-flight', 'queued', 'queued'];
    await old.jobItems.bulkAdd(
      states.map((s, n) => ({ ...item(jobId, s, n, 2), courseId: 'c-1', learnerId: `l-${n}` })),
    );
    old.close();
    // The portal: the in-flight cancel had applied before the old build stopped.
    const portal = new MiniPortal([
      {
        id: `j${jobId}-i0`,
        courseId: 'c-1',
        learnerId: 'l-0',
        status: 'cancelled',
        sentAt: new Date().toISOString(),
      },
      {
        id: `j${jobId}-i1`,
        courseId: 'c-1',
        learnerId: 'l-1',
        status: 'cancelled',
        sentAt: new Date().toISOString(),
      },
      {
        id: `j${jobId}-i2`,
        courseId: 'c-1',
        learnerId: 'l-2',
        status: 'pending',
        sentAt: new Date().toISOString(),
      },
      {
        id: `j${jobId}-i3`,
        courseId: 'c-1',
        learnerId: 'l-3',
        status: 'pending',
        sentAt: new Date().toISOString(),
      },
    ]);
    const db = new ReclaimDb(name);
    const client = new PortalClient({ origin: ORIGIN, fetch: portal.fetch });
    const runner = new JobRunner({
      db,
      client: () => client,
      now: Date.now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      backoffBaseMs: 5,
    });
    expect(await runner.wake()).toBe(1);
    await runner.idle();
    const view = await runner.view(jobId);
    expect(view?.job.state).toBe('done');
    expect(view?.counts).toMatchObject({ total: 4, revoked: 4, failed: 0 });
    expect(portal.cancelCalls.sort()).toEqual([`j${jobId}-i2`, `j${jobId}-i3`]);
    await db.delete();
  });
});
