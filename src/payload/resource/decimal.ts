/**
 * Exact decimal numbers, so that bounds, defaults and `multiple_of` compare the way Python's
 * `Decimal` (and, for floats, the shortest round-trip text of the same double) does, without
 * binary rounding: `0.3` is a multiple of `0.1` here, as it is for `Decimal("0.3")`.
 */

/** `coefficient * 10 ** exponent`. */
export interface Exact {
  coefficient: bigint;
  exponent: number;
}

/** A decimal string a payload may give: plain notation, no exponent, no leading `+`. */
export const DECIMAL_TEXT = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
/** Long enough for any `Numeric(38, s)` value with room to spare; keeps BigInt work small. */
export const MAX_DECIMAL_TEXT_LENGTH = 100;

/** The exact text of a JSON value of a numeric field: strings as given, numbers as JavaScript (and Python's repr) print them. */
export const numberText = (value: number | string): string => (typeof value === 'number' ? String(value) : value);

/** Parses decimal text, including the exponent form JavaScript prints (`1e+21`, `1e-7`). */
export function exact(text: string): Exact {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!match) throw new Error(`not a decimal: ${text}`);
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '') || '0';
  return { coefficient: BigInt(`${sign}${digits}`), exponent: Number(exponent) - fraction.length };
}

const scaled = (value: Exact, exponent: number) => value.coefficient * 10n ** BigInt(value.exponent - exponent);

/** -1, 0 or 1, as `a` is below, equal to or above `b`. */
export function compare(a: Exact, b: Exact): number {
  const exponent = Math.min(a.exponent, b.exponent);
  const [x, y] = [scaled(a, exponent), scaled(b, exponent)];
  return x < y ? -1 : x > y ? 1 : 0;
}

export const isPositive = (value: Exact) => value.coefficient > 0n;

/** Whether `value` is a whole multiple of `step` (step > 0). */
export function isMultiple(value: Exact, step: Exact): boolean {
  const exponent = Math.min(value.exponent, step.exponent);
  return scaled(value, exponent) % scaled(step, exponent) === 0n;
}

/**
 * The digits Pydantic counts for `max_digits`/`decimal_places`, after `Decimal.normalize()`:
 * whole digits without leading zeros, fraction digits without trailing zeros.
 */
export function digitCounts(value: Exact): { whole: number; fraction: number } {
  let { coefficient, exponent } = value;
  if (coefficient < 0n) coefficient = -coefficient;
  if (coefficient === 0n) return { whole: 0, fraction: 0 };
  while (exponent < 0 && coefficient % 10n === 0n) [coefficient, exponent] = [coefficient / 10n, exponent + 1];
  const digits = coefficient.toString().length;
  if (exponent >= 0) return { whole: digits + exponent, fraction: 0 };
  return { whole: Math.max(0, digits + exponent), fraction: -exponent };
}
