/**
 * `[tool.petsage.db]`: the rules of its shape (no disk), then of the backend files it names
 * (read, never run), every problem at once with its key, and nothing read without the table.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blueprintFromSection, resolveBlueprint } from '../../src/blueprint/config.js';
import { PRESETS } from '../../src/blueprint/presets.js';
import { blueprintProblems } from '../../src/blueprint/validate.js';
import { failure } from '../helpers/errors.js';
import { fixture } from '../helpers/paths.js';
import { projectWith, tempDir } from '../helpers/tmp.js';

const OWN_DB = { base: 'app.core.database:Base', session: 'app.core.database:get_db', models: 'app.models' };

/** The problems blueprintFromSection reports for a `db` table, as `key: message` lines. */
const dbProblems = (db: unknown, source?: Parameters<typeof blueprintFromSection>[2]) => failure(() => blueprintFromSection({ db }, undefined, source)).details;

/** A copy of the hand-written backend with its own layer, changed by `edit` (path: content, null to delete). */
function ownDbBackend(edit: Record<string, string | null> = {}): string {
  const root = path.join(tempDir(), 'backend');
  cpSync(fixture('backends/own-db'), root, { recursive: true });
  for (const [file, content] of Object.entries(edit)) {
    if (content === null) rmSync(path.join(root, file));
    else writeFileSync(path.join(root, file), content);
  }
  return root;
}

const read = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8');

describe('[tool.petsage.db], its shape', () => {
  it('names the layer on the blueprint, and puts petsage_db.py in the folder of the base', () => {
    const blueprint = blueprintFromSection({ preset: 'modules', db: OWN_DB });
    expect(blueprint.db).toEqual(OWN_DB);
    expect(blueprint.resource).toEqual({ ...PRESETS.modules!.resource, db: 'app/core' });
    const src = blueprintFromSection({ preset: 'layered', db: { ...OWN_DB, base: 'petsage.db:Model' } });
    expect(src.resource!.db).toBe('src/petsage');
  });

  it('reports every problem at once, each with its key (exit 2)', () => {
    const error = failure(() => blueprintFromSection({ db: { base: 'app.core.database', sesion: 'x', models: 7 } }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('pyproject.toml: the petsage config is invalid.');
    expect(error.details).toEqual([
      'tool.petsage.db.sesion: unknown key; did you mean "session"?',
      'tool.petsage.db.base: must be "dotted.module:name" (snake_case modules, then a Python name): the declarative base the models subclass, e.g. "app.core.database:Base"',
      'tool.petsage.db.session: is missing; name the dependency that yields a Session, e.g. "app.core.database:get_session"',
      'tool.petsage.db.models: must be a string',
    ]);
  });

  it.each([
    ['a table', 'app.core.database:Base', 'tool.petsage.db: must be a table with the keys base, session and models'],
    ['a Python name after the colon', { ...OWN_DB, base: 'app.core.database:class' }, 'tool.petsage.db.base: must be "dotted.module:name"'],
    ['snake_case modules', { ...OWN_DB, session: 'App.Core:get_db' }, 'tool.petsage.db.session: must be "dotted.module:name"'],
    ['modules that are not keywords', { ...OWN_DB, models: 'app.import' }, 'tool.petsage.db.models: must be a dotted module of snake_case names'],
    ['one colon', { ...OWN_DB, base: 'app.db:Base:x' }, 'tool.petsage.db.base: must be "dotted.module:name"'],
    ['a base in a package', { ...OWN_DB, base: 'database:Base' }, 'tool.petsage.db.base: must be in a package (e.g. "app.core.database:Base"): petsage-build writes petsage_db.py beside it'],
    ['no module named like the helper', { ...OWN_DB, session: 'app.petsage_db:get_db' }, 'tool.petsage.db.session: must not be a petsage_db module'],
    ['a registry apart from the base', { ...OWN_DB, models: 'app.core.database' }, 'tool.petsage.db.models: must be a module of its own'],
  ])('must be %s', (_, db, message) => {
    expect(dbProblems(db)).toEqual([expect.stringContaining(message)]);
  });

  it('names the keys of petsage.config.json without the tool.petsage prefix', () => {
    expect(dbProblems({ ...OWN_DB, models: '' }, { file: 'petsage.config.json', keyPrefix: '' })).toEqual([expect.stringMatching(/^db\.models: must be a dotted module/)]);
  });

  it('checks a record\'s blueprint the same way, with petsage_db.py where the config puts it', () => {
    const blueprint = blueprintFromSection({ db: OWN_DB });
    expect(blueprintProblems(blueprint, (key) => `blueprint.${key}`)).toEqual([]);
    expect(blueprintProblems({ ...blueprint, resource: { ...blueprint.resource!, db: 'app/db' } }, (key) => `blueprint.${key}`)).toEqual([
      { path: 'blueprint.resource.db', message: "must be app/core, the folder of the base's module, with the database layer named under db" },
    ]);
    const { resource: _, ...withoutResource } = blueprint;
    expect(blueprintProblems(withoutResource, (key) => `blueprint.${key}`)).toEqual([{ path: 'blueprint.db', message: 'needs a layout that says where resources persist' }]);
    expect(blueprintProblems({ ...blueprint, db: { ...OWN_DB, extra: 'x' } as never }, (key) => `blueprint.${key}`)[0]).toMatchObject({ path: 'blueprint.db.extra' });
  });
});

describe('[tool.petsage.db], the files it names', () => {
  it('takes the migrations folder from the backend\'s alembic.ini', () => {
    const { blueprint } = resolveBlueprint(ownDbBackend());
    expect(blueprint.db).toEqual(OWN_DB);
    expect(blueprint.resource).toMatchObject({ db: 'app/core', migrations: 'app/alembic' });
  });

  it('accepts a name bound by an import (a re-export) and a package for each module', () => {
    const root = ownDbBackend({ 'app/core/__init__.py': '"""Core."""\n\nfrom app.core.database import get_db as get_session\n\n__all__ = ["get_session"]\n' });
    writeFileSync(path.join(root, 'pyproject.toml'), read(root, 'pyproject.toml').replace('session = "app.core.database:get_db"', 'session = "app.core:get_session"'));
    expect(resolveBlueprint(root).blueprint.db!.session).toBe('app.core:get_session');
    // A package wins over a module of its name, as in Python: app/models.py (no __all__) is not the registry.
    writeFileSync(path.join(root, 'app/models.py'), '"""Shadowed by the package."""\n');
    expect(resolveBlueprint(root).blueprint.db!.models).toBe('app.models');
  });

  it('reports every missing module and undefined name at once, naming each key (exit 2)', () => {
    const root = ownDbBackend({ 'app/models/__init__.py': null });
    writeFileSync(path.join(root, 'pyproject.toml'), read(root, 'pyproject.toml').replace('app.core.database:Base', 'app.core.database:Model').replace('app.core.database:get_db', 'app.core.session:get_db'));
    const error = failure(() => resolveBlueprint(root));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('pyproject.toml: the petsage config is invalid.');
    expect(error.details).toEqual([
      'tool.petsage.db.base: app.core.database does not define Model at its top level (app/core/database.py); name the declarative base (`class Base(DeclarativeBase): ...`) as it is defined there',
      'tool.petsage.db.session: the module app.core.session is not in the project (looked for app/core/session.py and app/core/session/__init__.py)',
      'tool.petsage.db.models: the module app.models is not in the project (looked for app/models.py and app/models/__init__.py)',
      'Fix the keys under tool.petsage.db, or remove it to have petsage-build write its own database layer.',
    ]);
  });

  it.each([
    ['a name only bound inside a block', 'app/core/database.py', (text: string) => text.replace('def get_db() -> Iterator[Session]:', 'if True:\n\n    def get_db() -> Iterator[Session]:').replace(/\n {4}(db|try|yield|finally)/g, '\n        $1').replace(/\n {8}(yield db|db\.close)/g, '\n            $1'), 'tool.petsage.db.session: app.core.database does not define get_db at its top level'],
    ['a dataclass base', 'app/core/database.py', (text: string) => text.replace('class Base(DeclarativeBase):', 'class Base(MappedAsDataclass, DeclarativeBase):'), 'tool.petsage.db.base: Base is a MappedAsDataclass base'],
    ['an async session dependency', 'app/core/database.py', (text: string) => text.replace('def get_db()', 'async def get_db()'), 'tool.petsage.db.session: get_db is an async def'],
    ['a module that is not Python', 'app/core/database.py', (text: string) => `${text}\ndef broken(:\n`, 'tool.petsage.db.base: app/core/database.py is not valid Python'],
    ['a registry without __all__', 'app/models/__init__.py', (text: string) => text.replace(/\n__all__ = .*\n/, '\n'), 'tool.petsage.db.models: app/models/__init__.py has no `__all__ = [...]` list of names'],
  ])('refuses %s, naming the key', (_, file, edit, message) => {
    const root = ownDbBackend();
    writeFileSync(path.join(root, file), edit(read(root, file)));
    expect(failure(() => resolveBlueprint(root)).details[0]).toContain(message);
  });

  it('needs the backend\'s alembic.ini, with revisions in its script folder\'s versions/', () => {
    expect(failure(() => resolveBlueprint(ownDbBackend({ 'alembic.ini': null }))).details[0]).toBe("tool.petsage.db: the backend has no alembic.ini at its root; resources add their migrations to the Alembic history of the backend's own database layer");
    const elsewhere = ownDbBackend();
    writeFileSync(path.join(elsewhere, 'alembic.ini'), read(elsewhere, 'alembic.ini').replace('script_location = app/alembic', 'script_location = app/alembic\nversion_locations = app/revisions'));
    const error = failure(() => resolveBlueprint(elsewhere));
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/^alembic\.ini: the backend's Alembic revisions are in app\/revisions/);
  });

  it('reads none of those files when the table is absent: a broken alembic.ini does not matter then', () => {
    const root = projectWith({ 'pyproject.toml': '[tool.petsage]\npreset = "modules"\n', 'alembic.ini': 'not an ini file\n' });
    expect(resolveBlueprint(root).blueprint.db).toBeUndefined();
  });
});
