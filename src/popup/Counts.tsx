/** A report's counts as words, leaving out every 0: "8 revoked, 2 kept (accepted)". */
import { num } from '../shared/i18n';

/** A count, its words (already in the count's plural form), and the test id of its figure. */
export type Count = [n: number, words: string, testId: string];

export const anyCounted = (parts: readonly Count[]): boolean => parts.some(([n]) => n > 0);

export function Counts({ parts }: { parts: readonly Count[] }) {
  return (
    <>
      {parts
        .filter(([n]) => n > 0)
        .map(([n, words, id], k) => (
          <span key={id}>
            {/* The same comma in English and French. */}
            {k > 0 ? ', ' : ''}
            <span data-testid={id}>{num(n)}</span> {words}
          </span>
        ))}
    </>
  );
}
