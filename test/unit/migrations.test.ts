import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainAfter, findHeads, legacyCreateRevisionId, revisionsAfter } from '../../src/migrations/history.js';
import { validatePayload } from '../../src/payload/payload.js';
import { createRevisionId } from '../../src/plan/resource-columns.js';
import { parseIni } from '../../src/migrations/ini.js';
import { migrationsLocation, versionsDirOf } from '../../src/migrations/location.js';
import { readRevisions } from '../../src/migrations/read.js';
import { parseRevisionFile, type RevisionFile } from '../../src/migrations/revision-file.js';
import { failure } from '../helpers/errors.js';
import { projectWith } from '../helpers/tmp.js';

/** A revision as `alembic revision` writes it with the current script.py.mako (typed identifiers). */
const typedRevision = (revision: string, down: string) => `"""create pets

Revision ID: ${revision}
Revises: ${down === 'None' ? '' : down}
Create Date: 2025-03-14 09:26:53.589793

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '${revision}'
down_revision: Union[str, Sequence[str], None] = ${down}
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table("pets", sa.Column("id", sa.Integer(), nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("pets")
`;

/** The same from an older Alembic: untyped identifiers, no docstrings in the functions. */
const untypedRevision = (revision: string, down: string) => `"""add a column

Revision ID: ${revision}
Revises: ${down}
Create Date: 2019-11-08 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '${revision}'
down_revision = ${down}
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('pets', sa.Column('nickname', sa.String(50)))


def downgrade():
    op.drop_column('pets', 'nickname')
`;

/** A file whose assignments are the given lines, for the cases a template never writes. */
const withLines = (...lines: string[]) => `"""A revision."""\nfrom alembic import op\n\n${lines.join('\n')}\n\n\ndef upgrade():\n    pass\n`;

const rev = (revision: string, downRevisions: string[] = [], file = `migrations/versions/${revision}_x.py`): RevisionFile => ({ file, revision, downRevisions });
const ids = (revisions: readonly RevisionFile[]) => revisions.map((revision) => revision.revision);

describe('parseRevisionFile', () => {
  it('reads the current template: typed identifiers, a first revision', () => {
    expect(parseRevisionFile(typedRevision('1975ea83b712', 'None'), 'v/a.py')).toEqual({ file: 'v/a.py', revision: '1975ea83b712', downRevisions: [] });
  });

  it('reads the older, untyped template', () => {
    const parsed = parseRevisionFile(untypedRevision('ae1027a6acf', "'1975ea83b712'"), 'v/b.py');
    expect(parsed).toEqual({ file: 'v/b.py', revision: 'ae1027a6acf', downRevisions: ['1975ea83b712'] });
  });

  it.each([
    ["('ae1027a6acf', '27c6a30d7c24')", ['ae1027a6acf', '27c6a30d7c24']],
    ['["ae1027a6acf", "27c6a30d7c24"]', ['ae1027a6acf', '27c6a30d7c24']],
    ["(\n    'ae1027a6acf',\n    '27c6a30d7c24',\n)", ['ae1027a6acf', '27c6a30d7c24']],
    ["'ae1027a6acf', '27c6a30d7c24'", ['ae1027a6acf', '27c6a30d7c24']],
    ["('ae1027a6acf',)", ['ae1027a6acf']],
    ["('ae1027a6acf')", ['ae1027a6acf']],
    ['"ae1027a6acf"', ['ae1027a6acf']],
    ["r'ae1027a6acf'", ['ae1027a6acf']],
    ['()', []],
    ['(None)', []],
  ])('reads down_revision = %s (merge revisions hold a tuple or a list)', (value, expected) => {
    expect(parseRevisionFile(typedRevision('3f7a1b2c4d5e', value), 'v/m.py').downRevisions).toEqual(expected);
  });

  it('reads every annotation Alembic has written, and any quotes', () => {
    const source = withLines('revision: str = "3f7a1b2c4d5e"', 'down_revision: str | Sequence[str] | None = ("a1", "b2")');
    expect(parseRevisionFile(source, 'v/m.py')).toMatchObject({ revision: '3f7a1b2c4d5e', downRevisions: ['a1', 'b2'] });
    const plain = withLines('revision: str = "3f7a1b2c4d5e"', 'down_revision: Optional[str] = None');
    expect(parseRevisionFile(plain, 'v/m.py').downRevisions).toEqual([]);
  });

  it('looks only at top-level assignments: not the docstring, comments, functions or other keys', () => {
    const source = [
      '"""Revision ID: fake1\nRevises: fake0\nrevision = "fake2"\n"""',
      '# revision = "commented"',
      'revision = "real1"  # the id',
      'down_revision = None; branch_labels = ("pets",)',
      'depends_on = compute_dependencies()',
      'def upgrade():',
      '    revision = "inner"',
      '    down_revision = "inner0"',
      'class Helper:',
      '    revision = "attribute"',
      'revision: str  # an annotation alone binds nothing',
    ].join('\n');
    expect(parseRevisionFile(source, 'v/r.py')).toEqual({ file: 'v/r.py', revision: 'real1', downRevisions: [] });
  });

  it('reads a file with a BOM and CRLF line endings', () => {
    const source = `\ufeff${untypedRevision('ae1027a6acf', 'None').replaceAll('\n', '\r\n')}`;
    expect(parseRevisionFile(source, 'v/b.py').revision).toBe('ae1027a6acf');
  });

  it.each([
    ['down_revision = get_parent()', 'a call: `get_parent()`', 5],
    ['down_revision = f"{PARENT}"', 'an f-string: `f"{PARENT}"`', 5],
    ['down_revision = PARENT', 'a name (PARENT)', 5],
    ['down_revision = settings.PARENT', 'a name (settings.PARENT)', 5],
    ['down_revision = b"ae1027a6acf"', 'a bytes literal', 5],
    ['down_revision = "ae10" "27a6acf"', 'an implicit concatenation of string literals', 5],
    ['down_revision = ("ae10" "27a6acf", "b2")', 'an implicit concatenation of string literals in a sequence', 5],
    ['down_revision = ("a1", None)', 'None in a sequence', 5],
    ['down_revision = "a1" + "b2"', 'an expression', 5],
    ['down_revision = 1234', 'a number', 5],
    ['down_revision = "ae\\x31"', 'a string with a backslash escape', 5],
  ])('refuses %s, naming the file, the line and what was found (exit 3)', (line, found, lineNumber) => {
    const error = failure(() => parseRevisionFile(withLines('revision = "3f7a1b2c4d5e"', line), 'migrations/versions/m.py'));
    expect(error.exitCode).toBe(3);
    expect(error.path).toBe(`migrations/versions/m.py:${lineNumber}`);
    expect(error.text).toContain(`\`down_revision\` must be a plain literal (None, a string, or a tuple or list of strings), not ${found}`);
    expect(error.text).toContain('petsage-build reads revision files without running them');
    expect(error.hints.join('\n')).toMatch(/^Write (the value itself, e\.g\. `down_revision = "1a2b3c4d5e6f"`|each id as one string literal), then run again\.$/);
    expect(error.context.some((context) => context.startsWith(`>    ${lineNumber} |`))).toBe(true);
  });

  it('shows the full message of a refused call', () => {
    const error = failure(() => parseRevisionFile(withLines('revision: str = make_id("pets")', 'down_revision = None'), 'migrations/versions/m.py'));
    expect(error.message).toBe(
      'migrations/versions/m.py:4: `revision` must be a plain literal (a string), not a call: `make_id("pets")`; petsage-build reads revision files without running them; nothing was changed.',
    );
  });

  it.each([
    ['revision = None', '`revision` must be one string, not None'],
    ['revision = ("a1", "b2")', '`revision` must be one string, not a tuple or list'],
    ['revision = ""', '`revision` holds "", which is empty'],
    ['revision = "ae10-27a6"', '`revision` holds "ae10-27a6", which Alembic refuses: an id may not hold "@", "-" or "+"'],
    ['revision = "ae10 27a6"', '`revision` holds "ae10 27a6", which is not printable ASCII without spaces'],
  ])('refuses %s', (line, text) => {
    const error = failure(() => parseRevisionFile(withLines(line, 'down_revision = None'), 'v/m.py'));
    expect(error.exitCode).toBe(3);
    expect(error.text).toBe(`${text}; nothing was changed.`);
  });

  it('refuses an identifier assigned twice, naming both lines', () => {
    const error = failure(() => parseRevisionFile(withLines('revision = "a1"', 'down_revision = None', 'revision = "b2"'), 'v/m.py'));
    expect(error.message).toBe('v/m.py:6: `revision` is assigned twice (lines 4 and 6); nothing was changed.');
  });

  it('refuses a file without revision or down_revision: it is no revision', () => {
    const noRevision = failure(() => parseRevisionFile('"""Helpers for the migrations."""\n\nSCHEMA = "app"\n', 'v/helpers.py'));
    expect(noRevision.message).toMatch(/^v\/helpers\.py: has no top-level `revision = "<id>"`, so it is not an Alembic revision/);
    expect(noRevision.exitCode).toBe(3);
    const noParent = failure(() => parseRevisionFile(withLines('revision = "a1"'), 'v/m.py'));
    expect(noParent.text).toMatch(/^has no top-level `down_revision` \(None for a first revision\)/);
  });

  it('refuses a file the scanner cannot read, at the place', () => {
    const error = failure(() => parseRevisionFile(withLines('revision = "a1', 'down_revision = None'), 'v/m.py'));
    expect(error.message).toBe('v/m.py:4: is not valid Python (unterminated string literal); nothing was changed.');
  });
});

describe('findHeads', () => {
  it('is empty for an empty history', () => {
    expect(findHeads([])).toEqual([]);
  });

  it('finds the one revision nothing follows, whatever the order', () => {
    expect(ids(findHeads([rev('c3', ['b2']), rev('a1'), rev('b2', ['a1'])]))).toEqual(['c3']);
  });

  it('finds every head of a branched history, and one after a merge', () => {
    const branched = [rev('a1'), rev('b2', ['a1']), rev('c3', ['a1'])];
    expect(ids(findHeads(branched))).toEqual(['b2', 'c3']);
    expect(ids(findHeads([...branched, rev('d4', ['b2', 'c3'])]))).toEqual(['d4']);
  });

  it('refuses an id defined twice, naming both files', () => {
    const error = failure(() => findHeads([rev('a1', [], 'v/one.py'), rev('a1', [], 'v/two.py')]));
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe('v/two.py: the revision a1 is defined twice, in v/one.py and v/two.py; nothing was changed.');
  });

  it('refuses a down_revision no file defines, naming the file', () => {
    const error = failure(() => findHeads([rev('a1'), rev('b2', ['a1', 'zz9'], 'v/b2.py')]));
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe('v/b2.py: its down_revision names zz9, which no revision file defines; nothing was changed.');
  });

  it.each([
    ['a circle of two', [rev('a1', ['b2']), rev('b2', ['a1'])], 'a1 -> b2 -> a1'],
    ['a revision following itself', [rev('a1', ['a1'])], 'a1 -> a1'],
    ['a circle with a branch leading into it', [rev('t1', ['c1']), rev('c1', ['c3']), rev('c2', ['c1']), rev('c3', ['c2']), rev('ok')], 'c1 -> c3 -> c2 -> c1'],
  ])('refuses %s, naming the revisions in it', (_, revisions, cycle) => {
    const error = failure(() => findHeads(revisions));
    expect(error.exitCode).toBe(3);
    expect(error.text).toBe(`the revisions follow each other in a circle: ${cycle}; nothing was changed.`);
    expect(error.details[0]).toMatch(/^migrations\/versions\/\w+_x\.py: \w+ follows \w+$/);
  });

  it('handles a long history without deep recursion', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => rev(`r${i}`, i === 0 ? [] : [`r${i - 1}`]));
    expect(ids(findHeads(chain.reverse()))).toEqual(['r19999']);
  });
});

describe('chainAfter', () => {
  it('starts an empty history', () => {
    expect(chainAfter([], ['a1'])).toEqual([{ revision: 'a1', downRevision: undefined }]);
  });

  it('chains a batch in argument order after the head', () => {
    expect(chainAfter([rev('h0')], ['c3', 'a1', 'b2'])).toEqual([
      { revision: 'c3', downRevision: 'h0' },
      { revision: 'a1', downRevision: 'c3' },
      { revision: 'b2', downRevision: 'a1' },
    ]);
  });

  it('refuses several heads, naming them and their files, and says to merge them (exit 3)', () => {
    const error = failure(() => chainAfter([rev('b2', ['a1']), rev('c3', ['a1'])], ['d4']));
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(
      'migrations/versions: the migrations have 2 heads, b2 (migrations/versions/b2_x.py), c3 (migrations/versions/c3_x.py); a new revision can follow only one of them, so nothing was changed.',
    );
    expect(error.hints).toEqual(['Merge them first with `alembic merge heads -m "merge heads"`, then run again.']);
  });

  it('is a bug to chain a revision the history or the batch already has', () => {
    expect(() => chainAfter([rev('a1')], ['a1'])).toThrow(/already in the history or the batch/);
    expect(() => chainAfter([], ['a1', 'a1'])).toThrow(/already in the history or the batch/);
  });
});

describe('revisionsAfter', () => {
  it('finds the revisions that follow any of the ids, merges included, in the order given', () => {
    const history = [rev('a1'), rev('b2', ['a1']), rev('c3', ['b2']), rev('m4', ['c3', 'x9']), rev('x9', ['a1'])];
    expect(ids(revisionsAfter(history, ['c3']))).toEqual(['m4']);
    expect(ids(revisionsAfter(history, ['a1']))).toEqual(['b2', 'x9']);
    expect(ids(revisionsAfter(history, ['b2', 'x9']))).toEqual(['c3', 'm4']);
    expect(revisionsAfter(history, ['m4'])).toEqual([]);
    expect(revisionsAfter([], ['a1'])).toEqual([]);
  });
});

describe('legacyCreateRevisionId', () => {
  it('is the first 12 hex digits of the sha256 of <feature>:create_<table>, as records from before keep it', () => {
    expect(legacyCreateRevisionId('pet_profiles', 'pets')).toBe(createHash('sha256').update('pet_profiles:create_pets').digest('hex').slice(0, 12));
    expect(legacyCreateRevisionId('pet_profiles', 'pets')).not.toBe(legacyCreateRevisionId('households', 'pets'));
  });
});

describe('createRevisionId', () => {
  const tags = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => validatePayload({ feature: 'tags', description: 'Tags.', resource: { name: 'tag', fields, ...extra } }, 'tags').resource!;
  const label = { type: 'str', max_length: 20 };
  const none = () => undefined;

  it('is the first 12 hex digits of the sha256 of <feature>:create_<table> and the create_table call the revision makes, on one line', () => {
    const call = 'op.create_table("tags", sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False), sa.Column("label", sa.String(length=20), nullable=False), sa.Column("created_at", sa.DateTime(timezone=True), nullable=False), sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False), sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")))';
    expect(createRevisionId('tags', tags({ label }), none)).toBe(createHash('sha256').update(`tags:create_tags\n${call}`).digest('hex').slice(0, 12));
  });

  it('is the same for the same table, whatever the texts, and another for another table, so a feature generated again with other columns gets a revision of its own', () => {
    const id = createRevisionId('tags', tags({ label }), none);
    expect(createRevisionId('tags', tags({ label: { ...label, description: 'The label.', example: 'red' } }), none)).toBe(id);
    expect(createRevisionId('tags', tags({ label: { ...label, max_length: 30 } }), none)).not.toBe(id);
    expect(createRevisionId('tags', tags({ label: { ...label, required: false, nullable: true } }), none)).not.toBe(id);
    expect(createRevisionId('tags', tags({ label, colour: { type: 'str', max_length: 10 } }), none)).not.toBe(id);
    // An index is part of what the revision creates.
    expect(createRevisionId('tags', tags({ label: { ...label, filterable: true } }), none)).not.toBe(id);
    expect(createRevisionId('tags', tags({ label }, { id: 'uuid' }), none)).not.toBe(id);
    expect(createRevisionId('labels', tags({ label }), none)).not.toBe(id);
  });
});

describe('a random linear history', () => {
  const id = fc.stringMatching(/^[0-9a-f]{12}$/);
  const style = fc.constantFrom(typedRevision, untypedRevision);
  it('written in any order, has the last revision as its only head, and new ones chain after it', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(id, { minLength: 1, maxLength: 25 }).chain((chain) =>
          fc.tuple(fc.constant(chain), fc.shuffledSubarray(chain.map((_, i) => i), { minLength: chain.length, maxLength: chain.length }), fc.array(style, { minLength: chain.length, maxLength: chain.length })),
        ),
        ([chain, order, styles]) => {
          const revisions = order.map((i) => {
            const down = i === 0 ? 'None' : `'${chain[i - 1]}'`;
            return parseRevisionFile(styles[i]!(chain[i]!, down), `v/${chain[i]}.py`);
          });
          const heads = findHeads(revisions);
          expect(ids(heads)).toEqual([chain.at(-1)]);
          expect(chainAfter(heads, ['fresh1'])).toEqual([{ revision: 'fresh1', downRevision: chain.at(-1) }]);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('readRevisions', () => {
  const versions = 'migrations/versions';

  it('is an empty history when the folder does not exist', () => {
    expect(readRevisions(projectWith({ 'alembic.ini': '' }), versions)).toEqual([]);
  });

  it('reads the .py files of the folder only, in code-unit order', () => {
    const root = projectWith({
      [`${versions}/alpha.py`]: typedRevision('a1', "'z9'"),
      [`${versions}/Zeta.py`]: untypedRevision('z9', 'None'),
      [`${versions}/\u00e9t\u00e9.py`]: typedRevision('e5', "'a1'"),
      [`${versions}/__init__.py`]: '',
      [`${versions}/README.md`]: 'revision = "no"\n',
      [`${versions}/__pycache__/alpha.cpython-312.pyc`]: Buffer.from([0xcb, 0x0d, 0x0d, 0x0a]),
      [`${versions}/nested/deeper.py`]: 'not a revision at all (',
    });
    // An editor's lock file: a dangling link Alembic skips too.
    symlinkSync('user@host.1234', path.join(root, versions, '.#alpha.py'));
    const revisions = readRevisions(root, versions);
    expect(revisions.map((revision) => revision.file)).toEqual([`${versions}/Zeta.py`, `${versions}/alpha.py`, `${versions}/\u00e9t\u00e9.py`]);
    expect(ids(findHeads(revisions))).toEqual(['e5']);
  });

  it('refuses a file that is not UTF-8, naming it and the byte (exit 3)', () => {
    const latin1 = Buffer.from(`# caf\u00e9\n${withLines('revision = "a1"', 'down_revision = None')}`, 'latin1');
    const error = failure(() => readRevisions(projectWith({ [`${versions}/a1_init.py`]: latin1 }), versions));
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(`${versions}/a1_init.py: is not valid UTF-8 (byte 0xE9 at offset 5, line 1); nothing was changed.`);
  });

  it('refuses to follow a link, to a revision or to the folder', () => {
    const root = projectWith({ 'elsewhere/a1.py': withLines('revision = "a1"', 'down_revision = None'), 'migrations/.keep': '' });
    mkdirSync(path.join(root, versions));
    symlinkSync(path.join(root, 'elsewhere/a1.py'), path.join(root, versions, 'a1.py'));
    expect(failure(() => readRevisions(root, versions)).message).toMatch(/^migrations\/versions\/a1\.py: is a symbolic link; refusing to follow it/);
    const linked = projectWith({ 'elsewhere/a1.py': withLines('revision = "a1"', 'down_revision = None'), 'migrations/.keep': '' });
    symlinkSync(path.join(linked, 'elsewhere'), path.join(linked, versions));
    const error = failure(() => readRevisions(linked, versions));
    expect(error.exitCode).toBe(3);
    expect(error.path).toBe(versions);
  });

  it('refuses a file where the folder should be', () => {
    const error = failure(() => readRevisions(projectWith({ [versions]: 'x' }), versions));
    expect(error.message).toBe("migrations/versions: is a file where the migrations' versions folder is expected; nothing was changed.");
  });
});

/** The alembic.ini `alembic init` writes, cut down, with the given [alembic] lines. */
const alembicIni = (...alembicLines: string[]) => `# A generic, single database configuration.

[alembic]
# path to migration scripts.
# this is typically a path given in POSIX (e.g. forward slashes)
# format, relative to the token %(here)s which refers to the location of this
# ini file
${alembicLines.join('\n')}

# template used to generate migration file names; The default value is %%(rev)s_%%(slug)s
# file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s

# sys.path path, will be prepended to sys.path if present.
prepend_sys_path = .

# version_locations = %(here)s/bar:%(here)s/bat:%(here)s/alembic/versions

path_separator = os

sqlalchemy.url = driver://user:pass@localhost/dbname


[post_write_hooks]
# hooks = ruff
# ruff.type = exec

# Logging configuration
[loggers]
keys = root,sqlalchemy,alembic

[logger_root]
level = WARN
handlers = console
qualname =

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
`;

const ROOT = '/srv/app';
const versionsDir = (text: string) => versionsDirOf(parseIni(text, 'alembic.ini'), ROOT);

describe('migrationsLocation', () => {
  it('is undefined without an alembic.ini', () => {
    expect(migrationsLocation(projectWith({ 'pyproject.toml': '' }))).toBeUndefined();
  });

  it("reads the target's alembic.ini", () => {
    expect(migrationsLocation(projectWith({ 'alembic.ini': alembicIni('script_location = %(here)s/alembic') }))).toBe('alembic/versions');
  });

  it.each([
    ['script_location = migrations', 'migrations/versions'],
    ['script_location = %(here)s/migrations', 'migrations/versions'],
    ['script_location: ./db/migrations/', 'db/migrations/versions'],
    ['Script_Location=db//migrations', 'db/migrations/versions'],
    ['script_location = /srv/app/db/migrations', 'db/migrations/versions'],
    ['script_location = %(here)s', 'versions'],
    ['script_location = %(here)s/migrations\nversion_locations = %(here)s/db/versions', 'db/versions'],
    ['script_location = migrations\nversion_locations =\n    db/versions\n', 'db/versions'],
    ['script_location = %(base)s/migrations\nbase = %(here)s/backend', 'backend/migrations/versions'],
    ['script_location = migrations\nrecursive_version_locations = false', 'migrations/versions'],
  ])('%s -> %s', (lines, expected) => {
    expect(versionsDir(alembicIni(lines))).toBe(expected);
  });

  it('takes keys from [DEFAULT], and keeps the first delimiter as the split', () => {
    expect(versionsDir('[DEFAULT]\nroot_dir = src\n\n[alembic]\nscript_location = %(root_dir)s/migrations\n')).toBe('src/migrations/versions');
    expect(parseIni('[alembic]\nscript_location: a=b\n', 'alembic.ini').sections.get('alembic')?.get('script_location')?.value).toBe('a=b');
  });

  it.each([
    ['script_location = ../shared/migrations', 4, 'script_location points outside the target ("../shared/migrations")'],
    ['script_location = %(here)s/../migrations', 4, 'script_location points outside the target ("%(here)s/../migrations")'],
    ['script_location = /etc/migrations', 4, 'script_location points outside the target ("/etc/migrations")'],
    ['script_location = migrations\nversion_locations = %(here)s/a %(here)s/b', 5, 'version_locations lists several folders ("%(here)s/a %(here)s/b")'],
    ['script_location = migrations\nversion_locations = a/versions:b/versions', 5, 'version_locations lists several folders'],
    ['script_location = migrations\nversion_locations = a/versions,b/versions', 5, 'version_locations lists several folders'],
    ['script_location = migrations\nversion_locations = a/versions\n  b/versions', 5, 'version_locations lists several folders'],
    ['script_location = migrations\nversion_locations = ../versions', 5, 'version_locations points outside the target'],
    ['script_location = myapp:migrations', 4, 'script_location names a package resource ("myapp:migrations")'],
    ['script_location = migrations  # the environment', 4, 'script_location is not one path ("migrations  # the environment")'],
    ['script_location =', 4, 'script_location is empty'],
    ['script_location = data$/migrations', 4, 'script_location ("data$/migrations", i.e. "data$/migrations") may only use letters'],
    ['script_location = 50%/migrations', 4, 'script_location has a "%" that is neither "%%" nor "%(name)s"'],
    ['script_location = %(nowhere)s/migrations', 4, 'script_location refers to %(nowhere)s, which is not a key of [alembic] or [DEFAULT]'],
    ['script_location = %(script_location)s', 4, 'script_location refers to other keys more than 10 levels deep'],
    ['script_location = migrations\nrecursive_version_locations = true', 5, 'recursive_version_locations is on'],
  ])('refuses %s, naming the file, the line and the key (exit 3)', (lines, offset, text) => {
    const error = failure(() => versionsDir(`# petsage test\n\n[alembic]\n${lines}\n`));
    expect(error.exitCode).toBe(3);
    expect(error.path).toBe(`alembic.ini:${offset}`);
    expect(error.text.startsWith(`[alembic] ${text}`)).toBe(true);
  });

  it('says that alembic.ini has no inline comments', () => {
    const error = failure(() => versionsDir('[alembic]\nscript_location = migrations ; the env\n'));
    expect(error.hints).toContain('alembic.ini has no comments after a value: everything after the "=" is the value.');
  });

  it('refuses a file Alembic could not use', () => {
    expect(failure(() => versionsDir('[loggers]\nkeys = root\n')).message).toMatch(/^alembic\.ini: has no \[alembic\] section/);
    expect(failure(() => versionsDir('[alembic]\nprepend_sys_path = .\n')).message).toBe(
      'alembic.ini: [alembic] script_location is missing; Alembic needs it to find the migrations.',
    );
  });

  it.each([
    ['script_location = migrations\n[alembic]\n', 1, 'a key comes before any [section] header'],
    ['[alembic]\nscript_location = a\nscript_location = b\n', 3, 'the key script_location appears twice in its section'],
    ['[alembic]\nscript_location = a\n\n[alembic]\n', 4, 'the section [alembic] appears twice'],
    ['[alembic]\njust some words\n', 2, 'expected `key = value`, `key: value` or a [section] header'],
    ['[alembic]\n= migrations\n', 2, 'expected `key = value`, `key: value` or a [section] header'],
  ])('refuses INI syntax configparser refuses: %j', (text, line, what) => {
    const error = failure(() => versionsDir(text));
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(`alembic.ini:${line}: cannot be read as an INI file: ${what}; nothing was changed.`);
  });

  it('reads an indented key under its header and text after a header as configparser does', () => {
    expect(versionsDir('[alembic]\n   script_location = m\n')).toBe('m/versions');
    expect(versionsDir('[alembic] the main section\nscript_location = m\n')).toBe('m/versions');
  });

  it('keeps blank lines and comments inside a continued value out of it', () => {
    const document = parseIni('[alembic]\nhooks =\n    one\n\n    # not part of it\n    two\n\nother = x\n', 'alembic.ini');
    expect(document.sections.get('alembic')?.get('hooks')?.value).toBe('\none\n\ntwo');
    expect(document.sections.get('alembic')?.get('other')).toEqual({ value: 'x', line: 8 });
  });
});
