import { describe, expect, it } from 'vitest';
import { nearest, unknownName } from '../../src/suggest.js';

describe('the name a typo meant', () => {
  it('is the closest within two edits, the first of equals, not the first within two', () => {
    // `pets_` is two edits from `pet`, one from `pets`.
    expect(nearest('pets_', ['pet', 'pets'])).toBe('pets');
    expect(nearest('cat', ['car', 'cab'])).toBe('car');
    expect(nearest('giraffe', ['pets', 'visits'])).toBeUndefined();
  });

  it('is offered when there is one, else what is allowed', () => {
    expect(unknownName('fieds', ['feature', 'fields'])).toBe('unknown field; did you mean "fields"?');
    expect(unknownName('zzz', ['a1', 'b2'], 'key')).toBe('unknown key; allowed keys are a1, b2');
  });
});
