import { describe, expect, it } from 'vitest';
import { deriveNames } from '../../src/payload/naming.js';

describe('deriveNames', () => {
  it.each([
    ['smoke_test', 'smoke-test', 'SmokeTest', 'Smoke Test'],
    ['a', 'a', 'A', 'A'],
    ['v2_api_3', 'v2-api-3', 'V2Api3', 'V2 Api 3'],
  ])('%s', (snake, kebab, pascal, title) => {
    expect(deriveNames(snake)).toEqual({ snake, kebab, pascal, title });
  });
});
