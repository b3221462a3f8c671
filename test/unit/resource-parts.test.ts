import { describe, expect, it } from 'vitest';
import { compare, digitCounts, exact, isMultiple } from '../../src/payload/resource/decimal.js';
import { isCalendarDate, isDateTime } from '../../src/payload/resource/formats.js';
import { matchesPattern, patternProblem } from '../../src/payload/resource/pattern.js';
import { validatePayload, type Feature } from '../../src/payload/payload.js';
import { checkResourceNames, checkResourceRefs, referringResources, foreignKeyName, indexName, pluralize, resourceNames, uniqueName, type RecordedResource } from '../../src/payload/resource.js';

describe('pluralize', () => {
  it.each([
    ['pet', 'pets'],
    ['bus', 'buses'],
    ['glass', 'glasses'],
    ['box', 'boxes'],
    ['quiz', 'quizes'],
    ['match', 'matches'],
    ['wish', 'wishes'],
    ['category', 'categories'],
    ['pet_category', 'pet_categories'],
    ['day', 'days'],
    ['key', 'keys'],
    ['toy', 'toys'],
    ['guy', 'guys'],
    ['berry', 'berries'],
    ['item2', 'item2s'],
    ['v2y', 'v2ys'],
    ['photo', 'photos'],
    ['stomach', 'stomaches'],
  ])('%s -> %s', (singular, plural) => {
    expect(pluralize(singular)).toBe(plural);
  });
});

describe('resource names', () => {
  it('derives the classes, the table and the constraint names', () => {
    expect(resourceNames('vet_visit')).toEqual({
      snake: 'vet_visit',
      pascal: 'VetVisit',
      table: 'vet_visits',
      primaryKey: 'pk_vet_visits',
      classes: {
        model: 'VetVisit',
        create: 'VetVisitCreate',
        update: 'VetVisitUpdate',
        read: 'VetVisitRead',
        page: 'VetVisitPage',
        error: 'VetVisitError',
        notFound: 'VetVisitNotFound',
        conflict: 'VetVisitConflict',
        invalid: 'VetVisitInvalid',
      },
    });
    expect([uniqueName('pets', 'name'), indexName('pets', 'species'), foreignKeyName('pets', 'household_id', 'households')]).toEqual(['uq_pets_name', 'ix_pets_species', 'fk_pets_household_id_households']);
  });
});

describe('exact decimals', () => {
  const order = (a: string, b: string) => compare(exact(a), exact(b));

  it('compares without binary rounding, across notations', () => {
    expect(order('0.1', '0.10')).toBe(0);
    expect(order('1e+21', '1000000000000000000000')).toBe(0);
    expect(order('1e-7', '0.0000001')).toBe(0);
    expect(order('-0.5', '0.25')).toBe(-1);
    expect(order('10.5', '10.49999999999999999999999999')).toBe(1);
    expect(order('-0', '0')).toBe(0);
  });

  it('tells multiples exactly', () => {
    expect(isMultiple(exact('0.3'), exact('0.1'))).toBe(true);
    expect(isMultiple(exact('-1.5'), exact('0.5'))).toBe(true);
    expect(isMultiple(exact('0.12'), exact('0.05'))).toBe(false);
    expect(isMultiple(exact('1e+21'), exact('7'))).toBe(false);
    expect(isMultiple(exact('0'), exact('3'))).toBe(true);
  });

  it("counts digits as Pydantic does after Decimal.normalize()", () => {
    expect(digitCounts(exact('123.4500'))).toEqual({ whole: 3, fraction: 2 });
    expect(digitCounts(exact('0.001'))).toEqual({ whole: 0, fraction: 3 });
    expect(digitCounts(exact('100'))).toEqual({ whole: 3, fraction: 0 });
    expect(digitCounts(exact('-0012.5'))).toEqual({ whole: 2, fraction: 1 });
    expect(digitCounts(exact('1e+21'))).toEqual({ whole: 22, fraction: 0 });
    expect(digitCounts(exact('1.5e-7'))).toEqual({ whole: 0, fraction: 8 });
    expect(digitCounts(exact('0'))).toEqual({ whole: 0, fraction: 0 });
  });
});

describe('dates and times', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2000-02-29', true],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['0000-01-01', false],
    ['9999-12-31', true],
    ['2026-1-01', false],
  ])('date %s: %s', (value, valid) => {
    expect(isCalendarDate(value)).toBe(valid);
  });

  it.each([
    ['2026-01-31T09:30:00Z', true],
    ['2026-01-31T09:30:00.123456+05:30', true],
    ['2026-01-31T09:30:00-23:59', true],
    ['2026-01-31T09:30:00+24:00', false],
    ['2026-01-31T09:30Z', false],
    ['2026-01-31T09:30:60Z', false],
    ['2026-01-31t09:30:00Z', false],
    ['2026-01-31T09:30:00z', false],
    ['0001-01-01T00:59:59+01:00', false],
    ['0001-01-01T01:00:00+01:00', true],
    ['9999-12-31T23:00:00-01:00', false],
    ['9999-12-31T22:59:59-01:00', true],
  ])('datetime %s: %s', (value, valid) => {
    expect(isDateTime(value)).toBe(valid);
  });
});

describe('patterns', () => {
  it.each(['^[a-z]+$', '\\d{3}-\\d{4}', '^(?<area>\\d+)$', '[(?=)]', '\\(\\?=', '^\\p{L}+$', 'a{2,3}?', '[\\]\\[]', '\\\\1'])('takes %j', (pattern) => {
    expect(patternProblem(pattern)).toBeUndefined();
  });

  it.each(['(?=a)', 'a(?!b)', '(?<=a)', '(?<!a)', '(a)\\1', '(a)(b)\\2', '(?<n>a)\\k<n>', '[]', '[^]', 'a[]b', '(', '(?i)a', 'a**', '\\c'])('refuses %j', (pattern) => {
    expect(patternProblem(pattern)).toBeDefined();
  });

  it('matches as Pydantic searches, anywhere unless anchored, with Unicode code points', () => {
    expect(matchesPattern('rex', 'T-rex!')).toBe(true);
    expect(matchesPattern('^rex$', 'T-rex!')).toBe(false);
    expect(matchesPattern('^.$', '\u{1F600}')).toBe(true);
  });
});

/** A resource feature with the given resource name, fields and id type. */
function feature(name: string, resource?: { name: string; id?: string; fields?: Record<string, unknown> }): Feature {
  const payload = { feature: name, description: 'd', ...(resource && { resource: { fields: { label: { type: 'str', max_length: 20 } }, ...resource } }) };
  return validatePayload(payload, 'test');
}
const recorded = (of: Feature): RecordedResource => ({ feature: of.names.snake, resource: of.resource });
const ref = (target: string) => ({ type: 'ref', feature: target });

describe('referringResources', () => {
  it('names each recorded resource whose refs name the feature, with those fields', () => {
    const households = feature('households', { name: 'household' });
    const pets = feature('pet_profiles', { name: 'pet', fields: { household_id: ref('households'), name: { type: 'str', max_length: 5 } } });
    const visits = feature('visits', { name: 'visit', fields: { home_id: ref('households'), away_id: { ...ref('households'), required: false, nullable: true }, pet_id: ref('pet_profiles') } });
    const all = [households, pets, visits, feature('notes')].map(recorded);
    expect(referringResources('households', all)).toEqual([
      { feature: 'pet_profiles', fields: ['household_id'] },
      { feature: 'visits', fields: ['home_id', 'away_id'] },
    ]);
    expect(referringResources('pet_profiles', all)).toEqual([{ feature: 'visits', fields: ['pet_id'] }]);
    expect(referringResources('visits', all)).toEqual([]);
    expect(referringResources('notes', all)).toEqual([]);
  });
});

describe('checkResourceRefs', () => {
  const households = feature('households', { name: 'household', id: 'uuid' });
  const pets = feature('pet_profiles', { name: 'pet', fields: { household_id: ref('households') } });

  it('resolves a ref to a recorded resource: its table, id type and foreign key', () => {
    const { problems, features } = checkResourceRefs([pets], [recorded(households)]);
    expect(problems).toEqual([]);
    expect(features[0]!.resource!.fields[0]).toMatchObject({
      name: 'household_id',
      type: 'ref',
      feature: 'households',
      parent: { feature: 'households', table: 'households', idType: 'uuid', foreignKey: 'fk_pets_household_id_households' },
    });
    // Pure: the features given are left as they were.
    expect(pets.resource!.fields[0]).not.toHaveProperty('parent');
  });

  it('resolves a ref to a resource earlier in the batch, which wins over its own record', () => {
    const intHouseholds = feature('households', { name: 'household' });
    const { problems, features } = checkResourceRefs([intHouseholds, pets], [recorded(households)]);
    expect(problems).toEqual([]);
    expect(features[1]!.resource!.fields[0]).toMatchObject({ parent: { idType: 'int' } });
    expect(features[0]).toBe(intHouseholds);
  });

  it('refuses a ref to a later payload of the batch, to itself, or to a feature without a resource', () => {
    const plain = feature('notes');
    const self = feature('pets', { name: 'pet', fields: { parent_id: ref('pets') } });
    expect(checkResourceRefs([pets, households], []).problems).toEqual([
      { path: 'payloads[0].resource.fields.household_id.feature', message: '"households" is payloads[1], later in the batch; put it before this payload, so that its table is created first' },
    ]);
    expect(checkResourceRefs([self], []).problems).toEqual([{ path: 'resource.fields.parent_id.feature', message: "is this payload's own feature; a resource cannot refer to itself" }]);
    const toPlain = feature('pets', { name: 'pet', fields: { note_id: ref('notes') } });
    expect(checkResourceRefs([plain, toPlain], []).problems).toEqual([{ path: 'payloads[1].resource.fields.note_id.feature', message: 'feature "notes" (payloads[0]) has no resource' }]);
    expect(checkResourceRefs([toPlain], [recorded(plain)]).problems).toEqual([{ path: 'resource.fields.note_id.feature', message: 'feature "notes" is recorded without a resource' }]);
  });

  it('says which resource features there are when the ref names none of them', () => {
    const owners = feature('owners', { name: 'owner' });
    expect(checkResourceRefs([pets], []).problems).toEqual([
      { path: 'resource.fields.household_id.feature', message: 'no resource feature "households" is recorded in the target or earlier in the batch (there is none yet)' },
    ]);
    expect(checkResourceRefs([owners, pets], [recorded(feature('vets', { name: 'vet' }))]).problems).toEqual([
      { path: 'payloads[1].resource.fields.household_id.feature', message: 'no resource feature "households" is recorded in the target or earlier in the batch; those that are: "owners" and "vets"' },
    ]);
    expect(checkResourceRefs([pets], [recorded(feature('household', { name: 'household' }))]).problems).toEqual([
      { path: 'resource.fields.household_id.feature', message: 'no resource feature "households" is recorded in the target or earlier in the batch; did you mean "household"?' },
    ]);
  });

  it('refuses a foreign key name PostgreSQL would truncate', () => {
    const parent = feature('parents', { name: 'b'.repeat(24) });
    const child = feature('children', { name: 'c'.repeat(20), fields: { ['d'.repeat(20)]: ref('parents') } });
    const expected = `fk_${'c'.repeat(20)}s_${'d'.repeat(20)}_${'b'.repeat(24)}s`;
    expect(checkResourceRefs([parent, child], []).problems).toEqual([
      { path: `payloads[1].resource.fields.${'d'.repeat(20)}.feature`, message: `would name the foreign key ${expected}, 71 bytes; PostgreSQL allows 63: shorten the field or resource name` },
    ]);
  });

  it('keeps what recorded children refer to when the batch regenerates their parent', () => {
    const child = recorded(pets);
    const intHouseholds = feature('households', { name: 'household' });
    expect(checkResourceRefs([intHouseholds], [recorded(households), child]).problems).toEqual([
      { path: 'resource.id', message: 'must stay "uuid": feature "pet_profiles" refers to this resource (its field household_id), and its column has that type' },
    ]);
    expect(checkResourceRefs([feature('notes'), feature('households')], [recorded(households), child]).problems).toEqual([
      { path: 'payloads[1].resource', message: 'is required: feature "pet_profiles" refers to this resource (its field household_id); regenerate or remove that feature first' },
    ]);
    // Regenerated together, the child is checked as a payload instead.
    expect(checkResourceRefs([households, pets], [recorded(households), child]).problems).toEqual([]);
  });

  it('leaves features without a resource, or without refs, as they are', () => {
    const plain = feature('notes');
    const { problems, features } = checkResourceRefs([plain, households], []);
    expect(problems).toEqual([]);
    expect(features[0]).toBe(plain);
    expect(features[1]).toBe(households);
  });
});

describe('checkResourceNames', () => {
  it('refuses a class or table another payload of the batch has, under the later payload, one line per kind', () => {
    const a = feature('pets_a', { name: 'pet' });
    const b = feature('pets_b', { name: 'pet' });
    expect(checkResourceNames([a, b], [])).toEqual([
      {
        path: 'payloads[1].resource.name',
        message: '"pet" would define the classes Pet, PetCreate, PetUpdate, PetRead, PetPage, PetError, PetNotFound, PetConflict and PetInvalid, which feature "pets_a" (payloads[0]) also defines; choose another resource name',
      },
      { path: 'payloads[1].resource.name', message: '"pet" would create the table pets, which feature "pets_a" (payloads[0]) also creates; choose another resource name' },
    ]);
  });

  it('finds names that meet although the resource names differ', () => {
    expect(checkResourceNames([feature('one', { name: 'pet_2' }), feature('two', { name: 'pet2' })], [])).toEqual([
      {
        path: 'payloads[1].resource.name',
        message: '"pet2" would define the classes Pet2, Pet2Create, Pet2Update, Pet2Read, Pet2Page, Pet2Error, Pet2NotFound, Pet2Conflict and Pet2Invalid, which feature "one" (payloads[0]) also defines; choose another resource name',
      },
    ]);
    expect(checkResourceNames([feature('one', { name: 'bus' })], [recorded(feature('two', { name: 'buse' }))])).toEqual([
      { path: 'resource.name', message: '"bus" would create the table buses, which feature "two" already creates; choose another resource name' },
    ]);
    expect(checkResourceNames([feature('one', { name: 'pet' })], [recorded(feature('two', { name: 'pet_read' }))])).toEqual([
      { path: 'resource.name', message: '"pet" would define the class PetRead, which feature "two" already defines; choose another resource name' },
    ]);
  });

  it("lets a feature's payload replace its own record, and ignores features without a resource", () => {
    const pets = feature('pets', { name: 'pet' });
    expect(checkResourceNames([pets, feature('notes')], [recorded(pets), recorded(feature('notes')), recorded(feature('vets', { name: 'vet' }))])).toEqual([]);
  });
});
