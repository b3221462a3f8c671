import { numberText } from './decimal.js';
import { decimalDigits, hasDefault, isRequired } from './field-rules.js';
import type { PayloadField } from './field-schema.js';
import { DEFAULT_MAX_PAGE_LIMIT, DEFAULT_PAGE_LIMIT, INT64_MAX, INT64_MIN, OPERATIONS, type FieldValue, type NumericBounds, type Resource, type ResourceField } from './model.js';
import { indexName, resourceNames, uniqueName } from './names.js';
import type { PayloadResource } from './schema.js';

/** Only the keys that are set, so the result compares and prints without `undefined` holes. */
const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;

/** A decimal's values become their exact text; every other type keeps its JSON value. */
const valueOf = (field: PayloadField, value: FieldValue | undefined): FieldValue | undefined =>
  field.type === 'decimal' && value !== null && value !== undefined ? numberText(value as number | string) : value;

function numeric(field: Extract<PayloadField, { type: 'int' | 'float' | 'decimal' }>): NumericBounds {
  const text = (value: number | string | undefined) => (value === undefined ? undefined : numberText(value));
  const bounds: NumericBounds = { gt: text(field.gt), ge: text(field.ge), lt: text(field.lt), le: text(field.le), multipleOf: text(field.multiple_of) };
  // BigInteger columns: Pydantic refuses what the database would overflow on.
  if (field.type === 'int') {
    if (bounds.gt === undefined && bounds.ge === undefined) bounds.ge = INT64_MIN;
    if (bounds.lt === undefined && bounds.le === undefined) bounds.le = INT64_MAX;
  }
  return bounds;
}

function typed(field: PayloadField) {
  switch (field.type) {
    case 'str':
    case 'text':
      return { type: field.type, minLength: field.min_length, maxLength: field.max_length, pattern: field.pattern };
    case 'int':
    case 'float':
      return { type: field.type, ...numeric(field) };
    case 'decimal':
      return { type: field.type, ...numeric(field), ...decimalDigits(field) };
    case 'enum':
      return { type: field.type, values: [...field.values] };
    case 'ref':
      return { type: field.type, feature: field.feature };
    default:
      return { type: field.type };
  }
}

function toField(name: string, field: PayloadField, table: string): ResourceField {
  const given = hasDefault(field);
  const readOnly = field.read_only ?? false;
  const unique = ('unique' in field && field.unique) || false;
  const filterable = ('filterable' in field && field.filterable) || false;
  return defined({
    name,
    ...typed(field),
    required: isRequired(field),
    nullable: field.nullable ?? false,
    hasDefault: given,
    default: 'default' in field ? valueOf(field, field.default as FieldValue | undefined) : undefined,
    unique,
    filterable,
    readOnly,
    writeOnly: field.write_only ?? false,
    description: field.description,
    example: 'example' in field ? valueOf(field, field.example as FieldValue | undefined) : undefined,
    uniqueName: unique ? uniqueName(table, name) : undefined,
    indexName: filterable ? indexName(table, name) : undefined,
  }) as ResourceField;
}

/** The validated block with every default filled in and every name derived. */
export function toResource(resource: PayloadResource): Resource {
  const names = resourceNames(resource.name, resource.plural);
  const chosen = new Set(resource.operations ?? OPERATIONS);
  const { default_limit: defaultLimit, max_limit: maxLimit } = resource.pagination ?? {};
  return {
    names,
    operations: OPERATIONS.filter((operation) => chosen.has(operation)),
    id: resource.id ?? 'int',
    fields: Object.entries(resource.fields).map(([name, field]) => toField(name, field, names.table)),
    pagination: {
      // Either limit left out adapts to the other, so giving one never contradicts the default of the other.
      defaultLimit: defaultLimit ?? Math.min(DEFAULT_PAGE_LIMIT, maxLimit ?? DEFAULT_MAX_PAGE_LIMIT),
      maxLimit: maxLimit ?? Math.max(DEFAULT_MAX_PAGE_LIMIT, defaultLimit ?? DEFAULT_PAGE_LIMIT),
    },
  };
}
