import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { payloadProblems as problems } from '../helpers/payload.js';
import { validatePayload } from '../../src/payload/payload.js';
import { validResource, type Json } from '../helpers/resource-arbitrary.js';

/**
 * Random valid resource blocks (field sets, types, constraints, hostile free text) all validate;
 * one random mutation of each makes it invalid, refused with every problem under `resource`.
 * Few runs by default, to keep the unit layer fast; `RESOURCE_RUNS=10000` for a deep run.
 */

const payloadOf = (resource: unknown) => ({ feature: 'pet_profiles', description: 'Pets.', resource });

/** One change that breaks a valid block, whatever else it holds. */
type Mutation = (resource: Json) => void;
const fieldsOf = (resource: Json) => resource.fields as Record<string, Json>;
const firstField = (resource: Json) => Object.values(fieldsOf(resource))[0]!;
const MUTATIONS: Record<string, Mutation> = {
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
const clean = (resource: Json): Json => JSON.parse(JSON.stringify(resource)) as Json;

describe('random resource blocks', () => {
  it('every valid block validates, its fields in payload order', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(validResource, (resource) => {
        expect(problems(payloadOf(resource))).toEqual([]);
        const feature = validatePayload(payloadOf(resource), 't');
        expect(feature.resource!.fields.map((item) => item.name)).toEqual(Object.keys(resource.fields));
        expect(feature.payload.resource).toEqual(resource);
      }),
      { numRuns: Number(process.env.RESOURCE_RUNS ?? 100) },
    );
  });

  it('one mutation of a valid block is refused, every problem under resource', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(validResource, fc.constantFrom(...Object.keys(MUTATIONS)), (resource, mutation) => {
        const changed = clean(structuredClone(resource) as Json);
        MUTATIONS[mutation]!(changed);
        const lines = problems(payloadOf(clean(changed)));
        expect(lines.length, mutation).toBeGreaterThan(0);
        for (const line of lines) expect(line, mutation).toMatch(/^resource[.:[]/);
      }),
      { numRuns: Number(process.env.RESOURCE_RUNS ?? 150) },
    );
  });
});
