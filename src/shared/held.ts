/**
 * How a job says which invites of its scope other jobs hold (src/background/jobs/holds.ts), in
 * every view: "12 already being revoked by the job started at 10:02".
 */
import type { HeldBy } from './types';

/** A time of day in the reader's locale: "10:02". */
export const clockTime = (ms: number): string =>
  new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/** One sentence for the held lines of a job or preview, or null when nothing is held. */
export function heldText(held: readonly HeldBy[] | undefined, time = clockTime): string | null {
  if (!held || held.length === 0) return null;
  return held
    .map((h) => `${h.count} already being revoked by the job started at ${time(h.startedAt)}`)
    .join('; ');
}
