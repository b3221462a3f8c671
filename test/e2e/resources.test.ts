import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { petsage } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { checkBackend, passes, PYTEST } from '../helpers/backend-checks.js';
import { postgresDatabase } from '../helpers/postgres-database.js';
import { isRecordFile, recordBesidesBase } from '../helpers/record.js';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

/** The hand-written reference backend, and the payloads it was built from. */
const REFERENCE_DIR = fixture('resources/reference');
const REFERENCE = ['households.json', 'pet_profiles.json'].map((name) => path.join(REFERENCE_DIR, name));
/**
 * Resources with some operations only, after the reference's: clinics that are only listed and
 * read (int ids, every filterable type, rows stored through the model in their tests), and
 * vaccinations that are only created and deleted (uuid ids, a ref to pets, whose own tests then
 * store households first, and a nullable ref to clinics).
 */
const OPERATIONS = ['vet_clinics.json', 'vaccinations.json'].map((name) => fixture(`resources/operations/${name}`));
/** In the reference but not the tool's: its notes, its payloads, and what `init` names after the target. */
const NOT_GENERATED = new Set(['NOTES.md', 'households.json', 'pet_profiles.json', 'README.md', 'pyproject.toml']);
/**
 * The reference's test modules are hand-written: they are not compared with what the tool writes
 * at their paths (its own tests, generic over any field set), but run against the generated code,
 * as an oracle that owes nothing to the generator.
 */
const HAND_WRITTEN_TESTS = ['tests/api/v1/test_households.py', 'tests/api/v1/test_pet_profiles.py'];
/** Written by the tool, not kept in the reference: the records of the resource features. */
const NOT_IN_REFERENCE = new Set(['.petsage/features/households.json', '.petsage/features/pet_profiles.json']);

/**
 * An init backend in `preset` with the status feature and `payloads`: in two runs (the status
 * feature first, as the reference was made), or with `oneBatch` in a single batch of all of them.
 */
async function generate(preset: string, payloads: readonly string[] = REFERENCE, lineLength?: number, oneBatch = false): Promise<string> {
  const backend = path.join(tempDir(), 'backend');
  const init = await petsage(['init', backend, '--preset', preset]);
  expect(init.exitCode, init.stderr).toBe(0);
  // Ruff's line length, which the generated code is laid out for.
  if (lineLength !== undefined) appendFileSync(path.join(backend, 'pyproject.toml'), `\n[tool.ruff]\nline-length = ${lineLength}\n`);
  const runs = oneBatch
    ? [['feature', fixture('payloads/smoke_test.json'), ...payloads, '--target', backend]]
    : [['feature', '--builtin', 'smoke_test', '--target', backend], ['feature', ...payloads, '--target', backend]];
  for (const args of runs) {
    const result = await petsage(args);
    expect(result.exitCode, `${args.join(' ')}\n${result.stderr}`).toBe(0);
  }
  return backend;
}

/** The checks the reference passed, on both databases. */
const checkOnBothDatabases = (backend: string) => checkBackend(backend, postgresDatabase);

describe('a payload with a resource block', () => {
  it('generates, in the modules preset, exactly the reference backend; it passes every check; a re-run changes nothing', async () => {
    const backend = await generate('modules');
    // The reference's files as committed: running its checks leaves caches beside them.
    const reference = execFileSync('git', ['ls-files', '-z', '.'], { cwd: REFERENCE_DIR, encoding: 'utf8' }).split('\0').filter(Boolean);
    const expected = reference.filter((file) => !NOT_GENERATED.has(file)).sort();
    const made = Object.keys(snapshotTree(backend)).filter((file) => !file.endsWith('/') && !NOT_GENERATED.has(file) && !NOT_IN_REFERENCE.has(file)).sort();
    expect(made).toEqual(expected);
    for (const file of expected.filter((name) => !HAND_WRITTEN_TESTS.includes(name))) {
      const made = readFileSync(path.join(backend, file), 'utf8');
      expect(isRecordFile(file) ? recordBesidesBase(made) : made, file).toBe(readFileSync(path.join(REFERENCE_DIR, file), 'utf8'));
    }

    await checkOnBothDatabases(backend);

    // The hand-written tests, against the generated code, on both databases.
    const oracle = path.join(backend, 'tests', 'reference');
    mkdirSync(oracle);
    for (const file of HAND_WRITTEN_TESTS) copyFileSync(path.join(REFERENCE_DIR, file), path.join(oracle, path.basename(file)));
    const pytest = [...PYTEST, 'tests/reference'];
    expect(await passes(backend, 'python', pytest)).toMatch(/\b\d{3} passed/);
    expect(await passes(backend, 'python', pytest, { TEST_DATABASE_URL: await postgresDatabase() })).toMatch(/\b\d{3} passed/);
    rmSync(oracle, { recursive: true });

    const before = snapshotTree(backend);
    const again = await petsage(['feature', ...REFERENCE, '--target', backend]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout + again.stderr).toContain('Already up to date');
    expect(snapshotTree(backend)).toEqual(before);
    const check = await petsage(['check', '--target', backend]);
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  }, 600_000);

  it('generates only the operations a resource lists, and every check passes', async () => {
    const backend = await generate('modules', [...REFERENCE, ...OPERATIONS]);
    const read = (feature: string, file: string) => readFileSync(path.join(backend, 'app/api/v1/modules', feature, file), 'utf8');
    const routes = (feature: string) => [...read(feature, 'router.py').matchAll(/^@router\.(\w+)\(\n {4}"([^"]*)"/gm)].map(([, method, route]) => `${method} ${route}`);
    const classes = (feature: string, file: string) => [...read(feature, file).matchAll(/^class (\w+)/gm)].map(([, name]) => name);

    expect(routes('vet_clinics')).toEqual(['get /', 'get /{clinic_id}']);
    expect(classes('vet_clinics', 'schemas.py')).toEqual(['ClinicRead', 'ClinicPage', 'ClinicListQuery', 'ClinicError']);
    expect(classes('vet_clinics', 'services.py')).toEqual(['ClinicNotFound', 'ClinicService']);
    expect(read('vet_clinics', 'services.py')).not.toContain('utc_now');
    expect(read('vet_clinics', 'repository.py')).not.toMatch(/taken_fields|def add|def delete/);
    expect(routes('vaccinations')).toEqual(['post /', 'delete /{vaccination_id}']);
    expect(classes('vaccinations', 'schemas.py')).toEqual(['VaccinationCreate', 'VaccinationRead', 'VaccinationError']);
    expect(read('vaccinations', 'repository.py')).not.toMatch(/def page|def count|exclude_id/);
    for (const [feature, rows] of [['vet_clinics', ['vet_clinics_list', 'vet_clinics_get']], ['vaccinations', ['vaccinations_create', 'vaccinations_delete']]] as const) {
      const readme = read(feature, 'README.md');
      expect([...readme.matchAll(/^\| `[A-Z]+` +\| `[^`]+` +\| `(\w+)`/gm)].map(([, id]) => id)).toEqual(rows);
    }
    expect(read('vaccinations', 'README.md')).not.toMatch(/curl '|-X PATCH|`PATCH`/);

    await checkOnBothDatabases(backend);
    const check = await petsage(['check', '--target', backend]);
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  }, 600_000);

  it.each([
    ['layered', 'default'],
    ['features', 79],
    ['endpoints', 120],
    ['src-features', 'default'],
  ] as const)('generates, in one batch with a status feature, a backend in the %s preset (ruff line length %s) that passes every check', async (preset, lineLength) => {
    await checkOnBothDatabases(await generate(preset, [...REFERENCE, ...OPERATIONS], typeof lineLength === 'number' ? lineLength : undefined, true));
  }, 600_000);
});

/** An init backend in the default preset, in a temp folder that payloads can be written beside. */
async function initBackend(): Promise<{ dir: string; backend: string }> {
  const dir = tempDir();
  const backend = path.join(dir, 'backend');
  const init = await petsage(['init', backend]);
  expect(init.exitCode, init.stderr).toBe(0);
  return { dir, backend };
}

describe('a resource whose plural the rule gets wrong', () => {
  it('takes the plural the payload gives for its table and its code; every check passes on SQLite and PostgreSQL', async () => {
    const { dir, backend } = await initBackend();
    const payload = path.join(dir, 'people.json');
    const fields = { email: { type: 'str', max_length: 80, unique: true, filterable: true }, nickname: { type: 'str', max_length: 20, required: false, nullable: true } };
    writeFileSync(payload, JSON.stringify({ feature: 'people', description: 'The people of a clinic.', resource: { name: 'person', plural: 'people', fields } }));
    const result = await petsage(['feature', payload, '--target', backend]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(path.join(backend, 'migrations/versions')).filter((file) => file.endsWith('_create_people.py'))).toHaveLength(1);
    const model = readFileSync(path.join(backend, 'app/api/v1/modules/people/models.py'), 'utf8');
    expect(model).toContain('__tablename__ = "people"');
    expect(readFileSync(path.join(backend, 'app/api/v1/modules/people/router.py'), 'utf8')).toContain('def list_people(');
    await checkBackend(backend, postgresDatabase);
  }, 300_000);
});

describe('fields named like what the generated modules import', () => {
  it('generate working code, except the names the model and schemas use in their class bodies, which are refused (exit 2)', async () => {
    const { dir, backend } = await initBackend();
    const optional = { required: false, nullable: true };
    // Names the router, the services, the repository, the tests or the db layer import: a field may take them.
    const fields = {
      timezone: { type: 'str', max_length: 20, filterable: true },
      select: { type: 'int', filterable: true, ...optional },
      func: { type: 'bool', default: false },
      math: { type: 'float', ...optional },
      os: { type: 'date', filterable: true, ...optional },
      pytest: { type: 'datetime', ...optional },
      app: { type: 'uuid', unique: true, ...optional },
      utc_now: { type: 'enum', values: ['a', 'b'], ...optional },
      jsonable_encoder: { type: 'decimal', ...optional },
      get_session: { type: 'text', ...optional },
      // Words a support ticket or a training plan would use, which the endpoints do not take.
      session: { type: 'str', max_length: 40, filterable: true, ...optional },
      request: { type: 'text', ...optional },
      response: { type: 'str', max_length: 200, filterable: true, ...optional },
    };
    const payload = path.join(dir, 'things.json');
    const write = (extra: object) => writeFileSync(payload, JSON.stringify({ feature: 'things', description: 'Things.', resource: { name: 'thing', fields: { ...fields, ...extra } } }));
    write({ date: { type: 'date', ...optional } });
    const before = snapshotTree(backend);
    const refused = await petsage(['feature', payload, '--target', backend]);
    expect(refused.exitCode, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('resource.fields.date: "date" is a name the generated model and schemas import, which a field of that name would hide; choose another name');
    expect(snapshotTree(backend)).toEqual(before);
    write({});
    const result = await petsage(['feature', payload, '--target', backend]);
    expect(result.exitCode, result.stderr).toBe(0);
    await checkBackend(backend);
  }, 300_000);
});
