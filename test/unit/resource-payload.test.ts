import { describe, expect, it } from 'vitest';
import { failure } from '../helpers/errors.js';
import { payloadProblems as problems } from '../helpers/payload.js';
import * as z from 'zod/mini';
import { describedPayloadSchema, validatePayload } from '../../src/payload/payload.js';

/** The example of docs/resources-design.md, "The payload block". */
export const DOC_EXAMPLE = {
  feature: 'pet_profiles',
  description: 'Profiles of the pets a household owns.',
  resource: {
    name: 'pet',
    operations: ['create', 'list', 'get', 'update', 'delete'],
    id: 'int',
    fields: {
      name: { type: 'str', min_length: 1, max_length: 50, unique: true, description: "The pet's name.", example: 'Rex' },
      species: { type: 'enum', values: ['dog', 'cat', 'bird', 'other'], filterable: true },
      birth_date: { type: 'date', required: false, nullable: true },
      weight_kg: { type: 'float', gt: 0, le: 200, required: false, nullable: true },
      microchipped: { type: 'bool', default: false },
      household_id: { type: 'ref', feature: 'households' },
    },
    pagination: { default_limit: 20, max_limit: 100 },
  },
};

const payload = (resource: unknown) => ({ feature: 'pets', description: 'Pets.', resource });
const withFields = (fields: Record<string, unknown>, rest: Record<string, unknown> = {}) => payload({ name: 'pet', fields, ...rest });


/** One field's problems. */
const fieldProblems = (field: unknown, name = 'f') => problems(withFields({ [name]: field }));

describe('the resource block: the example of the design', () => {
  it('is valid and normalises to the typed resource, every default filled in and every name derived', () => {
    const feature = validatePayload(DOC_EXAMPLE, 'test');
    expect(feature.payload).toEqual(DOC_EXAMPLE);
    const common = { required: true, nullable: false, hasDefault: false, unique: false, filterable: false, readOnly: false, writeOnly: false };
    expect(feature.resource).toEqual({
      names: {
        snake: 'pet',
        pascal: 'Pet',
        table: 'pets',
        primaryKey: 'pk_pets',
        classes: {
          model: 'Pet',
          create: 'PetCreate',
          update: 'PetUpdate',
          read: 'PetRead',
          page: 'PetPage',
          error: 'PetError',
          notFound: 'PetNotFound',
          conflict: 'PetConflict',
          invalid: 'PetInvalid',
        },
      },
      operations: ['create', 'list', 'get', 'update', 'delete'],
      id: 'int',
      fields: [
        { ...common, name: 'name', type: 'str', minLength: 1, maxLength: 50, unique: true, uniqueName: 'uq_pets_name', description: "The pet's name.", example: 'Rex' },
        { ...common, name: 'species', type: 'enum', values: ['dog', 'cat', 'bird', 'other'], filterable: true, indexName: 'ix_pets_species' },
        { ...common, name: 'birth_date', type: 'date', required: false, nullable: true },
        { ...common, name: 'weight_kg', type: 'float', gt: '0', le: '200', required: false, nullable: true },
        { ...common, name: 'microchipped', type: 'bool', required: false, hasDefault: true, default: false },
        { ...common, name: 'household_id', type: 'ref', feature: 'households' },
      ],
      pagination: { defaultLimit: 20, maxLimit: 100 },
    });
  });

  it('fills in operations, id, pagination, int bounds and decimal digits when left out', () => {
    const resource = validatePayload(withFields({ age: { type: 'int' }, price: { type: 'decimal' }, tiny: { type: 'decimal', max_digits: 1 } }), 't').resource!;
    expect(resource.operations).toEqual(['create', 'list', 'get', 'update', 'delete']);
    expect(resource.id).toBe('int');
    expect(resource.pagination).toEqual({ defaultLimit: 20, maxLimit: 100 });
    expect(resource.fields[0]).toMatchObject({ ge: '-9223372036854775808', le: '9223372036854775807' });
    expect(resource.fields[1]).toMatchObject({ maxDigits: 18, decimalPlaces: 2 });
    expect(resource.fields[2]).toMatchObject({ maxDigits: 1, decimalPlaces: 1 });
  });

  it('keeps the operations in the canonical order, whatever order the payload gives', () => {
    expect(validatePayload(withFields({ a: { type: 'bool' } }, { operations: ['delete', 'get', 'create'] }), 't').resource!.operations).toEqual(['create', 'get', 'delete']);
  });

  it('keeps an int bound that is given and fills in only the other', () => {
    expect(validatePayload(withFields({ age: { type: 'int', gt: 0 } }), 't').resource!.fields[0]).toMatchObject({ gt: '0', le: '9223372036854775807' });
    expect(validatePayload(withFields({ age: { type: 'int', lt: 10 } }), 't').resource!.fields[0]).toMatchObject({ ge: '-9223372036854775808', lt: '10' });
  });

  it('gives decimal values and bounds as their exact text', () => {
    const field = validatePayload(withFields({ price: { type: 'decimal', ge: '0.00', multiple_of: 0.05, default: 1.5, example: '12.50' } }), 't').resource!.fields[0];
    expect(field).toMatchObject({ ge: '0.00', multipleOf: '0.05', default: '1.5', example: '12.50', required: false });
  });

  it('lets one pagination limit adapt to the other when only one is given', () => {
    expect(validatePayload(withFields({ a: { type: 'bool' } }, { pagination: { max_limit: 10 } }), 't').resource!.pagination).toEqual({ defaultLimit: 10, maxLimit: 10 });
    expect(validatePayload(withFields({ a: { type: 'bool' } }, { pagination: { default_limit: 500 } }), 't').resource!.pagination).toEqual({ defaultLimit: 500, maxLimit: 500 });
    expect(validatePayload(withFields({ a: { type: 'bool' } }, { pagination: {} }), 't').resource!.pagination).toEqual({ defaultLimit: 20, maxLimit: 100 });
  });

  it('computes required: not with a default, not when read_only, else true; a nullable field is required unless said otherwise', () => {
    const fields = validatePayload(
      withFields({
        a: { type: 'bool' },
        b: { type: 'bool', default: true },
        c: { type: 'bool', read_only: true, nullable: true },
        d: { type: 'bool', nullable: true },
        e: { type: 'bool', nullable: true, default: null },
      }),
      't',
    ).resource!.fields;
    expect(fields.map((field) => [field.name, field.required, field.hasDefault, field.default])).toEqual([
      ['a', true, false, undefined],
      ['b', false, true, true],
      ['c', false, false, undefined],
      ['d', true, false, undefined],
      ['e', false, true, null],
    ]);
  });

  it('keeps the fields in payload order', () => {
    const names = ['zeta', 'alpha', 'mid', 'b2', 'a1'];
    const resource = validatePayload(withFields(Object.fromEntries(names.map((name) => [name, { type: 'bool' }]))), 't').resource!;
    expect(resource.fields.map((field) => field.name)).toEqual(names);
  });

  it('pluralises the table per the design and names the classes from the PascalCase', () => {
    const tableOf = (name: string) => validatePayload(payload({ name, fields: { a: { type: 'bool' } } }), 't').resource!.names.table;
    expect(['box', 'category', 'day', 'bus', 'match_batch', 'wish', 'quiz', 'pet_photo'].map(tableOf)).toEqual(['boxes', 'categories', 'days', 'buses', 'match_batches', 'wishes', 'quizes', 'pet_photos']);
    expect(validatePayload(payload({ name: 'vet_visit2', fields: { a: { type: 'bool' } } }), 't').resource!.names.classes.page).toBe('VetVisit2Page');
  });

  it('leaves a payload without resource exactly as before: no resource key on the feature', () => {
    const feature = validatePayload({ feature: 'smoke_test', description: 'Ensure builder functional', requirements: 'none' }, 'test');
    expect(Object.keys(feature)).toEqual(['payload', 'names', 'description', 'requirements']);
    expect(Object.keys(feature.payload)).toEqual(['feature', 'description', 'requirements']);
  });
});

describe('the resource block: its keys', () => {
  it.each([
    [5, ['resource: must be a JSON object with "name" and "fields"']],
    [null, ['resource: must be a JSON object with "name" and "fields"']],
    [{}, ['resource.name: is required; must be a string: a snake_case singular noun such as "pet"', 'resource.fields: is required; must be a JSON object of 1 to 50 fields by name']],
    [{ name: 'pet', fields: {}, nme: 1 }, ['resource.fields: must have 1 to 50 fields', 'resource.nme: unknown key; did you mean "name"?']],
    [{ name: 'pet', fields: { a: { type: 'bool' } }, colour: 1 }, ['resource.colour: unknown key; allowed keys are name, plural, operations, id, fields, pagination']],
  ])('%j', (resource, expected) => {
    expect(problems(payload(resource))).toEqual(expected);
  });

  it.each([
    ['Pet', 'resource.name: must be snake_case: lowercase ASCII letters and digits in words joined by single underscores, starting with a letter (e.g. "pet")'],
    ['a'.repeat(25), 'resource.name: must be at most 24 characters'],
    ['class', 'resource.name: "class" is a Python keyword; choose another name'],
    ['list', 'resource.name: "list" is a Python builtin; choose another name'],
    ['base', 'resource.name: "base" would name the class Base, which the generated modules import; choose another name'],
    ['session_dep', 'resource.name: "session_dep" would name the class SessionDep, which the generated modules import; choose another name'],
    ['pet\u0000', 'resource.name: contains a NUL character; remove it'],
  ])('refuses the resource name %j', (name, expected) => {
    expect(problems(payload({ name, fields: { a: { type: 'bool' } } }))).toContain(expected);
  });

  it('takes a plural for a noun the rule gets wrong: it names the table and its constraints', () => {
    const resource = validatePayload(payload({ name: 'person', plural: 'people', fields: { email: { type: 'str', max_length: 80, unique: true, filterable: true } } }), 't').resource!;
    expect(resource.names.table).toBe('people');
    expect(resource.names.primaryKey).toBe('pk_people');
    expect(resource.fields[0]).toMatchObject({ uniqueName: 'uq_people_email', indexName: 'ix_people_email' });
    expect(resource.names.classes.model).toBe('Person');
  });

  it.each([
    ['pet', 'resource.plural: is the same as name; the generated code needs one name for an item and another for the list'],
    ['People', 'resource.plural: must be snake_case: lowercase ASCII letters and digits in words joined by single underscores, starting with a letter (e.g. "people")'],
    ['a'.repeat(27), 'resource.plural: must be at most 26 characters'],
    ['class', 'resource.plural: "class" is a Python keyword; choose another name'],
    ['list', 'resource.plural: "list" is a Python builtin; choose another name'],
    [5, 'resource.plural: must be a string: the snake_case plural of name, such as "species"'],
  ])('refuses the plural %j', (plural, expected) => {
    expect(problems(payload({ name: 'pet', plural, fields: { a: { type: 'bool' } } }))).toContain(expected);
  });

  it('checks the names PostgreSQL keeps whole with the plural given', () => {
    const long = 'a'.repeat(26);
    expect(problems(payload({ name: 'pet', plural: long, fields: { ['b'.repeat(40)]: { type: 'bool', filterable: true } } }))).toEqual([
      `resource.fields.${'b'.repeat(40)}.filterable: would name the index ix_${long}_${'b'.repeat(40)}, 70 bytes; PostgreSQL allows 63: shorten the field or resource name`,
    ]);
  });

  it('takes a name of 24 characters', () => {
    expect(problems(payload({ name: 'a'.repeat(24), fields: { a: { type: 'bool' } } }))).toEqual([]);
  });

  it.each([
    [['lst'], ['resource.operations[0]: unknown operation; did you mean "list"?']],
    [[5], ['resource.operations[0]: must be one of create, list, get, update and delete']],
    [[], ['resource.operations: must list at least one operation; leave it out for all five']],
    ['all', ['resource.operations: must be a list of operations: create, list, get, update and delete']],
    [['get', 'list', 'get'], ['resource.operations[2]: "get" is also operations[0]; list each operation once']],
    [['zap', 'get', 'get'], ['resource.operations[0]: unknown operation; allowed operations are create, list, get, update, delete', 'resource.operations[2]: "get" is also operations[1]; list each operation once']],
  ])('operations %j', (operations, expected) => {
    expect(problems(withFields({ a: { type: 'bool' } }, { operations }))).toEqual(expected);
  });

  it.each([
    ['big', 'resource.id: must be "int" (an autoincrement integer) or "uuid" (uuid4, generated by the app)'],
    [1, 'resource.id: must be "int" (an autoincrement integer) or "uuid" (uuid4, generated by the app)'],
  ])('id %j', (id, expected) => {
    expect(problems(withFields({ a: { type: 'bool' } }, { id }))).toEqual([expected]);
  });

  it('takes a uuid id', () => {
    expect(validatePayload(withFields({ a: { type: 'bool' } }, { id: 'uuid' }), 't').resource!.id).toBe('uuid');
  });

  it.each([
    [{ default_limit: 0 }, ['resource.pagination.default_limit: must be a whole number from 1 to 1000']],
    [{ max_limit: 1001 }, ['resource.pagination.max_limit: must be a whole number from 1 to 1000']],
    [{ max_limit: 2.5 }, ['resource.pagination.max_limit: must be a whole number from 1 to 1000']],
    [{ default_limit: 50, max_limit: 10 }, ['resource.pagination.default_limit: must be <= max_limit (10)']],
    [{ default: 5 }, ['resource.pagination.default: unknown key; allowed keys are default_limit, max_limit']],
    [{ max_limt: 5 }, ['resource.pagination.max_limt: unknown key; did you mean "max_limit"?']],
    ['20', ['resource.pagination: must be a JSON object with default_limit and max_limit']],
  ])('pagination %j', (pagination, expected) => {
    expect(problems(withFields({ a: { type: 'bool' } }, { pagination }))).toEqual(expected);
  });

  it('takes pagination at its bounds', () => {
    expect(problems(withFields({ a: { type: 'bool' } }, { pagination: { default_limit: 1, max_limit: 1000 } }))).toEqual([]);
    expect(problems(withFields({ a: { type: 'bool' } }, { pagination: { default_limit: 1000, max_limit: 1000 } }))).toEqual([]);
  });

  it('takes 50 fields and refuses 51', () => {
    const fields = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`f${i}`, { type: 'bool' }]));
    expect(problems(withFields(fields(50)))).toEqual([]);
    expect(problems(withFields(fields(51)))).toEqual(['resource.fields: must have 1 to 50 fields']);
  });

  it('says fields must be an object of fields', () => {
    expect(problems(withFields([] as unknown as Record<string, unknown>))).toEqual(['resource.fields: must be a JSON object of 1 to 50 fields by name']);
  });
});

describe('the resource block: field names', () => {
  it.each([
    ['Name', 'must be snake_case: lowercase ASCII letters and digits in words joined by single underscores, starting with a letter (e.g. "birth_date")'],
    ['_private', 'must be snake_case: lowercase ASCII letters and digits in words joined by single underscores, starting with a letter (e.g. "birth_date")'],
    ['pet-name', 'must be snake_case: lowercase ASCII letters and digits in words joined by single underscores, starting with a letter (e.g. "birth_date")'],
    ['a'.repeat(41), 'must be at most 40 characters'],
    ['id', '"id" is a column every resource has already; choose another name'],
    ['created_at', '"created_at" is a column every resource has already; choose another name'],
    ['updated_at', '"updated_at" is a column every resource has already; choose another name'],
    ['from', '"from" is a Python keyword; choose another name'],
    ['type', '"type" is a Python keyword; choose another name'],
    ['hash', '"hash" is a Python builtin; choose another name'],
    ['model_config', '"model_config" is in Pydantic\'s model_ namespace; choose another name'],
    ['model_name', '"model_name" is in Pydantic\'s model_ namespace; choose another name'],
    ['metadata', '"metadata" is an attribute of Pydantic models or SQLAlchemy tables; choose another name'],
    ['registry', '"registry" is an attribute of Pydantic models or SQLAlchemy tables; choose another name'],
    ['query', '"query" is an attribute of Pydantic models or SQLAlchemy tables; choose another name'],
    ['schema', '"schema" is an attribute of Pydantic models or SQLAlchemy tables; choose another name'],
    ['fields', '"fields" is an attribute of Pydantic models or SQLAlchemy tables; choose another name'],
    ['validate', '"validate" is an attribute of Pydantic models or SQLAlchemy tables; choose another name'],
    ['self', '"self" is an attribute of Pydantic models or SQLAlchemy tables; choose another name'],
    ['limit', '"limit" is a parameter of the generated list endpoint; choose another name'],
    ['offset', '"offset" is a parameter of the generated list endpoint; choose another name'],
    ['service', '"service" is a parameter of the generated list endpoint; choose another name'],
    ['date', '"date" is a name the generated model and schemas import, which a field of that name would hide; choose another name'],
    ['datetime', '"datetime" is a name the generated model and schemas import, which a field of that name would hide; choose another name'],
    ['field_validator', '"field_validator" is a name the generated model and schemas import, which a field of that name would hide; choose another name'],
    ['mapped_column', '"mapped_column" is a name the generated model and schemas import, which a field of that name would hide; choose another name'],
    ['get_args', '"get_args" is a name the generated model and schemas import, which a field of that name would hide; choose another name'],
    ['uuid4', '"uuid4" is a name the generated model and schemas import, which a field of that name would hide; choose another name'],
  ])('refuses the field name %j', (name, message) => {
    expect(fieldProblems({ type: 'bool' }, name)).toEqual([`resource.fields.${name}: ${message}`]);
  });

  // (`constructor`, `prototype` and `__proto__` never get here: the JSON decoder refuses them as keys.)
  // session, request and response: no generated endpoint takes a parameter of that name (test/e2e/resources.test.ts runs them).
  it.each(['a'.repeat(40), 'to_string', 'pet_id', 'models', 'value_of', 'session', 'request', 'response'])('takes the field name %j', (name) => {
    expect(fieldProblems({ type: 'bool' }, name)).toEqual([]);
  });

  it('refuses a unique constraint or index name PostgreSQL would truncate, naming the field', () => {
    const column = 'a'.repeat(40);
    const name = 'b'.repeat(24);
    expect(problems(payload({ name, fields: { [column]: { type: 'str', max_length: 5, unique: true, filterable: true } } }))).toEqual([
      `resource.fields.${column}.unique: would name the unique constraint uq_${name}s_${column}, 69 bytes; PostgreSQL allows 63: shorten the field or resource name`,
      `resource.fields.${column}.filterable: would name the index ix_${name}s_${column}, 69 bytes; PostgreSQL allows 63: shorten the field or resource name`,
    ]);
    // 63 bytes exactly: uq_ + 19 + s_ + 39.
    expect(problems(payload({ name: 'b'.repeat(19), fields: { [column.slice(1)]: { type: 'str', max_length: 5, unique: true } } }))).toEqual([]);
  });
});

describe('the resource block: field types and keys', () => {
  it.each([
    [{}, 'resource.fields.f.type: is required; must be one of str, text, int, float, decimal, bool, date, datetime, uuid, enum and ref'],
    [{ type: 'txt' }, 'resource.fields.f.type: unknown type; did you mean "text"?'],
    [{ type: 'geometry' }, 'resource.fields.f.type: unknown type; allowed types are str, text, int, float, decimal, bool, date, datetime, uuid, enum, ref'],
    [{ type: 3 }, 'resource.fields.f.type: must be one of str, text, int, float, decimal, bool, date, datetime, uuid, enum and ref'],
    ['str', 'resource.fields.f: must be a JSON object with a "type"'],
  ])('type of %j', (field, expected) => {
    expect(fieldProblems(field)).toEqual([expected]);
  });

  it.each([
    [{ type: 'int', max_length: 3 }, 'max_length: does not apply to int fields; it applies to str and text'],
    [{ type: 'str', max_length: 3, gt: 0 }, 'gt: does not apply to str fields; it applies to int, float and decimal'],
    [{ type: 'float', max_digits: 5 }, 'max_digits: does not apply to float fields; it applies to decimal'],
    [{ type: 'str', max_length: 3, values: ['a'] }, 'values: does not apply to str fields; it applies to enum'],
    [{ type: 'int', feature: 'x' }, 'feature: does not apply to int fields; it applies to ref'],
    [{ type: 'text', unique: true }, 'unique: does not apply to text fields; it applies to str, int, decimal, date, datetime, uuid, enum and ref'],
    [{ type: 'float', unique: false }, 'unique: does not apply to float fields; it applies to str, int, decimal, date, datetime, uuid, enum and ref'],
    [{ type: 'bool', unique: true }, 'unique: does not apply to bool fields; it applies to str, int, decimal, date, datetime, uuid, enum and ref'],
    [{ type: 'decimal', filterable: true }, 'filterable: does not apply to decimal fields; it applies to str, int, bool, date, datetime, uuid, enum and ref'],
    [{ type: 'text', filterable: true }, 'filterable: does not apply to text fields; it applies to str, int, bool, date, datetime, uuid, enum and ref'],
    [{ type: 'ref', feature: 'x', default: 1 }, 'default: does not apply to ref fields; it applies to str, text, int, float, decimal, bool, date, datetime, uuid and enum'],
    [{ type: 'ref', feature: 'x', example: 1 }, 'example: does not apply to ref fields; it applies to str, text, int, float, decimal, bool, date, datetime, uuid and enum'],
    [{ type: 'int', max_lenght: 3 }, 'max_lenght: unknown key; did you mean "max_length"?'],
    [{ type: 'int', nulable: true }, 'nulable: unknown key; did you mean "nullable"?'],
  ])('%j', (field, expected) => {
    expect(fieldProblems(field)).toEqual([`resource.fields.f.${expected}`]);
  });

  it('points a ref that names its target under another key (resource, table, ...) to "feature", whose spelling is not near them', () => {
    for (const key of ['resource', 'table', 'target']) {
      expect(fieldProblems({ type: 'ref', [key]: 'households' })).toEqual([
        'resource.fields.f.feature: is required; must be the snake_case name of a resource feature',
        `resource.fields.f.${key}: unknown key; a ref names the resource feature it refers to under "feature", e.g. {"type": "ref", "feature": "households"}`,
      ]);
    }
    // With "feature" given, such a key is only unknown.
    expect(fieldProblems({ type: 'ref', feature: 'households', table: 'x' })).toEqual([expect.stringMatching(/^resource\.fields\.f\.table: unknown key; allowed keys are type, /)]);
  });

  it.each([
    [{ type: 'str' }, 'max_length: is required; must be a whole number from 1 to 10000; use a text field for longer text'],
    [{ type: 'str', max_length: 10001 }, 'max_length: must be a whole number from 1 to 10000; use a text field for longer text'],
    [{ type: 'str', max_length: 0 }, 'max_length: must be a whole number from 1 to 10000; use a text field for longer text'],
    [{ type: 'text', max_length: 0 }, 'max_length: must be a whole number, 1 or more'],
    [{ type: 'text', min_length: -1 }, 'min_length: must be a whole number, 0 or more'],
    [{ type: 'text', min_length: 1.5 }, 'min_length: must be a whole number, 0 or more'],
    [{ type: 'str', max_length: 5, min_length: 6 }, 'max_length: must be >= min_length (6)'],
    [{ type: 'enum' }, 'values: is required; must be a list of 100 strings at most'],
    [{ type: 'enum', values: [] }, 'values: must list 1 to 100 values'],
    [{ type: 'enum', values: Array.from({ length: 101 }, (_, i) => `v${i}`) }, 'values: must list 1 to 100 values'],
    [{ type: 'enum', values: ['a', ''] }, 'values[1]: must not be empty'],
    [{ type: 'enum', values: ['a', 'x'.repeat(101)] }, 'values[1]: must be at most 100 characters'],
    [{ type: 'enum', values: ['a', 5] }, 'values[1]: must be a string'],
    [{ type: 'enum', values: ['dog', 'cat', 'dog'] }, 'values[2]: is also values[0]; each value once'],
    [{ type: 'enum', values: ['a\u0000'] }, 'values[0]: contains a NUL character; remove it'],
    [{ type: 'enum', values: ['\ud800'] }, 'values[0]: contains a lone UTF-16 surrogate; use valid Unicode text'],
    [{ type: 'ref' }, 'feature: is required; must be the snake_case name of a resource feature'],
    [{ type: 'ref', feature: 'Households' }, 'feature: must be the snake_case name of a feature, such as "households"'],
    [{ type: 'ref', feature: 'a'.repeat(33) }, 'feature: must be at most 32 characters'],
    [{ type: 'decimal', max_digits: 0 }, 'max_digits: must be a whole number from 1 to 38'],
    [{ type: 'decimal', max_digits: 39 }, 'max_digits: must be a whole number from 1 to 38'],
    [{ type: 'decimal', decimal_places: -1 }, 'decimal_places: must be a whole number from 0 to 38'],
    [{ type: 'decimal', max_digits: 4, decimal_places: 5 }, 'decimal_places: must be <= max_digits (4)'],
    [{ type: 'decimal', decimal_places: 20 }, 'decimal_places: must be <= max_digits (18)'],
    [{ type: 'bool', description: '' }, 'description: must not be empty; leave it out or say what the field holds'],
    [{ type: 'bool', description: 'x'.repeat(2001) }, 'description: must be at most 2000 characters'],
    [{ type: 'bool', description: 'a\u0000b' }, 'description: contains a NUL character; remove it'],
    [{ type: 'bool', description: 'a\udfffb' }, 'description: contains a lone UTF-16 surrogate; use valid Unicode text'],
    [{ type: 'bool', required: 'yes' }, 'required: must be true or false'],
    [{ type: 'bool', nullable: 1 }, 'nullable: must be true or false'],
  ])('%j', (field, expected) => {
    expect(fieldProblems(field)).toEqual([`resource.fields.f.${expected}`]);
  });
});

describe('the resource block: required, default, nullable, read_only, write_only', () => {
  it.each([
    [{ type: 'bool', required: true, default: true }, ['required: cannot be true with a default: create may leave out a field that has one']],
    [{ type: 'bool', required: false }, ['required: a field that is not required needs a default or nullable: true']],
    [{ type: 'bool', read_only: true }, ['read_only: needs a default or nullable: true: the field is never sent, so it must have a value without one']],
    [{ type: 'bool', read_only: true, required: true, nullable: true }, ['required: cannot be true for a read_only field, which clients never send']],
    [{ type: 'bool', read_only: true, write_only: true, default: false }, ['write_only: cannot be true with read_only: a field is either never accepted (read_only) or never returned (write_only)']],
    [{ type: 'bool', default: null }, ['default: can be null only for a nullable field (nullable: true)']],
    [{ type: 'bool', example: null }, ['example: can be null only for a nullable field (nullable: true)']],
  ])('%j', (field, expected) => {
    expect(fieldProblems(field)).toEqual(expected.map((line) => `resource.fields.f.${line}`));
  });

  it.each([
    { type: 'bool', required: false, nullable: true },
    { type: 'bool', required: false, default: true },
    { type: 'bool', read_only: true, nullable: true },
    { type: 'bool', read_only: true, default: false },
    { type: 'bool', read_only: true, required: false, default: false },
    { type: 'bool', write_only: true },
    { type: 'bool', nullable: true, default: null, example: null },
    { type: 'ref', feature: 'owners', required: false, nullable: true, unique: true },
    { type: 'str', max_length: 5, nullable: true, unique: true },
  ])('takes %j', (field) => {
    expect(fieldProblems(field)).toEqual([]);
  });
});

describe('the resource block: numeric constraints', () => {
  it.each([
    [{ type: 'int', gt: 0, ge: 1 }, 'ge: cannot be given with gt; keep one lower bound'],
    [{ type: 'float', lt: 1, le: 2 }, 'le: cannot be given with lt; keep one upper bound'],
    [{ type: 'int', ge: 5, le: 5 }, 'le: must be > ge (5)'],
    [{ type: 'int', gt: 5, lt: 1 }, 'lt: must be > gt (5)'],
    [{ type: 'float', gt: 0.5, le: 0.25 }, 'le: must be > gt (0.5)'],
    [{ type: 'decimal', ge: '10.5', lt: '10.50' }, 'lt: must be > ge (10.5)'],
    [{ type: 'decimal', ge: 1, le: '0.99999999999999999999999' }, 'le: must be > ge (1)'],
    [{ type: 'int', multiple_of: 0 }, 'multiple_of: must be > 0'],
    [{ type: 'float', multiple_of: -0.5 }, 'multiple_of: must be > 0'],
    [{ type: 'decimal', multiple_of: '0.00' }, 'multiple_of: must be > 0'],
    [{ type: 'int', gt: 1.5 }, 'gt: must be a whole number'],
    [{ type: 'int', le: 2 ** 53 }, 'le: must be between -9007199254740991 and 9007199254740991: larger JSON numbers cannot be read exactly'],
    [{ type: 'int', default: '5' }, 'default: must be a whole number'],
    [{ type: 'float', lt: '5' }, 'lt: must be a number'],
    [{ type: 'decimal', lt: '1e5' }, 'lt: must be a number or a decimal string such as "12.50" (digits, at most one point, no exponent)'],
    [{ type: 'decimal', lt: '01.5' }, 'lt: must be a number or a decimal string such as "12.50" (digits, at most one point, no exponent)'],
    [{ type: 'decimal', lt: '1.' }, 'lt: must be a number or a decimal string such as "12.50" (digits, at most one point, no exponent)'],
    [{ type: 'decimal', lt: true }, 'lt: must be a number or a decimal string such as "12.50" (digits, at most one point, no exponent)'],
    [{ type: 'decimal', lt: `1${'0'.repeat(100)}` }, 'lt: must be at most 100 characters'],
  ])('%j', (field, expected) => {
    expect(fieldProblems(field)).toEqual([`resource.fields.f.${expected}`]);
  });

  it.each([
    [{ type: 'int', gt: 0, default: 0 }, 'default: must be > 0 (gt)'],
    [{ type: 'int', ge: 1, default: 0 }, 'default: must be >= 1 (ge)'],
    [{ type: 'int', lt: 10, example: 10 }, 'example: must be < 10 (lt)'],
    [{ type: 'int', le: 10, example: 11 }, 'example: must be <= 10 (le)'],
    [{ type: 'int', multiple_of: 5, default: 12 }, 'default: must be a multiple of 5 (multiple_of)'],
    [{ type: 'float', gt: 0, le: 200, example: 200.5 }, 'example: must be <= 200 (le)'],
    [{ type: 'float', multiple_of: 0.5, default: 0.75 }, 'default: must be a multiple of 0.5 (multiple_of)'],
    [{ type: 'decimal', multiple_of: '0.05', default: '0.12' }, 'default: must be a multiple of 0.05 (multiple_of)'],
    [{ type: 'decimal', default: '1.234' }, 'default: must have at most 2 decimal places (decimal_places)'],
    [{ type: 'decimal', max_digits: 5, decimal_places: 2, example: '1234.5' }, 'example: must have at most 3 digits before the decimal point (max_digits - decimal_places)'],
    [{ type: 'decimal', max_digits: 5, decimal_places: 2, example: 1e21 }, 'example: must have at most 3 digits before the decimal point (max_digits - decimal_places)'],
    [{ type: 'decimal', decimal_places: 0, default: 1e-7 }, 'default: must have at most 0 decimal places (decimal_places)'],
  ])('%j', (field, expected) => {
    expect(fieldProblems(field)).toEqual([`resource.fields.f.${expected}`]);
  });

  it.each([
    { type: 'int', gt: 0, default: 1, example: 9007199254740991 },
    { type: 'int', ge: -9007199254740991, le: 9007199254740991 },
    { type: 'float', multiple_of: 0.1, default: 0.3 },
    { type: 'float', gt: 0, le: 200, example: 1e-300 },
    { type: 'decimal', multiple_of: '0.1', default: '0.3', example: 0.3 },
    { type: 'decimal', default: '1.50', example: '-0.01' },
    { type: 'decimal', max_digits: 38, decimal_places: 0, default: '12345678901234567890123456789012345678' },
    { type: 'decimal', max_digits: 5, decimal_places: 2, default: '100.00' },
    { type: 'decimal', gt: 0.1, default: '0.11' },
  ])('takes %j', (field) => {
    expect(fieldProblems(field)).toEqual([]);
  });

  it('checks values only against sound constraints: one mistake, one problem', () => {
    expect(fieldProblems({ type: 'int', ge: 5, le: 1, default: 3 })).toEqual(['resource.fields.f.le: must be > ge (5)']);
    expect(fieldProblems({ type: 'decimal', multiple_of: 0, default: '5' })).toEqual(['resource.fields.f.multiple_of: must be > 0']);
    expect(fieldProblems({ type: 'str', max_length: 5, pattern: '(', example: 'a' })).toEqual(['resource.fields.f.pattern: is not a valid regular expression: /(/u: Unterminated group']);
  });

  it('still checks the flags of a field whose other keys have problems', () => {
    expect(fieldProblems({ type: 'bool', description: '', required: false })).toEqual([
      'resource.fields.f.description: must not be empty; leave it out or say what the field holds',
      'resource.fields.f.required: a field that is not required needs a default or nullable: true',
    ]);
  });
});

describe('the resource block: text constraints, patterns and value formats', () => {
  it.each([
    [{ type: 'str', max_length: 3, default: 'abcd' }, 'default: must be at most 3 characters (max_length)'],
    [{ type: 'str', max_length: 3, min_length: 2, example: 'a' }, 'example: must be at least 2 characters (min_length)'],
    [{ type: 'text', pattern: '^[a-z]+$', default: 'ABC' }, 'default: does not match pattern'],
    [{ type: 'str', max_length: 9, pattern: '(?=a)' }, 'pattern: uses look-around "(?=", which Pydantic\'s regex engine (Rust) refuses'],
    [{ type: 'str', max_length: 9, pattern: 'a(?!b)' }, 'pattern: uses look-around "(?!", which Pydantic\'s regex engine (Rust) refuses'],
    [{ type: 'str', max_length: 9, pattern: '(?<=a)b' }, 'pattern: uses look-around "(?<=", which Pydantic\'s regex engine (Rust) refuses'],
    [{ type: 'str', max_length: 9, pattern: '(?<!a)b' }, 'pattern: uses look-around "(?<!", which Pydantic\'s regex engine (Rust) refuses'],
    [{ type: 'str', max_length: 9, pattern: '(a)\\1' }, 'pattern: uses a back-reference "\\1", which Pydantic\'s regex engine (Rust) refuses'],
    [{ type: 'str', max_length: 9, pattern: '(?<x>a)\\k<x>' }, 'pattern: uses a back-reference "\\k<x>", which Pydantic\'s regex engine (Rust) refuses'],
    [{ type: 'str', max_length: 9, pattern: 'a[]' }, 'pattern: has an empty character class "[]", which Pydantic\'s regex engine (Rust) reads differently; write it out'],
    [{ type: 'str', max_length: 9, pattern: '[^]' }, 'pattern: has an empty character class "[^]", which Pydantic\'s regex engine (Rust) reads differently; write it out'],
    [{ type: 'str', max_length: 9, pattern: '(' }, 'pattern: is not a valid regular expression: /(/u: Unterminated group'],
    [{ type: 'str', max_length: 9, pattern: '(?P<x>a)' }, 'pattern: is not a valid regular expression: /(?P<x>a)/u: Invalid group'],
    [{ type: 'str', max_length: 9, pattern: 'x'.repeat(1001) }, 'pattern: must be at most 1000 characters'],
    [{ type: 'str', max_length: 99, pattern: '^(a+)+$', default: `${'a'.repeat(40)}b` }, 'default: takes too long to match against pattern (catastrophic backtracking); simplify the pattern'],
    [{ type: 'enum', values: ['a', 'b'], default: 'c' }, 'default: must be one of values'],
    [{ type: 'enum', values: ['a', 'b'], example: 'A' }, 'example: must be one of values'],
    [{ type: 'date', default: '2026-2-1' }, 'default: must be a date as "YYYY-MM-DD"'],
    [{ type: 'date', default: '2023-02-29' }, 'default: is not a day of the calendar (years 1 to 9999)'],
    [{ type: 'date', default: '0000-01-01' }, 'default: is not a day of the calendar (years 1 to 9999)'],
    [{ type: 'date', example: 20260101 }, 'example: must be a date as "YYYY-MM-DD"'],
    [{ type: 'datetime', default: '2026-01-01T00:00:00' }, 'default: must be a date and time in ISO 8601 with seconds and an offset, such as "2026-01-31T09:30:00Z" or "2026-01-31T09:30:00.5+01:00"'],
    [{ type: 'datetime', default: '2026-01-01 00:00:00Z' }, 'default: must be a date and time in ISO 8601 with seconds and an offset, such as "2026-01-31T09:30:00Z" or "2026-01-31T09:30:00.5+01:00"'],
    [{ type: 'datetime', default: '2026-01-01T24:00:00Z' }, 'default: must be a date and time in ISO 8601 with seconds and an offset, such as "2026-01-31T09:30:00Z" or "2026-01-31T09:30:00.5+01:00"'],
    [{ type: 'datetime', default: '2026-01-01T00:00:00.1234567Z' }, 'default: must be a date and time in ISO 8601 with seconds and an offset, such as "2026-01-31T09:30:00Z" or "2026-01-31T09:30:00.5+01:00"'],
    [{ type: 'datetime', default: '2026-04-31T00:00:00Z' }, 'default: is not a real date and time within years 1 to 9999 (in UTC too)'],
    [{ type: 'datetime', default: '0001-01-01T00:30:00+01:00' }, 'default: is not a real date and time within years 1 to 9999 (in UTC too)'],
    [{ type: 'datetime', default: '9999-12-31T23:30:00-01:00' }, 'default: is not a real date and time within years 1 to 9999 (in UTC too)'],
    [{ type: 'uuid', default: '0B7E2C4A-1D2E-4F6A-8B9C-0D1E2F3A4B5C' }, 'default: must be a UUID in canonical form: lowercase, 8-4-4-4-12 hex digits'],
    [{ type: 'uuid', default: '0b7e2c4a1d2e4f6a8b9c0d1e2f3a4b5c' }, 'default: must be a UUID in canonical form: lowercase, 8-4-4-4-12 hex digits'],
    [{ type: 'bool', default: 'true' }, 'default: must be true or false'],
    [{ type: 'str', max_length: 5, default: 'a\u0000' }, 'default: contains a NUL character; remove it'],
    [{ type: 'text', example: '\udc00' }, 'example: contains a lone UTF-16 surrogate; use valid Unicode text'],
    [{ type: 'str', max_length: 5, default: 5 }, 'default: must be a string'],
  ])('%j', (field, expected) => {
    expect(fieldProblems(field)).toEqual([`resource.fields.f.${expected}`]);
  });

  it.each([
    { type: 'str', max_length: 1, default: '\u{1F600}' },
    { type: 'str', max_length: 3, min_length: 3, example: 'e\u0301e' },
    { type: 'str', max_length: 20, pattern: '^\\p{Lu}[a-z]+$', default: '\u00c9mile' },
    { type: 'str', max_length: 20, pattern: '^(?<word>[a-z]+)-[a-z]+$', example: 'abc-def' },
    { type: 'str', max_length: 20, pattern: '^[\\[\\]a-z]+$', example: 'a[b]' },
    { type: 'str', max_length: 20, pattern: '[(?=x)]', example: '=' },
    { type: 'str', max_length: 20, pattern: '^([a-z]+-)*[a-z]+$', default: 'a-b-c' },
    { type: 'text', pattern: 'rex', default: 'T-rex!' },
    { type: 'enum', values: ['Hund', 'hund', ' ', '\u{1F415}', '"quoted"', "'; DROP TABLE pets; --", 'x'.repeat(100)], default: 'hund', example: "'; DROP TABLE pets; --" },
    { type: 'date', default: '2024-02-29', example: '0001-01-01' },
    { type: 'datetime', default: '2026-01-31T09:30:00Z', example: '2026-01-31T09:30:00.123456-05:30' },
    { type: 'datetime', default: '0001-01-01T00:00:00-01:00', example: '9999-12-31T23:59:59Z' },
    { type: 'uuid', default: '0b7e2c4a-1d2e-4f6a-8b9c-0d1e2f3a4b5c' },
  ])('takes %j', (field) => {
    expect(fieldProblems(field)).toEqual([]);
  });
});

describe('the resource block: every problem at once', () => {
  it('reports the problems of every key and field together, each with its full path', () => {
    const data = {
      feature: 'Bad',
      description: 'd',
      resource: {
        name: 'pet',
        operations: ['get', 'get'],
        fields: {
          name: { type: 'str', min_length: 1, max_length: 0 },
          age: { type: 'int', max_length: 3 },
          id: { type: 'bool' },
          kind: { type: 'enum', values: ['a', 'a'], default: 'a' },
        },
        pagination: { default_limit: 200, max_limit: 100 },
      },
    };
    expect(problems(data)).toEqual([
      expect.stringMatching(/^feature: must be snake_case/),
      'resource.operations[1]: "get" is also operations[0]; list each operation once',
      'resource.fields.name.max_length: must be a whole number from 1 to 10000; use a text field for longer text',
      'resource.fields.age.max_length: does not apply to int fields; it applies to str and text',
      // The fields' problems in the payload's order of fields, a name's with its field's.
      'resource.fields.id: "id" is a column every resource has already; choose another name',
      'resource.fields.kind.values[1]: is also values[0]; each value once',
      'resource.pagination.default_limit: must be <= max_limit (100)',
    ]);
  });

  it.each([
    ['string', 'str'],
    ['Integer', 'int'],
    ['boolean', 'bool'],
    ['timestamp', 'datetime'],
    ['UUID', 'uuid'],
    ['foreign_key', 'ref'],
    ['flaot', 'float'],
    ['money', 'decimal'],
    // A typo of another tool's name: one edit from `integer`, three from `int`.
    ['integr', 'int'],
    ['boolen', 'bool'],
  ])('suggests, for the type %j, the type %j', (type, meant) => {
    expect(problems(withFields({ x: { type } }))).toContain(`resource.fields.x.type: unknown type; did you mean "${meant}"?`);
  });

  it('suggests no type for one too far from every name, however short the names are', () => {
    // Two edits from `fk`: too far for a name of another tool's.
    expect(problems(withFields({ x: { type: 'x' } }))).toContain(
      'resource.fields.x.type: unknown type; allowed types are str, text, int, float, decimal, bool, date, datetime, uuid, enum, ref',
    );
  });

  it('reports, with an unknown type, the keys no type takes and the values of those every type takes', () => {
    expect(
      problems(
        withFields({
          colour: { type: 'strng', max_length: 'x', shade: 1, required: 'yes', description: '' },
          size: { type: 'int', gt: 'no' },
        }),
      ),
    ).toEqual([
      'resource.fields.colour.type: unknown type; did you mean "str"?',
      // max_length is judged once the type is known: only some types take it.
      expect.stringMatching(/^resource\.fields\.colour\.shade: unknown key; allowed keys are type, required, /),
      'resource.fields.colour.required: must be true or false',
      "resource.fields.colour.description: must not be empty; leave it out or say what the field holds",
      'resource.fields.size.gt: must be a whole number',
    ]);
  });

  it("checks a misnamed field's options too", () => {
    expect(problems(withFields({ Bad: { type: 'int', max_length: 3 } }))).toEqual([
      'resource.fields.Bad.max_length: does not apply to int fields; it applies to str and text',
      'resource.fields.Bad: must be snake_case: lowercase ASCII letters and digits in words joined by single underscores, starting with a letter (e.g. "birth_date")',
    ]);
  });

  it('names the payload index in a batch, through the batch paths', async () => {
    const { validateBatch } = await import('../../src/payload/batch.js');
    const input = { source: 'batch.json', bytes: Buffer.from(JSON.stringify([DOC_EXAMPLE, withFields({ a: { type: 'int', max_length: 3 } })])) };
    expect(failure(() => validateBatch([input])).problems).toEqual([
      { path: 'payloads[1].resource.fields.a.max_length', message: 'does not apply to int fields; it applies to str and text (batch.json[1])' },
    ]);
  });
});

describe('the resource block in the JSON Schema', () => {
  type Node = { description?: string; properties?: Record<string, Node>; additionalProperties?: { oneOf: Node[] }; required?: string[]; propertyNames?: object };
  const schema = z.toJSONSchema(describedPayloadSchema(), { io: 'input' }) as Node;
  const resource = schema.properties!.resource!;

  it('describes the block and each of its keys', () => {
    expect(resource.description).toMatch(/^A CRUD resource/);
    expect(Object.keys(resource.properties!)).toEqual(['name', 'plural', 'operations', 'id', 'fields', 'pagination']);
    for (const [key, node] of Object.entries(resource.properties!)) expect(node.description, key).toBeTruthy();
    expect(resource.required).toEqual(['name', 'fields']);
  });

  it('has one strict branch per field type, each key described', () => {
    const fields = resource.properties!.fields!;
    expect(fields.propertyNames).toEqual({ type: 'string', pattern: '^[a-z][a-z0-9]*(_[a-z0-9]+)*$', maxLength: 40 });
    const branches = fields.additionalProperties!.oneOf;
    expect(branches.map((branch) => (branch.properties!.type as { const?: string }).const)).toEqual(['str', 'text', 'int', 'float', 'decimal', 'bool', 'date', 'datetime', 'uuid', 'enum', 'ref']);
    for (const branch of branches) {
      expect(branch).toMatchObject({ additionalProperties: false });
      for (const [key, node] of Object.entries(branch.properties!)) expect(node.description, key).toBeTruthy();
    }
    expect(branches[0]!.required).toEqual(['type', 'max_length']);
    expect(branches[9]!.required).toEqual(['type', 'values']);
    expect(branches[10]!.required).toEqual(['type', 'feature']);
  });

  it('keeps the rest of the payload schema as it was', () => {
    expect(schema).toMatchObject({ required: ['feature', 'description'], additionalProperties: false, properties: { feature: { type: 'string', maxLength: 32 } } });
  });
});
