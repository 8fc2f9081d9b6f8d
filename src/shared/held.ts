/**
 * How a job says which invites of its scope other jobs hold (src/background/jobs/holds.ts), in
 * every view: "12 already being revoked by the job started at 10:02".
 */
import { clock, t } from './i18n';
import type { HeldBy } from './types';

/** One sentence for the held lines of a job or preview, or null when nothing is held. */
export function heldText(held: readonly HeldBy[] | undefined, time = clock): string | null {
  if (!held || held.length === 0) return null;
  return held.map((h) => t('heldBy', h.count, time(h.startedAt))).join('; ');
}
