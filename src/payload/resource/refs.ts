import type { Problem } from '../../errors.js';
import { nearest } from '../../suggest.js';
import { ownerName, payloadPath } from '../owner.js';
import type { Feature } from '../payload.js';
import { listed } from '../text.js';
import type { RefField, Resource, ResourceField } from './model.js';
import { foreignKeyName, identifierTooLong } from './names.js';

/** A feature recorded in the target, with its resource when it has one. */
export interface RecordedResource {
  feature: string;
  resource?: Resource | undefined;
}

/** The recorded features a batch does not regenerate: a feature's own record gives way to its payload. */
export const standing = (features: readonly Feature[], recorded: readonly RecordedResource[]) => {
  const inBatch = new Set(features.map((feature) => feature.names.snake));
  return recorded.filter((record) => !inBatch.has(record.feature));
};

const refsOf = (resource: Resource | undefined) => (resource?.fields ?? []).filter((field): field is RefField => field.type === 'ref');

/** The resource features a ref of payload `index` may name: recorded, or earlier in the batch. */
function reachable(features: readonly Feature[], index: number, others: readonly RecordedResource[]): string[] {
  const earlier = features.slice(0, index).filter((feature) => feature.resource);
  return [...others.filter((record) => record.resource).map((record) => record.feature), ...earlier.map((feature) => feature.names.snake)].sort();
}

function notFound(target: string, known: readonly string[]): string {
  const missing = `no resource feature "${target}" is recorded in the target or earlier in the batch`;
  if (known.length === 0) return `${missing} (there is none yet)`;
  const guess = nearest(target, known);
  return guess ? `${missing}; did you mean "${guess}"?` : `${missing}; those that are: ${listed(known.map((name) => `"${name}"`))}`;
}

interface Context {
  features: readonly Feature[];
  others: readonly RecordedResource[];
  batchIndex: ReadonlyMap<string, number>;
}

/** The resource `target` names for payload `index`, or why it names none. */
function parentOf(target: string, index: number, { features, others, batchIndex }: Context): Resource | string {
  if (target === features[index]!.names.snake) return "is this payload's own feature; a resource cannot refer to itself";
  const at = batchIndex.get(target);
  if (at !== undefined) {
    if (at > index) return `"${target}" is payloads[${at}], later in the batch; put it before this payload, so that its table is created first`;
    return features[at]!.resource ?? `${ownerName({ feature: target, index: at })} has no resource`;
  }
  const record = others.find((candidate) => candidate.feature === target);
  if (!record) return notFound(target, reachable(features, index, others));
  return record.resource ?? `${ownerName({ feature: target })} is recorded without a resource`;
}

/**
 * Every `ref` of the batch names a resource feature recorded in the target or earlier in the
 * batch (so its table exists first in the migration chain), never its own feature or a later
 * one; the features come back with each ref's parent filled in (its table and id type, which
 * the column takes). A recorded resource that refers to a feature the batch regenerates keeps
 * what it refers to: the resource, with the same id type.
 */
export function checkResourceRefs(features: readonly Feature[], recorded: readonly RecordedResource[]): { problems: Problem[]; features: Feature[] } {
  const problems: Problem[] = [];
  const context: Context = { features, others: standing(features, recorded), batchIndex: new Map(features.map((feature, index) => [feature.names.snake, index])) };

  const resolved = features.map((feature, index): Feature => {
    const resource = feature.resource;
    if (!resource || refsOf(resource).length === 0) return feature;
    const fields = resource.fields.map((field): ResourceField => {
      if (field.type !== 'ref') return field;
      const problem = (message: string) => problems.push({ path: payloadPath(index, features.length, `resource.fields.${field.name}.feature`), message });
      const parent = parentOf(field.feature, index, context);
      if (typeof parent === 'string') return (problem(parent), field);
      const foreignKey = foreignKeyName(resource.names.table, field.name, parent.names.table);
      const tooLong = identifierTooLong(foreignKey, 'the foreign key');
      if (tooLong) problem(tooLong);
      return { ...field, parent: { feature: field.feature, table: parent.names.table, idType: parent.id, foreignKey } };
    });
    return { ...feature, resource: { ...resource, fields } };
  });

  // A recorded child of a regenerated parent: its column was made for the parent as recorded.
  const before = new Map(recorded.map((record) => [record.feature, record.resource]));
  for (const child of context.others) {
    for (const ref of refsOf(child.resource)) {
      const index = context.batchIndex.get(ref.feature);
      const previous = before.get(ref.feature);
      if (index === undefined || !previous) continue;
      const now = features[index]!.resource;
      const where = (key: string) => payloadPath(index, features.length, key);
      const by = `feature "${child.feature}" refers to this resource (its field ${ref.name})`;
      if (!now) problems.push({ path: where('resource'), message: `is required: ${by}; regenerate or remove that feature first` });
      else if (now.id !== previous.id) problems.push({ path: where('resource.id'), message: `must stay "${previous.id}": ${by}, and its column has that type` });
    }
  }
  return { problems, features: resolved };
}

/**
 * The recorded resources whose refs name `feature`, each with those fields, in the order given:
 * what stands in the way of removing it (their foreign keys point at its table).
 */
export function referringResources(feature: string, recorded: readonly RecordedResource[]): { feature: string; fields: string[] }[] {
  return recorded.flatMap((other) => {
    if (other.feature === feature || !other.resource) return [];
    const fields = other.resource.fields.flatMap((field) => (field.type === 'ref' && field.feature === feature ? [field.name] : []));
    return fields.length > 0 ? [{ feature: other.feature, fields }] : [];
  });
}
