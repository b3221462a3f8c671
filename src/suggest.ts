/** Edit distance, to suggest the name a typo meant. */
export function distance(a: string, b: string): number {
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

/** The closest of `known` within two edits of `key` (the first of equals): what a typo most likely meant. */
export function nearest(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; edits: number } | undefined;
  for (const name of known) {
    const edits = distance(key, name);
    if (edits <= 2 && (best === undefined || edits < best.edits)) best = { name, edits };
  }
  return best?.name;
}

/** `unknown field; did you mean "x"?`, or the list of what is allowed when nothing is close. */
export function unknownName(key: string, known: readonly string[], what = 'field'): string {
  const guess = nearest(key, known);
  return `unknown ${what}; ${guess ? `did you mean "${guess}"?` : `allowed ${what}s are ${known.join(', ')}`}`;
}
