/**
 * The optional `resource` block of a payload (docs/resources-design.md, "The payload block"):
 * its schema and rules, the typed result a Feature carries, and the rules across payloads that
 * the feature command applies once it knows the batch and the target's records.
 */
export * from './resource/model.js';
export { pluralize, resourceNames, uniqueName, indexName, foreignKeyName } from './resource/names.js';
export { resourceSchema, type PayloadResource } from './resource/schema.js';
export { toResource } from './resource/normalize.js';
export { unknownResourceKey } from './resource/unknown-keys.js';
export { checkResourceRefs, referringResources, type RecordedResource } from './resource/refs.js';
export { checkResourceNames } from './resource/collisions.js';
