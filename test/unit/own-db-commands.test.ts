/**
 * Resource features on the backend's own database layer through the commands in process, with
 * no Python (test/e2e/own-db.test.ts runs the generated code): what a generate writes and leaves
 * alone, check, a re-run, remove back to the original bytes, the helper module shared by the
 * resources, and the refusals that write nothing.
 */
import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/commands/check.js';
import { runFeature } from '../../src/commands/feature.js';
import { runRemove } from '../../src/commands/remove.js';
import { Reporter } from '../../src/output/reporter.js';
import { capture } from '../helpers/capture.js';
import { fixture } from '../helpers/paths.js';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

const HOUSEHOLDS = fixture('resources/reference/households.json');
const PETS = fixture('resources/reference/pet_profiles.json');
const HELPER = 'app/core/petsage_db.py';

const reporter = () => new Reporter(capture().stream, capture().stream, { json: false, quiet: true, color: false });
const options = (root: string) => ({ cwd: root, target: '.', force: false, dryRun: false, verify: false, wait: 0, reporter: reporter(), readStdin: async () => Buffer.alloc(0) });
const remove = (root: string, feature: string, force = false) => runRemove(feature, { cwd: root, target: '.', force, wait: 0, reporter: reporter() });
const check = async (root: string) => (await runCheck({ cwd: root, target: '.', reporter: reporter() })).drift;
const read = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8');

/** A fresh copy of the hand-written backend that has its own database layer. */
function ownDbBackend(): string {
  const root = path.join(tempDir(), 'backend');
  cpSync(fixture('backends/own-db'), root, { recursive: true });
  return root;
}

async function generated(): Promise<{ root: string; original: Record<string, string> }> {
  const root = ownDbBackend();
  const original = snapshotTree(root);
  await runFeature([], { ...options(root), builtin: 'smoke_test' });
  await runFeature([HOUSEHOLDS, PETS], options(root));
  return { root, original };
}

describe('resources on the backend\'s own database layer, in process', () => {
  it('write none of petsage-build\'s layer; stay current; change nothing on a re-run; remove back to the original bytes', async () => {
    const { root, original } = await generated();
    const made = Object.keys(snapshotTree(root)).filter((file) => !(file in original));
    expect(made.filter((file) => /^(app\/db\/|migrations\/|alembic\.ini)/.test(file))).toEqual([]);
    expect(made).toContain(HELPER);
    expect(made.filter((file) => file.startsWith('app/alembic/versions/')).sort()).toEqual(['app/alembic/versions/74532e9e7d3e_create_pets.py', 'app/alembic/versions/778ba945a414_create_households.py']);
    expect(read(root, 'app/alembic/versions/778ba945a414_create_households.py')).toContain('down_revision: str | None = "5b7e0c1d9a2f"');
    expect(read(root, 'app/models/__init__.py')).toContain('from app.api.v1.modules.households.models import Household\nfrom app.api.v1.modules.pet_profiles.models import Pet\nfrom app.core.database import Base\n');
    expect(read(root, 'app/models/__init__.py')).toContain('__all__ = ["Base", "Household", "Pet", "User"]');
    const record = JSON.parse(read(root, '.petsage/features/households.json'));
    expect(record.blueprint.db).toEqual({ base: 'app.core.database:Base', session: 'app.core.database:get_db', models: 'app.models' });
    expect(record.blueprint.resource).toMatchObject({ db: 'app/core', migrations: 'app/alembic' });
    expect(record.files.map((file: { path: string }) => file.path)).toContain(HELPER);
    expect(JSON.parse(read(root, '.petsage/features/smoke_test.json')).blueprint.db).toBeUndefined();

    expect(await check(root)).toBe(false);
    const before = snapshotTree(root);
    await runFeature([HOUSEHOLDS, PETS], options(root));
    expect(snapshotTree(root)).toEqual(before);

    // The helper stays while a resource still uses it, and goes with the last one.
    await remove(root, 'pet_profiles');
    expect(existsSync(path.join(root, HELPER))).toBe(true);
    expect(await check(root)).toBe(false);
    await remove(root, 'households');
    expect(existsSync(path.join(root, HELPER))).toBe(false);
    await remove(root, 'smoke_test');
    expect(snapshotTree(root)).toEqual(original);
  });

  it('treats the helper as a generated file: check says it was edited (drift with --strict only), a re-run keeps it, the last remove refuses it unless --force', async () => {
    const { root } = await generated();
    appendFileSync(path.join(root, HELPER), '# tuned\n');
    const owned = await runCheck({ cwd: root, target: '.', reporter: reporter() });
    expect(owned.drift).toBe(false);
    expect(owned.features.find((feature) => feature.feature === 'households')!.files.find((file) => file.path === HELPER)).toMatchObject({ state: 'edited' });
    expect((await runCheck({ cwd: root, target: '.', strict: true, reporter: reporter() })).drift).toBe(true);
    // Its render has not changed: the edit is the user's, and the re-run leaves every byte.
    const before = snapshotTree(root);
    await runFeature([HOUSEHOLDS], options(root));
    expect(snapshotTree(root)).toEqual(before);
    await remove(root, 'pet_profiles');
    await expect(remove(root, 'households')).rejects.toMatchObject({ exitCode: 3, problems: [{ path: HELPER, message: 'edited' }] });
    expect(read(root, HELPER)).toContain('# tuned');
    await remove(root, 'households', true);
    expect(existsSync(path.join(root, HELPER))).toBe(false);
  });

  it('refuses a config that names what the backend does not define, writing nothing (exit 2)', async () => {
    const root = ownDbBackend();
    writeFileSync(path.join(root, 'pyproject.toml'), read(root, 'pyproject.toml').replace('get_db"', 'get_database"'));
    const before = snapshotTree(root);
    await expect(runFeature([HOUSEHOLDS], options(root))).rejects.toMatchObject({ exitCode: 2, problems: [{ path: 'tool.petsage.db.session', message: expect.stringContaining('does not define get_database') }] });
    expect(snapshotTree(root)).toEqual(before);
  });

  it('refuses resources on two database layers in one backend, naming the key and the records (exit 2)', async () => {
    const root = ownDbBackend();
    await runFeature([HOUSEHOLDS], options(root));
    writeFileSync(path.join(root, 'pyproject.toml'), read(root, 'pyproject.toml').replace(/\[tool\.petsage\.db\][^[]*/, ''));
    const before = snapshotTree(root);
    const error = await runFeature([PETS], options(root)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      exitCode: 2,
      path: 'tool.petsage.db',
      problems: [{ path: '.petsage/features/households.json', message: "was generated on the database layer named under [tool.petsage.db] (app.core.database:Base), and the config now names petsage-build's database layer" }],
    });
    expect(snapshotTree(root)).toEqual(before);
  });
});
