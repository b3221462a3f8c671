import { INT64_MAX, INT64_MIN, type ResourceField } from '../payload/resource.js';

/**
 * Which column type changes update migrates: those to a type that holds every value the old
 * one could, which PostgreSQL converts without a `USING` clause and SQLite's batch copy with a
 * CAST. A change that could lose a value or fail on one (a shorter string, fewer digits, text
 * to a number, a date to an instant) is refused: how to convert is the user's call.
 */

/** The integer digits a BIGINT can have: 9,223,372,036,854,775,807. */
const BIGINT_DIGITS = 19;

/** The length of the VARCHAR a non-native Enum is stored in: its longest value. */
const enumLength = (values: readonly string[]) => Math.max(...values.map((value) => value.length));

/** The whole numbers a double (PostgreSQL's and SQLite's float) holds exactly: up to 2^53 either way. */
const EXACT_IN_FLOAT = 2n ** 53n;

/** Whether an int's bounds (a BIGINT's when it has none) keep its values where a float holds them exactly. */
function exactInFloat(field: ResourceField & { type: 'int' }): boolean {
  const lowest = field.ge !== undefined ? BigInt(field.ge) : field.gt !== undefined ? BigInt(field.gt) + 1n : BigInt(INT64_MIN);
  const highest = field.le !== undefined ? BigInt(field.le) : field.lt !== undefined ? BigInt(field.lt) - 1n : BigInt(INT64_MAX);
  return lowest >= -EXACT_IN_FLOAT && highest <= EXACT_IN_FLOAT;
}

/** Whether every value a column of `before`'s type stores fits a column of `after`'s, as is. */
function widens(before: ResourceField, after: ResourceField): boolean {
  switch (before.type) {
    case 'str':
      return (after.type === 'str' && after.maxLength >= before.maxLength) || after.type === 'text';
    case 'enum':
      if (after.type === 'enum') return before.values.every((value) => after.values.includes(value));
      return (after.type === 'str' && after.maxLength >= enumLength(before.values)) || after.type === 'text';
    case 'int':
      return (after.type === 'float' && exactInFloat(before)) || (after.type === 'decimal' && after.maxDigits - after.decimalPlaces >= BIGINT_DIGITS);
    case 'decimal':
      return after.type === 'decimal' && after.decimalPlaces >= before.decimalPlaces && after.maxDigits - after.decimalPlaces >= before.maxDigits - before.decimalPlaces;
    default:
      return false;
  }
}

/** A column's type in a few words, for messages and the revision's summary. */
export function typeLabel(field: ResourceField): string {
  switch (field.type) {
    case 'str':
      return `String(${field.maxLength})`;
    case 'decimal':
      return `Numeric(${field.maxDigits}, ${field.decimalPlaces})`;
    case 'enum':
      return `Enum(${field.values.length} value${field.values.length === 1 ? '' : 's'})`;
    case 'ref':
      return `a ref to ${field.feature}`;
    default:
      return { text: 'Text', int: 'BigInteger', float: 'Double', bool: 'Boolean', date: 'Date', datetime: 'DateTime', uuid: 'Uuid' }[field.type];
  }
}

/** Why a kept column cannot change from `before`'s type to `after`'s, or undefined when it can (or the type is the same). */
export function typeChangeProblem(before: ResourceField, after: ResourceField, sameType: boolean): string | undefined {
  if (sameType) return undefined;
  if (before.type === 'ref' || after.type === 'ref') {
    return `changes a ref's column (${typeLabel(before)} to ${typeLabel(after)}), which update does not migrate: drop the field in one update and add the new one in the next`;
  }
  if (widens(before, after)) return undefined;
  if (before.type === 'int' && after.type === 'float') {
    return `changes its type from ${typeLabel(before)} to ${typeLabel(after)}, which holds whole numbers exactly only up to 2^53 (9,007,199,254,740,992) either way, and the int's bounds allow more; bound it within that first (ge and le), or make it a decimal of 19 digits or more`;
  }
  return `changes its type from ${typeLabel(before)} to ${typeLabel(after)}, which could lose or fail to convert a value already stored; keep the type, or change the column by hand`;
}
