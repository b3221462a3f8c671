/** Edit distance, to suggest the name a typo meant. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The first of `known` within two edits of `key`: what a typo most likely meant. */
export const nearest = (key: string, known: readonly string[]): string | undefined => known.find((name) => distance(key, name) <= 2);

/** `unknown field; did you mean "x"?`, or the list of what is allowed when nothing is close. */
export function unknownName(key: string, known: readonly string[], what = 'field'): string {
  const guess = nearest(key, known);
  return `unknown ${what}; ${guess ? `did you mean "${guess}"?` : `allowed ${what}s are ${known.join(', ')}`}`;
}
