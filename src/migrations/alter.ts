import { sha256 } from '../data.js';
import type { Problem } from '../errors.js';
import type { RefField, Resource, ResourceField } from '../payload/resource.js';
import { flat, group, pretty, type Doc } from '../python/layout.js';
import { pyString } from '../python/literal.js';
import { indexNameOf, saType, uniqueNameOf } from '../plan/resource-columns.js';
import { Imports } from '../plan/resource-imports.js';
import { parentOf, type ParentLookup } from '../plan/resource-parents.js';
import { alterOps, columnOps, fillNulls } from './alter-ops.js';
import { typeChangeProblem, typeLabel } from './column-types.js';
import type { CodeStyle } from '../python/code-style.js';

/**
 * What a changed payload does to a resource's table, as a revision after the head must do it:
 * columns added and dropped (a ref with its foreign key), and kept columns whose definition
 * changed (type, nullability, uniqueness, index). What cannot be migrated safely is refused,
 * each with its payload path: a renamed table or a new id type; a type the values already
 * stored might not fit (column-types.ts); a column that must hold a value in every row
 * (added, or made NOT NULL) with no default to give the rows already stored.
 */
export interface TableChange {
  added: ResourceField[];
  dropped: ResourceField[];
  altered: AlteredColumn[];
  unsupported: Problem[];
}

/** A column of the same name in both tables, defined otherwise. */
export interface AlteredColumn {
  before: ResourceField;
  after: ResourceField;
}

const INDENT = '    ';

/** A column's type as the migrations define it; a ref's is its parent's id type, which cannot change while it is referred to. */
const typeKey = (field: ResourceField) => (field.type === 'ref' ? `ref ${field.feature}` : flat(saType(field, () => undefined)));

/** A column as the migrations define it: two fields of one name with different shapes need a migration. */
function columnShape(field: ResourceField, plural: string): string {
  return JSON.stringify([typeKey(field), field.nullable, field.unique && uniqueNameOf(field, plural), field.filterable && !field.unique && indexNameOf(field, plural)]);
}

export const hasChanges = (change: TableChange) => change.added.length + change.dropped.length + change.altered.length > 0;

const at = (field: ResourceField) => `resource.fields.${field.name}`;

export function tableChange(before: Resource, after: Resource, parents: ParentLookup): TableChange {
  const unsupported: Problem[] = [];
  const plural = after.names.table;
  if (before.names.table !== plural) unsupported.push({ path: before.names.snake === after.names.snake ? 'resource.plural' : 'resource.name', message: `renames the table ${before.names.table} to ${plural}, which update does not migrate` });
  if (before.id !== after.id) unsupported.push({ path: 'resource.id', message: `changes the table's id from ${before.id} to ${after.id}, which update does not migrate` });
  const old = new Map(before.fields.map((field) => [field.name, field]));
  const now = new Map(after.fields.map((field) => [field.name, field]));
  const added = after.fields.filter((field) => !old.has(field.name));
  const dropped = before.fields.filter((field) => !now.has(field.name));
  const altered = after.fields.flatMap((field) => {
    const previous = old.get(field.name);
    return previous && columnShape(previous, before.names.table) !== columnShape(field, plural) ? [{ before: previous, after: field }] : [];
  });
  for (const field of added.filter((candidate) => !candidate.nullable && !candidate.hasDefault)) {
    const rows = field.type === 'ref' ? `would have no ${field.feature} to refer to` : 'would have no value for it';
    unsupported.push({ path: at(field), message: `is not nullable and has no default, so the rows already stored ${rows}; make it nullable or give it a default` });
  }
  for (const field of dropped.filter((candidate): candidate is RefField => candidate.type === 'ref' && !parents(candidate.feature))) {
    unsupported.push({ path: at(field), message: `drops a ref to ${field.feature}, which is no longer a resource of the backend, so downgrade could not restore its foreign key` });
  }
  for (const { before: previous, after: field } of altered) {
    const typeProblem = typeChangeProblem(previous, field, typeKey(previous) === typeKey(field));
    if (typeProblem) unsupported.push({ path: at(field), message: typeProblem });
    if (previous.nullable && !field.nullable && !field.hasDefault) {
      unsupported.push({ path: at(field), message: 'becomes not nullable without a default, so the rows already stored that hold NULL would have no value; give the field a default, which fills them' });
    }
  }
  return { added, dropped, altered, unsupported };
}

/** The revision's id: the same on every run, distinct per feature, change and place in the history. */
export const alterRevisionId = (feature: string, before: Resource, after: Resource, head: string | undefined) =>
  sha256(`${feature}:alter_${after.names.table}:${head ?? ''}:${JSON.stringify(before.fields.map((field) => columnShape(field, before.names.table)))}:${JSON.stringify(after.fields.map((field) => columnShape(field, after.names.table)))}`).slice(0, 12);

/** What an altered column's line of the summary says changed. */
function alteration({ before, after }: AlteredColumn): string {
  const changes: string[] = [];
  if (typeKey(before) !== typeKey(after)) changes.push(`type ${typeLabel(before)} -> ${typeLabel(after)}`);
  if (before.nullable !== after.nullable) changes.push(after.nullable ? 'nullable' : 'not nullable, NULLs take the default');
  if (before.unique !== after.unique) changes.push(after.unique ? 'unique' : 'not unique');
  const indexed = (field: ResourceField) => field.filterable && !field.unique;
  if (indexed(before) !== indexed(after)) changes.push(indexed(after) ? 'indexed' : 'not indexed');
  return `- alter ${after.name}: ${changes.join(', ')}`;
}

/**
 * The Alembic revision that brings the table from `before` to `after`, in batch mode so that
 * SQLite, which cannot drop a column or add a constraint in place, recreates the table:
 * columns added, then altered, then dropped; downgrade() undoes each in reverse.
 */
export function renderAlterRevision(options: { feature: string; after: Resource; change: TableChange; revision: string; downRevision: string | undefined; style: CodeStyle; parents: ParentLookup }): string {
  const { feature, after, change, revision, downRevision, style, parents } = options;
  const { lineLength } = style;
  const plural = after.names.table;
  const imports = new Imports(style).add('collections.abc', 'Sequence').module('sqlalchemy as sa').add('alembic', 'op');
  const lines = (statements: readonly Doc[], indent: string) => statements.map((statement) => pretty(statement, indent, '', lineLength));
  const body = (before: readonly Doc[], statements: readonly Doc[]) =>
    [...lines(before, INDENT), pretty(group('with op.batch_alter_table', [pyString(plural)], ' as batch_op:'), INDENT, '', lineLength), ...lines(statements, INDENT.repeat(2))].join('\n');
  const ops = (fields: ResourceField[]) => fields.map((field) => columnOps(field, plural, parents));
  const filled = fillNulls(change.altered.filter((column) => column.before.nullable && !column.after.nullable).map((column) => column.after), plural, imports);
  const upgrade = [...ops(change.added).flatMap((op) => op.add), ...change.altered.flatMap((column) => alterOps(column.before, column.after, plural, parents)), ...ops(change.dropped).flatMap((op) => op.drop)];
  const downgrade = [...ops(change.dropped).flatMap((op) => op.add), ...[...change.altered].reverse().flatMap((column) => alterOps(column.after, column.before, plural, parents)), ...ops(change.added).flatMap((op) => op.drop)];
  const foreignKey = (field: ResourceField) => (field.type === 'ref' ? ` (a foreign key to ${parentOf(field, parents).names.table})` : '');
  const summary = [...change.added.map((field) => `- add ${field.name}${foreignKey(field)}`), ...change.altered.map(alteration), ...change.dropped.map((field) => `- drop ${field.name}${foreignKey(field)}`)];
  return `"""Alter the ${plural} table (${feature} feature).

${summary.join('\n')}

Revision ID: ${revision}
Revises:${downRevision ? ` ${downRevision}` : ''}
"""

${imports.toString()}

revision: str = "${revision}"
down_revision: str | None = ${downRevision ? `"${downRevision}"` : 'None'}
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
${body(filled, upgrade)}


def downgrade() -> None:
${body([], downgrade)}
`;
}
