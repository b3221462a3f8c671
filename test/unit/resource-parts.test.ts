import { describe, expect, it } from 'vitest';
import { compare, digitCounts, exact, isMultiple } from '../../src/payload/resource/decimal.js';
import { isCalendarDate, isDateTime } from '../../src/payload/resource/formats.js';
import { matchesPattern, patternProblem } from '../../src/payload/resource/pattern.js';
import { foreignKeyName, indexName, pluralize, resourceNames, uniqueName } from '../../src/payload/resource.js';

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

  it('gives up on catastrophic backtracking rather than hang', () => {
    const started = Date.now();
    expect(matchesPattern('^(a+)+$', `${'a'.repeat(40)}b`)).toBe('too slow');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
