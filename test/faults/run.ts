import type { ItemState } from '../../src/shared/types';
import { FINISHED, portalQuiet, startJob } from '../bench/jobs';
import { ask, ensureDist, errorText, log, sleep } from '../bench/lib';
import { launchReclaim, type Reclaim, signInPage } from '../e2e/harness';
import { prng } from '../portal/data';
import type { DataSpec, Faults } from '../portal/server';
import { jobGet, jobItems, runScenario, verdict } from './lib';

const DAY = 24 * 3600 * 1000;
const MIN_AGE_DAYS = 7;
const SCOPE_COURSES = 8;
const ACCEPTS = 50;
const JOB_TIMEOUT_MS = Number(process.env.FAULTS_TIMEOUT_MS ?? 240_000);

const DATA: DataSpec = {
  preset: 'bench',
  seed: 61,
  courses: 10,
  pendingPerCourse: 100,
  acceptedPerCourse: 5,
};
const DEFAULT_RATE = { perSecond: 20, burst: 40 };
const FAULTS: Partial<Faults> = {
  latencyMs: 40,
  jitterMs: 20,
  errorRate: 0.1,
  dropRate: 0.02,
  malformedRate: 0.01,
  rateLimit: DEFAULT_RATE,
  sessionExpiryAfter: null,
  faultPaths: 'all',
};

const say = (m: string) => log('faults', m);
/** How policy.ts words the failure of an item whose every try met a fault. */
const GAVE_UP = ['Gave up after', "The answer was lost and the invite's state could not be read"];

interface Scenario {
  swStops: number;
  acceptedMidJob: number;
  acceptRefused: number;
  burst429: boolean;
  signedOutSeen: boolean;
  signedInAgainAfterMs: number | null;
  resumedAfterSignInMs: number | null;
  startAttempts: number;
  events: string[];
}

async function acceptMidJob(r: Reclaim, inScope: Set<string>, s: Scenario): Promise<void> {
  const rand = prng(6);
  const pending = (await r.sim.invites({ status: 'pending' }))
    .map((i) => i.id)
    .filter((id) => inScope.has(id));
  // Shuffle, then accept until 50 learners got theirs (an invite the job revoked first answers 409).
  for (let i = pending.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [pending[i], pending[j]] = [pending[j] as string, pending[i] as string];
  }
  for (const id of pending) {
    if (s.acceptedMidJob >= ACCEPTS) break;
    try {
      await r.sim.accept(id);
      s.acceptedMidJob++;
    } catch {
      s.acceptRefused++;
    }
    await sleep(20);
  }
  s.events.push(
    `${s.acceptedMidJob} learners accepted mid-job (${s.acceptRefused} refused: already revoked)`,
  );
}

async function main(): Promise<number> {
  const dist = ensureDist('faults');
  const started = Date.now();
  const r = await launchReclaim({
    dist,
    portal: { data: DATA, faults: { latencyMs: 40, rateLimit: DEFAULT_RATE } },
  });
  const scenario: Scenario = {
    swStops: 0,
    acceptedMidJob: 0,
    acceptRefused: 0,
    burst429: false,
    signedOutSeen: false,
    signedInAgainAfterMs: null,
    resumedAfterSignInMs: null,
    startAttempts: 0,
    events: [],
  };
  try {
    await r.page.goto('about:blank');
    const ext = await r.openPopup();
    await portalQuiet(r.sim, 1000);

    // Ground truth from the portal, before the job: what is in scope.
    const state0 = await r.sim.state();
    const courseIds = state0.courses.map((c) => c.id).slice(0, SCOPE_COURSES);
    const outCourses = state0.courses.map((c) => c.id).slice(SCOPE_COURSES);
    const now0 = (await r.sim.clock()).now;
    const all0 = await r.sim.invites();
    const pending0 = all0.filter((i) => i.status === 'pending');
    const inScope = new Set(
      pending0
        .filter((i) => courseIds.includes(i.course.id) && Date.parse(i.sentAt) <= now0 - MIN_AGE_DAYS * DAY)
        .map((i) => i.id),
    );
    // Invites within a minute of the age boundary could fall either side of Reclaim's own read.
    const nearBoundary = pending0.filter(
      (i) =>
        courseIds.includes(i.course.id) &&
        Math.abs(now0 - MIN_AGE_DAYS * DAY - Date.parse(i.sentAt)) < 60_000,
    ).length;
    say(
      `${pending0.length} pending invites over ${state0.courses.length} courses; in scope (${courseIds.length} courses, sent >= ${MIN_AGE_DAYS} days ago): ${inScope.size}`,
    );

    await r.sim.clearJournal();
    const req0 = (await r.sim.state()).requests;
    await r.sim.setFaults(FAULTS);
    say(`faults on: ${JSON.stringify(FAULTS)}`);

    // Start the job as the popup does; a start that fails under faults is clicked again.
    const t0 = Date.now();
    let jobId: number | null = null;
    let total = 0;
    for (let attempt = 1; attempt <= 3 && jobId === null; attempt++) {
      scenario.startAttempts = attempt;
      try {
        const { view } = await startJob(ext, { kind: 'courses', courseIds, minAgeDays: MIN_AGE_DAYS });
        jobId = view.job.id;
        total = view.counts.total;
      } catch (err) {
        say(`job.start attempt ${attempt} failed: ${errorText(err)}`);
        await sleep(1000);
      }
    }
    if (jobId === null) throw new Error('job.start failed three times');
    say(`job ${jobId} started with ${total} items`);

    // The scenario, driven by the job's own progress.
    let accepting: Promise<void> | null = null;
    let signOutAsked = false;
    let signInAt: number | null = null;
    let view = await jobGet(ext, jobId);
    const deadline = Date.now() + JOB_TIMEOUT_MS;
    while (!FINISHED.has(view.job.state)) {
      if (Date.now() > deadline)
        throw new Error(
          `job not finished after ${JOB_TIMEOUT_MS} ms: ${view.job.state} ${JSON.stringify(view.counts)}`,
        );
      const c = view.counts;
      const progress = c.total ? (c.total - c.queued - c.inFlight) / c.total : 0;

      if (!accepting && progress >= 0.1) {
        scenario.events.push(`accepting starts at ${(progress * 100).toFixed(0)}%`);
        accepting = acceptMidJob(r, inScope, scenario);
      }
      if (scenario.swStops === 0 && progress >= 0.25) {
        await r.stopServiceWorker();
        scenario.swStops++;
        scenario.events.push(`service worker stopped at ${(progress * 100).toFixed(0)}%`);
        say(scenario.events.at(-1) as string);
      }
      if (!scenario.burst429 && progress >= 0.35) {
        scenario.burst429 = true;
        await r.sim.setFaults({ rateLimit: { perSecond: 3, burst: 3 } });
        await sleep(3000);
        await r.sim.setFaults({ rateLimit: DEFAULT_RATE });
        scenario.events.push(`429 burst (3/s for 3 s) at ${(progress * 100).toFixed(0)}%`);
        say(scenario.events.at(-1) as string);
      }
      if (!signOutAsked && progress >= 0.45) {
        signOutAsked = true;
        await r.sim.setFaults({ sessionExpiryAfter: 3 });
        scenario.events.push(`session set to expire at ${(progress * 100).toFixed(0)}%`);
        say(scenario.events.at(-1) as string);
      }
      if (signOutAsked && !scenario.signedOutSeen && view.job.state === 'signed-out') {
        scenario.signedOutSeen = true;
        say(
          `job paused as signed-out (${view.job.message ?? ''}); signing in again through the portal's form`,
        );
        await r.sim.setFaults({ sessionExpiryAfter: null });
        const tab = await r.context.newPage();
        await signInPage(tab, r.portal.url);
        signInAt = Date.now();
        scenario.signedInAgainAfterMs = signInAt - t0;
      }
      if (signInAt !== null && scenario.resumedAfterSignInMs === null && view.job.state === 'running') {
        scenario.resumedAfterSignInMs = Date.now() - signInAt;
        scenario.events.push(`job resumed ${scenario.resumedAfterSignInMs} ms after the sign-in`);
        say(scenario.events.at(-1) as string);
      }
      if (scenario.swStops === 1 && progress >= 0.65 && (signInAt !== null || !signOutAsked)) {
        await r.stopServiceWorker();
        scenario.swStops++;
        scenario.events.push(`service worker stopped at ${(progress * 100).toFixed(0)}%`);
        say(scenario.events.at(-1) as string);
      }
      await sleep(250);
      view = await jobGet(ext, jobId);
    }
    await accepting;
    const seconds = (Date.now() - t0) / 1000;
    say(`job ${view.job.state} after ${seconds.toFixed(1)} s: ${JSON.stringify(view.counts)}`);
    await r.sim.resetFaults();

    // An item whose tries all met faults fails honestly (about one run in forty at these rates):
    // the manager's Retry failed, with the faults gone, must finish it. An item that failed for
    // any other reason is a defect.
    const failedUnderFaults = (await jobItems(ext, jobId)).filter((i) => i.state === 'failed');
    const failedNotForTries = failedUnderFaults.filter((i) => !GAVE_UP.some((p) => i.error?.startsWith(p)));
    if (failedUnderFaults.length > 0) {
      say(`${failedUnderFaults.length} item(s) failed under the faults; Retry failed, as the manager would`);
      await ask(ext, { type: 'job.retryFailed', jobId });
      view = await jobGet(ext, jobId);
      while (!FINISHED.has(view.job.state)) {
        if (Date.now() > deadline)
          throw new Error(`retried items not finished: ${JSON.stringify(view.counts)}`);
        await sleep(250);
        view = await jobGet(ext, jobId);
      }
      say(`job ${view.job.state} after the retry: ${JSON.stringify(view.counts)}`);
    }

    // Sources: the portal's journal, the portal's final state, Reclaim's report.
    const journal = await r.sim.journal();
    const finalInvites = new Map((await r.sim.invites()).map((i) => [i.id, i.status]));
    const state1 = await r.sim.state();
    const items = await jobItems(ext, jobId);
    const report = new Map(items.map((i) => [i.inviteId, i.state]));

    const applied = new Map<string, number>();
    for (const e of journal) if (e.applied) applied.set(e.inviteId, (applied.get(e.inviteId) ?? 0) + 1);
    const ids = [...inScope];
    const revoked = ids.filter((id) => (applied.get(id) ?? 0) > 0).length;
    const keptAccepted = ids.filter((id) => finalInvites.get(id) === 'accepted').length;
    const stillPending = ids.filter((id) => finalInvites.get(id) === 'pending').length;
    const outOfScopeCancelled = [...applied.keys()].filter((id) => !inScope.has(id)).length;
    const doubleApplied = [...applied.values()].filter((n) => n > 1).length;
    const outOfScopeCoursesTouched = outCourses.filter((cid) => {
      const c = state1.courses.find((x) => x.id === cid);
      const c0 = state0.courses.find((x) => x.id === cid);
      return c?.counts.cancelled !== c0?.counts.cancelled;
    }).length;

    const FINAL: readonly ItemState[] = [
      'revoked',
      'already-cancelled',
      'already-expired',
      'kept-accepted',
      'not-found',
      'skipped',
      'failed',
    ];
    const lost = ids.filter((id) => {
      const s = report.get(id);
      return s === undefined || !FINAL.includes(s);
    }).length;
    const reportOutOfScope = items.filter((i) => !inScope.has(i.inviteId)).length;
    // What the portal says happened to each invite, against what Reclaim reports.
    const mismatches: { inviteId: string; reclaim: ItemState | null; portal: string }[] = [];
    for (const id of ids) {
      const mine = report.get(id) ?? null;
      const n = applied.get(id) ?? 0;
      const status = finalInvites.get(id);
      let expected: ItemState[];
      if (n > 0) expected = ['revoked'];
      else if (status === 'accepted') expected = ['kept-accepted'];
      else if (status === 'expired') expected = ['already-expired'];
      else if (status === 'cancelled') expected = ['already-cancelled'];
      else expected = ['failed', 'skipped', 'queued', 'in-flight']; // still pending: never "done"
      if (mine === null || !expected.includes(mine)) {
        mismatches.push({
          inviteId: id,
          reclaim: mine,
          portal: n > 0 ? `cancelled by ${n} request(s)` : String(status),
        });
      }
    }
    const tally = (s: ItemState) => items.filter((i) => i.state === s).length;
    const countsAgree =
      view.counts.total === items.length &&
      view.counts.revoked === tally('revoked') &&
      view.counts.keptAccepted === tally('kept-accepted') &&
      view.counts.failed === tally('failed');
    const req1 = state1.requests;

    const result = {
      invites: inScope.size,
      revoked,
      keptAccepted,
      acceptedMidJob: scenario.acceptedMidJob,
      stillPending,
      outOfScopeCancelled,
      lost,
      reportMismatches: mismatches.length + reportOutOfScope,
      seatIdentityHolds: state1.identityHolds,
      swStops: scenario.swStops,
      cancelRequests: journal.length,
      doubleApplied,
      outOfScopeCoursesTouched,
      droppedCancels: journal.filter((e) => e.dropped).length,
      malformedCancels: journal.filter((e) => e.malformed).length,
      rateLimited: req1.rateLimited - req0.rateLimited,
      apiRequests: req1.api - req0.api,
      jobState: view.job.state,
      jobItems: items.length,
      reportCounts: view.counts,
      reportCountsAgreeWithItems: countsAgree,
      signedOut: scenario.signedOutSeen,
      resumedAfterSignInMs: scenario.resumedAfterSignInMs,
      startAttempts: scenario.startAttempts,
      seconds: Math.round(seconds * 10) / 10,
      totalSeconds: Math.round((Date.now() - started) / 100) / 10,
      nearAgeBoundary: nearBoundary,
      mismatchExamples: mismatches.slice(0, 5).map((m) => ({
        ...m,
        journal: journal
          .filter((e) => e.inviteId === m.inviteId)
          .map((e) => ({
            seq: e.seq,
            httpStatus: e.httpStatus,
            applied: e.applied,
            statusBefore: e.statusBefore,
            ...(e.dropped ? { dropped: e.dropped } : {}),
            ...(e.malformed ? { malformed: true } : {}),
          })),
      })),
      failedUnderFaults: failedUnderFaults.map((i) => ({
        inviteId: i.inviteId,
        tries: i.tries,
        error: i.error,
      })),
      failedExamples: items
        .filter((i) => i.state === 'failed')
        .slice(0, 5)
        .map((i) => ({
          inviteId: i.inviteId,
          tries: i.tries,
          error: i.error,
          journal: journal
            .filter((e) => e.inviteId === i.inviteId)
            .map((e) => ({ seq: e.seq, httpStatus: e.httpStatus })),
        })),
      events: scenario.events,
    };
    const failures: string[] = [];
    if (failedNotForTries.length)
      failures.push(
        `${failedNotForTries.length} items failed before their tries ran out: ${failedNotForTries[0]?.error}`,
      );
    if (stillPending) failures.push(`${stillPending} in-scope invites still pending`);
    if (outOfScopeCancelled) failures.push(`${outOfScopeCancelled} invites outside the scope cancelled`);
    if (lost) failures.push(`${lost} items with no final outcome`);
    if (result.reportMismatches) failures.push(`${result.reportMismatches} report mismatches`);
    if (keptAccepted !== scenario.acceptedMidJob)
      failures.push(`kept ${keptAccepted} accepted, ${scenario.acceptedMidJob} accepted mid-job`);
    if (!state1.identityHolds) failures.push('seat identity broken');
    if (doubleApplied) failures.push(`${doubleApplied} invites cancelled twice`);
    if (scenario.swStops < 2) failures.push(`service worker stopped ${scenario.swStops} time(s), not 2`);
    if (!scenario.signedOutSeen)
      failures.push('the job never paused as signed-out after the session expired');
    else if (scenario.resumedAfterSignInMs === null) failures.push('the job never resumed after the sign-in');
    if (scenario.acceptedMidJob < ACCEPTS)
      failures.push(`only ${scenario.acceptedMidJob} of ${ACCEPTS} learners could accept mid-job`);
    if (view.job.state !== 'done') failures.push(`job ended ${view.job.state}`);
    return verdict(say, result, failures);
  } finally {
    await r.close();
  }
}

runScenario(main, say, [
  'invites',
  'revoked',
  'keptAccepted',
  'stillPending',
  'outOfScopeCancelled',
  'lost',
  'reportMismatches',
  'seatIdentityHolds',
  'swStops',
  'cancelRequests',
]);
