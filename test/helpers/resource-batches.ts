import fc from 'fast-check';
import { nonBlank, validResource, type Json } from './resource-arbitraries.js';

/**
 * Random valid resource blocks placed in batches, as test/e2e/resource-property.test.ts generates
 * them into backends: unique names across a run, each ref naming a resource earlier in its batch.
 */

/** A valid block and the choices that place it in a batch: which earlier resource each ref names, and an extra ref. */
export const caseArbitrary = fc.record({
  resource: validResource,
  description: nonBlank(200),
  picks: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
  // Names as long as they may be, where generated lines are the longest.
  stretch: fc.boolean(),
  parentRef: fc.option(
    fc.record({
      pick: fc.nat(),
      at: fc.nat(),
      named: fc.boolean(),
      flags: fc.constantFrom<Json>({}, { required: false, nullable: true }, { filterable: true }, { unique: true, required: false, nullable: true }, { read_only: true, nullable: true }, { write_only: true, description: '"""\\{{ ref }}\n\u00e9' }),
    }),
    { nil: undefined },
  ),
});
export type Case = typeof caseArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** Three letters, distinct for each index below 26^3: they make every resource's classes and table unique in the run. */
const tagOf = (index: number) => [676, 26, 1].map((unit) => String.fromCharCode(97 + (Math.floor(index / unit) % 26))).join('');

/**
 * Whether the foreign key `fk_<table>_<field>_<parent table>` fits PostgreSQL's 63 bytes, or a
 * longer batch would be refused, rightly: a table is at most two letters longer than its name.
 */
const foreignKeyFits = (name: string, field: string, parent: string) => `fk_${name}xx_${field}_${parent}xx`.length <= 63;

export interface Payload {
  feature: string;
  description: string;
  requirements: string;
  resource: Json;
}

/** `name` made `length` characters long with a word of `letter`s, where there is room for one. */
const stretched = (name: string, length: number, letter: string) => (name.length + 2 <= length ? `${name}_${letter.repeat(length - name.length - 1)}` : name);

/**
 * The payload of the `index`-th resource, whose refs name resources of `earlier` (the features
 * before it in its batch): a ref with none before it, or whose foreign key's name would be too
 * long, becomes a uuid field.
 */
export function payloadOf(sample: Case, index: number, earlier: readonly Payload[]): Payload {
  const resource = structuredClone(sample.resource) as Json;
  const short = `x${tagOf(index)}${String(resource.name).slice(1)}`.slice(0, 24).replace(/_+$/, '');
  const name = sample.stretch ? stretched(short, 24, 'y') : short;
  const fields = Object.entries(resource.fields as Record<string, Json>).map(([key, field], i): [string, Json] => {
    if (field.type !== 'ref') return [key, field];
    const parent = earlier.length === 0 ? undefined : earlier[sample.picks[i % sample.picks.length]! % earlier.length]!;
    if (parent && foreignKeyFits(name, key, String(parent.resource.name))) return [key, { ...field, feature: parent.feature }];
    const { feature: _, ...rest } = field;
    return [key, { ...rest, type: 'uuid' }];
  });
  if (sample.parentRef && earlier.length > 0) {
    const parent = earlier[sample.parentRef.pick % earlier.length]!;
    const named = `${String(parent.resource.name)}_id`;
    const key = sample.parentRef.named && foreignKeyFits(name, named, String(parent.resource.name)) ? named : `kref${tagOf(index)}`;
    if (!fields.some(([existing]) => existing === key) && foreignKeyFits(name, key, String(parent.resource.name))) fields.splice(sample.parentRef.at % (fields.length + 1), 0, [key, { type: 'ref', feature: parent.feature, ...sample.parentRef.flags }]);
  }
  // The longest a field's name may be: 40, or what its uq_ or ix_ constraint's 63 bytes leave.
  const longest = (field: Json) => (field.unique === true || field.filterable === true ? Math.min(40, 63 - `uq_${name}xx_`.length) : 40);
  const keys = new Set(fields.map(([key]) => key));
  const renamed = fields.map(([key, field]): [string, Json] => {
    const long = stretched(key, longest(field), 'q');
    if (!sample.stretch || field.type === 'ref' || keys.has(long)) return [key, field];
    keys.add(long);
    return [long, field];
  });
  return { feature: sample.stretch ? stretched(`${name}_api`, 32, 'z') : `${name}_api`, description: sample.description, requirements: 'none', resource: { ...resource, name, fields: Object.fromEntries(renamed) } };
}

/** Batches of `size` payloads, each ref naming a feature earlier in its own batch. */
export function batches(samples: readonly Case[], size: number): Payload[][] {
  const out: Payload[][] = [];
  samples.forEach((sample, i) => {
    if (i % size === 0) out.push([]);
    const batch = out.at(-1)!;
    batch.push(payloadOf(sample, i, batch));
  });
  return out;
}

/** The payloads an output speaks of (by feature, table or batch index), with the parents they need; all when it names none. */
export function involved(payloads: readonly Payload[], output: string): Payload[] {
  const indexes = new Set([...output.matchAll(/payloads\[(\d+)\]/g)].map((match) => Number(match[1])));
  const named = payloads.filter((payload, i) => indexes.has(i) || output.includes(payload.feature) || output.includes(String(payload.resource.name)));
  if (named.length === 0) return [...payloads];
  const needed = new Set<Payload>();
  const add = (payload: Payload) => {
    if (needed.has(payload)) return;
    needed.add(payload);
    for (const field of Object.values(payload.resource.fields as Record<string, Json>)) {
      const parent = payloads.find((other) => field.type === 'ref' && other.feature === field.feature);
      if (parent) add(parent);
    }
  };
  named.forEach(add);
  return payloads.filter((payload) => needed.has(payload));
}
