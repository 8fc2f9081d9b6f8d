/** What the page's notice says about rows Reclaim left without controls, and why. */
import type { Unmatched } from '../../portal/page/match';
import { type PluralKey, tn } from '../../shared/i18n';

/** Each reason's words (counted: "1 repeats another row", "2 repeat other rows"), in the order said. */
const WHY: Record<Unmatched, PluralKey> = {
  missing: 'rowMissing',
  ambiguous: 'rowAmbiguous',
  'other-date': 'rowOtherDate',
  repeated: 'rowRepeated',
  unreadable: 'rowUnreadable',
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
    .map((why) => tn(WHY[why], counts.get(why) as number));
  return tn('rowLeft', total, parts.join('; '));
}
