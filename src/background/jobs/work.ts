/**
 * One pass over a job's open items: its tasks for the scheduler, and what each task does. A task
 * is one step of an item (policy.ts): the item's kind sends its request or re-reads the portal
 * (kinds.ts), policy.ts decides what that means, and the item's write is staged in the run's
 * grouped writes (store.ts), never awaited before the next request except where a request must
 * not leave before its 'in-flight' state is durable.
 */
import { t } from '../../shared/i18n';
import type { Job, JobItem } from '../../shared/types';
import type { ClientOf } from '../portals';
import type { ItemWrites } from './item-writes';
import type { KindRegistry } from './kinds';
import { type Decision, decide, type Step, type Verdict } from './policy';
import { type PassEnd, type PoolRun, runPool, type Task, type TaskResult } from './scheduler';
import type { JobStore } from './store';

interface WorkDeps {
  store: JobStore;
  client: ClientOf;
  kinds: KindRegistry;
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
  maxTries: number;
  backoffBaseMs: number;
  /** The job pauses as signed out (only from running). */
  signOut(job: Job): Promise<void>;
}

/** Queued items read from the database at a time: a pass holds about this many, whatever the job's size. */
const FRESH_PAGE = 200;

interface WorkRun extends PoolRun {
  /** Invite ids with a request of this run in flight (any other 'in-flight' item is stale). */
  readonly active: Set<string>;
}

/**
 * 'run': sends (and settles lost answers) with the job's concurrency. 'settle': only settles
 * items left in flight (paused or cancelled job), two at a time.
 */
export type WorkMode = 'run' | 'settle';

export async function workThrough(
  run: WorkRun,
  job: Job,
  writes: ItemWrites,
  mode: WorkMode,
  deps: WorkDeps,
): Promise<PassEnd> {
  // Items left in flight are settled first; queued ones are read a batch at a time (`fresh`).
  const later: Task[] = [];
  const settling = new Set<string>();
  for (const item of await deps.store.itemsIn(job.id, ['in-flight'])) {
    if (run.active.has(item.inviteId)) continue;
    later.push({ item, due: 0, settle: true, settleFails: 0 });
    settling.add(item.inviteId);
  }
  /** Queued items read ahead of the claims; `after`: the last one read (the next read starts past it). */
  const buffer: Task[] = [];
  let after: string | null = null;
  let drained = mode === 'settle';
  const fresh = async (n: number): Promise<Task[]> => {
    while (buffer.length < n && !drained) {
      const page = await deps.store.queuedAfter(job.id, after, FRESH_PAGE);
      if (page.length < FRESH_PAGE) drained = true;
      for (const item of page) {
        after = item.inviteId;
        // An item being settled that must be sent again is queued by then, and a task already.
        if (run.active.has(item.inviteId) || settling.has(item.inviteId)) continue;
        buffer.push({ item, due: 0, settle: false, settleFails: 0 });
      }
    }
    return buffer.splice(0, n);
  };
  /** An item about to be sent: in flight with the try counted, and what its kind records first. */
  const claimed = async (item: JobItem): Promise<JobItem> => {
    const next = sending(item, deps.now());
    const stamp = deps.kinds[item.kind]?.stamp;
    return stamp ? stamp(deps.client(job.origin), next) : next;
  };
  const requeue = (item: JobItem, tries: number): JobItem => {
    const next: JobItem = { ...withoutSignedOut(item), state: 'queued', tries, updatedAt: deps.now() };
    writes.stage(next);
    return next;
  };
  const requests = mode === 'settle' ? 2 : Math.max(1, job.concurrency);
  const slots = requestSlots(requests);
  return runPool({
    run,
    // Items that invite wait for a durable write between their two requests: twice the workers,
    // so that wait never holds one of the job's `concurrency` requests.
    width: job.reason && mode === 'run' ? requests * 2 : requests,
    fresh,
    later,
    now: deps.now,
    sleep: deps.sleep,
    async claim(batch) {
      for (const t of batch) {
        t.item = await claimed(t.item);
        writes.stage(t.item);
      }
      await writes.written();
    },
    execute: (task) => perform(task, { run, job, writes, mode, deps, requeue, claimed, slots }),
    async release(unsent) {
      // This try was never sent: it does not count.
      for (const t of unsent) requeue(t.item, t.item.tries - 1);
      await writes.written();
    },
  });
}

const sending = (item: JobItem, now: number): JobItem => ({
  ...withoutSignedOut(item),
  state: 'in-flight',
  tries: item.tries + 1,
  updatedAt: now,
});

/** The item without the mark of a send answered signed out (settled: it goes again, or not). */
function withoutSignedOut(item: JobItem): JobItem {
  const { signedOut: _, ...rest } = item;
  return rest;
}

interface TaskContext {
  run: WorkRun;
  job: Job;
  writes: ItemWrites;
  mode: WorkMode;
  deps: WorkDeps;
  requeue(item: JobItem, tries: number): JobItem;
  claimed(item: JobItem): Promise<JobItem>;
  slots: RequestSlots;
}

/** At most `n` of a pass's requests in flight; a worker waits for a slot before its step. */
interface RequestSlots {
  take(): Promise<void>;
  give(): void;
}

function requestSlots(n: number): RequestSlots {
  let free = n;
  const waiting: (() => void)[] = [];
  return {
    take: () => {
      if (free > 0) {
        free--;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    give: () => {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

async function perform(task: Task, ctx: TaskContext): Promise<TaskResult> {
  const { run, job, writes, mode, deps } = ctx;
  const step: Step = task.settle ? 'settle' : 'send';
  let item = task.item;
  if (step === 'send' && !task.claimed) {
    item = await ctx.claimed(item);
    writes.stage(item);
    await writes.written(); // durable before the request
  } else if (step === 'settle' && !item.answerLost) {
    item = { ...item, answerLost: true };
  }
  const kind = deps.kinds[item.kind];
  await ctx.slots.take();
  if (run.stopped) {
    // Stopped while waiting for a slot: nothing was sent, so the try does not count.
    ctx.slots.give();
    if (step === 'send') ctx.requeue(item, item.tries - 1);
    return null;
  }
  run.active.add(item.inviteId);
  let verdict: Verdict;
  try {
    verdict = kind
      ? await kind.step(step, deps.client(job.origin), item)
      : { outcome: 'failed', detail: t('engineUnknownKind', item.kind) };
  } finally {
    run.active.delete(item.inviteId);
    ctx.slots.give();
  }
  const jobState =
    verdict === 'not-applied' && mode === 'settle' ? (await deps.store.job(job.id))?.state : undefined;
  const decision = decide(verdict, {
    step,
    item,
    settleFails: task.settleFails,
    mode,
    jobState,
    now: deps.now(),
    maxTries: deps.maxTries,
    backoffBaseMs: deps.backoffBaseMs,
    random: deps.random(),
  });
  return apply(decision, task, item, ctx);
}

async function apply(d: Decision, task: Task, item: JobItem, ctx: TaskContext): Promise<TaskResult> {
  const { writes, deps } = ctx;
  switch (d.next) {
    case 'final':
      // Staged, not awaited: until it commits the item is still 'in-flight' in the database, so a
      // worker stopped meanwhile settles it on resume (never counted twice). Its audit entry
      // commits with it.
      writes.stage({ ...item, ...d.patch, state: d.state, error: d.detail, updatedAt: deps.now() });
      return null;
    case 'proceed': {
      // Its first request's outcome is audited with this write; its next request is claimed like
      // any send, so this write is durable before that request leaves. A job that only settles
      // (paused, cancelled) leaves it queued for later (or skipped when it was cancelled).
      const next: JobItem = {
        ...item,
        ...d.patch,
        state: 'queued',
        tries: 0,
        error: null,
        answerLost: false,
        updatedAt: deps.now(),
      };
      writes.stage(next, { outcome: d.outcome, detail: d.detail });
      if (ctx.mode === 'settle') return null;
      return { item: next, due: deps.now(), settle: false, settleFails: 0 };
    }
    case 'resend': {
      const queued = ctx.requeue(item, d.uncount ? item.tries - 1 : item.tries);
      return { item: queued, due: d.at, settle: false, settleFails: 0 };
    }
    case 'settle': {
      if (d.lost === null) return { ...task, item, due: d.at, settleFails: d.settleFails };
      const lost: JobItem = { ...item, answerLost: true, error: d.lost, updatedAt: deps.now() };
      writes.stage(lost);
      return { item: lost, due: d.at, settle: true, settleFails: d.settleFails };
    }
    case 'signed-out':
      if (d.requeue) ctx.requeue(item, item.tries - 1);
      // Still in flight, settled first once signed in (policy.ts gives its try back if it did not apply).
      if (d.recheck) writes.stage({ ...item, answerLost: true, signedOut: true, updatedAt: deps.now() });
      if (ctx.mode === 'run') await deps.signOut(ctx.job);
      return 'signed-out';
    case 'park':
      ctx.requeue(item, d.uncount ? item.tries - 1 : item.tries);
      return null;
  }
}
