/** A report's counts as words, leaving out every 0: "8 revoked, 2 kept (accepted)". */
import { num, type PluralKey, tn } from '../shared/i18n';

/** A count, its counted phrase in the catalogues, and the test id of its figure. */
export type Count = [n: number, phrase: PluralKey, testId: string];

export const anyCounted = (parts: readonly Count[]): boolean => parts.some(([n]) => n > 0);

/** The phrase for `n` with its figure marked: the words around it stay where the language puts them. */
function Counted({ n, phrase, id }: { n: number; phrase: PluralKey; id: string }) {
  const words = tn(phrase, n);
  const figure = num(n);
  const at = words.indexOf(figure);
  if (at < 0) return <span data-testid={id}>{words}</span>;
  return (
    <>
      {words.slice(0, at)}
      <span data-testid={id}>{figure}</span>
      {words.slice(at + figure.length)}
    </>
  );
}

export function Counts({ parts }: { parts: readonly Count[] }) {
  return (
    <>
      {parts
        .filter(([n]) => n > 0)
        .map(([n, phrase, id], k) => (
          <span key={id}>
            {/* The same comma in English and French. */}
            {k > 0 ? ', ' : ''}
            <Counted n={n} phrase={phrase} id={id} />
          </span>
        ))}
    </>
  );
}
