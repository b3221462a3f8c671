import { describe, expect, it } from 'vitest';
import { payloadProblems as problems } from '../helpers/payload.js';
import { validatePayload } from '../../src/payload/payload.js';


describe('validatePayload', () => {
  it('derives every spelling of the name and reads "none" as no requirements', () => {
    const feature = validatePayload({ feature: 'smoke_test', description: 'Ensure builder functional', requirements: 'none' }, 'test');
    expect(feature).toEqual({
      payload: { feature: 'smoke_test', description: 'Ensure builder functional', requirements: 'none' },
      names: { snake: 'smoke_test', kebab: 'smoke-test', pascal: 'SmokeTest', title: 'Smoke Test' },
      description: 'Ensure builder functional',
      requirements: [],
    });
  });

  it('keeps requirements given as a string or a list, dropping "none" entries', () => {
    expect(validatePayload({ feature: 'a1', description: 'd', requirements: 'Fast' }, 't').requirements).toEqual(['Fast']);
    expect(validatePayload({ feature: 'a1', description: 'd', requirements: ['One', 'None', 'Two'] }, 't').requirements).toEqual(['One', 'Two']);
  });

  it('keeps the description exactly, whitespace and all', () => {
    const description = '  line one\n\tline "two" \\ end  ';
    expect(validatePayload({ feature: 'a1', description }, 't').description).toBe(description);
  });

  it.each([
    ['a', true],
    ['pet_profile', true],
    ['v2_api', true],
    ['a'.repeat(32), true],
    ['a'.repeat(33), false],
    ['_private', false],
    ['trailing_', false],
    ['double__underscore', false],
    ['9lives', false],
    ['Pet', false],
    ['caf\u00e9', false],
    ['pet-profile', false],
  ])('feature %j valid: %s', (feature, valid) => {
    expect(problems({ feature, description: 'd' }).length === 0).toBe(valid);
  });

  it.each(['import', 'type', 'case', 'print', 'typing', 'asyncio', 'tomllib', 'pydantic', 'starlette', 'tests', 'nul', 'lpt9'])(
    'refuses the reserved name %s, saying why',
    (feature) => {
      expect(problems({ feature, description: 'd' })).toEqual([expect.stringMatching(new RegExp(`^feature: "${feature}" is .*; choose another name`))]);
    },
  );

  it('refuses a description FastAPI would publish nothing of: blank before its first form feed, or only Python whitespace', () => {
    const refusal = "description: must have text before its first form feed (\\f) and not only spaces: FastAPI cuts an endpoint's description there, and would publish nothing of it";
    expect(problems({ feature: 'ff_lead', description: '\fstarts with a form feed' })).toEqual([refusal]);
    expect(problems({ feature: 'ff_lead', description: ' \u3000\fmore' })).toEqual([refusal]);
    // U+001C is whitespace to Python's str.strip(), not to JavaScript's trim().
    expect(problems({ feature: 'ff_lead', description: '\u001c' })).toEqual([refusal]);
    expect(problems({ feature: 'ff_lead', description: 'Shown.\fHidden from OpenAPI.' })).toEqual([]);
  });

  it('reports every problem at once, each with its path', () => {
    expect(problems({ feature: 'Bad', description: '', requirements: ['ok', 5], colour: 'red' })).toEqual([
      expect.stringMatching(/^feature: must be snake_case/),
      'description: must not be empty; say in a sentence what the feature does',
      expect.stringMatching(/^requirements: must be a string or a list of strings/),
      'colour: unknown field; allowed fields are feature, description, requirements, resource',
    ]);
  });

  it('says a list of requirements is too long as such, at 101 and not at 100', () => {
    expect(problems({ feature: 'pets', description: 'x', requirements: Array(101).fill('r') })).toEqual(['requirements: must list at most 100 requirements']);
    expect(problems({ feature: 'pets', description: 'x', requirements: Array(100).fill('r') })).toEqual([]);
  });

  it('refuses NUL characters and lone surrogates in any text field', () => {
    expect(problems({ feature: 'a1', description: 'ok', requirements: ['x\u0000'] })).toEqual([expect.stringMatching(/^requirements/)]);
    expect(problems({ feature: 'a1', description: '\udc00' })).toEqual(['description: contains a lone UTF-16 surrogate; use valid Unicode text']);
  });
});
