import { sha256 } from '../data.js';
import type { RefField, Resource, ResourceField } from '../payload/resource.js';
import { foreignKeyName } from '../payload/resource/names.js';
import { flat, group, type Doc } from '../python/layout.js';
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

/**
 * What a resource's create revision makes, as Alembic calls: the table with its columns and
 * constraints, and an index for each filterable field that is not unique (a unique one is
 * indexed by its constraint).
 */
export function createTableDocs(resource: Resource, parents: ParentLookup): { table: Doc; indexed: ResourceField[]; createIndexes: Doc[] } {
  const { fields, names } = resource;
  const plural = names.table;
  const table = group('op.create_table', [
    pyString(plural),
    saColumn('id', resource.id === 'uuid' ? 'sa.Uuid()' : 'sa.BigInteger().with_variant(sa.Integer(), "sqlite")', false),
    ...fields.map((field) => saColumn(field.name, saType(field, parents), field.nullable)),
    saColumn('created_at', 'sa.DateTime(timezone=True)', false),
    saColumn('updated_at', 'sa.DateTime(timezone=True)', false),
    group('sa.PrimaryKeyConstraint', ['"id"', opName(names.primaryKey)]),
    ...fields
      .filter((field): field is RefField => field.type === 'ref')
      .map((field) => group('sa.ForeignKeyConstraint', [`[${pyString(field.name)}]`, `[${pyString(`${parentOf(field, parents).names.table}.id`)}]`, opName(foreignKeyName(plural, field.name, parentOf(field, parents).names.table))])),
    ...fields.filter((field) => field.unique).map((field) => group('sa.UniqueConstraint', [pyString(field.name), opName(uniqueNameOf(field, plural))])),
  ]);
  const indexed = fields.filter((field) => field.filterable && !field.unique);
  const createIndexes = indexed.map((field) => group('op.create_index', [group('op.f', [pyString(indexNameOf(field, plural))]), pyString(plural), `[${pyString(field.name)}]`]));
  return { table, indexed, createIndexes };
}

/** What a create revision makes, each call on one line, whatever the layout: what its id is derived from. */
export const tableSignature = (docs: { table: Doc; createIndexes: readonly Doc[] }): string => [flat(docs.table), ...docs.createIndexes.map(flat)].join('\n');

/**
 * The id of the revision creating a resource's table, from the feature and what the revision
 * creates (its tableSignature): the same on every run, so a re-run writes the same bytes; and
 * another one for another table, so a feature removed and generated again with other columns
 * is not taken for the revision a database already has.
 */
export const createRevisionIdOf = (feature: string, table: string, signature: string): string => sha256(`${feature}:create_${table}\n${signature}`).slice(0, 12);

export const createRevisionId = (feature: string, resource: Resource, parents: ParentLookup): string => createRevisionIdOf(feature, resource.names.table, tableSignature(createTableDocs(resource, parents)));
