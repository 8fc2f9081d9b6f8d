/**
 * Job and item states in the groups every context asks about, defined once.
 *
 * Jobs:
 *   active       waiting, running, paused, signed-out: not over yet. The manager sees its panel
 *                and controls, and it may still send requests. Paused and signed-out count as
 *                active: both carry on (on Resume, or on signing in again).
 *   self-driven  waiting, running, signed-out: the active jobs the engine moves on by itself,
 *                so the alarm that wakes a stopped worker stays set while one exists. A paused
 *                job waits for the manager instead.
 *   finished     done, undone, cancelled: nothing more is sent. A cancelled job may still
 *                settle a request that was in flight when it stopped.
 *
 * Items:
 *   open         queued, in-flight: no outcome yet.
 *   final        every other state: the item's outcome.
 */
import type { FinalItemState, ItemState, JobState } from './types';

export const ACTIVE_JOB_STATES: readonly JobState[] = ['waiting', 'running', 'paused', 'signed-out'];
export const SELF_DRIVEN_JOB_STATES: readonly JobState[] = ['waiting', 'running', 'signed-out'];

export const isActiveJob = (state: JobState): boolean => ACTIVE_JOB_STATES.includes(state);
export const isSelfDrivenJob = (state: JobState): boolean => SELF_DRIVEN_JOB_STATES.includes(state);

const OPEN_ITEM_STATES: readonly ItemState[] = ['queued', 'in-flight'];
const FINAL_ITEM_STATES: readonly FinalItemState[] = [
  'revoked',
  'already-cancelled',
  'already-expired',
  'kept-accepted',
  'not-found',
  'invited',
  'already-invited',
  'not-invited',
  'skipped',
  'failed',
];
export const ITEM_STATES: readonly ItemState[] = [...OPEN_ITEM_STATES, ...FINAL_ITEM_STATES];

export const isFinalItem = (state: ItemState): state is FinalItemState =>
  (FINAL_ITEM_STATES as readonly ItemState[]).includes(state);
