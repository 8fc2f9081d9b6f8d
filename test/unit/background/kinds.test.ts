/**
 * Adding a kind of item is one executor and one policy function, registered in one place: a
 * test-only kind runs through the real engine (claims, grouped writes, lost answers settled by a
 * re-read, audit, the job's end) without any other change.
 */
import { describe, expect, it } from 'vitest';
import { ITEM_KINDS, registerKind } from '../../../src/background/jobs/kinds';
import type { KindPolicy } from '../../../src/background/jobs/policy';
import { JobRunner } from '../../../src/background/jobs/runner';
import { JobStore, type NewItem } from '../../../src/background/jobs/store';
import type { PortalClient } from '../../../src/portal/api/client';
import { ReclaimDb } from '../../../src/shared/db';
import type { ItemKind, Job } from '../../../src/shared/types';
import { sleep } from './harness';

/** The probe's answers: sent, lost (the request may have applied), or what a re-read found. */
type Sent = 'ok' | 'lost';
type Read = 'applied' | 'not-applied';

const probePolicy: KindPolicy<Sent, Read> = (result) => {
  if (result.step === 'send') {
    return result.answer === 'ok'
      ? { outcome: 'revoked', detail: 'probe sent' }
      : { failure: { kind: 'network-error', message: 'probe lost' } };
  }
  return result.answer === 'applied' ? { outcome: 'revoked', detail: 'probe settled' } : 'not-applied';
};

function probeExecutor(answers: Record<string, Sent[]>, applied: Set<string>) {
  const calls: string[] = [];
  return {
    calls,
    executor: {
      async send(_client: PortalClient, item: NewItem) {
        calls.push(`send ${item.inviteId}`);
        const answer = answers[item.inviteId]?.shift() ?? 'ok';
        applied.add(item.inviteId);
        return answer;
      },
      async settle(_client: PortalClient, item: NewItem) {
        calls.push(`settle ${item.inviteId}`);
        return applied.has(item.inviteId) ? ('applied' as const) : ('not-applied' as const);
      },
    },
  };
}

/** A kind the product does not have: the item type only knows the registered ones. */
const asKind = (name: string) => name as ItemKind;

function itemOf(kind: ItemKind, inviteId: string): NewItem {
  return {
    kind,
    inviteId,
    courseId: 'c-1',
    courseTitle: 'Course',
    learnerId: `l-${inviteId}`,
    learnerName: `Learner ${inviteId}`,
    learnerEmail: `${inviteId}@example.test`,
    state: 'queued',
    tries: 0,
    error: null,
    updatedAt: Date.now(),
  };
}

async function jobWith(db: ReclaimDb, items: NewItem[]): Promise<number> {
  const now = Date.now();
  const job: Omit<Job, 'id'> = {
    origin: 'http://127.0.0.1:4310',
    scope: { kind: 'courses', courseIds: 'all' },
    state: 'waiting',
    surface: 'popup',
    createdAt: now,
    startAt: now,
    finishedAt: null,
    concurrency: 2,
    message: null,
  };
  return (await new JobStore(db, Date.now).create(job, items, now)).jobId;
}

describe('item kinds', () => {
  it('runs a kind registered with one executor and one policy function, settling a lost answer by re-reading', async () => {
    const db = new ReclaimDb(`kinds-${Math.random()}`);
    const probe = asKind('probe');
    const { calls, executor } = probeExecutor({ b: ['lost'] }, new Set());
    const jobId = await jobWith(db, [itemOf(probe, 'a'), itemOf(probe, 'b')]);
    const runner = new JobRunner({
      db,
      client: () => ({}) as PortalClient,
      now: Date.now,
      sleep,
      backoffBaseMs: 1,
      kinds: { ...ITEM_KINDS, [probe]: registerKind(executor, probePolicy) },
    });
    expect(await runner.wake()).toBe(1);
    await runner.idle();

    const view = await runner.view(jobId);
    expect(view?.job.state).toBe('done');
    expect(view?.counts).toMatchObject({ total: 2, revoked: 2, failed: 0 });
    const items = await db.jobItems.where('jobId').equals(jobId).toArray();
    expect(items.map((i) => [i.inviteId, i.state, i.error, i.tries])).toEqual([
      ['a', 'revoked', 'probe sent', 1],
      ['b', 'revoked', 'probe settled', 1],
    ]);
    // b's answer was lost: it was re-read, not sent again.
    expect(calls.filter((c) => c.endsWith(' b'))).toEqual(['send b', 'settle b']);
    expect((await db.audit.toArray()).map((a) => [a.inviteId, a.outcome])).toEqual([
      ['a', 'revoked'],
      ['b', 'revoked'],
    ]);
    await db.delete();
  });

  it('sends again what a re-read shows did not apply', async () => {
    const db = new ReclaimDb(`kinds-${Math.random()}`);
    const probe = asKind('probe');
    const applied = new Set<string>();
    const { calls, executor } = probeExecutor({ c: ['lost'] }, applied);
    // The lost request did not apply: the re-read must find it missing.
    const lostBeforeApplying = {
      ...executor,
      async send(client: PortalClient, item: NewItem) {
        const answer = await executor.send(client, item);
        if (answer === 'lost') applied.delete(item.inviteId);
        return answer;
      },
    };
    const jobId = await jobWith(db, [itemOf(probe, 'c')]);
    const runner = new JobRunner({
      db,
      client: () => ({}) as PortalClient,
      now: Date.now,
      sleep,
      backoffBaseMs: 1,
      kinds: { [probe]: registerKind(lostBeforeApplying, probePolicy) },
    });
    await runner.wake();
    await runner.idle();
    expect(calls).toEqual(['send c', 'settle c', 'send c']);
    expect(await db.jobItems.get([jobId, 'c'])).toMatchObject({
      state: 'revoked',
      tries: 2,
      error: 'probe sent',
    });
    await db.delete();
  });

  it('fails an item of a kind nobody registered, sending nothing', async () => {
    const db = new ReclaimDb(`kinds-${Math.random()}`);
    const { calls, executor } = probeExecutor({}, new Set());
    const jobId = await jobWith(db, [itemOf(asKind('unknown'), 'd')]);
    const runner = new JobRunner({
      db,
      client: () => ({}) as PortalClient,
      now: Date.now,
      sleep,
      kinds: { ...ITEM_KINDS, probe: registerKind(executor, probePolicy) },
    });
    await runner.wake();
    await runner.idle();
    expect(calls).toEqual([]);
    expect(await db.jobItems.get([jobId, 'd'])).toMatchObject({ state: 'failed' });
    expect((await runner.view(jobId))?.failures[0]?.error).toMatch(/cannot carry out a "unknown" item/);
    await db.delete();
  });
});
