/** What the page's notice says about rows Reclaim left without a control, and why. */
import type { Unmatched } from '../../portal/page/match';

/** Each reason, for one row and for several. */
const WHY: Record<Unmatched, readonly [string, string]> = {
  missing: ['names no invite Reclaim knows of here', 'name no invite Reclaim knows of here'],
  ambiguous: ['names more than one invite', 'name more than one invite'],
  'other-date': ['shows another date than its invite', 'show another date than their invites'],
  repeated: ['repeats another row', 'repeat other rows'],
  unreadable: ['has no name Reclaim can read', 'have no name Reclaim can read'],
};

/** The sentence for these rows' reasons, or null when there are none. */
export function unmatchedText(reasons: Iterable<Unmatched>): string | null {
  const counts = new Map<Unmatched, number>();
  let total = 0;
  for (const why of reasons) {
    counts.set(why, (counts.get(why) ?? 0) + 1);
    total++;
  }
  if (total === 0) return null;
  // Always in one order, whatever the rows' order.
  const parts = (Object.keys(WHY) as Unmatched[])
    .filter((why) => counts.has(why))
    .map((why) => {
      const n = counts.get(why) as number;
      return `${n} ${WHY[why][n === 1 ? 0 : 1]}`;
    });
  const rows = total === 1 ? '1 row' : `${total} rows`;
  return `Reclaim left ${rows} without controls because it could not tell which invite ${total === 1 ? 'it is' : 'they are'}: ${parts.join('; ')}.`;
}
