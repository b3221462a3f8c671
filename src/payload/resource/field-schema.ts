import * as z from 'zod/mini';
import { once } from '../../data.js';
import { FEATURE_PATTERN, MAX_FEATURE_LENGTH } from '../naming.js';
import { codePoints, missingOr, text } from '../text.js';
import { DECIMAL_TEXT, exact, isPositive, MAX_DECIMAL_TEXT_LENGTH, numberText } from './decimal.js';
import { DATE_TEXT, DATETIME_TEXT, isCalendarDate, isDateTime, UUID_TEXT } from './formats.js';
import { MAX_DECIMAL_DIGITS, MAX_FIELD_DESCRIPTION_LENGTH, MAX_ENUM_VALUE_LENGTH, MAX_ENUM_VALUES, MAX_PATTERN_LENGTH, MAX_STR_LENGTH, type FieldType } from './model.js';
import { patternProblem } from './pattern.js';

/**
 * One strict object per field type, so a key that does not fit the type (`max_length` on an int)
 * is an unknown key of that branch, and the JSON Schema tells editors which keys each type takes.
 * Rules between keys are in field-rules.ts; this file says what each key holds.
 */

/** A schema with the description the JSON Schema shows for its key. */
const described = <Schema extends z.ZodMiniType>(schema: Schema, description: string): Schema => schema.check(z.meta({ description })) as Schema;
const optional = <Schema extends z.ZodMiniType>(schema: Schema, description: string) => z.optional(described(schema, description));

const flag = (description: string) => optional(z.boolean({ error: 'must be true or false' }), description);

const SAFE_RANGE = `must be between ${-Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}: larger JSON numbers cannot be read exactly`;
const wholeNumber = (what = 'must be a whole number') => z.int({ error: (issue) => (issue.code === 'too_big' || issue.code === 'too_small' ? SAFE_RANGE : missingOr(what)(issue)) });

// Values of each type, for `default`, `example` and the numeric constraints.
const stringValue = () => text('a string');
const floatValue = () => z.number({ error: 'must be a number' });
const DECIMAL_ERROR = 'must be a number or a decimal string such as "12.50" (digits, at most one point, no exponent)';
const decimalValue = () =>
  z.union([z.number({ error: DECIMAL_ERROR }), z.string().check(z.maxLength(MAX_DECIMAL_TEXT_LENGTH, `must be at most ${MAX_DECIMAL_TEXT_LENGTH} characters`), z.regex(DECIMAL_TEXT, DECIMAL_ERROR))], {
    error: DECIMAL_ERROR,
  });
const DATE_ERROR = 'must be a date as "YYYY-MM-DD"';
const DATETIME_ERROR = 'must be a date and time in ISO 8601 with seconds and an offset, such as "2026-01-31T09:30:00Z" or "2026-01-31T09:30:00.5+01:00"';
const UUID_ERROR = 'must be a UUID in canonical form: lowercase, 8-4-4-4-12 hex digits';
/** The format first (a pattern the JSON Schema carries), then whether the day exists. */
const formatted = (format: RegExp, error: string, real: (value: string) => boolean, unreal: string) => z.string({ error }).check(z.regex(format, { error, abort: true }), z.refine(real, unreal));
const VALUES = {
  str: stringValue,
  text: stringValue,
  int: () => wholeNumber(),
  float: floatValue,
  decimal: decimalValue,
  bool: () => z.boolean({ error: 'must be true or false' }),
  date: () => formatted(DATE_TEXT, DATE_ERROR, isCalendarDate, 'is not a day of the calendar (years 1 to 9999)'),
  datetime: () => formatted(DATETIME_TEXT, DATETIME_ERROR, isDateTime, 'is not a real date and time within years 1 to 9999 (in UTC too)'),
  uuid: () => z.string({ error: UUID_ERROR }).check(z.regex(UUID_TEXT, UUID_ERROR)),
  enum: stringValue,
} satisfies Record<Exclude<FieldType, 'ref'>, () => z.ZodMiniType>;

/**
 * The keys every type takes besides `type`: the same schemas in every branch (a schema is
 * immutable, so it can be shared), built once. Building the branches is most of validating the
 * first resource payload of a run.
 */
const commonOptions = once(() => ({
  required: flag('Whether create must send it. Defaults to true unless the field has a default or is read_only; a field that is not required needs a default or nullable: true.'),
  nullable: flag('Whether null is a value; the column is NULL-able. Default false.'),
  read_only: flag('Returned, never accepted from clients; needs a default or nullable: true. Not with write_only.'),
  write_only: flag('Accepted by create and update, never returned. Not with read_only.'),
  description: optional(
    text(
      'a string',
      z.maxLength(MAX_FIELD_DESCRIPTION_LENGTH, `must be at most ${MAX_FIELD_DESCRIPTION_LENGTH} characters`),
      z.refine((value) => value.trim() !== '', 'must not be empty; leave it out or say what the field holds'),
    ),
    'Free text, carried into OpenAPI (Field(description=...)).',
  ),
}));

/** The keys every type takes. */
const common = <Type extends FieldType>(type: Type) => ({
  type: described(
    z.literal(type),
    "The field's type: str (a string of at most max_length characters), text (unbounded), int (64-bit), float, decimal, bool, date, datetime (with an offset; stored in UTC), uuid, enum (one of values) or ref (the id of another feature's resource).",
  ),
  ...commonOptions(),
});

const FORMAT_HINTS: Record<Exclude<FieldType, 'ref'>, string> = {
  str: 'a string',
  text: 'a string',
  int: 'a whole number',
  float: 'a number',
  decimal: 'a number or a decimal string ("12.50")',
  bool: 'true or false',
  date: '"YYYY-MM-DD"',
  datetime: 'ISO 8601 with an offset ("2026-01-31T09:30:00Z")',
  uuid: 'canonical UUID text',
  enum: 'one of values',
};

/** `default` and `example`: a value of the type, satisfying the field's constraints; null only when nullable. */
const valued = <Type extends Exclude<FieldType, 'ref'>>(type: Type) => {
  const value = z.nullable(VALUES[type]() as ReturnType<(typeof VALUES)[Type]>);
  return {
    default: optional(value, `The value when create does not send one: ${FORMAT_HINTS[type]} that satisfies the field's constraints; null only when nullable.`),
    example: optional(value, `An example for OpenAPI (examples=[...]): ${FORMAT_HINTS[type]} that satisfies the field's constraints.`),
  };
};

const unique = once(() => ({
  unique: flag('A named unique constraint (uq_<table>_<column>); a duplicate is a 409. Compared exactly, case-sensitive. Not for text, float or bool.'),
}));
const filterable = once(() => ({
  filterable: flag('An equality query parameter of list, and an index (ix_<table>_<column>). Not for text, float or decimal.'),
}));

/** min_length and pattern, the same for str and text. */
const lengthOptions = once(() => ({
  min_length: optional(wholeNumber('must be a whole number, 0 or more').check(z.minimum(0, 'must be a whole number, 0 or more')), 'The fewest characters (Unicode code points) a value has.'),
  pattern: optional(
    text(
      'a regular expression',
      z.maxLength(MAX_PATTERN_LENGTH, `must be at most ${MAX_PATTERN_LENGTH} characters`),
      z.superRefine((pattern, ctx) => {
        const problem = patternProblem(pattern);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, input: pattern });
      }),
    ),
    "A regular expression values match (searched anywhere: anchor it with ^ and $). One that both JavaScript and Rust's regex crate accept: no look-around, no back-references.",
  ),
}));
const lengths = <MaxLength extends z.ZodMiniType>(maxLength: MaxLength) => {
  const { min_length, pattern } = lengthOptions();
  return { min_length, max_length: maxLength, pattern };
};
const STR_MAX_LENGTH = `must be a whole number from 1 to ${MAX_STR_LENGTH}; use a text field for longer text`;
const strMaxLength = () =>
  described(
    wholeNumber(STR_MAX_LENGTH).check(z.minimum(1, STR_MAX_LENGTH), z.maximum(MAX_STR_LENGTH, STR_MAX_LENGTH)),
    `The most characters (Unicode code points) a value has: required, 1 to ${MAX_STR_LENGTH} (the column is String(max_length)).`,
  );
const textMaxLength = () =>
  optional(wholeNumber('must be a whole number, 1 or more').check(z.minimum(1, 'must be a whole number, 1 or more')), 'The most characters (Unicode code points) a value has; none by default.');

const positive = <Schema extends z.ZodMiniType<number | string>>(schema: Schema) => schema.check(z.refine((value: number | string) => isPositive(exact(numberText(value))), 'must be > 0')) as Schema;
const bounds = (valueOf: () => z.ZodMiniType<number | string>) => {
  const value = valueOf();
  return {
    gt: optional(value, 'Values are greater than this. Not with ge; below the upper bound.'),
    ge: optional(value, 'Values are at least this. Not with gt; below the upper bound.'),
    lt: optional(value, 'Values are less than this. Not with le; above the lower bound.'),
    le: optional(value, 'Values are at most this. Not with lt; above the lower bound.'),
    multiple_of: optional(positive(value), 'Values are a whole multiple of this (> 0).'),
  };
};

const DIGITS = `must be a whole number from 1 to ${MAX_DECIMAL_DIGITS}`;
const PLACES = `must be a whole number from 0 to ${MAX_DECIMAL_DIGITS}`;
const digits = () => ({
  max_digits: optional(
    wholeNumber(DIGITS).check(z.minimum(1, DIGITS), z.maximum(MAX_DECIMAL_DIGITS, DIGITS)),
    `Digits in all, 1 to ${MAX_DECIMAL_DIGITS}; default 18 (the column is Numeric(max_digits, decimal_places)).`,
  ),
  decimal_places: optional(
    wholeNumber(PLACES).check(z.minimum(0, PLACES), z.maximum(MAX_DECIMAL_DIGITS, PLACES)),
    'Digits after the decimal point, 0 to max_digits; default 2 (or max_digits when that is less).',
  ),
});

const VALUES_COUNT = `must list 1 to ${MAX_ENUM_VALUES} values`;
const enumValues = () =>
  described(
    z
      .array(
        text(
          'a string',
          z.refine((value) => value !== '', 'must not be empty'),
          z.refine((value) => codePoints(value) <= MAX_ENUM_VALUE_LENGTH, `must be at most ${MAX_ENUM_VALUE_LENGTH} characters`),
        ),
        { error: missingOr(`must be a list of ${MAX_ENUM_VALUES} strings at most`) },
      )
      .check(z.minLength(1, VALUES_COUNT), z.maxLength(MAX_ENUM_VALUES, VALUES_COUNT)),
    `The allowed values, in order: 1 to ${MAX_ENUM_VALUES} distinct, non-empty strings of free text, at most ${MAX_ENUM_VALUE_LENGTH} characters each.`,
  );

const refFeature = () =>
  described(
    text(
      'the snake_case name of a resource feature',
      z.maxLength(MAX_FEATURE_LENGTH, `must be at most ${MAX_FEATURE_LENGTH} characters`),
      z.regex(FEATURE_PATTERN, 'must be the snake_case name of a feature, such as "households"'),
    ),
    "The feature whose resource this field refers to, recorded in the target or earlier in the same batch; the column has that resource's id type and a foreign key to its table.",
  );

/** Built on first use: some 300 schemas, about 12 ms, which a payload without a resource never needs. */
const buildFieldBranches = () =>
  ({
    str: z.strictObject({ ...common('str'), ...valued('str'), ...unique(), ...filterable(), ...lengths(strMaxLength()) }),
    text: z.strictObject({ ...common('text'), ...valued('text'), ...lengths(textMaxLength()) }),
    int: z.strictObject({ ...common('int'), ...valued('int'), ...unique(), ...filterable(), ...bounds(() => wholeNumber()) }),
    float: z.strictObject({ ...common('float'), ...valued('float'), ...bounds(floatValue) }),
    decimal: z.strictObject({ ...common('decimal'), ...valued('decimal'), ...unique(), ...bounds(decimalValue), ...digits() }),
    bool: z.strictObject({ ...common('bool'), ...valued('bool'), ...filterable() }),
    date: z.strictObject({ ...common('date'), ...valued('date'), ...unique(), ...filterable() }),
    datetime: z.strictObject({ ...common('datetime'), ...valued('datetime'), ...unique(), ...filterable() }),
    uuid: z.strictObject({ ...common('uuid'), ...valued('uuid'), ...unique(), ...filterable() }),
    enum: z.strictObject({ ...common('enum'), ...valued('enum'), ...unique(), ...filterable(), values: enumValues() }),
    // No default or example: a ref's values are the parent's ids, unknown until the parent is found.
    ref: z.strictObject({ ...common('ref'), ...unique(), ...filterable(), feature: refFeature() }),
  }) satisfies Record<FieldType, z.ZodMiniType>;

export const fieldBranches = once(buildFieldBranches);
type FieldBranches = ReturnType<typeof buildFieldBranches>;

/** Which types take each key, for `does not apply to int fields; it applies to str and text`. */
export const optionTypes = once((): ReadonlyMap<string, readonly FieldType[]> => {
  const types = new Map<string, FieldType[]>();
  for (const [type, branch] of Object.entries(fieldBranches())) for (const key of Object.keys(branch.shape)) types.set(key, [...(types.get(key) ?? []), type as FieldType]);
  return types;
});

export type PayloadField = z.infer<FieldBranches[FieldType]>;
