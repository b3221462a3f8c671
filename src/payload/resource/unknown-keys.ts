import { isPlainObject } from '../../data.js';
import { unknownName } from '../../suggest.js';
import { listed } from '../text.js';
import { optionTypes } from './field-schema.js';
import { FIELD_TYPES, type FieldType } from './model.js';
import { paginationKeys, resourceKeys } from './schema.js';

const REF_TARGET_SPELLINGS = new Set(['resource', 'ref', 'references', 'target', 'to', 'table', 'model', 'parent']);

/**
 * What to say about a key the resource block does not take, at `path` inside the block (`[]`,
 * `['pagination']`, `['fields', 'age']`): a field key that fits other types says which, any
 * other key gets the nearest known one.
 */
export function unknownResourceKey(path: readonly PropertyKey[], key: string, resource: unknown): string {
  if (path.length === 0) return unknownName(key, resourceKeys(), 'key');
  if (path[0] === 'pagination') return unknownName(key, paginationKeys(), 'key');
  const fields = isPlainObject(resource) ? resource.fields : undefined;
  const field = isPlainObject(fields) && Object.hasOwn(fields, path[1] as string) ? fields[path[1] as string] : undefined;
  const type = isPlainObject(field) ? field.type : undefined;
  // Other tools spell the target of a reference so; none is near "feature" in spelling.
  if (type === 'ref' && REF_TARGET_SPELLINGS.has(key) && !Object.hasOwn(field as object, 'feature')) {
    return `unknown key; a ref names the resource feature it refers to under "feature", e.g. {"type": "ref", "feature": "households"}`;
  }
  const fits = optionTypes().get(key);
  if (fits && FIELD_TYPES.includes(type as FieldType)) return `does not apply to ${type as string} fields; it applies to ${listed(fits)}`;
  return unknownName(key, [...optionTypes().keys()], 'key');
}
