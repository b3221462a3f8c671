import type { RefField, Resource } from '../payload/resource.js';

/** The resource of a recorded feature, or of one earlier in the batch, by feature name. */
export type ParentLookup = (feature: string) => Resource | undefined;

/** The resource a ref field points at; the payload checks made sure there is one. */
export function parentOf(field: RefField, parents: ParentLookup): Resource {
  const parent = parents(field.feature);
  if (!parent) throw new Error(`the parent resource of ${field.name} (${field.feature}) is not known`);
  return parent;
}
