import type { ResourceField } from '../payload/resource.js';
import { foreignKeyName } from '../payload/resource/names.js';
import { flat, group, prefixed, type Doc } from '../python/layout.js';
import { pyString } from '../python/literal.js';
import { indexNameOf, saColumn, saType, uniqueNameOf } from '../plan/resource-columns.js';
import { parentOf, type ParentLookup } from '../plan/resource-parents.js';
import type { Imports } from '../plan/resource-imports.js';
import { literalDoc, pythonLiteral } from '../plan/resource-samples.js';

/**
 * The batch-mode statements of an alter revision, for one column each: added or dropped (with
 * its unique constraint or index, and a ref's foreign key), or altered in place. Every name is
 * given (`batch_op.f`) as the create revision and the model give it, so `alembic check` finds
 * what the naming convention would name.
 */

/** The column's type as the create revision writes it. */
export const columnType = (field: ResourceField, parents: ParentLookup) => saType(field, parents);

/** A ref's foreign key, as the model and the create revision name it. */
function foreignKeyOf(field: ResourceField, plural: string, parents: ParentLookup) {
  if (field.type !== 'ref') return undefined;
  const parent = parentOf(field, parents).names.table;
  return { name: foreignKeyName(plural, field.name, parent), parent };
}

/** The unique constraint a field has, or the index of a filterable one (a unique one is indexed by its constraint). */
const uniqueOf = (field: ResourceField, plural: string) => (field.unique ? uniqueNameOf(field, plural) : undefined);
const indexOf = (field: ResourceField, plural: string) => (field.filterable && !field.unique ? indexNameOf(field, plural) : undefined);

const pyBool = (value: boolean) => (value ? 'True' : 'False');
const named = (constraint: string) => group('batch_op.f', [pyString(constraint)]);
const createUnique = (constraint: string, column: string) => group('batch_op.create_unique_constraint', [named(constraint), `[${pyString(column)}]`]);
const dropUnique = (constraint: string) => group('batch_op.drop_constraint', [named(constraint), 'type_="unique"']);
const createIndex = (index: string, column: string) => group('batch_op.create_index', [named(index), `[${pyString(column)}]`, 'unique=False']);
const dropIndex = (index: string) => group('batch_op.drop_index', [named(index)]);

/** What existing rows get in a new NOT NULL column: the field's default, as the database writes it. */
function serverDefault(field: ResourceField): string {
  if (typeof field.default === 'boolean') return `server_default=${field.default ? 'sa.true()' : 'sa.false()'}`;
  return `server_default=${pyString(String(field.default))}`;
}

/** The statements that add a column with its constraints, and those that take them away (constraints first). */
export function columnOps(field: ResourceField, plural: string, parents: ParentLookup): { add: Doc[]; drop: Doc[] } {
  const fill = !field.nullable ? [serverDefault(field)] : [];
  const add: Doc[] = [group('batch_op.add_column', [saColumn(field.name, columnType(field, parents), field.nullable, fill)])];
  const drop: Doc[] = [group('batch_op.drop_column', [pyString(field.name)])];
  const foreignKey = foreignKeyOf(field, plural, parents);
  if (foreignKey) {
    add.push(group('batch_op.create_foreign_key', [named(foreignKey.name), pyString(foreignKey.parent), `[${pyString(field.name)}]`, '["id"]']));
    drop.unshift(group('batch_op.drop_constraint', [named(foreignKey.name), 'type_="foreignkey"']));
  }
  const unique = uniqueOf(field, plural);
  const index = indexOf(field, plural);
  if (unique) (add.push(createUnique(unique, field.name)), drop.unshift(dropUnique(unique)));
  if (index) (add.push(createIndex(index, field.name)), drop.unshift(dropIndex(index)));
  return { add, drop };
}

/**
 * The statements that take a kept column from `from` to `to`: its old constraint or index
 * dropped, the column altered (type, nullability), the new constraint or index made. Called
 * with the two swapped, it undoes itself. `existing_server_default` is left out: only MySQL
 * needs it, and the default a revision gave the column stays on SQLite (batch mode copies the
 * table as reflected) and on PostgreSQL (ALTER COLUMN keeps it).
 */
export function alterOps(from: ResourceField, to: ResourceField, plural: string, parents: ParentLookup): Doc[] {
  const ops: Doc[] = [];
  const [uniqueBefore, uniqueAfter] = [uniqueOf(from, plural), uniqueOf(to, plural)];
  const [indexBefore, indexAfter] = [indexOf(from, plural), indexOf(to, plural)];
  if (uniqueBefore && uniqueBefore !== uniqueAfter) ops.push(dropUnique(uniqueBefore));
  if (indexBefore && indexBefore !== indexAfter) ops.push(dropIndex(indexBefore));
  const [typeBefore, typeAfter] = [columnType(from, parents), columnType(to, parents)];
  const retyped = flat(typeBefore) !== flat(typeAfter);
  if (retyped || from.nullable !== to.nullable) {
    const args: Doc[] = [pyString(to.name), prefixed('existing_type=', typeBefore)];
    if (retyped) args.push(prefixed('type_=', typeAfter));
    args.push(`existing_nullable=${pyBool(from.nullable)}`);
    if (from.nullable !== to.nullable) args.push(`nullable=${pyBool(to.nullable)}`);
    ops.push(group('batch_op.alter_column', args));
  }
  if (uniqueAfter && uniqueAfter !== uniqueBefore) ops.push(createUnique(uniqueAfter, to.name));
  if (indexAfter && indexAfter !== indexBefore) ops.push(createIndex(indexAfter, to.name));
  return ops;
}

/**
 * Before the batch, the rows that hold NULL in a column made NOT NULL take the field's
 * default (a typed literal, so PostgreSQL and SQLite store it as the model would): a table
 * clause of those columns, their values, one UPDATE.
 */
export function fillNulls(fields: readonly ResourceField[], plural: string, imports: Imports): Doc[] {
  if (fields.length === 0) return [];
  const table = group('table = sa.table', [pyString(plural), ...fields.map((field) => `sa.column(${pyString(field.name)})`)]);
  const values = fields.map((field) => group(`${pyString(field.name)}: sa.func.coalesce`, [`table.c[${pyString(field.name)}]`, literalDoc('', pythonLiteral(field, field.default ?? null, imports))]));
  return [table, group('filled = ', values, '', '{', '}'), 'op.execute(sa.update(table).values(filled))'];
}
