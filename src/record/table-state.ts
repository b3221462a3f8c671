import { isPlainObject } from '../data.js';
import { PetsageError, type Problem } from '../errors.js';
import { validatePayload, type Feature } from '../payload/payload.js';
import type { Resource } from '../payload/resource.js';

/**
 * Beside its payload, a resource feature's record keeps the resource blocks its migrations were
 * made from: `table`, the table as its migrations leave it (what the next change is migrated
 * from, even when the payload in the record was edited by hand), and `created`, the table as
 * its create revision made it, once a later revision altered it (so that revision is rendered,
 * and compared, as it was written). Each is a payload's `resource` block, validated as one.
 */
export const TABLE_KEYS = ['table', 'created'] as const;
export type TableKey = (typeof TABLE_KEYS)[number];

export function recordedTables(value: Record<string, unknown>, feature: Feature, problems: Problem[]): Partial<Record<TableKey, Resource>> {
  const tables: Partial<Record<TableKey, Resource>> = {};
  for (const key of TABLE_KEYS) {
    const block = value[key];
    if (block === undefined) continue;
    if (!isPlainObject(block)) {
      problems.push({ path: `resource.${key}`, message: 'must be a resource block, as in a payload' });
      continue;
    }
    try {
      tables[key] = validatePayload({ ...feature.payload, resource: block }, `resource.${key}`).resource!;
    } catch (error) {
      if (!(error instanceof PetsageError)) throw error;
      problems.push(...error.problems.map((problem) => ({ path: `resource.${key}.${(problem.path ?? '').replace(/^resource\.?/, '')}`, message: problem.message })));
    }
  }
  return tables;
}

/** The raw block of a record's table as its migrations leave it: `table`, or the payload's for a record from before it was kept. */
export const tableBlock = (record: { payload: Record<string, unknown>; resource?: { table?: unknown } }): unknown => record.resource?.table ?? record.payload.resource;
