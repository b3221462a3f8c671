import { describe, expect, it } from 'vitest';
import { alterRevisionId, renderAlterRevision, tableChange } from '../../src/migrations/alter.js';
import { validatePayload } from '../../src/payload/payload.js';
import type { Resource } from '../../src/payload/resource.js';
import { codeStyle } from '../../src/python/code-style.js';

const resource = (fields: Record<string, object>, extra: object = {}): Resource =>
  validatePayload({ feature: 'pets', description: 'Pets.', resource: { name: 'pet', fields, ...extra } }, 'pets').resource!;

const NAME = { type: 'str', max_length: 50 };
const NO_PARENTS = () => undefined;
const HOUSEHOLDS = validatePayload({ feature: 'households', description: 'Households.', resource: { name: 'household', id: 'uuid', fields: { name: NAME } } }, 'households').resource!;
const PARENTS = (feature: string) => (feature === 'households' ? HOUSEHOLDS : undefined);
const OWNER = { type: 'ref', feature: 'households', required: false, nullable: true };
const NOTE = { type: 'text', required: false, nullable: true };

describe('tableChange: what a new payload does to the table', () => {
  it('finds the columns added and dropped; descriptions and examples are no change', () => {
    const change = tableChange(resource({ name: NAME, note: NOTE }), resource({ name: { ...NAME, description: 'The name.', example: 'Rex' }, age: { type: 'int', required: false, nullable: true } }), NO_PARENTS);
    expect(change.added.map((field) => field.name)).toEqual(['age']);
    expect(change.dropped.map((field) => field.name)).toEqual(['note']);
    expect(change.unsupported).toEqual([]);
  });

  it.each([
    ['a renamed table', { name: NAME }, { name: 'animal' }, 'resource.name: renames the table pets to animals, which update does not migrate'],
    ['a plural given', { name: NAME }, { plural: 'pet_list' }, 'resource.plural: renames the table pets to pet_list, which update does not migrate'],
    ['a new id type', { name: NAME }, { id: 'uuid' }, "resource.id: changes the table's id from int to uuid, which update does not migrate"],
    ['a required column without a default', { name: NAME, age: { type: 'int' } }, {}, 'resource.fields.age: is not nullable and has no default, so the rows already stored would have no value for it; make it nullable or give it a default'],
    ['a required ref without a default', { name: NAME, household_id: { type: 'ref', feature: 'households' } }, {}, 'resource.fields.household_id: is not nullable and has no default, so the rows already stored would have no households to refer to; make it nullable or give it a default'],
    ['a shorter string', { name: { ...NAME, max_length: 40 } }, {}, 'resource.fields.name: changes its type from String(50) to String(40), which could lose or fail to convert a value already stored; keep the type, or change the column by hand'],
    ['a string made a number', { name: { type: 'int' } }, {}, 'resource.fields.name: changes its type from String(50) to BigInteger, which could lose or fail to convert a value already stored; keep the type, or change the column by hand'],
    ['an enum losing a value', { name: NAME, kind: { type: 'enum', values: ['dog'], required: false, nullable: true } }, {}, 'resource.fields.kind: changes its type from Enum(2 values) to Enum(1 value), which could lose or fail to convert a value already stored; keep the type, or change the column by hand'],
    ['fewer whole digits', { name: NAME, price: { type: 'decimal', max_digits: 6, decimal_places: 3, required: false, nullable: true } }, {}, 'resource.fields.price: changes its type from Numeric(5, 1) to Numeric(6, 3), which could lose or fail to convert a value already stored; keep the type, or change the column by hand'],
    ['a ref made another type', { name: NAME, owner: { type: 'uuid', required: false, nullable: true } }, {}, "resource.fields.owner: changes a ref's column (a ref to households to Uuid), which update does not migrate: drop the field in one update and add the new one in the next"],
    ['a column made NOT NULL with no default', { name: NAME, note: { type: 'text' } }, {}, 'resource.fields.note: becomes not nullable without a default, so the rows already stored that hold NULL would have no value; give the field a default, which fills them'],
  ])('refuses %s, naming the field', (_, fields, extra, problem) => {
    const before = resource({ name: NAME, ...('kind' in fields && { kind: { type: 'enum', values: ['dog', 'cat'], required: false, nullable: true } }), ...('price' in fields && { price: { type: 'decimal', max_digits: 5, decimal_places: 1, required: false, nullable: true } }), ...('owner' in fields && { owner: OWNER }), ...('note' in fields && { note: NOTE }) });
    const { unsupported } = tableChange(before, resource(fields, extra), PARENTS);
    expect(unsupported.map((found) => `${found.path}: ${found.message}`)).toEqual([problem]);
  });

  it('refuses dropping a ref whose resource is gone, as downgrade could not restore its foreign key', () => {
    const { unsupported } = tableChange(resource({ name: NAME, owner: OWNER }), resource({ name: NAME }), NO_PARENTS);
    expect(unsupported).toEqual([{ path: 'resource.fields.owner', message: 'drops a ref to households, which is no longer a resource of the backend, so downgrade could not restore its foreign key' }]);
  });

  it.each([
    ['a longer string', { ...NAME, max_length: 80 }],
    ['a string made text', { type: 'text' }],
    ['a column made nullable', { ...NAME, required: false, nullable: true }],
    ['a column made unique', { ...NAME, unique: true }],
    ['a column made filterable (an index)', { ...NAME, filterable: true }],
  ])('migrates %s as an altered column', (_, name) => {
    const before = resource({ name: NAME });
    const change = tableChange(before, resource({ name }), NO_PARENTS);
    expect(change.unsupported).toEqual([]);
    expect(change.altered.map((column) => [column.before.name, column.after.name])).toEqual([['name', 'name']]);
    expect([change.added, change.dropped]).toEqual([[], []]);
  });

  it.each([
    ['an int bounded within 2^53 made a float', { type: 'int', gt: -Number.MAX_SAFE_INTEGER, le: Number.MAX_SAFE_INTEGER }, { type: 'float' }],
    ['an int made a decimal with 19 whole digits', { type: 'int' }, { type: 'decimal', max_digits: 21, decimal_places: 2 }],
    ['an enum given a value', { type: 'enum', values: ['dog', 'cat'] }, { type: 'enum', values: ['dog', 'cat', 'bird'] }],
    ['an enum made a string as long as its longest value', { type: 'enum', values: ['dog', 'cat'] }, { type: 'str', max_length: 3 }],
    ['a decimal given more digits and places', { type: 'decimal', max_digits: 5, decimal_places: 1 }, { type: 'decimal', max_digits: 8, decimal_places: 2 }],
  ])('migrates %s: the new type holds every value stored', (_, from, to) => {
    const optional = { required: false, nullable: true };
    const change = tableChange(resource({ name: NAME, value: { ...from, ...optional } }), resource({ name: NAME, value: { ...to, ...optional } }), NO_PARENTS);
    expect(change.unsupported).toEqual([]);
    expect(change.altered).toHaveLength(1);
  });

  it.each([
    ['unbounded', {}],
    ['bounded below only', { ge: 0 }],
    ['bounded above only', { lt: 100 }],
  ])('refuses an int %s made a float, which could round a value stored', (_, bounds) => {
    const optional = { required: false, nullable: true };
    const { unsupported } = tableChange(resource({ name: NAME, value: { type: 'int', ...bounds, ...optional } }), resource({ name: NAME, value: { type: 'float', ...optional } }), NO_PARENTS);
    expect(unsupported).toEqual([{ path: 'resource.fields.value', message: expect.stringMatching(/^changes its type from BigInteger to Double, which holds whole numbers exactly only up to 2\^53 .*bound it within that first \(ge and le\), or make it a decimal of 19 digits or more$/) }]);
  });

  it('refuses an int made a decimal that could not hold every BIGINT', () => {
    const optional = { required: false, nullable: true };
    const change = tableChange(resource({ name: NAME, value: { type: 'int', ...optional } }), resource({ name: NAME, value: { type: 'decimal', max_digits: 20, decimal_places: 2, ...optional } }), NO_PARENTS);
    expect(change.unsupported.map((problem) => problem.path)).toEqual(['resource.fields.value']);
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
  const text = renderAlterRevision({ feature: 'pets', after, change: tableChange(before, after, NO_PARENTS), revision: 'abc', downRevision: 'def', style: codeStyle({}), parents: NO_PARENTS });

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

describe('renderAlterRevision of columns altered in place and refs', () => {
  const COAT = { type: 'str', max_length: 20, required: false, nullable: true, default: 'short' };
  const before = resource({ name: NAME, coat: COAT, born: { type: 'date', required: false, nullable: true }, age: { type: 'int', ge: 0, le: 200, required: false, nullable: true }, old: OWNER });
  const after = resource({
    name: { ...NAME, max_length: 80, unique: true },
    coat: { ...COAT, nullable: false },
    born: { type: 'date', required: false, nullable: true, filterable: true },
    age: { type: 'float', required: false, nullable: true },
    household_id: OWNER,
  });
  const change = tableChange(before, after, PARENTS);
  const text = renderAlterRevision({ feature: 'pets', after, change, revision: 'abc', downRevision: 'def', style: codeStyle({}), parents: PARENTS });
  const upgrade = text.slice(text.indexOf('def upgrade'), text.indexOf('def downgrade'));
  const downgrade = text.slice(text.indexOf('def downgrade'));

  it('finds the columns altered, the ref added and the ref dropped', () => {
    expect(change.unsupported).toEqual([]);
    expect(change.altered.map((column) => column.after.name)).toEqual(['name', 'coat', 'born', 'age']);
    expect(change.added.map((field) => field.name)).toEqual(['household_id']);
    expect(change.dropped.map((field) => field.name)).toEqual(['old']);
  });

  it('sums each change up in the docstring', () => {
    expect(text.slice(0, text.indexOf('Revision ID'))).toBe(
      [
        '"""Alter the pets table (pets feature).',
        '',
        '- add household_id (a foreign key to households)',
        '- alter name: type String(50) -> String(80), unique',
        '- alter coat: not nullable, NULLs take the default',
        '- alter born: indexed',
        '- alter age: type BigInteger -> Double',
        '- drop old (a foreign key to households)',
        '',
        '',
      ].join('\n'),
    );
  });

  it('fills the NULLs of a column made NOT NULL with its default before the batch', () => {
    expect(upgrade).toContain(
      [
        'def upgrade() -> None:',
        '    table = sa.table("pets", sa.column("coat"))',
        '    filled = {"coat": sa.func.coalesce(table.c["coat"], "short")}',
        '    op.execute(sa.update(table).values(filled))',
        '    with op.batch_alter_table("pets") as batch_op:',
        '',
      ].join('\n'),
    );
    // Nothing to fill going back: the column becomes nullable again.
    expect(downgrade).not.toContain('op.execute');
  });

  it('adds a ref with its named foreign key, alters in place, and drops a ref after its foreign key', () => {
    const statements = upgrade.slice(upgrade.indexOf('batch_op:\n') + 'batch_op:\n'.length).replace(/\n+$/, '');
    expect(statements).toBe(
      [
        '        batch_op.add_column(sa.Column("household_id", sa.Uuid(), nullable=True))',
        '        batch_op.create_foreign_key(',
        '            batch_op.f("fk_pets_household_id_households"),',
        '            "households",',
        '            ["household_id"],',
        '            ["id"],',
        '        )',
        '        batch_op.alter_column(',
        '            "name",',
        '            existing_type=sa.String(length=50),',
        '            type_=sa.String(length=80),',
        '            existing_nullable=False,',
        '        )',
        '        batch_op.create_unique_constraint(batch_op.f("uq_pets_name"), ["name"])',
        '        batch_op.alter_column(',
        '            "coat",',
        '            existing_type=sa.String(length=20),',
        '            existing_nullable=True,',
        '            nullable=False,',
        '        )',
        '        batch_op.create_index(batch_op.f("ix_pets_born"), ["born"], unique=False)',
        '        batch_op.alter_column(',
        '            "age",',
        '            existing_type=sa.BigInteger(),',
        '            type_=sa.Double(),',
        '            existing_nullable=True,',
        '        )',
        '        batch_op.drop_constraint(',
        '            batch_op.f("fk_pets_old_households"), type_="foreignkey"',
        '        )',
        '        batch_op.drop_column("old")',
      ].join('\n'),
    );
  });

  it('undoes it in reverse: the dropped ref back with its foreign key, each column as it was, the added ref gone', () => {
    expect(downgrade).toBe(
      [
        'def downgrade() -> None:',
        '    with op.batch_alter_table("pets") as batch_op:',
        '        batch_op.add_column(sa.Column("old", sa.Uuid(), nullable=True))',
        '        batch_op.create_foreign_key(',
        '            batch_op.f("fk_pets_old_households"), "households", ["old"], ["id"]',
        '        )',
        '        batch_op.alter_column(',
        '            "age",',
        '            existing_type=sa.Double(),',
        '            type_=sa.BigInteger(),',
        '            existing_nullable=True,',
        '        )',
        '        batch_op.drop_index(batch_op.f("ix_pets_born"))',
        '        batch_op.alter_column(',
        '            "coat",',
        '            existing_type=sa.String(length=20),',
        '            existing_nullable=False,',
        '            nullable=True,',
        '        )',
        '        batch_op.drop_constraint(batch_op.f("uq_pets_name"), type_="unique")',
        '        batch_op.alter_column(',
        '            "name",',
        '            existing_type=sa.String(length=80),',
        '            type_=sa.String(length=50),',
        '            existing_nullable=False,',
        '        )',
        '        batch_op.drop_constraint(',
        '            batch_op.f("fk_pets_household_id_households"), type_="foreignkey"',
        '        )',
        '        batch_op.drop_column("household_id")',
        '',
      ].join('\n'),
    );
  });

  it('imports what a default needs, as ruff sorts imports', () => {
    const dated = resource({ name: NAME, born: { type: 'date', required: false, nullable: true, default: '2020-01-02' } });
    const undated = resource({ name: NAME, born: { type: 'date', required: false, default: '2020-01-02' } });
    const revision = renderAlterRevision({ feature: 'pets', after: undated, change: tableChange(dated, undated, NO_PARENTS), revision: 'abc', downRevision: undefined, style: codeStyle({}), parents: NO_PARENTS });
    expect(revision).toContain('from collections.abc import Sequence\nfrom datetime import date\n\nimport sqlalchemy as sa\nfrom alembic import op\n');
    expect(revision).toContain('    filled = {"born": sa.func.coalesce(table.c["born"], date(2020, 1, 2))}\n');
  });
});
