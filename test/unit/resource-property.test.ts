import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { payloadProblems as problems } from '../helpers/payload.js';
import { validatePayload } from '../../src/payload/payload.js';
import { clean, MUTATIONS, validResource, type Json } from '../helpers/resource-arbitraries.js';

/**
 * Random valid resource blocks (field sets, types, constraints, hostile free text) all validate;
 * one random mutation of each makes it invalid, refused with every problem under `resource`.
 * Few runs by default, to keep the unit layer fast; `RESOURCE_RUNS=10000` for a deep run.
 */

const payloadOf = (resource: unknown) => ({ feature: 'pet_profiles', description: 'Pets.', resource });

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
