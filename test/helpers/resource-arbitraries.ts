import fc from 'fast-check';

/**
 * Random valid resource blocks (field sets, types, constraints, hostile free text) and mutations
 * that each make one invalid: shared by the payload-level property test (test/unit) and the one
 * that generates them into real backends (test/e2e/resource-property.test.ts).
 */

export type Json = Record<string, unknown>;

const codePoints = (value: string) => [...value].length;
const isText = (value: string) => value.isWellFormed() && !value.includes('\0');

/** Text that breaks naive escaping, or none of it: quotes, backslashes, controls, bidi, astral, template syntax. */
const NASTY = ['"""', "'''", '"', "'", '\\', '\\x00', '\\N{BULLET}', '\n', '\r\n', '\r', '\t', '{{', '}}', 'caf\u00e9', '\x1b[31m', '\u202e', '\u2028', '\u200d', '\u{1F415}', 'e\u0301', '{{x}}', '${x}', "'; DROP TABLE pets; --", '</script>', '\u0007', ' '];
export const hostile = (maxLength: number) =>
  fc
    .oneof(
      // Weighted to the cheap arbitrary: random code points are slow to generate.
      { arbitrary: fc.array(fc.constantFrom(...NASTY), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')), weight: 4 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: Math.min(maxLength, 12) }), weight: 1 },
      { arbitrary: fc.string({ unit: 'grapheme', maxLength: Math.min(maxLength, 12) }), weight: 1 },
    )
    .filter((value) => isText(value) && codePoints(value) <= maxLength);
export const nonBlank = (maxLength: number) => hostile(maxLength).filter((value) => value.trim() !== '');

/** Words no reserved list holds: nothing Python, Pydantic or SQLAlchemy names starts with k or x. */
const WORD = fc.stringMatching(/^[a-z0-9]{1,5}$/);
const snake = (first: string, maxWords: number) => fc.tuple(fc.option(WORD, { nil: '' }), fc.array(WORD, { maxLength: maxWords })).map(([head, rest]) => [`${first}${head}`, ...rest].join('_'));

/** How a field gets a value when create leaves it out, consistent with its flags. */
const presence = (value: fc.Arbitrary<unknown> | undefined) => {
  const modes: fc.Arbitrary<Json>[] = [
    fc.constant({}),
    fc.constant({ required: true }),
    fc.constant({ nullable: true }),
    fc.constant({ required: false, nullable: true }),
    fc.constant({ read_only: true, nullable: true }),
    fc.constant({ write_only: true }),
  ];
  // Defaults, null ones included, only where the type takes one (not ref).
  if (value) modes.push(fc.constant({ nullable: true, default: null }), value.map((item) => ({ default: item })), value.map((item) => ({ read_only: true, default: item, required: false })));
  return fc.oneof(...modes);
};

/** A field of the given base (type and constraints) with a value generator that satisfies them. */
function field(base: fc.Arbitrary<{ options: Json; value?: fc.Arbitrary<unknown>; unique?: boolean; filterable?: boolean }>) {
  return base.chain(({ options, value, unique, filterable }) =>
    fc.record(
      {
        presence: presence(value),
        example: value ? fc.option(value, { nil: undefined }) : fc.constant(undefined),
        description: fc.option(nonBlank(200), { nil: undefined }),
        unique: unique ? fc.boolean() : fc.constant(undefined),
        filterable: filterable ? fc.boolean() : fc.constant(undefined),
      },
      { requiredKeys: [] },
    ).map((extra) => {
      const out: Json = { ...options, ...extra.presence };
      for (const key of ['example', 'description', 'unique', 'filterable'] as const) if (extra[key] !== undefined) out[key] = extra[key];
      return out;
    }),
  );
}

// Built once: turning a regex into an arbitrary is the slow part.
const SLUG = fc.stringMatching(/^[a-z]{1,8}(-[a-z0-9]{1,4}){0,3}$/);
const strField = fc
  .record({ type: fc.constantFrom('str', 'text'), max: fc.integer({ min: 1, max: 10_000 }), min: fc.option(fc.nat(3), { nil: undefined }), pattern: fc.boolean() })
  .map(({ type, max, min, pattern }) => {
    const minLength = min === undefined ? undefined : Math.min(min, max);
    const fits = (value: string) => codePoints(value) <= max && codePoints(value) >= (minLength ?? 0);
    const options: Json = { type, ...(type === 'str' || max < 10_000 ? { max_length: max } : {}), ...(minLength === undefined ? {} : { min_length: minLength }) };
    if (pattern) {
      options.pattern = '^[a-z]+(-[a-z0-9]+)*$';
      return { options, value: SLUG.filter(fits), unique: type === 'str', filterable: type === 'str' };
    }
    return { options, value: hostile(60).filter(fits), unique: type === 'str', filterable: type === 'str' };
  });

/** Bounds around a value d: lower = d - below, upper = d + above, strict or not, never lower = upper. */
const numericField = (type: 'int' | 'float' | 'decimal') =>
  fc
    .record({
      step: fc.constantFrom(1, 2, 5, 10, 25),
      factor: fc.integer({ min: -1_000_000, max: 1_000_000 }),
      below: fc.option(fc.nat(1000), { nil: undefined }),
      above: fc.option(fc.nat(1000), { nil: undefined }),
      strictLower: fc.boolean(),
      strictUpper: fc.boolean(),
      multiple: fc.boolean(),
      asText: fc.boolean(),
    })
    .map(({ step, factor, below, above, strictLower, strictUpper, multiple, asText }) => {
      // decimal: hundredths, so values have 2 places; float: quarters, exact in binary.
      const scale = type === 'decimal' ? 100 : type === 'float' ? 4 : 1;
      const of = (units: number): number | string => (type === 'decimal' && asText ? (units / scale).toFixed(2) : units / scale);
      const d = step * factor;
      const options: Json = { type };
      if (below !== undefined) options[strictLower ? 'gt' : 'ge'] = of(d - below - (strictLower ? 1 : 0));
      if (above !== undefined) options[strictUpper ? 'lt' : 'le'] = of(d + above + (strictUpper || (below === 0 && above === 0) ? 1 : 0));
      if (multiple) options.multiple_of = of(step);
      if (type === 'decimal') Object.assign(options, { max_digits: 12, decimal_places: 2 });
      // d itself, or another multiple of step near it, within the bounds.
      const inside = (units: number) => (below === undefined || units >= d - below) && (above === undefined || units <= d + above);
      const value = fc.integer({ min: -3, max: 3 }).map((k) => of(inside(d + k * step) ? d + k * step : d));
      return { options, value, unique: type !== 'float', filterable: type === 'int' };
    });

const enumField = fc.uniqueArray(nonBlank(100).filter((value) => value !== ''), { minLength: 1, maxLength: 8 }).map((values) => ({
  options: { type: 'enum', values },
  value: fc.constantFrom(...values),
  unique: true,
  filterable: true,
}));

const plainField = fc.oneof(
  fc.constant({ options: { type: 'bool' }, value: fc.boolean(), filterable: true }),
  fc.constant({ options: { type: 'date' }, value: fc.date({ min: new Date('0001-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }).map((day) => day.toISOString().slice(0, 10)), unique: true, filterable: true }),
  fc.constant({ options: { type: 'datetime' }, value: fc.date({ min: new Date('0001-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }).map((time) => time.toISOString()), unique: true, filterable: true }),
  fc.constant({ options: { type: 'uuid' }, value: fc.uuid(), unique: true, filterable: true }),
  snake('k', 2).map((feature) => ({ options: { type: 'ref', feature }, unique: true, filterable: true })),
);

const anyField = fc.oneof(field(strField), field(numericField('int')), field(numericField('float')), field(numericField('decimal')), field(enumField), field(plainField));

const pagination = fc
  .tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }))
  .map(([a, b]) => ({ default_limit: Math.min(a, b), max_limit: Math.max(a, b) }))
  .chain((limits) => fc.subarray(['default_limit', 'max_limit'] as const).map((keys) => Object.fromEntries(keys.map((key) => [key, limits[key]]))));

export const validResource = fc
  .record(
    {
      name: snake('x', 2).filter((name) => name.length <= 24),
      fields: fc.uniqueArray(snake('k', 3), { minLength: 1, maxLength: 8 }).chain((names) => fc.tuple(...names.map(() => anyField)).map((fields) => Object.fromEntries(names.map((name, i) => [name, fields[i]])))),
      operations: fc.shuffledSubarray(['create', 'list', 'get', 'update', 'delete'], { minLength: 1 }),
      id: fc.constantFrom('int', 'uuid'),
      pagination,
    },
    { requiredKeys: ['name', 'fields'] },
  )
  // Sometimes a plural of its own: `<name>_set` ends in t, so no derived plural (s) can meet it.
  .chain((resource) => fc.boolean().map((given) => (given && resource.name.length <= 22 ? { ...resource, plural: `${resource.name}_set` } : resource)));

/** One change that breaks a valid block, whatever else it holds. */
type Mutation = (resource: Json) => void;
const fieldsOf = (resource: Json) => resource.fields as Record<string, Json>;
const firstField = (resource: Json) => Object.values(fieldsOf(resource))[0]!;
export const MUTATIONS: Record<string, Mutation> = {
  'bad field name': (r) => void (fieldsOf(r)['Bad Name'] = { type: 'bool' }),
  'reserved field name': (r) => void (fieldsOf(r).id = { type: 'bool' }),
  'keyword field name': (r) => void (fieldsOf(r).class = { type: 'bool' }),
  'list parameter field name': (r) => void (fieldsOf(r).limit = { type: 'bool' }),
  'unknown resource key': (r) => void (r.colour = 'red'),
  'unknown field key': (r) => void (firstField(r).colour = 'red'),
  'key of another type': (r) => void (firstField(r)[firstField(r).type === 'enum' ? 'max_length' : 'values'] = ['a']),
  'unknown type': (r) => void (firstField(r).type = 'money'),
  'required with a default': (r) => Object.assign(firstField(r), { required: true, default: null, nullable: true }),
  'null default, not nullable': (r) => {
    const target = firstField(r);
    Object.assign(target, { nullable: false, default: null });
  },
  'read_only and write_only': (r) => Object.assign(firstField(r), { read_only: true, write_only: true, nullable: true }),
  'no fields': (r) => void (r.fields = {}),
  'fields missing': (r) => void delete r.fields,
  'bad name': (r) => void (r.name = 'Pet'),
  'long name': (r) => void (r.name = 'x'.repeat(25)),
  'plural same as name': (r) => void (r.plural = r.name),
  'keyword plural': (r) => void (r.plural = 'lambda'),
  'bad id': (r) => void (r.id = 'long'),
  'empty operations': (r) => void (r.operations = []),
  'repeated operation': (r) => void (r.operations = ['get', 'get']),
  'pagination inverted': (r) => void (r.pagination = { default_limit: 100, max_limit: 99 }),
  'pagination too large': (r) => void (r.pagination = { max_limit: 1001 }),
  'NUL in a description': (r) => void (firstField(r).description = 'a\0b'),
  'lone surrogate in an example': (r) => Object.assign(firstField(r), { type: 'text', example: 'a\ud800', min_length: undefined, max_length: undefined, pattern: undefined, values: undefined, feature: undefined, gt: undefined, ge: undefined, lt: undefined, le: undefined }),
  'str without max_length': (r) => void (fieldsOf(r).kzz = { type: 'str' }),
  'min_length over max_length': (r) => void (fieldsOf(r).kzz = { type: 'str', min_length: 5, max_length: 4 }),
  'both lower bounds': (r) => void (fieldsOf(r).kzz = { type: 'int', gt: 1, ge: 2 }),
  'zero multiple_of': (r) => void (fieldsOf(r).kzz = { type: 'float', multiple_of: 0 }),
  'repeated enum value': (r) => void (fieldsOf(r).kzz = { type: 'enum', values: ['\u{1F415}', '\u{1F415}'] }),
  'enum default not a value': (r) => void (fieldsOf(r).kzz = { type: 'enum', values: ['a'], default: 'b' }),
  'default against pattern': (r) => void (fieldsOf(r).kzz = { type: 'text', pattern: '^a+$', default: 'b' }),
  'look-around pattern': (r) => void (fieldsOf(r).kzz = { type: 'text', pattern: 'a(?=b)' }),
  'fifty-one fields': (r) => {
    for (let i = 0; i < 51; i += 1) fieldsOf(r)[`kk${i}`] = { type: 'bool' };
  },
};

// Undefined keys stand for deleted ones.
export const clean = (resource: Json): Json => JSON.parse(JSON.stringify(resource)) as Json;
