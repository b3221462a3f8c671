import { describe, expect, it } from 'vitest';
import { validatePayload } from '../../src/payload/payload.js';
import type { ResourceField } from '../../src/payload/resource.js';
import { sampleValue, sampleValues, storedJson, testValues, utcText, violations } from '../../src/plan/resource-samples.js';
import { failure } from '../helpers/errors.js';
import { PRESETS } from '../../src/blueprint/presets.js';
import { planFeature } from '../../src/plan/plan.js';
import { group, pretty, prettyDef } from '../../src/python/layout.js';

/** The normalised field a payload's `fields` entry gives. */
function fieldOf(options: Record<string, unknown>): ResourceField {
  const feature = validatePayload({ feature: 'things', description: 'Things.', resource: { name: 'thing', fields: { value: options } } }, 'payload');
  return feature.resource!.fields[0]!;
}

const broken = (options: Record<string, unknown>) => violations(fieldOf(options)).map(({ value, type }) => [value, type]);

describe('sample values', () => {
  it('keep to every constraint, the example first, distinct as a unique constraint compares them', () => {
    expect(sampleValues(fieldOf({ type: 'decimal', max_digits: 3, decimal_places: 1, ge: 0, le: 5 })).slice(0, 3)).toEqual(['1.0', '2.0', '3.0']);
    expect(sampleValues(fieldOf({ type: 'float', gt: 0, lt: 1, multiple_of: 0.25 }))).toEqual([0.25, 0.5, 0.75]);
    expect(sampleValues(fieldOf({ type: 'int', ge: 10, le: 12 }))).toEqual([10, 11, 12]);
    expect(sampleValues(fieldOf({ type: 'datetime', example: '2025-06-01T11:30:00+02:00' }))).not.toContain('2025-06-01T09:30:00Z');
  });

  it('follow an example whose pattern no word matches, one letter or digit moved on', () => {
    const values = sampleValues(fieldOf({ type: 'str', max_length: 7, pattern: '^[A-Z]{2}-[0-9]{4}$', example: 'AB-1234' }));
    expect(values.slice(0, 3)).toEqual(['AB-1234', 'AB-1235', 'AB-1236']);
  });

  it('leave out of the tests a non-ASCII value that \\w or \\d may read otherwise in Pydantic', () => {
    const field = fieldOf({ type: 'text', pattern: '^\\W+$', example: '\u00e9!', required: false, nullable: true });
    expect(sampleValues(field)[0]).toBe('\u00e9!');
    expect(testValues(field)).not.toContain('\u00e9!');
  });

  it('are worked out once per shape of field, whatever its name or flags, and apart for any other constraint', () => {
    const named = (name: string, options: Record<string, unknown>) =>
      validatePayload({ feature: 'things', description: 'Things.', resource: { name: 'thing', fields: { [name]: options } } }, 'payload').resource!.fields[0]!;
    const first = named('title', { type: 'str', max_length: 4 });
    expect(sampleValues(named('label', { type: 'str', max_length: 4, unique: true, description: 'A label.' }))).toBe(sampleValues(first));
    expect(sampleValues(named('title', { type: 'str', max_length: 3 }))).not.toContain('four');
    expect(sampleValues(first)).toContain('four');
    expect(sampleValues(named('title', { type: 'str', max_length: 4, example: 'abcd' }))[0]).toBe('abcd');
    expect(violations(named('title', { type: 'str', max_length: 4, min_length: 2 })).map(({ type }) => type)).toContain('string_too_short');
    expect(violations(first).map(({ type }) => type)).not.toContain('string_too_short');
  });

  it('come back from the API as stored: decimals with their places, instants in UTC', () => {
    expect(storedJson(fieldOf({ type: 'decimal', max_digits: 10, decimal_places: 2 }), '20.5')).toBe('20.50');
    expect(utcText('2025-06-01T09:30:00+02:00')).toBe('2025-06-01T07:30:00Z');
    expect(utcText('2025-06-01T23:30:00.120-01:00')).toBe('2025-06-02T00:30:00.120000Z');
  });
});

describe('a field whose constraints give no value the tests can use', () => {
  it('is refused naming its constraints, which may admit none (an example cannot mend that), and says to check them before giving an example', () => {
    const error = failure(() => sampleValue(fieldOf({ type: 'int', gt: 5, lt: 6 }), 0));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('resource.fields.value: the generated tests need a valid value of "value", and none could be derived from its constraints (gt 5, lt 6).');
    expect(error.hints).toEqual(['Check that the constraints admit a value; if they do, give the field an `example` that meets them.']);
    expect(failure(() => sampleValue(fieldOf({ type: 'decimal', max_digits: 2, decimal_places: 1, ge: 10 }), 0)).message).toContain('(ge 10, max_digits 2, decimal_places 1)');
    expect(failure(() => sampleValue(fieldOf({ type: 'int', ge: 1, le: 2 }), 2)).message).toBe('resource.fields.value: the generated tests need 3 distinct valid values of "value", and only 2 could be derived from its constraints (ge 1, le 2).');
  });

  it('is refused when unique, however optional, as the unique tests send it; an example mends it', () => {
    const code = { type: 'str', max_length: 12, pattern: '^INV-[0-9]{6}$', unique: true, required: false, nullable: true };
    const plan = (options: Record<string, unknown>) => () =>
      planFeature(validatePayload({ feature: 'invoices', description: 'Invoices.', resource: { name: 'invoice', fields: { label: { type: 'str', max_length: 20 }, code: options } } }, 'payload'), PRESETS.modules!);
    const error = failure(plan(code));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('resource.fields.code: the generated tests need a valid value of "code", and none could be derived from its constraints (max_length 12, pattern "^INV-[0-9]{6}$").');
    expect(plan({ ...code, example: 'INV-000001' })().files.length).toBeGreaterThan(5);
    // Not unique, it is left out of the bodies the tests send.
    expect(plan({ ...code, unique: false })().files.length).toBeGreaterThan(5);
  });
});

describe('values that break one constraint', () => {
  it('are derived from each bound, on a multiple when there is a step', () => {
    expect(broken({ type: 'int', ge: 1, le: 3 })).toEqual([
      ['0', 'greater_than_equal'],
      ['4', 'less_than_equal'],
    ]);
    expect(broken({ type: 'int' })).toEqual([
      ['-(2**63) - 1', 'greater_than_equal'],
      ['2**63', 'less_than_equal'],
    ]);
    expect(broken({ type: 'int', gt: 0, lt: 100, multiple_of: 10 })).toEqual([
      ['0', 'greater_than'],
      ['100', 'less_than'],
      ['11', 'multiple_of'],
    ]);
    expect(broken({ type: 'float', gt: 0, le: 200 })).toEqual([
      ['0', 'greater_than'],
      ['200.5', 'less_than_equal'],
      ['"NaN"', 'finite_number'],
    ]);
  });

  it("cover a decimal's places and whole digits, unless another constraint breaks too", () => {
    expect(broken({ type: 'decimal', max_digits: 10, decimal_places: 2, ge: 0 })).toEqual([
      ['"-0.01"', 'greater_than_equal'],
      ['"1.001"', 'decimal_max_places'],
      ['"100000000"', 'decimal_whole_digits'],
      ['"NaN"', 'finite_number'],
    ]);
    // 10000 has a whole digit too many, and is also above le: no whole-digits case.
    expect(broken({ type: 'decimal', max_digits: 6, decimal_places: 2, ge: 0, le: 1000 }).map(([, type]) => type)).not.toContain('decimal_whole_digits');
    // Without places, a whole digit too many is a digit too many.
    expect(broken({ type: 'decimal', max_digits: 3, decimal_places: 0 })).toContainEqual(['"1000"', 'decimal_max_digits']);
  });

  it('give lengths, and a pattern test only for a value shown not to match', () => {
    expect(broken({ type: 'str', min_length: 2, max_length: 5, pattern: '^[A-Z]+$' })).toEqual([
      ['"A"', 'string_too_short'],
      ['"A" * 6', 'string_too_long'],
      ['"abc"', 'string_pattern_mismatch'],
    ]);
    // Every text of an accepted length matches: no value can fail, so there is no pattern test.
    expect(broken({ type: 'str', max_length: 5, pattern: '^[\\s\\S]*$' }).map(([, type]) => type)).toEqual(['string_too_long']);
  });

  it('name a value no enum value is, a naive datetime, and malformed values of the parsed types', () => {
    expect(broken({ type: 'enum', values: ['invalid', 'ok'] })).toEqual([['"invalid_1"', 'literal_error']]);
    expect(broken({ type: 'datetime' })).toEqual([['"2025-06-01T09:30:00"', 'timezone_aware']]);
    expect(broken({ type: 'uuid' })).toEqual([['"not-a-uuid"', 'uuid_parsing']]);
  });
});

describe('statements laid out as ruff lays them out', () => {
  const call = group('pytest.param', ['{"name": ""}', '["body", "name"]', '"string_too_short"', 'id="name short"']);

  it("keeps a call's arguments on one indented line when they fit, else one per line", () => {
    expect(pretty(call, '        ', ',', 88)).toBe(['        pytest.param(', '            {"name": ""}, ["body", "name"], "string_too_short", id="name short"', '        ),'].join('\n'));
    expect(pretty(call, '        ', ',', 60).split('\n')).toHaveLength(6);
  });

  it('explodes a display of several items, but hugs a lone one', () => {
    expect(pretty(group('x = ', ['"a"', '"b"'], '', '[', ']'), '', '', 8)).toBe('x = [\n    "a",\n    "b",\n]');
    expect(pretty(group('assert x == ', ['(["path", "id"], error_type)'], '', '[', ']'), '    ', '', 40)).toBe('    assert x == [\n        (["path", "id"], error_type)\n    ]');
  });

  it('gives a lone parameter that does not fit a trailing comma', () => {
    expect(prettyDef('test_something', ['client: TestClient'], 'None', '', 30)).toBe('def test_something(\n    client: TestClient,\n) -> None:');
    expect(prettyDef('test_x', ['a: int', 'b: int'], 'None', '', 20)).toBe('def test_x(\n    a: int, b: int\n) -> None:');
  });
});
