import * as z from 'zod/mini';

/** An error that says a missing key is missing, and what the key must hold either way. */
export const missingOr = (wrongType: string) => (issue: { input?: unknown }) => (issue.input === undefined ? `is required; ${wrongType}` : wrongType);

/** Rules every user string obeys, whatever field it is in. */
export const text = (what: string, ...checks: z.core.$ZodCheck<string>[]) =>
  z.string({ error: missingOr(`must be ${what}`) }).check(
    z.refine((value) => !value.includes('\0'), 'contains a NUL character; remove it'),
    z.refine((value) => value.isWellFormed(), 'contains a lone UTF-16 surrogate; use valid Unicode text'),
    ...checks,
  );

/** How Python (and PostgreSQL) count a string's characters: code points, not UTF-16 units. */
export const codePoints = (value: string): number => {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
};

/** `a, b and c`, for messages that list what is allowed. */
export const listed = (items: readonly string[]): string => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** `resource.fields.name.values[2]`: the dotted path of a zod issue, array indices in brackets. */
export const pathText = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`), '');
