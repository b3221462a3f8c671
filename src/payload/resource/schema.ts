import * as z from 'zod/mini';
import { isPlainObject, once } from '../../data.js';
import { FEATURE_PATTERN } from '../naming.js';
import { CLASS_BODY_IMPORTS, GENERATED_MODULE_NAMES, LIST_PARAMETERS, MODEL_ATTRIBUTES, PYTHON_BUILTINS, PYTHON_KEYWORDS, RESOURCE_COLUMNS } from '../reserved.js';
import { distance, nearest, unknownName } from '../../suggest.js';
import { listed, missingOr, text } from '../text.js';
import { fieldProblems } from './field-rules.js';
import { fieldBranches, optionTypes, type PayloadField } from './field-schema.js';
import { DEFAULT_MAX_PAGE_LIMIT, DEFAULT_PAGE_LIMIT, FIELD_TYPES, ID_TYPES, type FieldType, MAX_FIELD_NAME_LENGTH, MAX_FIELDS, MAX_PAGE_LIMIT, MAX_PLURAL_LENGTH, MAX_RESOURCE_NAME_LENGTH, OPERATIONS } from './model.js';
import { identifierTooLong, indexName, pluralize, resourceNames, uniqueName } from './names.js';

type Branch = ReturnType<typeof fieldBranches>[keyof ReturnType<typeof fieldBranches>];

const SNAKE_CASE = 'must be snake_case: lowercase ASCII letters and digits in words joined by single underscores, starting with a letter';

/** Why a name is taken (each reason a function of the name), the first that applies. */
type Reason = (name: string) => string | undefined;
const isIn =
  (names: ReadonlySet<string>, reason: string): Reason =>
  (name) =>
    names.has(name) ? reason : undefined;

function takenReason(name: string, reasons: readonly Reason[]): string | undefined {
  const reason = reasons.map((why) => why(name)).find((why) => why !== undefined);
  return reason && `"${name}" ${reason}; choose another name`;
}

const takenBy = (reasons: readonly Reason[]) =>
  z.superRefine((name: string, ctx) => {
    const message = takenReason(name, reasons);
    if (message) ctx.addIssue({ code: 'custom', message, input: name });
  });

const PYTHON_REASONS = [isIn(PYTHON_KEYWORDS, 'is a Python keyword'), isIn(PYTHON_BUILTINS, 'is a Python builtin')];

/** A class of the resource named like something its modules import would shadow that import. */
const shadowedClass: Reason = (name) => {
  if (!FEATURE_PATTERN.test(name)) return undefined;
  const shadowed = Object.values(resourceNames(name).classes).find((className) => GENERATED_MODULE_NAMES.has(className));
  return shadowed && `would name the class ${shadowed}, which the generated modules import`;
};

const resourceName = () =>
  text(
    'a string: a snake_case singular noun such as "pet"',
    z.maxLength(MAX_RESOURCE_NAME_LENGTH, `must be at most ${MAX_RESOURCE_NAME_LENGTH} characters`),
    z.regex(FEATURE_PATTERN, `${SNAKE_CASE} (e.g. "pet")`),
    takenBy([...PYTHON_REASONS, shadowedClass]),
  ).check(
    z.meta({
      description: `The resource, a snake_case singular noun of at most ${MAX_RESOURCE_NAME_LENGTH} characters: its PascalCase names the classes (Pet, PetCreate, PetUpdate, PetRead, PetPage, PetError), its plural the table (pets).`,
    }),
  );

const resourcePlural = () =>
  text(
    'a string: the snake_case plural of name, such as "species"',
    z.maxLength(MAX_PLURAL_LENGTH, `must be at most ${MAX_PLURAL_LENGTH} characters`),
    z.regex(FEATURE_PATTERN, `${SNAKE_CASE} (e.g. "people")`),
    takenBy(PYTHON_REASONS),
  ).check(
    z.meta({
      description:
        'The plural of name, which names the table (people) and the list in the generated code. Derived when left out: name + s, es after s, x, z, ch or sh, and ies for a y after a consonant (pets, boxes, categories); give it for a noun that does not follow that rule, such as "species" or "people". Not the same as name.',
    }),
  );

/** Why a field name (a key of `fields`: an attribute, a column and a JSON key) cannot be one, or undefined. */
function fieldNameProblem(name: string): string | undefined {
  if (name.length > MAX_FIELD_NAME_LENGTH) return `must be at most ${MAX_FIELD_NAME_LENGTH} characters`;
  if (!FEATURE_PATTERN.test(name)) return `${SNAKE_CASE} (e.g. "birth_date")`;
  return takenReason(name, [
    isIn(RESOURCE_COLUMNS, 'is a column every resource has already'),
    ...PYTHON_REASONS,
    (taken) => (taken.startsWith('model_') ? "is in Pydantic's model_ namespace" : undefined),
    isIn(MODEL_ATTRIBUTES, 'is an attribute of Pydantic models or SQLAlchemy tables'),
    isIn(LIST_PARAMETERS, 'is a parameter of the generated list endpoint'),
    isIn(CLASS_BODY_IMPORTS, 'is a name the generated model and schemas import, which a field of that name would hide'),
  ]);
}

/** Only documents the names for the JSON Schema: the record's own check judges them, so a misnamed field's options are still checked. */
const fieldNameKey = () => z.string().check(z.meta({ pattern: FEATURE_PATTERN.source, maxLength: MAX_FIELD_NAME_LENGTH }));

const TYPE_CHOICES = `must be one of ${listed([...FIELD_TYPES])}`;
/**
 * How other tools and languages name our types (JSON Schema, SQL, Python's own names, other
 * scaffolders), which no spelling distance reaches: `string` is four edits from `str`.
 */
const TYPE_SPELLINGS: Readonly<Record<string, FieldType>> = {
  string: 'str', varchar: 'str', char: 'str', email: 'str', url: 'str',
  integer: 'int', bigint: 'int', smallint: 'int', long: 'int',
  number: 'float', double: 'float', real: 'float',
  numeric: 'decimal', money: 'decimal',
  boolean: 'bool',
  timestamp: 'datetime', timestamptz: 'datetime', time: 'datetime',
  guid: 'uuid',
  reference: 'ref', references: 'ref', foreign_key: 'ref', fk: 'ref', belongs_to: 'ref',
  choice: 'enum', choices: 'enum', literal: 'enum',
};

/** An unknown type: the one it most likely means, by case, another tool's name or a typo of either (`integr`). */
function unknownType(type: string): string {
  const lower = type.toLowerCase();
  const spelling = (edits: number) => Object.keys(TYPE_SPELLINGS).find((name) => distance(lower, name) <= edits);
  // Another tool's name, as written or one edit off: two would take `x` for `fk`.
  const typo = nearest(lower, FIELD_TYPES);
  const other = spelling(0) ?? (typo === undefined ? spelling(1) : undefined);
  const meant = other === undefined ? typo : TYPE_SPELLINGS[other];
  return meant === undefined ? unknownName(type, FIELD_TYPES, 'type') : `unknown type; did you mean "${meant}"?`;
}
const field = () =>
  z
    .discriminatedUnion('type', Object.values(fieldBranches()) as unknown as [Branch, ...Branch[]], {
      error: (issue) => {
        if (issue.code !== 'invalid_union') return 'must be a JSON object with a "type"';
        const type = isPlainObject(issue.input) ? issue.input.type : undefined;
        if (type === undefined) return `is required; ${TYPE_CHOICES}`;
        return typeof type === 'string' ? unknownType(type) : TYPE_CHOICES;
      },
    })
    .check(
      // Skipped when a key has the wrong type; given the keys' own problems, only the rules that cannot trip on them.
      z.check((payload) => {
        const keysValid = payload.issues.length === 0;
        for (const problem of fieldProblems(payload.value as PayloadField, keysValid)) payload.issues.push({ code: 'custom', path: [problem.key], message: problem.message, input: payload.value, continue: true });
      }),
    );

/**
 * The problems of a field whose type is not one of FIELD_TYPES that its type does not decide:
 * a key no type takes, and the value of a key every type takes (`required`, `description`). So
 * one run reports them with the type, instead of the next run after the type is mended. Keys
 * that only some types take are judged once the type is known.
 */
function untypedFieldProblems(field: Record<string, unknown>): { key: string; message: string }[] {
  const everyType = fieldBranches().str.shape;
  return Object.keys(field).flatMap((key) => {
    if (key === 'type') return [];
    const types = optionTypes().get(key);
    if (types === undefined) return [{ key, message: unknownName(key, [...optionTypes().keys()], 'key') }];
    if (types.length < FIELD_TYPES.length) return [];
    const result = (everyType[key as keyof typeof everyType] as z.ZodMiniType).safeParse(field[key]);
    return result.success ? [] : result.error.issues.map((issue) => ({ key, message: issue.message }));
  });
}

const FIELD_COUNT = `must have 1 to ${MAX_FIELDS} fields`;
const fields = () =>
  z.record(fieldNameKey(), field(), { error: missingOr(`must be a JSON object of 1 to ${MAX_FIELDS} fields by name`) }).check(
    // Names and count whatever the fields hold, so their problems come with the fields'.
    z.check(
      (payload) => {
        const names = Object.keys(payload.value);
        for (const name of names) {
          const message = fieldNameProblem(name);
          if (message) payload.issues.push({ code: 'custom', path: [name], message, input: name, continue: true });
          const field = payload.value[name];
          if (isPlainObject(field) && !FIELD_TYPES.includes(field.type as FieldType)) {
            for (const problem of untypedFieldProblems(field)) payload.issues.push({ code: 'custom', path: [name, problem.key], message: problem.message, input: field, continue: true });
          }
        }
        if (names.length < 1 || names.length > MAX_FIELDS) payload.issues.push({ code: 'custom', message: FIELD_COUNT, input: payload.value, continue: true });
      },
      { when: (payload) => isPlainObject(payload.value) },
    ),
    z.meta({ description: `The resource's fields by name, 1 to ${MAX_FIELDS}, in the order the generated code lists them. Every resource also has id, created_at and updated_at.` }),
  );

const operation = () =>
  z.enum(OPERATIONS, {
    error: (issue) => (typeof issue.input === 'string' ? unknownName(issue.input, OPERATIONS, 'operation') : `must be one of ${listed([...OPERATIONS])}`),
  });
const operations = () =>
  z.array(operation(), { error: `must be a list of operations: ${listed([...OPERATIONS])}` }).check(
    z.minLength(1, `must list at least one operation; leave it out for all five`),
    // Repeats of the valid items, alongside the problems of the others.
    z.superRefine(
      (list, ctx) => {
        list.forEach((item, i) => {
          const first = list.indexOf(item);
          if (first < i && OPERATIONS.includes(item)) ctx.addIssue({ code: 'custom', path: [i], message: `"${item}" is also operations[${first}]; list each operation once`, input: item });
        });
      },
      { when: (payload) => Array.isArray(payload.value) },
    ),
    z.meta({ description: `The endpoints to generate, a subset of ${listed([...OPERATIONS])} without repeats; all five when left out. Generated code has them in that order.` }),
  );

const LIMIT = `must be a whole number from 1 to ${MAX_PAGE_LIMIT}`;
const limit = (description: string) => z.optional(z.int({ error: LIMIT }).check(z.minimum(1, LIMIT), z.maximum(MAX_PAGE_LIMIT, LIMIT), z.meta({ description })));
const pagination = () =>
  z
    .strictObject(
      {
        default_limit: limit(`Items per page when list is not given a limit; default ${DEFAULT_PAGE_LIMIT} (or max_limit when that is less).`),
        max_limit: limit(`The largest limit list accepts; default ${DEFAULT_MAX_PAGE_LIMIT} (or default_limit when that is more).`),
      },
      { error: 'must be a JSON object with default_limit and max_limit' },
    )
    .check(
      z.superRefine((value, ctx) => {
        if (value.default_limit !== undefined && value.max_limit !== undefined && value.default_limit > value.max_limit) {
          ctx.addIssue({ code: 'custom', path: ['default_limit'], message: `must be <= max_limit (${value.max_limit})`, input: value.default_limit });
        }
      }),
      z.meta({ description: `Paging of list: 1 <= default_limit <= max_limit <= ${MAX_PAGE_LIMIT}.` }),
    );

/** Names PostgreSQL keeps whole: checked from the raw block, so they come with the fields' other problems. */
function identifierProblems(resource: Record<string, unknown>): { path: PropertyKey[]; message: string }[] {
  const { name, plural, fields: raw } = resource;
  if (typeof name !== 'string' || !FEATURE_PATTERN.test(name) || !isPlainObject(raw)) return [];
  if (plural !== undefined && (typeof plural !== 'string' || !FEATURE_PATTERN.test(plural))) return [];
  const table = plural ?? pluralize(name);
  return Object.entries(raw).flatMap(([column, options]) => {
    if (fieldNameProblem(column) !== undefined || !isPlainObject(options)) return [];
    const named = [
      options.unique === true && { key: 'unique', problem: identifierTooLong(uniqueName(table, column), 'the unique constraint') },
      options.filterable === true && { key: 'filterable', problem: identifierTooLong(indexName(table, column), 'the index') },
    ];
    return named.flatMap((entry) => (entry && entry.problem ? [{ path: ['fields', column, entry.key], message: entry.problem }] : []));
  });
}

const buildResourceSchema = () =>
  z
    .strictObject(
      {
        name: resourceName(),
        plural: z.optional(resourcePlural()),
        operations: z.optional(operations()),
        id: z.optional(
          z
            .enum(ID_TYPES, { error: 'must be "int" (an autoincrement integer) or "uuid" (uuid4, generated by the app)' })
            .check(z.meta({ description: 'The primary key: "int" (an autoincrement integer) or "uuid" (uuid4, generated by the app); "int" when left out.' })),
        ),
        fields: fields(),
        pagination: z.optional(pagination()),
      },
      { error: missingOr('must be a JSON object with "name" and "fields"') },
    )
    .check(
      z.superRefine(
        (value, ctx) => {
          for (const problem of identifierProblems(value)) ctx.addIssue({ code: 'custom', ...problem, input: value });
          // The generated code walks the list as `for pet in pets`: one name for both would not work.
          if (value.plural !== undefined && value.plural === value.name) ctx.addIssue({ code: 'custom', path: ['plural'], message: 'is the same as name; the generated code needs one name for an item and another for the list', input: value.plural });
        },
        { when: (payload) => isPlainObject(payload.value) },
      ),
    );

/** Built on first use, like the field branches: only a payload with a resource needs it. */
export const resourceSchema = once(buildResourceSchema);

/** The keys the block and its pagination take, for unknown-key suggestions. */
export const resourceKeys = () => Object.keys(resourceSchema().shape);
export const paginationKeys = () => Object.keys(resourceSchema().shape.pagination._zod.def.innerType.shape);

export type PayloadResource = z.infer<ReturnType<typeof buildResourceSchema>>;
