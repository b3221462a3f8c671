import { invalidInput } from '../errors.js';
import { INT64_MAX, INT64_MIN, type FieldValue, type ResourceField } from '../payload/resource.js';

type NumericField = Extract<ResourceField, { type: 'int' | 'float' | 'decimal' }>;

/**
 * Valid values of a field for generated tests and examples: its `example` first, then values
 * derived from its type and constraints, distinct from each other (unique fields need several).
 */
function inBounds(field: ResourceField, value: number): boolean {
  if (field.type !== 'int' && field.type !== 'float' && field.type !== 'decimal') return true;
  const num = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  const [gt, ge, lt, le, step] = [num(field.gt), num(field.ge), num(field.lt), num(field.le), num(field.multipleOf)];
  if (gt !== undefined && !(value > gt)) return false;
  if (ge !== undefined && !(value >= ge)) return false;
  if (lt !== undefined && !(value < lt)) return false;
  if (le !== undefined && !(value <= le)) return false;
  if (step !== undefined && Math.abs(value / step - Math.round(value / step)) > 1e-9) return false;
  return true;
}

function textFits(field: ResourceField, value: string): boolean {
  if (field.type !== 'str' && field.type !== 'text') return true;
  const length = [...value].length;
  if (field.minLength !== undefined && length < field.minLength) return false;
  if (field.maxLength !== undefined && length > field.maxLength) return false;
  return field.pattern === undefined || new RegExp(field.pattern, 'u').test(value);
}

/**
 * Values next to a numeric field's bounds, after the round ones: from the lower bound up, from the
 * upper bound down (the only anchor of a field bounded above alone), on the grid of its
 * `multiple_of` or, without one, of a decimal's places; and a float's points between its bounds.
 * A narrow range (`ge 4343.84, lt 4343.93`) has values none of the round ones reach.
 */
function nearBounds(field: NumericField): number[] {
  // The 64-bit limits an int is given when its payload has no bound are no anchor.
  const bound = (text: string | undefined) => (text === undefined || text === INT64_MIN || text === INT64_MAX ? undefined : Number(text));
  const low = bound(field.gt ?? field.ge);
  const high = bound(field.lt ?? field.le);
  const unit = field.multipleOf !== undefined ? Number(field.multipleOf) : field.type === 'decimal' ? 10 ** -field.decimalPlaces : 1;
  const values: number[] = [];
  for (let k = 0; k < 4; k += 1) {
    if (low !== undefined) values.push((Math.ceil(low / unit) + k) * unit);
    if (high !== undefined) values.push((Math.floor(high / unit) - k) * unit);
  }
  if (field.type === 'float' && field.multipleOf === undefined && low !== undefined && high !== undefined) values.push(...[2, 1, 3].map((j) => low + ((high - low) * j) / 4));
  return values;
}

function candidates(field: ResourceField): FieldValue[] {
  switch (field.type) {
    case 'str':
    case 'text': {
      const min = field.minLength ?? 0;
      const words = ['sample', 'other', 'third', 'fourth', 'A', 'B', 'C', 'a', 'b', 'c', '1', '2', '3', 'AB12', 'ab12'];
      return words.flatMap((word) => [word, word.padEnd(min, 'x'), word.slice(0, field.maxLength ?? word.length)]);
    }
    case 'int':
    case 'float':
    case 'decimal': {
      const step = field.multipleOf === undefined ? 1 : Number(field.multipleOf);
      const low = Number(field.gt ?? field.ge ?? 0);
      const starts = [1, 2, 3, 4, 5, Math.ceil(low / step) * step, Math.ceil(low / step) * step + step, Math.ceil(low / step) * step + 2 * step, Math.ceil(low / step) * step + 3 * step];
      const values = [...starts.map((k) => k * (field.multipleOf === undefined ? 1 : 1)), ...starts.map((k) => k * step), ...nearBounds(field)];
      if (field.type === 'float') values.unshift(12.5, 3.5);
      if (field.type === 'decimal') return values.map((value) => value.toFixed(field.decimalPlaces)).filter((text) => inBounds(field, Number(text)));
      return values.filter((value) => inBounds(field, value) && (field.type !== 'int' || Number.isSafeInteger(value)));
    }
    case 'bool':
      return [true, false];
    case 'date':
      return ['2020-05-17', '2021-06-18', '2022-07-19', '2023-08-20'];
    case 'datetime':
      return ['2025-06-01T09:30:00Z', '2025-06-02T10:30:00Z', '2025-06-03T11:30:00Z', '2025-06-04T12:30:00Z'];
    case 'uuid':
      return [1, 2, 3, 4].map((n) => `00000000-0000-4000-8000-00000000000${n}`);
    case 'enum':
      return field.values;
    case 'ref':
      return [];
  }
}

/** The `n`-th distinct valid value of a field (0: its example when it has one). */
export function sampleValue(field: ResourceField, n: number): FieldValue {
  const seen = new Set<string>();
  const values = [...(field.example !== undefined && field.example !== null ? [field.example] : []), ...candidates(field)].filter((value) => {
    const key = JSON.stringify(value);
    if (seen.has(key) || !(typeof value !== 'string' || textFits(field, value)) || !(typeof value !== 'number' || inBounds(field, value))) return false;
    seen.add(key);
    return true;
  });
  const value = values[n];
  if (value === undefined) {
    // A second value is asked for only for a unique field: the tests store two records.
    const found = values.length === 0 ? 'none' : `only ${values.length}`;
    const fix = values.length === 0 ? 'give the field an `example`' : field.type === 'enum' ? 'a unique enum needs two values or more' : 'a unique field must admit two values: widen its constraints';
    throw invalidInput(`the tests need ${n + 1} distinct valid values of "${field.name}" and ${found} could be derived from its constraints; ${fix}.`, { path: `resource.fields.${field.name}` });
  }
  return value;
}
