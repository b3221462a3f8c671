// Resources on a backend's own database layer, named under [tool.petsage.db], through the built
// binary: the hand-written backend fixtures/backends/own-db (its own declarative base with
// PostgreSQL's naming convention, its own session dependency, models registry and Alembic
// history under app/alembic) gains the two reference resources and a status feature, then
// passes every check on SQLite and PostgreSQL, and remove takes it back to its original bytes.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBackend } from '../helpers/backend-checks.js';
import { petsage } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { postgresDatabase } from '../helpers/postgres-database.js';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

const OWN_DB = fixture('backends/own-db');
const REFERENCE = ['households.json', 'pet_profiles.json'].map((name) => fixture(`resources/reference/${name}`));
/** Resources with some operations only: no clock, rows stored through the model, uuid ids, a ref to pets. */
const OPERATIONS = ['vet_clinics.json', 'vaccinations.json'].map((name) => fixture(`resources/operations/${name}`));

/** A fresh copy of the hand-written backend. */
function ownDbBackend(): string {
  const backend = path.join(tempDir(), 'backend');
  cpSync(OWN_DB, backend, { recursive: true });
  return backend;
}

async function succeeds(args: readonly string[]): Promise<string> {
  const result = await petsage(args);
  expect(result.exitCode, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

const read = (backend: string, file: string) => readFileSync(path.join(backend, file), 'utf8');

describe('resources on the backend\'s own database layer', () => {
  it('generates into a hand-written backend, which passes every check on SQLite and PostgreSQL; a re-run changes nothing, check is green, and remove takes it back to its original bytes', async () => {
    const backend = ownDbBackend();
    const original = snapshotTree(backend);
    await succeeds(['feature', '--builtin', 'smoke_test', '--target', backend]);
    await succeeds(['feature', ...REFERENCE, '--target', backend]);

    // None of petsage-build's layer; the migrations in the backend's own history.
    for (const file of ['app/db', 'migrations', 'db.sqlite3']) expect(existsSync(path.join(backend, file)), file).toBe(false);
    expect(read(backend, 'alembic.ini')).toBe(read(OWN_DB, 'alembic.ini'));
    expect(read(backend, 'app/alembic/versions/778ba945a414_create_households.py')).toContain('down_revision: str | None = "5b7e0c1d9a2f"');
    expect(read(backend, 'app/api/v1/modules/households/models.py')).toContain('from app.core.database import Base\n');
    expect(read(backend, 'app/api/v1/modules/pet_profiles/dependencies.py')).toContain('from app.core.database import get_db as get_session\n');

    // The checks leave caches and databases beside the code: they run on a copy.
    const checked = path.join(tempDir(), 'checked');
    cpSync(backend, checked, { recursive: true });
    await checkBackend(checked, postgresDatabase);

    const generated = snapshotTree(backend);
    const again = await succeeds(['feature', ...REFERENCE, '--target', backend]);
    expect(again).toContain('Already up to date');
    expect(snapshotTree(backend)).toEqual(generated);
    expect(await succeeds(['check', '--target', backend])).toContain('Every recorded feature is current.');

    const pets = await succeeds(['remove', 'pet_profiles', '--target', backend]);
    expect(pets).toContain('models/__init__.py  updated');
    expect(pets).not.toContain('petsage_db.py');
    const households = await succeeds(['remove', 'households', '--target', backend]);
    expect(households).toContain('petsage_db.py  removed');
    await succeeds(['remove', 'smoke_test', '--target', backend]);
    expect(snapshotTree(backend)).toEqual(original);
  }, 600_000);

  it('lays the code out for the backend\'s ruff line length (79), with resources of some operations only, and every check passes', async () => {
    const backend = ownDbBackend();
    writeFileSync(path.join(backend, 'pyproject.toml'), `${read(backend, 'pyproject.toml')}\n[tool.ruff]\nline-length = 79\n`);
    await succeeds(['feature', ...REFERENCE, ...OPERATIONS, '--target', backend]);
    await checkBackend(backend, postgresDatabase);
  }, 600_000);
});

describe('a backend whose Python starts at 3.11', () => {
  it('gets datetime.UTC, as ruff asks there (UP017), in every module that names UTC; every check passes with pyupgrade\'s rules, a re-run changes nothing and check is green', async () => {
    const backend = ownDbBackend();
    const pyproject = read(backend, 'pyproject.toml');
    writeFileSync(path.join(backend, 'pyproject.toml'), pyproject.replace('requires-python = ">=3.10"', 'requires-python = ">=3.11"').replace('python_version = "3.10"', 'python_version = "3.11"'));
    await succeeds(['feature', '--builtin', 'smoke_test', '--target', backend]);
    await succeeds(['feature', ...REFERENCE, '--target', backend]);

    const generated = snapshotTree(backend);
    const python = Object.entries(generated).filter(([file]) => file.endsWith('.py') && !Object.hasOwn(snapshotTree(OWN_DB), file));
    expect(python.length).toBeGreaterThan(10);
    for (const [file, text] of python) expect(text, file).not.toMatch(/timezone\.utc|import .*\btimezone\b/);
    expect(read(backend, 'app/core/petsage_db.py')).toContain('\nfrom datetime import UTC, datetime\n');
    expect(read(backend, 'app/api/v1/modules/smoke_test/services.py')).toContain('    return datetime.now(UTC)\n');
    expect(read(backend, 'app/api/v1/modules/pet_profiles/services.py')).toContain('    return datetime.now(UTC)\n');
    expect(read(backend, 'tests/api/v1/test_smoke_test.py')).toContain('\nfrom datetime import UTC, datetime, timedelta\n');

    const checked = path.join(tempDir(), 'checked');
    cpSync(backend, checked, { recursive: true });
    await checkBackend(checked, postgresDatabase);

    expect(await succeeds(['feature', '--builtin', 'smoke_test', '--target', backend])).toContain('Already up to date');
    expect(await succeeds(['feature', ...REFERENCE, '--target', backend])).toContain('Already up to date');
    expect(snapshotTree(backend)).toEqual(generated);
    expect(await succeeds(['check', '--target', backend])).toContain('Every recorded feature is current.');
  }, 600_000);
});

describe('an invalid [tool.petsage.db]', () => {
  const TABLE = /\[tool\.petsage\.db\][^[]*/;
  const withTable = (table: string) => (text: string) => text.replace(TABLE, `[tool.petsage.db]\n${table}\n\n`);

  it.each([
    ['an unknown key', withTable('base = "app.core.database:Base"\nsesion = "app.core.database:get_db"\nmodels = "app.models"'), 'tool.petsage.db.sesion: unknown key; did you mean "session"?'],
    ['a value of the wrong type', withTable('base = "app.core.database:Base"\nsession = ["app.core.database:get_db"]\nmodels = "app.models"'), 'tool.petsage.db.session: must be a string'],
    ['a value that is not module:name', withTable('base = "app/core/database.py:Base"\nsession = "app.core.database:get_db"\nmodels = "app.models"'), 'tool.petsage.db.base: must be "dotted.module:name"'],
    ['a module the backend does not have', withTable('base = "app.core.db:Base"\nsession = "app.core.database:get_db"\nmodels = "app.models"'), 'tool.petsage.db.base: the module app.core.db is not in the project (looked for app/core/db.py and app/core/db/__init__.py)'],
    ['a name its module does not define', withTable('base = "app.core.database:Base"\nsession = "app.core.database:get_session"\nmodels = "app.models"'), 'tool.petsage.db.session: app.core.database does not define get_session at its top level (app/core/database.py)'],
  ])('refuses %s: exit 2, naming the key, nothing written', async (_, edit, line) => {
    const backend = ownDbBackend();
    writeFileSync(path.join(backend, 'pyproject.toml'), edit(read(backend, 'pyproject.toml')));
    const before = snapshotTree(backend);
    const result = await petsage(['feature', ...REFERENCE, '--target', backend]);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain('pyproject.toml: the petsage config is invalid.');
    expect(result.stderr).toContain(line);
    expect(snapshotTree(backend)).toEqual(before);
  });

  it('is mirrored by db in petsage.config.json, whose keys the messages name as it spells them', async () => {
    const backend = ownDbBackend();
    writeFileSync(path.join(backend, 'pyproject.toml'), read(backend, 'pyproject.toml').replace(/\[tool\.petsage\][^[]*/, '').replace(TABLE, ''));
    const config = { preset: 'modules', db: { base: 'app.core.database:Base', session: 'app.core.database:get_db', models: 'app.model' } };
    writeFileSync(path.join(backend, 'petsage.config.json'), JSON.stringify(config));
    const before = snapshotTree(backend);
    const refused = await petsage(['feature', REFERENCE[0]!, '--target', backend, '--json']);
    expect(refused.exitCode).toBe(2);
    expect(JSON.parse(refused.stdout).errors).toEqual([
      { code: 'invalid_input', path: 'petsage.config.json', message: 'the petsage config is invalid.', hint: 'Fix the keys under db, or remove it to have petsage-build write its own database layer.' },
      { code: 'invalid_input', path: 'db.models', message: 'the module app.model is not in the project (looked for app/model.py and app/model/__init__.py)' },
    ]);
    expect(snapshotTree(backend)).toEqual(before);

    writeFileSync(path.join(backend, 'petsage.config.json'), JSON.stringify({ ...config, db: { ...config.db, models: 'app.models' } }));
    await succeeds(['feature', REFERENCE[0]!, '--target', backend]);
    expect(JSON.parse(read(backend, '.petsage/features/households.json')).blueprint.db.models).toBe('app.models');
    expect(existsSync(path.join(backend, 'app/core/petsage_db.py'))).toBe(true);
  });
});
