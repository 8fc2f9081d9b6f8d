/**
 * `--only scale`: how each cost grows with the work, at 50,000 cached invites and a 10,000-invite
 * revoke (scale-refresh.ts, scale-revoke.ts). One entry of the benchmark list, five figures.
 */
import type { Figure } from './lib';
import { scaleRefresh } from './scale-refresh';
import { scaleRevoke } from './scale-revoke';

export async function scale(dist: string): Promise<Record<string, Figure>> {
  const refresh = await scaleRefresh(dist);
  const revoke10k = await scaleRevoke(dist);
  return { ...refresh, revoke10k };
}
