/**
 * The background service worker in the real extension, in Chromium, against the reference
 * portal: the Origin header rule, and a bulk revoke that survives the worker being stopped
 * mid-job (over CDP), judged by the portal's journal.
 *
 *   npx vite build --mode development --outDir /tmp/reclaim-bg/dist --emptyOutDir
 *   RECLAIM_DIST=/tmp/reclaim-bg/dist npx vitest run --project e2e test/e2e/background.test.ts
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply, Request, RequestType } from '../../src/shared/messages';
import type { JobView } from '../../src/shared/types';
import type { Invite } from '../portal/types';
import { launchReclaim, type Reclaim } from './harness';

const DATA = {
  seed: 11,
  courses: 3,
  learners: 150,
  pendingPerCourse: 70,
  acceptedPerCourse: 6,
  seatsPerCourse: 90,
};

let r: Reclaim;
let ext: Page;

/** A request from an extension page, as the popup sends it. */
async function ask<T extends RequestType>(req: Extract<Request, { type: T }>): Promise<Reply<T>> {
  return (await ext.evaluate((m) => chrome.runtime.sendMessage(m), req)) as Reply<T>;
}

async function askOk<T extends RequestType>(req: Extract<Request, { type: T }>) {
  const reply = await ask(req);
  if (!reply.ok) throw new Error(`${req.type}: ${JSON.stringify(reply.error)}`);
  return reply.value;
}

async function waitFor(jobId: number, done: (v: JobView) => boolean, timeoutMs = 90_000): Promise<JobView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const view = await askOk({ type: 'job.get', jobId });
    if (done(view)) return view;
    if (Date.now() > until) throw new Error(`timed out: ${JSON.stringify(view.counts)} ${view.job.state}`);
    await new Promise((res) => setTimeout(res, 150));
  }
}

function bySt(invites: Invite[], status: string): Set<string> {
  return new Set(invites.filter((i) => i.status === status).map((i) => i.id));
}

beforeAll(async () => {
  r = await launchReclaim({ portal: { data: DATA } });
  await r.page.goto(`${r.portal.url}/manager/licenses`);
  ext = await r.context.newPage();
  await ext.goto(`chrome-extension://${r.extensionId}/src/options/index.html`);
});

afterAll(async () => {
  await r?.close();
});

describe('background in Chromium', () => {
  it('answers the overview for the open portal tab, signed in', async () => {
    const overview = await askOk({ type: 'overview.get', refresh: true });
    expect(overview.signedIn).toBe(true);
    expect(overview.origin).toBe(r.portal.origin);
    const state = await r.sim.state();
    const pending = state.courses.reduce((n, c) => n + c.counts.pending, 0);
    expect(overview.courses.reduce((n, c) => n + c.pending, 0)).toBe(pending);
  });

  it('finishes a refresh the popup started even when the popup is closed mid-way', async () => {
    await askOk({ type: 'overview.get', refresh: true });
    // One learner per course accepts: every cached course count is now one too high.
    const invites = await r.sim.invites({ status: 'pending' });
    for (const courseId of new Set(invites.map((i) => i.course.id))) {
      const first = invites.find((i) => i.course.id === courseId);
      if (first) await r.sim.accept(first.id);
    }
    // The premise: the cache (fresh, so not re-read by itself) still has the old counts.
    const before = await askOk({ type: 'overview.get' });
    const portalBefore = await r.sim.state();
    for (const c of portalBefore.courses) {
      expect(before.courses.find((x) => x.courseId === c.id)?.pending).toBe(c.counts.pending + 1);
    }
    await r.sim.setFaults({ latencyMs: 400 });
    try {
      const apiBefore = (await r.sim.state()).requests.api;
      const popup = await r.openPopup();
      for (let k = 0; k < 100 && (await r.sim.state()).requests.api === apiBefore; k++) {
        await new Promise((res) => setTimeout(res, 50));
      }
      await popup.close();
      // Mid-refresh: the course reads (400 ms each) are still under way.
      await new Promise((res) => setTimeout(res, 4000));
    } finally {
      await r.sim.resetFaults();
    }
    // A cached answer (no refresh asked, the cache is fresh): it must hold the portal's counts.
    const cached = await askOk({ type: 'overview.get' });
    const state = await r.sim.state();
    for (const c of state.courses) {
      expect(cached.courses.find((x) => x.courseId === c.id)?.pending, c.id).toBe(c.counts.pending);
    }
  });

  it('sets Origin to the portal for its own POSTs only; without the rule the portal refuses them', async () => {
    const sw = await r.serviceWorker();
    const rules = (await sw.evaluate(() =>
      chrome.declarativeNetRequest.getSessionRules(),
    )) as chrome.declarativeNetRequest.Rule[];
    const rule = rules.find((x) => x.action.requestHeaders?.some((h) => h.value === r.portal.origin));
    // Installed before the first POST to this origin at the latest; force one if none was sent yet.
    const pending = await r.sim.invites({ status: 'pending' });
    const [first, second] = pending;
    if (!first || !second) throw new Error('seed has no pending invites');
    await r.sim.clearJournal();
    const start = await askOk({
      type: 'job.start',
      scope: { kind: 'invites', inviteIds: [first.id] },
      undoSeconds: 0,
    });
    const done = await waitFor(start.job.id, (v) => v.job.state === 'done');
    expect(done.counts.revoked).toBe(1);
    const journal = await r.sim.journal();
    expect(journal).toHaveLength(1);
    expect(journal[0]).toMatchObject({
      inviteId: first.id,
      applied: true,
      httpStatus: 200,
      origin: r.portal.origin,
    });

    const after = (await sw.evaluate(() =>
      chrome.declarativeNetRequest.getSessionRules(),
    )) as chrome.declarativeNetRequest.Rule[];
    const mine = after.find((x) => x.action.requestHeaders?.some((h) => h.value === r.portal.origin));
    expect(rule === undefined || rule.id === mine?.id).toBe(true);
    expect(mine?.condition).toMatchObject({ requestMethods: ['post'], tabIds: [-1] });
    expect(mine?.condition.urlFilter).toBe(`|${r.portal.origin}/api/`);

    // Counter-proof: the same POST from the service worker with the rule removed is refused.
    const refused = await sw.evaluate(
      async ({ origin, id, ruleId }) => {
        await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: [ruleId] });
        const session = await (await fetch(`${origin}/api/session`, { credentials: 'include' })).json();
        const res = await fetch(`${origin}/api/invites/${id}/cancel`, {
          method: 'POST',
          credentials: 'include',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
          body: '{}',
        });
        return { status: res.status, body: await res.text() };
      },
      { origin: r.portal.origin, id: second.id, ruleId: mine?.id ?? -1 },
    );
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toEqual({ error: 'csrf' });
    const last = (await r.sim.journal()).at(-1);
    expect(last).toMatchObject({
      inviteId: second.id,
      applied: false,
      origin: `chrome-extension://${r.extensionId}`,
    });
    // A stopped-and-restarted worker installs it again before its next POST.
    await r.stopServiceWorker();
    const again = await askOk({
      type: 'job.start',
      scope: { kind: 'invites', inviteIds: [second.id] },
      undoSeconds: 0,
    });
    expect((await waitFor(again.job.id, (v) => v.job.state === 'done')).counts.revoked).toBe(1);
    expect((await r.sim.journal()).at(-1)).toMatchObject({
      inviteId: second.id,
      applied: true,
      origin: r.portal.origin,
    });
  });

  it('finishes a bulk revoke across a service worker stop mid-job: each pending invite revoked once', async () => {
    const before = await r.sim.invites();
    const pending = bySt(before, 'pending');
    const accepted = bySt(before, 'accepted');
    await r.sim.clearJournal();
    // Short answers lost now and then too, so some items are in flight when the worker dies.
    await r.sim.setFaults({ latencyMs: 60, dropRate: 0.05, faultPaths: 'cancel' });
    const started = await askOk({
      type: 'job.start',
      scope: { kind: 'courses', courseIds: 'all' },
      undoSeconds: 1,
    });
    expect(started.job.state).toBe('waiting');
    expect(started.counts.total).toBe(pending.size);
    const third = Math.floor(pending.size / 3);
    const mid = await waitFor(started.job.id, (v) => v.counts.revoked >= third);
    expect(mid.job.state).toBe('running');

    await r.stopServiceWorker();
    const journalAtStop = (await r.sim.journal()).length;
    // Nothing is sent while the worker is stopped.
    await new Promise((res) => setTimeout(res, 1500));
    expect((await r.sim.journal()).length).toBe(journalAtStop);

    // A message wakes the worker; its start-up resumes the job (re-checking items in flight).
    const view = await waitFor(started.job.id, (v) => v.job.state === 'done');
    await r.sim.resetFaults();
    if (view.counts.revoked !== pending.size) {
      const sw = await r.serviceWorker();
      const odd = await sw.evaluate(async (jobId) => {
        const open = indexedDB.open('reclaim');
        const db: IDBDatabase = await new Promise((res) => {
          open.onsuccess = () => res(open.result);
        });
        const items: { state: string; inviteId: string; error: string | null; tries: number }[] =
          await new Promise((res) => {
            const q = db.transaction('jobItems').objectStore('jobItems').getAll();
            q.onsuccess = () => res(q.result);
          });
        return items.filter(
          (i) => (i as unknown as { jobId: number }).jobId === jobId && i.state !== 'revoked',
        );
      }, started.job.id);
      console.info(JSON.stringify(odd));
      const j = await r.sim.journal();
      for (const o of odd) console.info(JSON.stringify(j.filter((e) => e.inviteId === o.inviteId)));
    }
    expect(view.counts).toMatchObject({ total: pending.size, revoked: pending.size, failed: 0, inFlight: 0 });

    const journal = await r.sim.journal();
    const applied = new Map<string, number>();
    for (const e of journal) if (e.applied) applied.set(e.inviteId, (applied.get(e.inviteId) ?? 0) + 1);
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(applied.keys())).toEqual(pending);
    expect(journal.filter((e) => accepted.has(e.inviteId))).toEqual([]);
    expect((await r.sim.state()).identityHolds).toBe(true);
    const after = await r.sim.invites();
    expect(bySt(after, 'accepted')).toEqual(accepted);

    // The audit log holds one revoke per invite, and the CSV says so.
    const csv = await askOk({ type: 'audit.csv' });
    const revokedRows = csv.csv.split('\r\n').filter((line) => line.includes(',revoked,'));
    expect(revokedRows.length).toBeGreaterThanOrEqual(pending.size);
    console.info(
      JSON.stringify({
        test: 'e2e-stop-mid-job',
        invites: pending.size,
        revokedAtStop: mid.counts.revoked,
        droppedAfter: journal.filter((e) => e.dropped === 'after').length,
        droppedBefore: journal.filter((e) => e.dropped === 'before').length,
      }),
    );
  });
});
