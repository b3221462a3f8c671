import type { ResourceField } from '../payload/resource.js';
import { group, type Doc } from '../python/layout.js';
import { pyString } from '../python/literal.js';
import { parentOf, type ParentLookup } from './resource-parents.js';

/**
 * A field's column as Alembic writes it: one definition for the revision that creates a
 * resource's table and for the revisions that add or drop a column later, so both agree.
 */
export function saType(field: ResourceField, parents: ParentLookup): Doc {
  switch (field.type) {
    case 'str':
      return `sa.String(length=${field.maxLength})`;
    case 'decimal':
      return `sa.Numeric(precision=${field.maxDigits}, scale=${field.decimalPlaces})`;
    case 'enum':
      return group('sa.Enum', [...field.values.map(pyString), 'native_enum=False']);
    case 'ref':
      return parentOf(field, parents).id === 'uuid' ? 'sa.Uuid()' : 'sa.BigInteger()';
    default:
      return { text: 'sa.Text()', int: 'sa.BigInteger()', float: 'sa.Double()', bool: 'sa.Boolean()', date: 'sa.Date()', datetime: 'sa.DateTime(timezone=True)', uuid: 'sa.Uuid()' }[field.type];
  }
}

export const saColumn = (column: string, type: Doc, nullable: boolean, extra: readonly Doc[] = []) => group('sa.Column', [pyString(column), type, `nullable=${nullable ? 'True' : 'False'}`, ...extra]);

/** A constraint's name as given (`op.f`), whatever the metadata's naming convention. */
export const opName = (constraint: string) => group('name=op.f', [pyString(constraint)]);

export const uniqueNameOf = (field: ResourceField, plural: string) => field.uniqueName ?? `uq_${plural}_${field.name}`;

/** A filterable field's index; a unique one is indexed by its constraint. */
export const indexNameOf = (field: ResourceField, plural: string) => field.indexName ?? `ix_${plural}_${field.name}`;
