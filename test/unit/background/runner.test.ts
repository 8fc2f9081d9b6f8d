import { describe, expect, it } from 'vitest';
import { JobRunner } from '../../../src/background/jobs/runner';
import { PortalClient } from '../../../src/portal/api/client';
import type { JobView } from '../../../src/shared/types';
import { type InviteSeed, json } from './fake-portal';
import { daysAgo, PORTAL, popupSender, setup, sleep } from './harness';

function course(n: number, opts: { courseId?: string; accepted?: number } = {}): InviteSeed[] {
  const courseId = opts.courseId ?? 'c-1';
  const out: InviteSeed[] = [];
  for (let k = 1; k <= n; k++) {
    out.push({
      id: `${courseId}-p${k}`,
      courseId,
      learnerId: `l-${k}`,
      status: 'pending',
      sentAt: daysAgo(1 + (k % 25)),
    });
  }
  for (let k = 1; k <= (opts.accepted ?? 0); k++) {
    out.push({
      id: `${courseId}-a${k}`,
      courseId,
      learnerId: `l-a${k}`,
      status: 'accepted',
      sentAt: daysAgo(5),
    });
  }
  return out;
}

async function startCourse(t: ReturnType<typeof setup>, undoSeconds = 0, courseId = 'c-1'): Promise<JobView> {
  const r = await t.ask({ type: 'job.start', scope: { kind: 'course', courseId }, undoSeconds }, popupSender);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

const countOf = (list: string[], id: string) => list.filter((x) => x === id).length;
/** Cancel requests that reached the portal for this invite (including ones a fault answered). */
const posts = (t: ReturnType<typeof setup>, id: string, from = 0) =>
  t.portal.calls.slice(from).filter((c) => c.method === 'POST' && c.path.endsWith(`/${id}/cancel`)).length;

describe('job runner', () => {
  it('writes the job and every item before the first request, and Undo inside the window sends nothing', async () => {
    const t = setup(course(5, { accepted: 2 }));
    const view = await startCourse(t, 30);
    expect(view.job.state).toBe('waiting');
    expect(view.counts).toMatchObject({ total: 5, queued: 5 });
    expect(view.job.keptAcceptedAtStart).toBe(2);
    expect(await t.db.jobItems.where('jobId').equals(view.job.id).count()).toBe(5);
    expect(t.portal.cancelCalls).toEqual([]);
    const undone = await t.ask({ type: 'job.undo', jobId: view.job.id }, popupSender);
    expect(undone).toMatchObject({ ok: true, value: { job: { state: 'undone' }, counts: { skipped: 5 } } });
    await t.runner.idle();
    expect(t.portal.cancelCalls).toEqual([]);
    expect(await t.db.audit.count()).toBe(0);
  });

  it('revokes every pending invite once, never touches accepted ones, and audits each outcome', async () => {
    const t = setup([...course(30, { accepted: 3 }), ...course(4, { courseId: 'c-2' })]);
    const view = await startCourse(t);
    await t.runner.idle();
    const done = await t.runner.view(view.job.id);
    expect(done?.job.state).toBe('done');
    expect(done?.counts).toMatchObject({ total: 30, revoked: 30, failed: 0, queued: 0, inFlight: 0 });
    expect(done?.seatsReturnedByCourse).toEqual([{ courseId: 'c-1', courseTitle: 'Course c-1', seats: 30 }]);
    expect(new Set(t.portal.applied).size).toBe(30);
    expect(t.portal.applied.every((id) => id.startsWith('c-1-p'))).toBe(true);
    expect(t.portal.cancelCalls.some((id) => id.includes('-a') || id.startsWith('c-2'))).toBe(false);
    const audit = await t.db.audit.toArray();
    expect(audit).toHaveLength(30);
    expect(
      audit.every((a) => a.outcome === 'revoked' && a.surface === 'popup' && a.jobId === view.job.id),
    ).toBe(true);
    // Progress reached the views, ending with the final report.
    expect(t.views.at(-1)?.job.state).toBe('done');
  });

  it('keeps an invite the learner accepted while the job ran, and does not retry it', async () => {
    const t = setup(course(6));
    t.portal.fault = (call) => {
      if (call.path.endsWith('/c-1-p3/cancel')) {
        const inv = t.portal.invites.get('c-1-p3');
        if (inv?.status === 'pending') inv.status = 'accepted'; // accepted just before our cancel lands
      }
      return undefined;
    };
    const view = await startCourse(t);
    await t.runner.idle();
    const done = await t.runner.view(view.job.id);
    expect(done?.counts).toMatchObject({ revoked: 5, keptAccepted: 1 });
    expect(posts(t, 'c-1-p3')).toBe(1);
    expect(t.portal.applied).not.toContain('c-1-p3');
    expect(t.portal.invites.get('c-1-p3')?.status).toBe('accepted');
  });

  it('re-reads an invite whose answer was lost and never double-counts it', async () => {
    const t = setup(course(8));
    const seen = new Set<string>();
    t.portal.fault = (call) => {
      const m = /\/api\/invites\/([^/]+)\/cancel$/.exec(call.path);
      if (!m?.[1] || seen.has(m[1])) return undefined;
      seen.add(m[1]);
      const inv = t.portal.invites.get(m[1]);
      const k = Number(m[1].split('p')[1]);
      if (k % 2 === 0 && inv) {
        // Dropped AFTER the portal applied it.
        inv.status = 'cancelled';
        t.portal.applied.push(m[1]);
        return 'throw';
      }
      if (k % 3 === 0) return json(200, { broken: true }); // malformed 200, not applied
      return 'throw'; // dropped BEFORE it applied
    };
    const view = await startCourse(t);
    await t.runner.idle();
    const done = await t.runner.view(view.job.id);
    expect(done?.counts).toMatchObject({ total: 8, revoked: 8, alreadyGone: 0, failed: 0 });
    for (let k = 1; k <= 8; k++) expect(countOf(t.portal.applied, `c-1-p${k}`)).toBe(1);
    // An invite cancelled by a lost request is confirmed by a read, not sent again.
    expect(posts(t, 'c-1-p2')).toBe(1);
    const items = await t.db.jobItems.where('jobId').equals(view.job.id).toArray();
    expect(items.find((i) => i.inviteId === 'c-1-p2')?.error).toMatch(/re-read/);
  });

  it('counts a 409 "cancelled" to its own request as revoked (a dropped POST re-sent by the browser)', async () => {
    const t = setup(course(3));
    t.portal.fault = (call) => {
      if (!call.path.endsWith('/c-1-p2/cancel')) return undefined;
      // The first transmission applied; the answer the runner sees is the re-sent request's 409.
      const inv = t.portal.invites.get('c-1-p2');
      if (inv) inv.status = 'cancelled';
      t.portal.applied.push('c-1-p2');
      return json(409, { error: 'not_pending', status: 'cancelled' });
    };
    const view = await startCourse(t);
    await t.runner.idle();
    const done = await t.runner.view(view.job.id);
    expect(done?.counts).toMatchObject({ revoked: 3, alreadyGone: 0 });
    expect(done?.seatsReturnedByCourse[0]?.seats).toBe(3);
    const item = await t.db.jobItems.get([view.job.id, 'c-1-p2']);
    expect(item?.error).toMatch(/reported it cancelled/);
    expect(posts(t, 'c-1-p2')).toBe(1);
  });

  it('resumes after the worker stopped mid-request: lost answers are re-checked, not re-counted', async () => {
    const t = setup(course(6));
    // Life 1: cancels hang forever after the portal applied p1 and p2 (the worker is then "stopped").
    t.portal.fault = (call) => {
      const m = /\/api\/invites\/([^/]+)\/cancel$/.exec(call.path);
      if (!m?.[1]) return undefined;
      const inv = t.portal.invites.get(m[1]);
      if (inv && (m[1] === 'c-1-p1' || m[1] === 'c-1-p2')) {
        inv.status = 'cancelled';
        t.portal.applied.push(m[1]);
      }
      return 'hang';
    };
    const first = new JobRunner({
      db: t.db,
      client: () => new PortalClient({ origin: PORTAL, fetch: t.portal.fetch, timeoutMs: 60_000 }),
      now: Date.now,
      sleep,
    });
    const started = await first.start({
      origin: PORTAL,
      scope: { kind: 'course', courseId: 'c-1' },
      surface: 'popup',
      undoSeconds: 0,
      concurrency: 3,
      context: null,
    });
    if (!started.ok) throw new Error('start failed');
    const jobId = started.view.job.id;
    // Three cancels sent (hanging) and the next three claimed ahead: all six are in flight.
    for (
      let k = 0;
      k < 100 && (await t.db.jobItems.where('[jobId+state]').equals([jobId, 'in-flight']).count()) < 6;
      k++
    ) {
      await sleep(5);
    }
    expect(await t.db.jobItems.where('[jobId+state]').equals([jobId, 'in-flight']).count()).toBe(6);
    expect(t.portal.calls.filter((c) => c.method === 'POST')).toHaveLength(3);
    // Meanwhile the learner of p3 accepts.
    const p3 = t.portal.invites.get('c-1-p3');
    if (p3) p3.status = 'accepted';

    // Life 2: a new runner on the same database, the portal healthy again.
    t.portal.fault = null;
    const life2 = t.portal.calls.length;
    const second = new JobRunner({
      db: t.db,
      client: () => new PortalClient({ origin: PORTAL, fetch: t.portal.fetch }),
      now: Date.now,
      sleep,
    });
    expect(await second.wake()).toBe(1);
    await second.idle();
    const done = await second.view(jobId);
    expect(done?.job.state).toBe('done');
    expect(done?.counts).toMatchObject({ total: 6, revoked: 5, keptAccepted: 1, failed: 0 });
    for (const id of ['c-1-p1', 'c-1-p2', 'c-1-p4', 'c-1-p5', 'c-1-p6'])
      expect(countOf(t.portal.applied, id)).toBe(1);
    // p1 and p2 were confirmed by a read; only the three never-answered got a second request at most.
    for (const id of ['c-1-p1', 'c-1-p2', 'c-1-p3']) expect(posts(t, id, life2)).toBe(0);
    // Claimed but never sent: re-read, found pending, sent once in life 2.
    for (const id of ['c-1-p4', 'c-1-p5', 'c-1-p6']) expect(posts(t, id, life2)).toBe(1);
  });

  it('pauses as signed-out on 401 and carries on by itself after sign-in', async () => {
    const t = setup(course(10));
    let n = 0;
    t.portal.fault = (call) => {
      if (call.method === 'POST' && ++n === 4) t.portal.signedIn = false;
      return undefined;
    };
    const view = await startCourse(t);
    await t.runner.idle();
    const paused = await t.runner.view(view.job.id);
    expect(paused?.job.state).toBe('signed-out');
    expect(paused?.job.message).toMatch(/Sign in/);
    expect(paused?.counts.revoked).toBe(3);
    expect(paused?.counts.inFlight).toBe(0);
    // An alarm while still signed out changes nothing.
    await t.runner.wake();
    await t.runner.idle();
    expect((await t.runner.view(view.job.id))?.job.state).toBe('signed-out');
    t.portal.signedIn = true;
    t.portal.csrf = 'tok-2'; // a new session has a new token
    await t.runner.wake();
    await t.runner.idle();
    const done = await t.runner.view(view.job.id);
    expect(done?.job.state).toBe('done');
    expect(done?.counts.revoked).toBe(10);
    expect(new Set(t.portal.applied).size).toBe(10);
    expect(t.portal.applied).toHaveLength(10);
  });

  it('a wake while the session is being checked gets a check of its own (a sign-in then is not missed)', async () => {
    const t = setup(course(6));
    let n = 0;
    t.portal.fault = (call) => {
      if (call.method === 'POST' && ++n === 3) t.portal.signedIn = false;
      return undefined;
    };
    const view = await startCourse(t);
    await t.runner.idle();
    expect((await t.runner.view(view.job.id))?.job.state).toBe('signed-out');
    // The sign-in page loads: a wake, whose session read is still on its way (signed out)...
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    t.portal.fault = (call) =>
      call.path === '/api/session' && !t.portal.signedIn
        ? held.then(() => json(401, { error: 'unauthenticated' }))
        : undefined;
    await t.runner.wake();
    await sleep(20);
    // ...when the manager signs in and the next page loads: another wake, in the same run.
    t.portal.signedIn = true;
    await t.runner.wake();
    release();
    await t.runner.idle();
    const done = await t.runner.view(view.job.id);
    expect(done?.job.state).toBe('done');
    expect(done?.counts).toMatchObject({ revoked: 6, failed: 0 });
  });

  it('honours Retry-After without counting it as a try', async () => {
    const t = setup(course(2));
    const times: number[] = [];
    t.portal.fault = (call) => {
      if (!call.path.endsWith('/c-1-p1/cancel')) return undefined;
      times.push(Date.now());
      if (times.length === 1) return json(429, { error: 'rate_limited' }, { 'retry-after': '1' });
      return undefined;
    };
    const view = await startCourse(t);
    await t.runner.idle();
    expect(times).toHaveLength(2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(990);
    const item = await t.db.jobItems.get([view.job.id, 'c-1-p1']);
    expect(item).toMatchObject({ state: 'revoked', tries: 1 });
  });

  it('gives up on an item after five tries with the reason, and Retry failed finishes it', async () => {
    const t = setup(course(3));
    t.portal.fault = (call) =>
      call.path.endsWith('/c-1-p2/cancel') ? json(503, { error: 'server_error' }) : undefined;
    const view = await startCourse(t);
    await t.runner.idle();
    const done = await t.runner.view(view.job.id);
    expect(done?.job.state).toBe('done');
    expect(done?.counts).toMatchObject({ revoked: 2, failed: 1 });
    expect(done?.failures[0]).toMatchObject({ inviteId: 'c-1-p2' });
    expect(done?.failures[0]?.error).toMatch(/5 tries.*HTTP 503/);
    expect(posts(t, 'c-1-p2')).toBe(5);
    t.portal.fault = null;
    expect(await t.ask({ type: 'job.retryFailed', jobId: view.job.id }, popupSender)).toMatchObject({
      ok: true,
    });
    await t.runner.idle();
    expect((await t.runner.view(view.job.id))?.counts).toMatchObject({ revoked: 3, failed: 0 });
    expect(countOf(t.portal.applied, 'c-1-p2')).toBe(1);
  });

  it('pauses, resumes and cancels; a cancelled job skips what it had not sent', async () => {
    const total = 120;
    const t = setup(course(total));
    t.portal.postDelayMs = 20; // so the controls land mid-job
    // Wait on progress, not on the clock, so a fast or a slow machine lands the controls mid-job.
    const cancelsReach = async (n: number) => {
      for (let i = 0; i < 500 && t.portal.cancelCalls.length < n; i++) await sleep(5);
      expect(t.portal.cancelCalls.length).toBeGreaterThanOrEqual(n);
    };
    const view = await startCourse(t);
    await cancelsReach(6);
    const paused = await t.ask({ type: 'job.pause', jobId: view.job.id }, popupSender);
    expect(paused).toMatchObject({ ok: true, value: { job: { state: 'paused' } } });
    await t.runner.idle();
    const atPause = t.portal.cancelCalls.length;
    expect(atPause).toBeLessThan(total);
    await sleep(60);
    expect(t.portal.cancelCalls.length).toBe(atPause);
    expect(await t.ask({ type: 'job.resume', jobId: view.job.id }, popupSender)).toMatchObject({ ok: true });
    await cancelsReach(atPause + 6);
    expect(await t.ask({ type: 'job.cancel', jobId: view.job.id }, popupSender)).toMatchObject({ ok: true });
    await t.runner.idle();
    const end = await t.runner.view(view.job.id);
    expect(end?.job.state).toBe('cancelled');
    expect(end?.job.finishedAt).not.toBeNull();
    expect((end?.counts.revoked ?? 0) + (end?.counts.skipped ?? 0)).toBe(total);
    expect(end?.counts.skipped).toBeGreaterThan(0);
    expect(end?.counts.revoked).toBe(t.portal.applied.length);
  });

  it('filters by age on the portal clock, not the extension clock', async () => {
    const ahead = 6 * 86_400_000; // the portal's clock is six days ahead of ours
    const t = setup(
      [
        { id: 'old', courseId: 'c-1', learnerId: 'l-1', status: 'pending', sentAt: daysAgo(10) },
        { id: 'new', courseId: 'c-1', learnerId: 'l-2', status: 'pending', sentAt: daysAgo(5) },
      ],
      { portalNow: () => Date.now() + ahead },
    );
    await t.client(PORTAL).session(); // learn the portal's clock
    const r = await t.ask(
      { type: 'preview', scope: { kind: 'course', courseId: 'c-1', minAgeDays: 14 } },
      popupSender,
    );
    expect(r).toMatchObject({ ok: true, value: { inviteIds: ['old'] } });
    if (r.ok) expect(Math.abs(r.value.now - (Date.now() + ahead))).toBeLessThan(1500);
  });
});
