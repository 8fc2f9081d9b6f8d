/**
 * Driving bulk-revoke jobs through the real extension, as the popup does: messages from an
 * extension page, progress read back by `job.get`.
 */
import type { Page } from 'playwright-core';
import type { InviteWork } from '../../src/shared/invite-work';
import type { Reply } from '../../src/shared/messages';
import type { JobView, Scope } from '../../src/shared/types';
import type { SimClient } from '../portal/sim-client';
import { askOk, sleep } from './lib';

export const FINISHED = new Set(['done', 'cancelled', 'undone']);

/**
 * Starts a job with no Undo window. `t0` is the browser clock (the one the background stamps
 * `finishedAt` with) read just before the message is sent.
 */
export async function startJob(extPage: Page, scope: Scope): Promise<{ t0: number; view: JobView }> {
  const { t0, reply } = await extPage.evaluate(async (s) => {
    const started = Date.now();
    const answer = (await chrome.runtime.sendMessage({
      type: 'job.start',
      scope: s,
      undoSeconds: 0,
    })) as unknown;
    return { t0: started, reply: answer };
  }, scope);
  const r = reply as Reply<'job.start'> | undefined;
  if (!r || typeof r !== 'object' || !('ok' in r)) throw new Error('job.start got no reply');
  if (!r.ok) throw new Error(`job.start failed: ${JSON.stringify(r.error)}`);
  return { t0, view: r.value };
}

/**
 * Starts a job that invites (`invite.start`), as the popup does; `t0` as for startJob. With
 * `undoSeconds`, the job waits that long before its first request.
 */
export async function startInviteJob(
  extPage: Page,
  work: InviteWork,
  undoSeconds = 0,
): Promise<{ t0: number; view: JobView }> {
  const { t0, reply } = await extPage.evaluate(
    async ({ w, undo }) => {
      const started = Date.now();
      const answer = (await chrome.runtime.sendMessage({
        type: 'invite.start',
        work: w,
        undoSeconds: undo,
      })) as unknown;
      return { t0: started, reply: answer };
    },
    { w: work, undo: undoSeconds },
  );
  const r = reply as Reply<'invite.start'> | undefined;
  if (!r || typeof r !== 'object' || !('ok' in r)) throw new Error('invite.start got no reply');
  if (!r.ok) throw new Error(`invite.start failed: ${JSON.stringify(r.error)}`);
  return { t0, view: r.value };
}

/**
 * Polls `job.get` until the job is finished. `onProgress` sees every view (for fault
 * scripts); a job stuck in one state with no progress for `stallMs` is an error.
 */
export async function waitJob(
  extPage: Page,
  jobId: number,
  opts: { timeoutMs: number; everyMs?: number; onProgress?: (v: JobView) => Promise<void> | void },
): Promise<JobView> {
  const until = Date.now() + opts.timeoutMs;
  for (;;) {
    const view = await askOk(extPage, { type: 'job.get', jobId });
    await opts.onProgress?.(view);
    if (FINISHED.has(view.job.state)) return view;
    if (Date.now() > until) {
      throw new Error(
        `job ${jobId} not finished after ${opts.timeoutMs} ms: state ${view.job.state}, counts ${JSON.stringify(view.counts)}`,
      );
    }
    await sleep(opts.everyMs ?? 250);
  }
}

/** Waits until the portal has seen no API request for `quietMs` (e.g. a popup's own refresh). */
export async function portalQuiet(sim: SimClient, quietMs = 1000, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = (await sim.state()).requests.api;
  let since = Date.now();
  while (Date.now() < until) {
    await sleep(200);
    const now = (await sim.state()).requests.api;
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
  throw new Error(`the portal kept receiving API requests for ${timeoutMs} ms`);
}
