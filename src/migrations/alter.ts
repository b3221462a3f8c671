import { sha256 } from '../data.js';
import type { Problem } from '../errors.js';
import type { FieldValue, Resource, ResourceField } from '../payload/resource.js';
import { flat, group, pretty } from '../python/layout.js';
import { pyString } from '../python/literal.js';
import { indexNameOf, saColumn, saType, uniqueNameOf } from '../plan/resource-columns.js';

/**
 * What a changed payload does to a resource's table, as a revision after the head must do it:
 * columns added and dropped. The rest is refused, each with its payload path, rather than
 * migrated wrongly: a renamed table or a new id type, a column whose definition changed
 * (type, nullability, uniqueness, index), a ref added or dropped (a foreign key), and a
 * required column without a default (the rows already stored would have no value for it).
 */
export interface TableChange {
  added: ResourceField[];
  dropped: ResourceField[];
  unsupported: Problem[];
}

const INDENT = '    ';

/** A column as the migrations define it: two fields of one name with different shapes need a migration. */
function columnShape(field: ResourceField, plural: string): string {
  const type = field.type === 'ref' ? `ref ${field.feature}` : flat(saType(field, () => undefined));
  return JSON.stringify([type, field.nullable, field.unique && uniqueNameOf(field, plural), field.filterable && !field.unique && indexNameOf(field, plural)]);
}

export function tableChange(before: Resource, after: Resource): TableChange {
  const unsupported: Problem[] = [];
  const plural = after.names.table;
  if (before.names.table !== plural) unsupported.push({ path: 'resource.name', message: `renames the table ${before.names.table} to ${plural}, which update does not migrate` });
  if (before.id !== after.id) unsupported.push({ path: 'resource.id', message: `changes the table's id from ${before.id} to ${after.id}, which update does not migrate` });
  const old = new Map(before.fields.map((field) => [field.name, field]));
  const now = new Map(after.fields.map((field) => [field.name, field]));
  const added = after.fields.filter((field) => !old.has(field.name));
  const dropped = before.fields.filter((field) => !now.has(field.name));
  const at = (field: ResourceField) => `resource.fields.${field.name}`;
  for (const field of [...added, ...dropped].filter((candidate) => candidate.type === 'ref')) {
    unsupported.push({ path: at(field), message: `${added.includes(field) ? 'adds' : 'drops'} a ref (a foreign key), which update does not migrate yet` });
  }
  for (const field of added.filter((candidate) => !candidate.nullable && !candidate.hasDefault)) {
    unsupported.push({ path: at(field), message: 'is not nullable and has no default, so the rows already stored would have no value for it; make it nullable or give it a default' });
  }
  for (const field of after.fields.filter((candidate) => old.has(candidate.name) && columnShape(old.get(candidate.name)!, plural) !== columnShape(candidate, plural))) {
    unsupported.push({ path: at(field), message: 'changes its column (type, nullability, uniqueness or index), which update does not migrate yet' });
  }
  return { added, dropped, unsupported };
}

/** The revision's id: the same on every run, distinct per feature, change and place in the history. */
export const alterRevisionId = (feature: string, before: Resource, after: Resource, head: string | undefined) =>
  sha256(`${feature}:alter_${after.names.table}:${head ?? ''}:${JSON.stringify(before.fields.map((field) => columnShape(field, before.names.table)))}:${JSON.stringify(after.fields.map((field) => columnShape(field, after.names.table)))}`).slice(0, 12);

/** What existing rows get in a new NOT NULL column: the field's default, as the database writes it. */
function serverDefault(value: FieldValue | undefined): string {
  if (typeof value === 'boolean') return `server_default=${value ? 'sa.true()' : 'sa.false()'}`;
  return `server_default=${pyString(String(value))}`;
}

/** The statements that add a column with its unique constraint or index, and those that take them away. */
function columnOps(field: ResourceField, plural: string) {
  const fill = !field.nullable ? [serverDefault(field.default)] : [];
  const name = (constraint: string) => group('batch_op.f', [pyString(constraint)]);
  const add = [group('batch_op.add_column', [saColumn(field.name, saType(field, () => undefined), field.nullable, fill)])];
  const drop = [group('batch_op.drop_column', [pyString(field.name)])];
  if (field.unique) {
    add.push(group('batch_op.create_unique_constraint', [name(uniqueNameOf(field, plural)), `[${pyString(field.name)}]`]));
    drop.unshift(group('batch_op.drop_constraint', [name(uniqueNameOf(field, plural)), 'type_="unique"']));
  } else if (field.filterable) {
    add.push(group('batch_op.create_index', [name(indexNameOf(field, plural)), `[${pyString(field.name)}]`, 'unique=False']));
    drop.unshift(group('batch_op.drop_index', [name(indexNameOf(field, plural))]));
  }
  return { add, drop };
}

/**
 * The Alembic revision that brings the table from `before` to `after`, in batch mode so that
 * SQLite, which cannot drop a column or add a constraint in place, recreates the table.
 */
export function renderAlterRevision(options: { feature: string; after: Resource; change: TableChange; revision: string; downRevision: string | undefined; lineLength: number }): string {
  const { feature, after, change, revision, downRevision, lineLength } = options;
  const plural = after.names.table;
  const block = (statements: ReturnType<typeof group>[]) =>
    [pretty(group('with op.batch_alter_table', [pyString(plural)], ' as batch_op:'), INDENT, '', lineLength), ...statements.map((statement) => pretty(statement, INDENT.repeat(2), '', lineLength))].join('\n');
  const ops = (fields: ResourceField[]) => fields.map((field) => columnOps(field, plural));
  const upgrade = [...ops(change.added).flatMap((op) => op.add), ...ops(change.dropped).flatMap((op) => op.drop)];
  const downgrade = [...ops(change.dropped).flatMap((op) => op.add), ...ops(change.added).flatMap((op) => op.drop)];
  const summary = [...change.added.map((field) => `- add ${field.name}`), ...change.dropped.map((field) => `- drop ${field.name}`)];
  return `"""Alter the ${plural} table (${feature} feature).

${summary.join('\n')}

Revision ID: ${revision}
Revises:${downRevision ? ` ${downRevision}` : ''}
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "${revision}"
down_revision: str | None = ${downRevision ? `"${downRevision}"` : 'None'}
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
${block(upgrade)}


def downgrade() -> None:
${block(downgrade)}
`;
}
