import { codePoints } from '../text.js';
import { compare, digitCounts, exact, isMultiple, numberText } from './decimal.js';
import type { PayloadField } from './field-schema.js';
import { DEFAULT_DECIMAL_PLACES, DEFAULT_MAX_DIGITS } from './model.js';
import { matchesPattern } from './pattern.js';

/**
 * The rules between the keys of one field, once each key holds the right kind of value:
 * required/default/nullable/read_only/write_only agree, bounds are ordered, and `default` and
 * `example` satisfy the field's own constraints. Each problem names the key it is about.
 */

export interface FieldProblem {
  key: string;
  message: string;
}

type NumericField = Extract<PayloadField, { type: 'int' | 'float' | 'decimal' }>;
type LengthField = Extract<PayloadField, { type: 'str' | 'text' }>;
type Value = NonNullable<Extract<PayloadField, { default?: unknown }>['default']>;

/** Digits of a decimal column; an omitted `decimal_places` is 2, or max_digits when that is less. */
export function decimalDigits(field: { max_digits?: number | undefined; decimal_places?: number | undefined }) {
  const maxDigits = field.max_digits ?? DEFAULT_MAX_DIGITS;
  return { maxDigits, decimalPlaces: field.decimal_places ?? Math.min(DEFAULT_DECIMAL_PLACES, maxDigits) };
}

/** `gt`/`ge` and `lt`/`le`: which key gives each bound, if any. */
const lowerKey = (field: NumericField) => (field.gt !== undefined ? ('gt' as const) : field.ge !== undefined ? ('ge' as const) : undefined);
const upperKey = (field: NumericField) => (field.lt !== undefined ? ('lt' as const) : field.le !== undefined ? ('le' as const) : undefined);
const exactOf = (value: number | string) => exact(numberText(value));

export const hasDefault = (field: PayloadField) => 'default' in field && field.default !== undefined;
/** Whether create must send the field: as the payload says, else unless it has a default or is read_only. */
export const isRequired = (field: PayloadField) => field.required ?? !(hasDefault(field) || field.read_only === true);

function flagProblems(field: PayloadField): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const defaulted = hasDefault(field);
  if (field.read_only && field.write_only) problems.push({ key: 'write_only', message: 'cannot be true with read_only: a field is either never accepted (read_only) or never returned (write_only)' });
  if (field.required === true && defaulted) problems.push({ key: 'required', message: 'cannot be true with a default: create may leave out a field that has one' });
  if (field.required === true && field.read_only) problems.push({ key: 'required', message: 'cannot be true for a read_only field, which clients never send' });
  if (!isRequired(field) && !defaulted && !field.nullable) {
    if (field.read_only) problems.push({ key: 'read_only', message: 'needs a default or nullable: true: the field is never sent, so it must have a value without one' });
    else problems.push({ key: 'required', message: 'a field that is not required needs a default or nullable: true' });
  }
  return problems;
}

function numericProblems(field: NumericField): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (field.gt !== undefined && field.ge !== undefined) problems.push({ key: 'ge', message: 'cannot be given with gt; keep one lower bound' });
  if (field.lt !== undefined && field.le !== undefined) problems.push({ key: 'le', message: 'cannot be given with lt; keep one upper bound' });
  const [lower, upper] = [lowerKey(field), upperKey(field)];
  if (lower && upper && compare(exactOf(field[lower]!), exactOf(field[upper]!)) >= 0) problems.push({ key: upper, message: `must be > ${lower} (${field[lower]})` });
  if (field.type === 'decimal') {
    const { maxDigits, decimalPlaces } = decimalDigits(field);
    if (decimalPlaces > maxDigits) problems.push({ key: 'decimal_places', message: `must be <= max_digits (${maxDigits})` });
  }
  return problems;
}

const BOUND_SIGNS = { gt: ['>', (order: number) => order > 0], ge: ['>=', (order: number) => order >= 0], lt: ['<', (order: number) => order < 0], le: ['<=', (order: number) => order <= 0] } as const;

/** Pydantic's float `multiple_of`: a remainder within a billionth of the value counts as none. */
function isFloatMultiple(value: number, step: number): boolean {
  const remainder = value % step;
  const threshold = Math.abs(value) / 1e9;
  return Math.abs(remainder) <= threshold || Math.abs(remainder - step) <= threshold;
}

function numericValueProblem(field: NumericField, value: number | string): string | undefined {
  const number = exactOf(value);
  for (const key of ['gt', 'ge', 'lt', 'le'] as const) {
    const bound = field[key];
    const [sign, holds] = BOUND_SIGNS[key];
    if (bound !== undefined && !holds(compare(number, exactOf(bound)))) return `must be ${sign} ${bound} (${key})`;
  }
  const step = field.multiple_of;
  if (step !== undefined) {
    const multiple = field.type === 'float' ? isFloatMultiple(Number(value), Number(step)) : isMultiple(number, exactOf(step));
    if (!multiple) return `must be a multiple of ${step} (multiple_of)`;
  }
  if (field.type === 'decimal') {
    const { maxDigits, decimalPlaces } = decimalDigits(field);
    const { whole, fraction } = digitCounts(number);
    if (fraction > decimalPlaces) return `must have at most ${decimalPlaces} decimal places (decimal_places)`;
    if (whole > maxDigits - decimalPlaces) return `must have at most ${maxDigits - decimalPlaces} digits before the decimal point (max_digits - decimal_places)`;
  }
  return undefined;
}

function lengthValueProblem(field: LengthField, value: string): string | undefined {
  const length = codePoints(value);
  if (field.min_length !== undefined && length < field.min_length) return `must be at least ${field.min_length} characters (min_length)`;
  if (field.max_length !== undefined && length > field.max_length) return `must be at most ${field.max_length} characters (max_length)`;
  if (field.pattern === undefined) return undefined;
  const matches = matchesPattern(field.pattern, value);
  if (matches === 'too slow') return 'takes too long to match against pattern (catastrophic backtracking); simplify the pattern';
  return matches ? undefined : 'does not match pattern';
}

/** Why a non-null `default` or `example` does not satisfy the field's constraints, or undefined. */
function valueProblem(field: PayloadField, value: Value): string | undefined {
  switch (field.type) {
    case 'str':
    case 'text':
      return lengthValueProblem(field, value as string);
    case 'int':
    case 'float':
    case 'decimal':
      return numericValueProblem(field, value as number | string);
    case 'enum':
      return field.values.includes(value as string) ? undefined : 'must be one of values';
    default:
      // bool, date, datetime, uuid: the key's own schema has checked the value.
      return undefined;
  }
}

/**
 * `keysValid`: whether every key passed its own checks. When one did not (a `multiple_of` of 0,
 * a pattern that does not compile), only the rules between flags run: the others would repeat
 * that problem or trip on the value.
 */
const FLAG_KEYS = new Set(['required', 'read_only', 'write_only']);

export function fieldProblems(field: PayloadField, keysValid = true): FieldProblem[] {
  const problems = flagProblems(field);
  if (!keysValid) return problems;
  if (field.type === 'int' || field.type === 'float' || field.type === 'decimal') problems.push(...numericProblems(field));
  if ((field.type === 'str' || field.type === 'text') && field.min_length !== undefined && field.max_length !== undefined && field.max_length < field.min_length) {
    problems.push({ key: 'max_length', message: `must be >= min_length (${field.min_length})` });
  }
  if (field.type === 'enum') {
    const first = new Map<string, number>();
    field.values.forEach((value, i) => {
      const earlier = first.get(value);
      if (earlier === undefined) first.set(value, i);
      else problems.push({ key: `values[${i}]`, message: `is also values[${earlier}]; each value once` });
    });
  }
  // Values are checked against constraints that are themselves sound, so one mistake says one thing.
  if (problems.some(({ key }) => !FLAG_KEYS.has(key))) return problems;
  for (const key of ['default', 'example'] as const) {
    // ref fields take neither key.
    const value = (field as { default?: Value | null; example?: Value | null })[key];
    if (value === undefined) continue;
    if (value === null) {
      if (!field.nullable) problems.push({ key, message: 'can be null only for a nullable field (nullable: true)' });
      continue;
    }
    const problem = valueProblem(field, value);
    if (problem) problems.push({ key, message: problem });
  }
  return problems;
}
