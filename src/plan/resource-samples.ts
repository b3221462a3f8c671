import { invalidInput } from '../errors.js';
import { digitCounts, exact, type Exact } from '../payload/resource/decimal.js';
import { INT64_MAX, INT64_MIN, type FieldValue, type ResourceField } from '../payload/resource.js';
import { pyString } from '../python/literal.js';
import { group, type Doc } from '../python/layout.js';
import type { Imports } from './resource-imports.js';

/**
 * Values of a field for generated tests and examples: valid ones (its `example` first, then
 * values derived from its type and constraints, distinct from each other, as unique fields need
 * several), and for each constraint a value that breaks that constraint and no other, with the
 * error type Pydantic gives it.
 *
 * Validity is decided here as Pydantic 2 decides it (the same on the floor 2.7 and on 2.14):
 * lengths in code points, then the pattern; for ints and floats `multiple_of` then the bounds;
 * for decimals the digits (`max_digits`, then `decimal_places`, then the whole digits), then
 * `multiple_of`, then the bounds. A value that would break two constraints is never used to
 * test one of them: which error comes first is then Pydantic's business, not the test's.
 */

// Exact decimal arithmetic on top of decimal.ts (coefficient * 10 ** exponent).
const align = (a: Exact, b: Exact): [bigint, bigint, number] => {
  const exponent = Math.min(a.exponent, b.exponent);
  return [a.coefficient * 10n ** BigInt(a.exponent - exponent), b.coefficient * 10n ** BigInt(b.exponent - exponent), exponent];
};
const plus = (a: Exact, b: Exact): Exact => {
  const [x, y, exponent] = align(a, b);
  return { coefficient: x + y, exponent };
};
const minus = (a: Exact, b: Exact): Exact => plus(a, { coefficient: -b.coefficient, exponent: b.exponent });
const times = (a: Exact, k: bigint): Exact => ({ coefficient: a.coefficient * k, exponent: a.exponent });
const sign = (a: Exact) => (a.coefficient > 0n ? 1 : a.coefficient < 0n ? -1 : 0);
const below = (a: Exact, b: Exact) => sign(minus(a, b)) < 0;
const same = (a: Exact, b: Exact) => sign(minus(a, b)) === 0;
/** floor(a / b), b > 0. */
function floorDiv(a: Exact, b: Exact): bigint {
  const [x, y] = align(a, b);
  const quotient = x / y;
  return x % y !== 0n && x < 0n ? quotient - 1n : quotient;
}
const isWhole = (a: Exact) => a.exponent >= 0 || a.coefficient % 10n ** BigInt(-a.exponent) === 0n;
const ONE = exact('1');

/** Plain decimal text (no exponent), trailing zeros kept. */
function plain(value: Exact): string {
  const negative = value.coefficient < 0n;
  const digits = (negative ? -value.coefficient : value.coefficient).toString();
  if (value.exponent >= 0) return `${negative ? '-' : ''}${digits}${'0'.repeat(value.exponent)}`;
  const places = -value.exponent;
  const padded = digits.padStart(places + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -places)}.${padded.slice(-places)}`;
}

/** `value` with exactly `places` digits after the point (cut, should it have more). */
function fixed(value: Exact, places: number): string {
  const shift = value.exponent + places;
  const coefficient = shift >= 0 ? value.coefficient * 10n ** BigInt(shift) : value.coefficient / 10n ** BigInt(-shift);
  return plain({ coefficient, exponent: -places });
}

/** A whole value as an integer. */
const integer = (value: Exact): bigint => (value.exponent >= 0 ? value.coefficient * 10n ** BigInt(value.exponent) : value.coefficient / 10n ** BigInt(-value.exponent));

/** A float as Python and JSON read it back: the shortest text of the same double. */
const floatText = (value: number) => String(value);

type Numeric = Extract<ResourceField, { type: 'int' | 'float' | 'decimal' }>;
type Text = Extract<ResourceField, { type: 'str' | 'text' }>;

const isNumeric = (field: ResourceField): field is Numeric => field.type === 'int' || field.type === 'float' || field.type === 'decimal';
const isText = (field: ResourceField): field is Text => field.type === 'str' || field.type === 'text';

/**
 * What Pydantic's float validator finds wrong with `value`. `multiple_of` is its tolerant test
 * (a remainder within |value| / 1e9 of 0 or of the step passes) as Pydantic 2.7 has it; 2.14
 * also passes the negative multiples 2.7 refuses, so a value valid here is valid on both.
 */
function floatProblems(field: Numeric, value: number): string[] {
  if (!Number.isFinite(value)) return ['finite_number'];
  const problems: string[] = [];
  if (field.multipleOf !== undefined) {
    const step = Number(field.multipleOf);
    const remainder = value % step;
    const tolerance = Math.abs(value) / 1e9;
    if (Math.abs(remainder) > tolerance && Math.abs(remainder - step) > tolerance) problems.push('multiple_of');
  }
  return [...problems, ...boundProblems(field, (bound) => Math.sign(value - Number(bound)))];
}

/** The bounds `value` breaks, given its order against a bound (-1, 0, 1). */
function boundProblems(field: Numeric, order: (bound: string) => number): string[] {
  const problems: string[] = [];
  if (field.gt !== undefined && !(order(field.gt) > 0)) problems.push('greater_than');
  if (field.ge !== undefined && !(order(field.ge) >= 0)) problems.push('greater_than_equal');
  if (field.lt !== undefined && !(order(field.lt) < 0)) problems.push('less_than');
  if (field.le !== undefined && !(order(field.le) <= 0)) problems.push('less_than_equal');
  return problems;
}

function exactProblems(field: Numeric, value: Exact): string[] {
  const problems: string[] = [];
  if (field.type === 'int' && !isWhole(value)) return ['int_from_float'];
  if (field.type === 'decimal') {
    const { whole, fraction } = digitCounts(value);
    // One check in Pydantic: the first of these it meets is the error.
    if (whole + fraction > field.maxDigits) problems.push('decimal_max_digits');
    else if (fraction > field.decimalPlaces) problems.push('decimal_max_places');
    else if (whole > field.maxDigits - field.decimalPlaces) problems.push('decimal_whole_digits');
  }
  if (field.multipleOf !== undefined) {
    const step = exact(field.multipleOf);
    if (!same(times(step, floorDiv(value, step)), value)) problems.push('multiple_of');
  }
  const order = (bound: string) => sign(minus(value, exact(bound)));
  return [...problems, ...boundProblems(field, order)];
}

/** The constraints a number given as decimal text breaks, as the field's type reads it. */
function numberProblems(field: Numeric, text: string): string[] {
  return field.type === 'float' ? floatProblems(field, Number(text)) : exactProblems(field, exact(text));
}

/** JavaScript's engine on ASCII text without line breaks: what Python's (Rust's) regex says too. */
const plainAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

function textProblems(field: Text, value: string): string[] {
  const length = [...value].length;
  const problems: string[] = [];
  if (field.minLength !== undefined && length < field.minLength) problems.push('string_too_short');
  if (field.maxLength !== undefined && length > field.maxLength) problems.push('string_too_long');
  if (field.pattern !== undefined && !new RegExp(field.pattern, 'u').test(value)) problems.push('string_pattern_mismatch');
  return problems;
}

/** Candidate values as text (numbers as decimal text), most natural first; validity is checked after. */
function numberCandidates(field: Numeric): string[] {
  const low = field.gt ?? field.ge;
  const high = field.lt ?? field.le;
  const bases: Exact[] = [1, 2, 3, 4, 5].map((n) => exact(String(n)));
  if (low !== undefined && low !== INT64_MIN) bases.push(...[0, 1, 2, 3].map((n) => plus(exact(low), exact(String(n)))));
  if (high !== undefined && high !== INT64_MAX) bases.push(...[1, 2, 3].map((n) => minus(exact(high), exact(String(n)))));
  if (low !== undefined && high !== undefined && low !== INT64_MIN && high !== INT64_MAX) {
    const width = minus(exact(high), exact(low));
    // Quarters of the range, exact in decimal: x / 4 = x * 25 / 100.
    for (const quarters of [2n, 1n, 3n]) bases.push(plus(exact(low), { coefficient: width.coefficient * 25n * quarters, exponent: width.exponent - 2 }));
  }
  bases.push(exact('0'), exact('10'), exact('100'));
  const step = field.multipleOf === undefined ? undefined : exact(field.multipleOf);
  const values = step === undefined ? bases : bases.flatMap((base) => [0n, 1n, 2n, 3n].map((k) => times(step, floorDiv(base, step) + k)));
  const texts = values.map((value) => {
    if (field.type === 'int') return isWhole(value) ? integer(value).toString() : '';
    if (field.type === 'float') return floatText(Number(plain(value)));
    // A decimal cut to its places, as a client would write it.
    const places = field.decimalPlaces;
    const cut = { coefficient: floorDiv(value, { coefficient: 1n, exponent: -places }), exponent: -places };
    return fixed(cut, places);
  });
  if (field.type === 'float') texts.unshift('12.5', '3.5');
  return texts.filter((text) => text !== '');
}

const STRING_WORDS = ['sample', 'other', 'third', 'fourth', 'fifth', 'A', 'B', 'C', 'a', 'b', 'c', '1', '2', '3', 'AB12', 'ab12'];

/** `text` with its last letter or digit moved on by one (9 -> 0, z -> a): a value of the same shape. */
function bumped(text: string, from: number): string | undefined {
  const chars = [...text];
  for (let i = chars.length - 1 - from; i >= 0; i -= 1) {
    const ch = chars[i]!;
    const ranges: [string, string][] = [['0', '9'], ['a', 'z'], ['A', 'Z']];
    const range = ranges.find(([first, last]) => ch >= first && ch <= last);
    if (!range) continue;
    chars[i] = ch === range[1] ? range[0] : String.fromCharCode(ch.charCodeAt(0) + 1);
    return chars.join('');
  }
  return undefined;
}

function textCandidates(field: Text): string[] {
  const min = field.minLength ?? 0;
  const words = STRING_WORDS.flatMap((word) => [word, word.padEnd(min, 'x'), word.slice(0, field.maxLength ?? word.length), word.padEnd(min, word.at(-1))]);
  // Values shaped like the example, for patterns no word above matches.
  const seed = typeof field.example === 'string' ? field.example : undefined;
  const shaped = seed === undefined ? [] : [0, 1, 2, 3].flatMap((from) => [bumped(seed, from), bumped(bumped(seed, from) ?? '', from)]).filter((text): text is string => text !== undefined);
  return [...words, ...shaped];
}

const SOME = Array.from({ length: 12 }, (_, n) => n);
const pad = (n: number) => String(n).padStart(2, '0');

function candidates(field: ResourceField): FieldValue[] {
  switch (field.type) {
    case 'str':
    case 'text':
      return textCandidates(field);
    case 'int':
    case 'float':
      return numberCandidates(field).map(Number);
    case 'decimal':
      return numberCandidates(field);
    case 'bool':
      return [true, false];
    // Twelve of each: a unique field's resource may be stored many times over in the tests of
    // the resources below it, each row with values of its own.
    case 'date':
      return SOME.map((n) => `${2020 + n}-${pad(1 + ((n + 4) % 12))}-${pad(17 + (n % 10))}`);
    case 'datetime':
      return SOME.map((n) => `2025-06-${pad(1 + n)}T${pad(9 + n)}:30:00Z`);
    case 'uuid':
      return SOME.map((n) => `00000000-0000-4000-8000-${String(n + 1).padStart(12, '0')}`);
    case 'enum':
      return field.values;
    case 'ref':
      return [];
  }
}

/** Whether a value (an example or a candidate) is valid for the field. */
function isValid(field: ResourceField, value: FieldValue): boolean {
  if (value === null) return false;
  if (isText(field)) return typeof value === 'string' && textProblems(field, value).length === 0;
  if (isNumeric(field)) {
    if (field.type === 'int' && (typeof value !== 'number' || !Number.isSafeInteger(value))) return false;
    return numberProblems(field, String(value)).length === 0;
  }
  if (field.type === 'enum') return field.values.includes(String(value));
  return true;
}

/** Two values the database would find equal (a unique constraint): numbers by value, instants in UTC. */
function sameKey(field: ResourceField, value: FieldValue): string {
  if (field.type === 'decimal' || field.type === 'int') {
    const { coefficient, exponent } = exact(String(value));
    let [c, e] = [coefficient, exponent];
    while (c !== 0n && c % 10n === 0n) [c, e] = [c / 10n, e + 1];
    return c === 0n ? '0' : `${c}e${e}`;
  }
  if (field.type === 'float') return String(Number(value));
  if (field.type === 'datetime') return String(Date.parse(String(value)));
  return JSON.stringify(value);
}

/**
 * What a field's values below depend on: the field but for its name, its flags and its text.
 * Listed by what is left out, so that a property added to fields counts until said otherwise.
 */
const NOT_SHAPE = new Set(['name', 'description', 'required', 'nullable', 'hasDefault', 'default', 'unique', 'filterable', 'readOnly', 'writeOnly', 'uniqueName', 'indexName']);
const shapes = new WeakMap<ResourceField, string>();

function shapeOf(field: ResourceField): string {
  let shape = shapes.get(field);
  if (shape === undefined) {
    shape = JSON.stringify(Object.entries(field).filter(([key]) => !NOT_SHAPE.has(key)));
    shapes.set(field, shape);
  }
  return shape;
}

/**
 * `compute` once per shape of field: the tests ask for a field's values again and again, and a
 * batch repeats the same fields (a `name: str` of 50, a `price: decimal`) across its resources.
 * What it gives is shared, so it is read-only.
 */
function perShape<T>(compute: (field: ResourceField) => T): (field: ResourceField) => T {
  const known = new Map<string, T>();
  return (field) => {
    const shape = shapeOf(field);
    if (!known.has(shape)) known.set(shape, compute(field));
    return known.get(shape)!;
  };
}

/** Every distinct valid value the rules above find, the example first. */
export const sampleValues: (field: ResourceField) => readonly FieldValue[] = perShape((field) => findSampleValues(field));

function findSampleValues(field: ResourceField): FieldValue[] {
  const seen = new Set<string>();
  const values = [...(field.example !== undefined && field.example !== null ? [field.example] : []), ...candidates(field)];
  return values.filter((value) => {
    if (!isValid(field, value)) return false;
    const key = sameKey(field, value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The `n`-th distinct valid value of a field (0: its example when it has one). */
export function sampleValue(field: ResourceField, n: number): FieldValue {
  const value = sampleValues(field)[n];
  if (value === undefined) throw underivable(field, n === 0 ? 'a valid value' : `${n + 1} distinct valid values`, sampleValues(field).length);
  return value;
}

/** A field's constraints as the payload spells them: `gt 5, lt 6`. */
function constraintsText(field: ResourceField): string {
  const given: [string, unknown][] = [];
  if (field.type === 'int' || field.type === 'float' || field.type === 'decimal') {
    given.push(['gt', field.gt], ['ge', field.ge], ['lt', field.lt], ['le', field.le], ['multiple_of', field.multipleOf]);
    if (field.type === 'decimal') given.push(['max_digits', field.maxDigits], ['decimal_places', field.decimalPlaces]);
  } else if (field.type === 'str' || field.type === 'text') {
    given.push(['min_length', field.minLength], ['max_length', field.maxLength], ['pattern', field.pattern === undefined ? undefined : JSON.stringify(field.pattern)]);
  }
  return given.filter(([, value]) => value !== undefined).map(([key, value]) => `${key} ${value}`).join(', ');
}

/**
 * No value the tests need could be derived: the constraints may admit none (`gt 5, lt 6` of an
 * int), which an example cannot mend, or too few or only ones this does not find.
 */
export function underivable(field: ResourceField, needed: string, found: number) {
  const constraints = constraintsText(field);
  return invalidInput(`the generated tests need ${needed} of "${field.name}", and ${found === 0 ? 'none' : `only ${found}`} could be derived from its constraints${constraints === '' ? '' : ` (${constraints})`}.`, {
    path: `resource.fields.${field.name}`,
    hints: [`Check that the constraints admit ${found === 0 ? 'a value' : 'that many'}; if they do, give the field an \`example\` that meets them.`],
  });
}

/**
 * The values the generated tests store: the samples the databases give back as sent, and that
 * Pydantic accepts for sure. SQLite keeps a NUMERIC as a REAL when that is lossless, so decimals
 * of more than 15 significant digits, and a negative zero, which PostgreSQL does not keep, are
 * left to the README.
 */
export const testValues: (field: ResourceField) => readonly FieldValue[] = perShape(findTestValues);

function findTestValues(field: ResourceField): FieldValue[] {
  // `\d`, `\w`, `\s`, `\b` are ASCII in JavaScript (which checked the example) and Unicode in
  // Pydantic's engine: a non-ASCII value they matched may not match there.
  const perlClasses = isText(field) && field.pattern !== undefined && /\\[dDwWsSbB]/.test(field.pattern);
  return sampleValues(field).filter((value) => {
    if (perlClasses && !/^[\x00-\x7f]*$/.test(String(value))) return false;
    if (field.type !== 'decimal') return true;
    const { coefficient } = exact(String(value));
    const digits = (coefficient < 0n ? -coefficient : coefficient).toString().replace(/0+$/, '').length;
    return digits <= 15 && !(coefficient === 0n && String(value).startsWith('-'));
  });
}

/** A payload value of a field as a typed Python literal (a default, an example, a sample). */
export function pythonLiteral(field: ResourceField, value: FieldValue, imports: Imports): string {
  if (value === null) return 'None';
  switch (field.type) {
    case 'bool':
      return value ? 'True' : 'False';
    case 'int':
    case 'float':
      return String(value);
    case 'decimal': {
      imports.add('decimal', 'Decimal');
      // A whole number as an int (ruff's FURB157); a negative zero keeps its sign as text.
      const text = String(value);
      return /^[+-]?\d+$/.test(text) && !/^-0+$/.test(text) ? `Decimal(${BigInt(text)})` : `Decimal(${pyString(text)})`;
    }
    case 'date': {
      imports.add('datetime', 'date');
      const [y, m, d] = String(value).split('-').map(Number);
      return `date(${y}, ${m}, ${d})`;
    }
    case 'datetime': {
      imports.add('datetime', 'datetime');
      const moment = new Date(String(value).replace(/(\.\d{3})\d*/, '$1'));
      const micro = /\.(\d+)/.exec(String(value))?.[1]?.padEnd(6, '0').slice(0, 6);
      const parts = [moment.getUTCFullYear(), moment.getUTCMonth() + 1, moment.getUTCDate(), moment.getUTCHours(), moment.getUTCMinutes(), moment.getUTCSeconds()];
      if (micro && Number(micro) !== 0) parts.push(Number(micro));
      return `datetime(${parts.join(', ')}, tzinfo=${imports.utc()})`;
    }
    case 'uuid':
      imports.add('uuid', 'UUID');
      return `UUID(${pyString(String(value))})`;
    default:
      return pyString(String(value));
  }
}

/**
 * A Python literal from pythonLiteral as a Doc, prefixed by `head` (`"key": `, `name=`): a call
 * (`datetime(...)`, `date(...)`, `Decimal(...)`, `UUID(...)`) as a group ruff can break.
 */
export function literalDoc(head: string, literal: string): Doc {
  const match = /^(datetime|date|Decimal|UUID)\((.*)\)$/s.exec(literal);
  if (!match) return `${head}${literal}`;
  const [, callee, args] = match;
  return group(`${head}${callee}`, /["']/.test(args!) ? [args!] : args!.split(', '));
}

/** A JSON value as the Python literal a test sends (decimals as strings, as clients send them). */
export function jsonLiteral(value: FieldValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return floatText(value);
  return pyString(value);
}

/** The JSON the API answers with for a value it stored: decimals with all their places, instants in UTC. */
export function storedJson(field: ResourceField, value: FieldValue): FieldValue {
  if (value === null) return null;
  if (field.type === 'decimal') return fixed(exact(String(value)), field.decimalPlaces);
  if (field.type === 'datetime') return utcText(String(value));
  return value;
}

/** An ISO 8601 instant with an offset as Pydantic writes it in UTC: `Z`, microseconds only when not 0. */
export function utcText(text: string): string {
  const match = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|([+-])(\d\d):(\d\d))$/.exec(text);
  if (!match) throw new Error(`not an instant: ${text}`);
  const [, y, mo, d, h, mi, s, fraction = '', , offsetSign, oh = '0', om = '0'] = match;
  const offset = (offsetSign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const moment = new Date(0);
  moment.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  moment.setUTCHours(Number(h), Number(mi) - (offsetSign ? offset : 0), Number(s), 0);
  const two = (n: number) => String(n).padStart(2, '0');
  const micro = fraction.padEnd(6, '0').slice(0, 6);
  const date = `${String(moment.getUTCFullYear()).padStart(4, '0')}-${two(moment.getUTCMonth() + 1)}-${two(moment.getUTCDate())}`;
  const time = `${two(moment.getUTCHours())}:${two(moment.getUTCMinutes())}:${two(moment.getUTCSeconds())}`;
  return `${date}T${time}${Number(micro) === 0 ? '' : `.${micro}`}Z`;
}

/** One broken constraint: the value as a Python literal, the error type, and a name for the test id. */
export interface Violation {
  value: string;
  type: string;
  constraint: string;
}

/** `unit * count` as Python source, short runs spelled out. */
function repeated(unit: string, count: number): string {
  if (count <= 3) return pyString(unit.repeat(count));
  return `${pyString(unit)} * ${count}`;
}

/** A value of `length` code points the pattern still matches, from the valid samples: first their first character repeated, then the samples cycled. */
function textOfLength(field: Text, length: number): string | undefined {
  const samples = sampleValues(field).map(String);
  const units = [...new Set([...samples.map((sample) => [...sample][0] ?? ''), ...samples, 'x'])].filter((unit) => unit !== '');
  for (const unit of units) {
    const chars = [...unit.repeat(Math.ceil(length / [...unit].length) || 1)].slice(0, length);
    const text = chars.join('');
    if (field.pattern === undefined || new RegExp(field.pattern, 'u').test(text)) return text;
  }
  return undefined;
}

/** Python source of a text value: a repeated unit when it is one, else the literal. */
function textSource(text: string): string {
  const chars = [...text];
  if (chars.length > 3 && chars.every((ch) => ch === chars[0])) return repeated(chars[0]!, chars.length);
  return pyString(text);
}

/**
 * The length tests use a value the pattern matches when there is one (then only the length is
 * wrong); else any value of that length, as Pydantic checks the length before the pattern.
 *
 * A pattern test is generated only for a value shown not to match: ASCII text without line
 * breaks, on which JavaScript's engine (what validated the payload's pattern) and Pydantic's
 * agree, of a length the field accepts. When none of the candidates qualifies (a pattern that
 * matches everything of that length), there is no pattern test: guessing a value that "surely"
 * fails is exactly what this refuses to do.
 */
function textViolations(field: Text): Violation[] {
  const violations: Violation[] = [];
  if (field.minLength !== undefined && field.minLength > 0) {
    const text = textOfLength(field, field.minLength - 1) ?? 'x'.repeat(field.minLength - 1);
    violations.push({ value: textSource(text), type: 'string_too_short', constraint: 'min_length' });
  }
  if (field.maxLength !== undefined) {
    const text = textOfLength(field, field.maxLength + 1) ?? 'x'.repeat(field.maxLength + 1);
    violations.push({ value: textSource(text), type: 'string_too_long', constraint: 'max_length' });
  }
  if (field.pattern !== undefined) {
    const pattern = new RegExp(field.pattern, 'u');
    const min = field.minLength ?? 0;
    const fits = (text: string) => [...text].length >= min && (field.maxLength === undefined || [...text].length <= field.maxLength);
    const units = ['abc', '!', ' ', '~', 'ABC', '0', '-', '_', 'x'];
    const tries = [...units, ...units.map((unit) => unit.repeat(Math.ceil(Math.max(min, 1) / unit.length)).slice(0, Math.max(min, unit.length))), ''];
    const failing = tries.find((text) => plainAscii(text) && fits(text) && !pattern.test(text));
    if (failing !== undefined) violations.push({ value: textSource(failing), type: 'string_pattern_mismatch', constraint: 'pattern' });
  }
  return violations;
}

/** The Python source of a number past a bound: the bound's own text when it is the value, else the value. */
function numberSource(field: Numeric, value: Exact): string {
  if (field.type === 'decimal') return pyString(plain(value));
  if (field.type === 'float') return floatText(Number(plain(value)));
  const text = integer(value).toString();
  if (text === '9223372036854775808') return '2**63';
  if (text === '-9223372036854775809') return '-(2**63) - 1';
  return text;
}

/**
 * A value past each bound (a multiple of `multiple_of` when there is one, with the places a
 * decimal allows), one that is not a multiple, and for decimals too many places and too many
 * whole digits: each kept only when it breaks that constraint alone.
 */
function numberViolations(field: Numeric): Violation[] {
  const violations: Violation[] = [];
  const step = field.multipleOf === undefined ? undefined : exact(field.multipleOf);
  // The smallest unit a value may move by: 1 for ints, a decimal's last place, half a unit for floats.
  const unit = field.type === 'int' ? ONE : field.type === 'decimal' ? { coefficient: 1n, exponent: -field.decimalPlaces } : exact('0.5');
  const move = step ?? unit;
  const keep = (value: Exact | undefined, type: string, constraint: string, source?: string) => {
    if (value === undefined) return;
    const text = field.type === 'float' ? floatText(Number(plain(value))) : plain(value);
    const problems = numberProblems(field, text);
    if (problems.length === 1 && problems[0] === type) violations.push({ value: source ?? numberSource(field, value), type, constraint });
  };
  // On a multiple, or on the bound itself when it is one.
  const atOrBelow = (bound: Exact) => (step ? times(step, floorDiv(bound, step)) : bound);
  const atOrAbove = (bound: Exact) => (step ? times(step, -floorDiv(times(bound, -1n), step)) : bound);
  if (field.gt !== undefined) keep(atOrBelow(exact(field.gt)), 'greater_than', 'gt');
  if (field.ge !== undefined) {
    const bound = exact(field.ge);
    const candidate = atOrBelow(minus(bound, move));
    keep(below(candidate, bound) ? candidate : minus(candidate, move), 'greater_than_equal', 'ge');
  }
  if (field.lt !== undefined) keep(atOrAbove(exact(field.lt)), 'less_than', 'lt');
  if (field.le !== undefined) {
    const bound = exact(field.le);
    const candidate = atOrAbove(plus(bound, move));
    keep(below(bound, candidate) ? candidate : plus(candidate, move), 'less_than_equal', 'le');
  }
  const samples = sampleValues(field).map((value) => exact(String(value)));
  if (step) {
    // Half a step off a valid value; for decimals the nearest value on their places that is off.
    const offsets = field.type === 'decimal' ? [unit, times(unit, -1n)] : field.type === 'int' ? [ONE, times(ONE, -1n)] : [{ coefficient: step.coefficient * 5n, exponent: step.exponent - 1 }];
    const found = samples.flatMap((sample) => offsets.map((offset) => plus(sample, offset))).find((value) => {
      const text = field.type === 'float' ? floatText(Number(plain(value))) : plain(value);
      const problems = numberProblems(field, text);
      if (field.type !== 'float') return problems.length === 1 && problems[0] === 'multiple_of';
      // Clearly off, on Pydantic 2.7's test and 2.14's alike: a remainder near half a step.
      const remainder = Math.abs(Number(text) % Number(field.multipleOf));
      return problems.length === 1 && problems[0] === 'multiple_of' && remainder > Number(field.multipleOf) / 4 && remainder < (3 * Number(field.multipleOf)) / 4;
    });
    keep(found, 'multiple_of', 'multiple_of');
  }
  if (field.type === 'decimal') {
    const sample = samples[0];
    // One place too many, then one whole digit too many (a power of ten, or its opposite).
    if (sample !== undefined) {
      const extra = { coefficient: 1n, exponent: -(field.decimalPlaces + 1) };
      const off = [plus(sample, extra), minus(sample, extra)].find((value) => numberProblems(field, plain(value)).length === 1);
      const offType = off === undefined ? undefined : numberProblems(field, plain(off))[0];
      if (off !== undefined && (offType === 'decimal_max_places' || offType === 'decimal_max_digits')) keep(off, offType, 'decimal_places');
    }
    const power = { coefficient: 1n, exponent: field.maxDigits - field.decimalPlaces };
    const whole = [power, times(power, -1n)].find((value) => numberProblems(field, plain(value)).length === 1);
    const wholeType = whole === undefined ? undefined : numberProblems(field, plain(whole))[0];
    if (whole !== undefined && (wholeType === 'decimal_whole_digits' || wholeType === 'decimal_max_digits')) keep(whole, wholeType, 'max_digits');
  }
  if (field.type === 'float' || field.type === 'decimal') violations.push({ value: '"NaN"', type: 'finite_number', constraint: 'finite' });
  return violations;
}

/** A text no enum value equals. */
function notAValue(values: readonly string[]): string {
  const taken = new Set(values);
  for (let n = 0; ; n += 1) {
    const text = n === 0 ? 'invalid' : `invalid_${n}`;
    if (!taken.has(text)) return text;
  }
}

/**
 * For each constraint of a field a client sends, a value that breaks it alone, with Pydantic's
 * error type; then values of the wrong shape for the types whose parsing has its own error.
 * `ref` fields are the caller's (their type is the parent's id).
 */
export const violations: (field: ResourceField) => readonly Violation[] = perShape(findViolations);

function findViolations(field: ResourceField): Violation[] {
  if (isText(field)) return textViolations(field);
  if (isNumeric(field)) return numberViolations(field);
  switch (field.type) {
    case 'enum':
      return [{ value: pyString(notAValue(field.values)), type: 'literal_error', constraint: 'values' }];
    case 'datetime':
      return [{ value: '"2025-06-01T09:30:00"', type: 'timezone_aware', constraint: 'naive' }];
    case 'date':
      return [{ value: '"2020-13-01"', type: 'date_from_datetime_parsing', constraint: 'not a date' }];
    case 'uuid':
      return [{ value: '"not-a-uuid"', type: 'uuid_parsing', constraint: 'not a uuid' }];
    case 'bool':
      return [{ value: '"maybe"', type: 'bool_parsing', constraint: 'not a bool' }];
    default:
      return [];
  }
}

/** The error type of `null` for a field that cannot be null, by the type its value must have. */
export function nullError(field: ResourceField, parentId: 'int' | 'uuid' | undefined): string {
  switch (field.type) {
    case 'str':
    case 'text':
      return 'string_type';
    case 'enum':
      return 'literal_error';
    case 'ref':
      return parentId === 'uuid' ? 'uuid_type' : 'int_type';
    default:
      return `${field.type}_type`;
  }
}
