/**
 * `update` on the built binary, as issue 13's proof describes, for the default preset and a
 * flat one: a status feature and a resource feature are generated; the user edits the router
 * (a route), the test (a test) and the READMEs; the project overrides a template and the
 * payloads' descriptions change. `update` merges all of it and the backend's tests pass; an
 * edit on the very lines a template changes stops it (exit 3, nothing written) until
 * --conflicts=markers writes standard conflict markers. A resource whose payload changes its
 * table gets a revision after the head that migrates a database already holding a row: columns
 * added and dropped, then columns altered in place (a longer string, int to float, made NOT NULL
 * with a default, made unique, indexed) and a ref added with its foreign key.
 */
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBackend, passes, PYTEST } from '../helpers/backend-checks.js';
import { postgresDatabase } from '../helpers/postgres-database.js';
import { petsage, run } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { venvBin } from '../helpers/python-env.mjs';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

const REVIEWED = '# Reviewed by the platform team.';
const SMOKE = JSON.parse(readFileSync(fixture('payloads/smoke_test.json'), 'utf8'));
const HOUSEHOLDS = JSON.parse(readFileSync(fixture('resources/reference/households.json'), 'utf8'));
const PETS = JSON.parse(readFileSync(fixture('resources/reference/pet_profiles.json'), 'utf8'));

/** Where a feature's artifacts are, as its record says (so the test holds for any preset). */
function artifacts(root: string, feature: string): { router: string; test: string; readme: string; module: string } {
  const { blueprint } = JSON.parse(readFileSync(path.join(root, `.petsage/features/${feature}.json`), 'utf8'));
  const at = (key: string) => (blueprint.paths[key] as string).replaceAll('{feature}', feature);
  const router = at('router');
  const module = (blueprint.sourceRoot === '.' ? router : router.slice(blueprint.sourceRoot.length + 1)).replace(/\.py$/, '').replace(/\/__init__$/, '').replaceAll('/', '.');
  return { router, test: at('test'), readme: at('readme'), module };
}

const ok = async (args: string[]) => {
  const result = await petsage(args);
  expect(result.exitCode, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
};

const read = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8');

/** A template edit: a comment line above the router's assignment, in the status and the resource router templates. */
function reviewTemplates(root: string, comment: string): void {
  const edit = (name: string, anchor: RegExp) => {
    const file = path.join(root, '.petsage/templates', name);
    const text = readFileSync(file, 'utf8').replace(/^# Reviewed.*\n/m, '');
    expect(text).toMatch(anchor);
    writeFileSync(file, text.replace(anchor, (line) => `${comment}\n${line}`));
  };
  edit('router.py.hbs', /^\{\{router\.line\}\}/m);
  edit('resource/router.py.hbs', /^\{\{r\.router\.routerLine\}\}/m);
}

describe.each(['modules', 'layered'])('update in the %s preset', (preset) => {
  it('merges template, payload and user changes; pytest passes; a conflicting edit stops it until --conflicts=markers', async () => {
    const dir = tempDir();
    const root = path.join(dir, 'backend');
    await ok(['init', root, '--preset', preset]);
    const payloads = { smoke: path.join(dir, 'smoke_test.json'), households: path.join(dir, 'households.json') };
    writeFileSync(payloads.smoke, JSON.stringify(SMOKE));
    writeFileSync(payloads.households, JSON.stringify(HOUSEHOLDS));
    await ok(['feature', payloads.smoke, payloads.households, '--target', root]);
    const smoke = artifacts(root, 'smoke_test');
    const households = artifacts(root, 'households');

    // The user's edits: a route, a test of it, notes in the READMEs.
    appendFileSync(path.join(root, smoke.router), '\n\n@router.get("/extra", operation_id="smoke_test_extra")\ndef read_smoke_test_extra() -> dict[str, str]:\n    return {"extra": "yes"}\n');
    appendFileSync(
      path.join(root, smoke.test),
      `\n\ndef test_my_extra_route_is_served() -> None:\n    from ${smoke.module} import router as extra_router\n\n    assert any(getattr(route, "path", "") == "/extra" for route in extra_router.routes)\n`,
    );
    appendFileSync(path.join(root, smoke.readme), '\nOur team owns this endpoint.\n');
    appendFileSync(path.join(root, households.readme), '\nHouseholds are reviewed monthly.\n');

    // The project's template change, and new descriptions.
    await ok(['templates', 'eject', '--target', root]);
    reviewTemplates(root, REVIEWED);
    writeFileSync(payloads.smoke, JSON.stringify({ ...SMOKE, description: 'Ensure the builder works, reviewed.' }));
    writeFileSync(payloads.households, JSON.stringify({ ...HOUSEHOLDS, description: 'Households that own pets, reviewed.' }));

    const updated = await ok(['update', payloads.smoke, payloads.households, '--target', root]);
    expect(updated.stdout).toContain('Merged with your edits:');
    expect(updated.stdout).toContain(`${path.basename(smoke.router)}  updated (merged with your edits)\n`);
    const router = read(root, smoke.router);
    expect(router).toContain(`${REVIEWED}\nrouter = APIRouter`);
    expect(router).toContain('ENDPOINT_DESCRIPTION = "Ensure the builder works, reviewed."');
    expect(router).toContain('def read_smoke_test_extra() -> dict[str, str]:');
    expect(read(root, smoke.test)).toContain('def test_my_extra_route_is_served() -> None:');
    expect(read(root, smoke.readme)).toContain('Ensure the builder works, reviewed.');
    expect(read(root, smoke.readme)).toContain('Our team owns this endpoint.');
    expect(read(root, households.router)).toContain(REVIEWED);
    expect(read(root, households.readme)).toContain('Households that own pets, reviewed.');
    expect(read(root, households.readme)).toContain('Households are reviewed monthly.');
    // The whole suite, generated tests and the user's, passes; the user's own test is one of them.
    expect(await passes(root, 'python', PYTEST)).toMatch(/^\d+ passed in /m);
    expect(await passes(root, 'python', [...PYTEST, `${smoke.test}::test_my_extra_route_is_served`])).toMatch(/^1 passed in /m);

    // The record's base is the fresh render: the files merged with edits stay `edited`, the rest is current.
    const check = JSON.parse((await petsage(['check', '--target', root, '--json'])).stdout);
    const states = Object.fromEntries(check.features.flatMap((feature: { files: { path: string; state: string }[] }) => feature.files.map((file) => [file.path, file.state])));
    const edited = [smoke.router, smoke.test, smoke.readme, households.readme];
    expect(Object.entries(states).filter(([, state]) => state !== 'current').map(([file]) => file).sort()).toEqual([...edited].sort());
    for (const file of edited) expect(states[file], file).toBe('edited');

    // An edit of the very line the template changes next: a conflict, nothing written.
    writeFileSync(path.join(root, smoke.router), router.replace(REVIEWED, '# Reviewed by us.'));
    reviewTemplates(root, '# Reviewed by the platform team, twice.');
    const before = snapshotTree(root);
    const refused = await petsage(['update', '--target', root]);
    expect(refused.exitCode, refused.stderr).toBe(3);
    expect(refused.stderr).toMatch(new RegExp(`${smoke.router.replaceAll('.', '\\.')}: conflict: your line \\d+ against the new render's line \\d+`));
    expect(snapshotTree(root)).toEqual(before);
    // --json reports every file of the refused run: the merge that conflicts, the rest skipped or unchanged.
    const refusedJson = await petsage(['update', '--target', root, '--json']);
    expect(refusedJson.exitCode).toBe(3);
    const reported = JSON.parse(refusedJson.stdout).features.flatMap((feature: { files: { path: string; action: string }[] }) => feature.files);
    expect(reported.filter((file: { action: string }) => file.action === 'conflict').map((file: { path: string }) => file.path)).toEqual([smoke.router]);
    expect(reported.map((file: { path: string }) => file.path)).toEqual(expect.arrayContaining([smoke.router, smoke.test, households.router]));
    expect(reported.every((file: { action: string }) => ['conflict', 'skipped', 'unchanged'].includes(file.action))).toBe(true);
    expect(snapshotTree(root)).toEqual(before);

    const marking = await petsage(['update', '--target', root, '--conflicts=markers', '--json']);
    expect(marking.exitCode, marking.stderr).toBe(0);
    const withMarkers = JSON.parse(marking.stdout).features.flatMap((feature: { files: { path: string; merge?: string }[] }) => feature.files);
    expect(withMarkers.filter((file: { merge?: string }) => file.merge === 'markers').map((file: { path: string }) => file.path)).toEqual([smoke.router]);
    expect(marking.stderr).toContain('updated (merged with your edits, with conflict markers to resolve)');
    expect(read(root, smoke.router)).toContain('<<<<<<< ours (your file)\n# Reviewed by us.\n=======\n# Reviewed by the platform team, twice.\n>>>>>>> theirs (petsage-build update)\nrouter = APIRouter');
    // The resource's router was not edited there: it simply takes the new line.
    expect(read(root, households.router)).toContain('# Reviewed by the platform team, twice.');

    // Until the markers are resolved the file is broken, not merely edited: check fails on it,
    // and another update refuses to merge into it.
    const marked = await petsage(['check', '--target', root, '--json']);
    expect(marked.exitCode).toBe(5);
    const markedFiles = JSON.parse(marked.stdout).features.flatMap((feature: { files: { path: string; state: string }[] }) => feature.files);
    expect(markedFiles.filter((file: { state: string }) => file.state === 'conflicted').map((file: { path: string }) => file.path)).toEqual([smoke.router]);
    const unresolved = snapshotTree(root);
    const again = await petsage(['update', '--target', root]);
    expect(again.exitCode).toBe(3);
    expect(again.stderr).toContain(`${smoke.router}: still holds conflict markers`);
    expect(snapshotTree(root)).toEqual(unresolved);
  });
});

/** A backend (init's) with the reference households and pet_profiles, whose payloads stay beside it to be changed. */
async function withHouseholdsAndPets(): Promise<{ dir: string; root: string; households: string }> {
  const dir = tempDir();
  const root = path.join(dir, 'backend');
  await ok(['init', root]);
  const households = path.join(dir, 'households.json');
  const pets = path.join(dir, 'pet_profiles.json');
  writeFileSync(households, JSON.stringify(HOUSEHOLDS));
  writeFileSync(pets, JSON.stringify(PETS));
  await ok(['feature', households, pets, '--target', root]);
  return { dir, root, households };
}

describe('a parent resource regenerated by feature from a changed payload', () => {
  it('leaves its child failing its tests, which check reports as drift (exit 5) until update re-renders the child', async () => {
    const { root, households } = await withHouseholdsAndPets();
    // The child's tests store households rows with a name: a households without one breaks them.
    const { name: _dropped, ...kept } = HOUSEHOLDS.resource.fields;
    writeFileSync(households, JSON.stringify({ ...HOUSEHOLDS, resource: { ...HOUSEHOLDS.resource, fields: kept } }));
    const regenerated = await ok(['feature', households, '--target', root]);
    expect(regenerated.stderr).toContain(`pet_profiles refers to a resource this run changed`);
    const childTests = artifacts(root, 'pet_profiles').test;
    const stale = await run(venvBin('python'), [...PYTEST, childTests], { cwd: root });
    expect(stale.exitCode, stale.stdout).toBe(1);

    const check = await petsage(['check', '--target', root, '--json']);
    expect(check.exitCode, check.stderr).toBe(5);
    const report = JSON.parse(check.stdout) as { features: { feature: string; state: string; drift: boolean; problems?: { path: string; message: string }[] }[] };
    expect(report.features.find((feature) => feature.feature === 'households')).toMatchObject({ state: 'current', drift: false });
    const child = report.features.find((feature) => feature.feature === 'pet_profiles')!;
    expect(child).toMatchObject({ state: 'outdated', drift: true });
    expect(child.problems).toEqual([{ path: '.petsage/features/pet_profiles.json', message: expect.stringContaining('`petsage-build update pet_profiles` re-renders it') }]);

    await ok(['update', 'pet_profiles', '--target', root]);
    await passes(root, 'python', [...PYTEST, childTests]);
    const green = await petsage(['check', '--target', root]);
    expect(green.exitCode, green.stdout + green.stderr).toBe(0);
  });
});

describe.each(['modules', 'layered'])('a resource whose payload changes its table, in the %s preset', (preset) => {
  it('gets a new revision after the head that adds and drops columns, on a database that already holds rows; every check passes', async () => {
    const dir = tempDir();
    const root = path.join(dir, 'backend');
    await ok(['init', root, '--preset', preset]);
    const payload = path.join(dir, 'households.json');
    writeFileSync(payload, JSON.stringify(HOUSEHOLDS));
    await ok(['feature', payload, '--target', root]);
    // A database at the create revision, with a row the new columns must accept.
    const database = { DATABASE_URL: `sqlite:///${path.join(dir, 'live.sqlite3')}` };
    await passes(root, 'alembic', ['upgrade', 'head'], database);
    const insert = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"insert into households (id, name, budget, visits, created_at, updated_at) values (x'00112233445566778899aabbccddeeff', 'Smiths', 1.5, 0, '2024-01-01', '2024-01-01')\"); c.commit()";
    await passes(root, 'python', ['-c', insert, path.join(dir, 'live.sqlite3')]);
    const migrations = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => /versions\/\w+\.py$/.test(file));
    const createdText = read(root, migrations[0]!);

    const { address: _dropped, ...kept } = HOUSEHOLDS.resource.fields;
    const fields = { ...kept, nickname: { type: 'str', max_length: 20, required: false, nullable: true, filterable: true }, rank: { type: 'int', default: 3 } };
    writeFileSync(payload, JSON.stringify({ ...HOUSEHOLDS, resource: { ...HOUSEHOLDS.resource, fields } }));
    await ok(['update', payload, '--target', root]);

    // The create revision is untouched; the new one follows it.
    expect(read(root, migrations[0]!)).toBe(createdText);
    const alter = readdirSync(root, { recursive: true, encoding: 'utf8' }).find((file) => /versions\/\w+_alter_households\.py$/.test(file))!;
    expect(read(root, alter)).toContain(`down_revision: str | None = "${/^revision: str = "(\w+)"/m.exec(createdText)![1]}"`);
    await passes(root, 'alembic', ['upgrade', 'head'], database);
    await passes(root, 'alembic', ['check'], database);
    const rows = await passes(root, 'python', ['-c', 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select name, nickname, rank from households").fetchall())', path.join(dir, 'live.sqlite3')]);
    expect(rows.trim()).toBe("[('Smiths', None, 3)]");
    await passes(root, 'alembic', ['downgrade', '-1'], database);
    // ruff, mypy, the tests and a fresh database upgraded through both revisions, on SQLite and PostgreSQL.
    await checkBackend(root, postgresDatabase);
    const check = await petsage(['check', '--target', root]);
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  });
});

describe('a resource other tables refer to, altered on SQLite with their rows stored', () => {
  it('migrates up and down with the rows kept, and foreign keys are enforced again after', async () => {
    const { dir, root, households } = await withHouseholdsAndPets();
    const database = { DATABASE_URL: `sqlite:///${path.join(dir, 'live.sqlite3')}` };
    await passes(root, 'alembic', ['upgrade', 'head'], database);
    // A household and a pet of it, stored through the API as the app stores them.
    const store = [
      'from fastapi.testclient import TestClient',
      'from app.main import app',
      'client = TestClient(app)',
      'household = client.post("/api/v1/households/", json={"name": "Smiths"}).json()',
      'pet = client.post("/api/v1/pet-profiles/", json={"name": "Rex", "species": "dog", "household_id": household["id"]})',
      'assert pet.status_code == 201, pet.text',
    ].join('\n');
    await passes(root, 'python', ['-c', store], database);

    // A longer name: SQLite alters the households table by copying it, while pets refer to it.
    const name = { ...HOUSEHOLDS.resource.fields.name, max_length: 150 };
    writeFileSync(households, JSON.stringify({ ...HOUSEHOLDS, resource: { ...HOUSEHOLDS.resource, fields: { ...HOUSEHOLDS.resource.fields, name } } }));
    await ok(['update', households, '--target', root]);
    expect(readdirSync(path.join(root, 'migrations/versions')).some((file) => file.endsWith('_alter_households.py'))).toBe(true);
    const inspect = [
      'import sqlite3, sys',
      'from sqlalchemy.exc import IntegrityError',
      'from app.db.session import engine',
      'db = sqlite3.connect(sys.argv[1])',
      'print(db.execute("select name from households").fetchall(), db.execute("select name from pets").fetchall(), db.execute("pragma foreign_key_check").fetchall())',
      'try:',
      '    with engine.begin() as connection:',
      '        connection.exec_driver_sql("update pets set household_id = \'0\' * 32")',
      'except IntegrityError:',
      '    print("enforced")',
    ].join('\n');
    const live = path.join(dir, 'live.sqlite3');
    for (const step of [['upgrade', 'head'], ['downgrade', '-1'], ['upgrade', 'head']]) {
      await passes(root, 'alembic', step, database);
      expect((await passes(root, 'python', ['-c', inspect, live], database)).trim(), step.join(' ')).toBe("[('Smiths',)] [('Rex',)] []\nenforced");
    }
    await passes(root, 'alembic', ['check'], database);
  });
});

describe.each(['modules', 'layered'])('a resource whose payload alters its columns and adds a ref, in the %s preset', (preset) => {
  it('gets a new revision that alters them in place and adds the foreign key, keeping the row stored; every check passes', async () => {
    const dir = tempDir();
    const root = path.join(dir, 'backend');
    await ok(['init', root, '--preset', preset]);
    // Pets without their household yet, with a field to make NOT NULL and one to widen to a float (bounded, so that a float holds every value exactly).
    const { household_id: _later, ...petFields } = PETS.resource.fields;
    const optional = { required: false, nullable: true };
    const fields = { ...petFields, coat: { type: 'str', max_length: 20, default: 'short', ...optional }, age: { type: 'int', ge: 0, le: 200, ...optional }, tag: { type: 'str', max_length: 12, ...optional } };
    const payloads = { households: path.join(dir, 'households.json'), pets: path.join(dir, 'pet_profiles.json') };
    writeFileSync(payloads.households, JSON.stringify(HOUSEHOLDS));
    writeFileSync(payloads.pets, JSON.stringify({ ...PETS, resource: { ...PETS.resource, fields } }));
    await ok(['feature', payloads.households, payloads.pets, '--target', root]);
    const database = { DATABASE_URL: `sqlite:///${path.join(dir, 'live.sqlite3')}` };
    await passes(root, 'alembic', ['upgrade', 'head'], database);
    const insert = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"insert into pets (id, name, species, microchipped, age, tag, created_at, updated_at) values (7, 'Rex', 'dog', 0, 3, 'T-1', '2024-01-01', '2024-01-01')\"); c.commit()";
    await passes(root, 'python', ['-c', insert, path.join(dir, 'live.sqlite3')]);

    const altered = {
      ...fields,
      name: { ...fields.name, max_length: 80 },
      coat: { type: 'str', max_length: 20, default: 'short', required: false },
      age: { type: 'float', ...optional },
      tag: { ...fields.tag, unique: true },
      birth_date: { ...fields.birth_date, filterable: true },
      household_id: { type: 'ref', feature: 'households', ...optional, filterable: true },
    };
    writeFileSync(payloads.pets, JSON.stringify({ ...PETS, resource: { ...PETS.resource, fields: altered } }));
    await ok(['update', payloads.pets, '--target', root]);

    const alter = readdirSync(root, { recursive: true, encoding: 'utf8' }).find((file) => /versions\/\w+_alter_pets\.py$/.test(file))!;
    const text = read(root, alter);
    for (const line of ['- add household_id (a foreign key to households)', '- alter name: type String(50) -> String(80)', '- alter coat: not nullable, NULLs take the default', '- alter age: type BigInteger -> Double', '- alter tag: unique', '- alter birth_date: indexed']) {
      expect(text).toContain(line);
    }
    await passes(root, 'alembic', ['upgrade', 'head'], database);
    await passes(root, 'alembic', ['check'], database);
    // The row kept its values: the NULL coat took the default, the age is a float now.
    const select = 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select id, name, coat, age, tag, household_id from pets").fetchall())';
    expect((await passes(root, 'python', ['-c', select, path.join(dir, 'live.sqlite3')])).trim()).toBe("[(7, 'Rex', 'short', 3.0, 'T-1', None)]");
    // What the constraints now hold: the foreign key, the unique tag, the index.
    const schemaOfPets = () => passes(root, 'python', ['-c', 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select group_concat(sql) from sqlite_master where tbl_name = \'pets\'").fetchone()[0])', path.join(dir, 'live.sqlite3')]);
    const schema = await schemaOfPets();
    for (const name of ['fk_pets_household_id_households', 'uq_pets_tag', 'ix_pets_birth_date', 'ix_pets_household_id']) expect(schema).toContain(name);
    expect(schema).toMatch(/coat VARCHAR\(20\) NOT NULL/);

    await passes(root, 'alembic', ['downgrade', '-1'], database);
    const restored = await schemaOfPets();
    expect(restored).not.toContain('household_id');
    expect(restored).not.toContain('uq_pets_tag');
    expect(restored).toMatch(/name VARCHAR\(50\) NOT NULL/);
    expect((await passes(root, 'python', ['-c', select.replace(', household_id', ''), path.join(dir, 'live.sqlite3')])).trim()).toBe("[(7, 'Rex', 'short', 3, 'T-1')]");
    // ruff, mypy, the tests and a fresh database upgraded through both revisions, on SQLite and PostgreSQL.
    await checkBackend(root, postgresDatabase);
    const check = await petsage(['check', '--target', root]);
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  });
});

describe('a backend that raised its line length and ran ruff format over generated code', () => {
  it('update renders the reformatted files anew rather than merging one layout into another, keeps a real edit, and every check passes', async () => {
    const dir = tempDir();
    const root = path.join(dir, 'backend');
    await ok(['init', root]);
    const payload = path.join(dir, 'households.json');
    writeFileSync(payload, JSON.stringify(HOUSEHOLDS));
    await ok(['feature', payload, '--target', root]);
    const { router, test } = artifacts(root, 'households');
    // A real edit, then the team's new line length and their formatter over everything.
    writeFileSync(path.join(root, router), read(root, router).replace('\nrouter = ', `\n${REVIEWED}\nrouter = `));
    appendFileSync(path.join(root, 'pyproject.toml'), '\n[tool.ruff]\nline-length = 100\n');
    const formatted = await passes(root, 'ruff', ['format', '--no-cache', '.']);
    expect(formatted).toMatch(/[1-9]\d* files? reformatted/);
    const before = await petsage(['check', '--target', root]);
    expect(before.exitCode, before.stdout).toBe(5);

    const updated = await petsage(['update', '--target', root]);
    expect(updated.exitCode, updated.stderr).toBe(0);
    expect(updated.stdout).toMatch(new RegExp(`Rendered anew, as only their layout had changed \\(a formatter's, no edit to keep\\): .*${test.replaceAll('/', '\\/')}`));
    expect(read(root, router)).toContain(REVIEWED);
    // ruff format laid the revision out already; update still says revisions are left as they are.
    expect(updated.stderr).toContain('`ruff format migrations/versions` lays them out for line-length 100.');
    const check = await petsage(['check', '--target', root]);
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    await checkBackend(root);
  });
});
