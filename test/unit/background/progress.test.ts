/** Outcomes reach the cache in commit order; those that arrive while it is busy go over together. */
import { describe, expect, it } from 'vitest';
import { Progress } from '../../../src/background/jobs/progress';
import type { JobItem } from '../../../src/shared/types';

const item = (inviteId: string) => ({ inviteId }) as JobItem;

describe('progress: outcomes to the cache', () => {
  it('hands commits told while the cache is busy over in one call, in order, per origin', async () => {
    const calls: [string, string[]][] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => {
      release = r;
    });
    const progress = new Progress({
      now: Date.now,
      sleep: async () => {},
      intervalMs: 100,
      view: async () => null,
      onItemsFinal: async (origin, items) => {
        calls.push([origin, items.map((i) => i.inviteId)]);
        if (calls.length === 1) await first;
      },
    });
    progress.outcomes('a', [item('1')]);
    await Promise.resolve();
    await Promise.resolve(); // the first call has started and waits
    progress.outcomes('a', [item('2')]);
    progress.outcomes('a', [item('3'), item('4')]);
    progress.outcomes('b', [item('5')]);
    progress.outcomes('b', [item('6')]);
    expect(progress.busy).toBe(true);
    release();
    await progress.outcomesApplied();
    expect(calls).toEqual([
      ['a', ['1']],
      ['a', ['2', '3', '4']],
      ['b', ['5', '6']],
    ]);
    expect(progress.busy).toBe(false);
  });
});
