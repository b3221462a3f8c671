import { describe, expect, it } from 'vitest';
import { alterRevisionId, renderAlterRevision, tableChange } from '../../src/migrations/alter.js';
import { validatePayload } from '../../src/payload/payload.js';
import type { Resource } from '../../src/payload/resource.js';

const resource = (fields: Record<string, object>, extra: object = {}): Resource =>
  validatePayload({ feature: 'pets', description: 'Pets.', resource: { name: 'pet', fields, ...extra } }, 'pets').resource!;

const NAME = { type: 'str', max_length: 50 };
const NOTE = { type: 'text', required: false, nullable: true };

describe('tableChange: what a new payload does to the table', () => {
  it('finds the columns added and dropped; descriptions and examples are no change', () => {
    const change = tableChange(resource({ name: NAME, note: NOTE }), resource({ name: { ...NAME, description: 'The name.', example: 'Rex' }, age: { type: 'int', required: false, nullable: true } }));
    expect(change.added.map((field) => field.name)).toEqual(['age']);
    expect(change.dropped.map((field) => field.name)).toEqual(['note']);
    expect(change.unsupported).toEqual([]);
  });

  it.each([
    ['a changed column type', { name: { ...NAME, max_length: 60 } }, {}, 'resource.fields.name: changes its column (type, nullability, uniqueness or index), which update does not migrate yet'],
    ['a column made unique', { name: { ...NAME, unique: true } }, {}, 'resource.fields.name: changes its column (type, nullability, uniqueness or index), which update does not migrate yet'],
    ['a required column without a default', { name: NAME, age: { type: 'int' } }, {}, 'resource.fields.age: is not nullable and has no default, so the rows already stored would have no value for it; make it nullable or give it a default'],
    ['a new id type', { name: NAME }, { id: 'uuid' }, "resource.id: changes the table's id from int to uuid, which update does not migrate"],
  ])('refuses %s, naming the field', (_, fields, extra, problem) => {
    const { unsupported } = tableChange(resource({ name: NAME }), resource(fields, extra));
    expect(unsupported.map((found) => `${found.path}: ${found.message}`)).toEqual([problem]);
  });

  it('gives a different revision id for the same change at another place in the history', () => {
    const before = resource({ name: NAME });
    const after = resource({ name: NAME, note: NOTE });
    expect(alterRevisionId('pets', before, after, 'aaa')).toBe(alterRevisionId('pets', before, after, 'aaa'));
    expect(alterRevisionId('pets', before, after, 'aaa')).not.toBe(alterRevisionId('pets', before, after, 'bbb'));
    expect(alterRevisionId('pets', before, after, 'aaa')).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe('renderAlterRevision', () => {
  const before = resource({ name: NAME, note: NOTE });
  const after = resource({ name: NAME, tag: { type: 'str', max_length: 10, unique: true, required: false, nullable: true }, kind: { type: 'str', max_length: 10, filterable: true, default: 'dog' } });
  const text = renderAlterRevision({ feature: 'pets', after, change: tableChange(before, after), revision: 'abc', downRevision: 'def', lineLength: 88 });

  it('chains after the head and adds, then drops, in batch mode', () => {
    expect(text).toContain('revision: str = "abc"\ndown_revision: str | None = "def"\n');
    const upgrade = text.slice(text.indexOf('def upgrade'), text.indexOf('def downgrade'));
    expect(upgrade).toBe(
      [
        'def upgrade() -> None:',
        '    with op.batch_alter_table("pets") as batch_op:',
        '        batch_op.add_column(sa.Column("tag", sa.String(length=10), nullable=True))',
        '        batch_op.create_unique_constraint(batch_op.f("uq_pets_tag"), ["tag"])',
        // A NOT NULL column gets its default for the rows already stored.
        '        batch_op.add_column(',
        '            sa.Column(',
        '                "kind", sa.String(length=10), nullable=False, server_default="dog"',
        '            )',
        '        )',
        '        batch_op.create_index(batch_op.f("ix_pets_kind"), ["kind"], unique=False)',
        '        batch_op.drop_column("note")',
        '',
        '',
        '',
      ].join('\n'),
    );
  });

  it('undoes it in reverse: the dropped column back, the added ones (constraint, index first) gone', () => {
    const downgrade = text.slice(text.indexOf('def downgrade'));
    expect(downgrade).toBe(
      [
        'def downgrade() -> None:',
        '    with op.batch_alter_table("pets") as batch_op:',
        '        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))',
        '        batch_op.drop_constraint(batch_op.f("uq_pets_tag"), type_="unique")',
        '        batch_op.drop_column("tag")',
        '        batch_op.drop_index(batch_op.f("ix_pets_kind"))',
        '        batch_op.drop_column("kind")',
        '',
      ].join('\n'),
    );
  });
});
