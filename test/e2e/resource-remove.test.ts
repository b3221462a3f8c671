import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkBackend, passes } from '../helpers/backend-checks.js';
import { petsage, run } from '../helpers/cli.js';
import { venvBin } from '../helpers/python-env.mjs';
import { fixture } from '../helpers/paths.js';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

/** The reference payloads: households, and pet_profiles whose household_id refers to it. */
const HOUSEHOLDS = fixture('resources/reference/households.json');
const PETS = fixture('resources/reference/pet_profiles.json');
const VERSIONS = 'migrations/versions';

/** A backend after init, smoke_test and the given payloads, in one temp folder per call. */
async function backendWith(payloads: readonly string[]): Promise<string> {
  const backend = path.join(tempDir(), 'backend');
  const steps = [['init', backend], ['feature', '--builtin', 'smoke_test', '--target', backend], ...(payloads.length > 0 ? [['feature', ...payloads, '--target', backend]] : [])];
  for (const args of steps) {
    const result = await petsage(args);
    expect(result.exitCode, `${args.join(' ')}\n${result.stderr}`).toBe(0);
  }
  return backend;
}

/** A fresh copy of a backend, for a test that changes it. */
function copyOf(backend: string): string {
  const copy = path.join(tempDir(), 'backend');
  cpSync(backend, copy, { recursive: true });
  return copy;
}

/** The backend's own checks, on a copy (they leave caches and a database beside the code). */
const checkCopy = (backend: string) => checkBackend(copyOf(backend));

async function checkIsGreen(backend: string): Promise<void> {
  const check = await petsage(['check', '--target', backend]);
  expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  expect(check.stdout).toContain('Every recorded feature is current.');
}

/** The file of the revision creating a table, in the backend's versions folder. */
function migrationOf(backend: string, table: string): { file: string; revision: string } {
  const name = readdirSync(path.join(backend, VERSIONS)).find((file) => file.endsWith(`_create_${table}.py`))!;
  return { file: `${VERSIONS}/${name}`, revision: name.slice(0, name.indexOf('_')) };
}

const HOUSEHOLDS_RECORD = '.petsage/features/households.json';

/** A tree with the aggregator offsets in the households record set aside, as they depend on what else was generated in its batch. */
function withoutOffsets(tree: Record<string, string>): Record<string, string> {
  // snapshotTree holds each file as base64.
  const record = JSON.parse(Buffer.from(tree[HOUSEHOLDS_RECORD]!, 'base64').toString('utf8')) as { aggregator: { added: { offset: number }[] } };
  for (const piece of record.aggregator.added) piece.offset = 0;
  return { ...tree, [HOUSEHOLDS_RECORD]: JSON.stringify(record) };
}

let both: string;
let householdsOnly: string;
let initOnly: string;
beforeAll(async () => {
  [both, householdsOnly, initOnly] = await Promise.all([backendWith([HOUSEHOLDS, PETS]), backendWith([HOUSEHOLDS]), backendWith([])]);
});

describe('remove of a resource feature', () => {
  it('refuses a parent while a child refers to it, then takes each back to the bytes of a backend without it, which passes its checks', async () => {
    const backend = copyOf(both);
    const before = snapshotTree(backend);
    const parent = await petsage(['remove', 'households', '--target', backend]);
    expect(parent.exitCode, parent.stderr).toBe(3);
    expect(parent.stderr).toContain('households: pet_profiles refers to it; nothing was removed.');
    expect(parent.stderr).toContain('.petsage/features/pet_profiles.json: household_id is a ref to households');
    expect(parent.stderr).toContain('Remove pet_profiles first');
    expect(snapshotTree(backend)).toEqual(before);

    // A dry run shows what would go and what would change, with the diff, and writes nothing.
    const preview = await petsage(['remove', 'pet_profiles', '--target', backend, '--dry-run', '--json']);
    expect(preview.exitCode, preview.stderr).toBe(0);
    expect(preview.stderr).toContain('Dry run: nothing is written.');
    expect(preview.stderr).toMatch(/_create_pets\.py would go: a database already upgraded to it would then fail/);
    expect(preview.stderr).toMatch(/^-from app\.api\.v1\.modules\.pet_profiles\.models import Pet$/m);
    const previewed = JSON.parse(preview.stdout) as { dryRun?: boolean; features: { files: { path: string; action: string }[] }[] };
    expect(previewed.dryRun).toBe(true);
    expect(previewed.features[0]!.files.filter((file) => file.action === 'removed').map((file) => file.path)).toContain('tests/api/v1/test_pet_profiles.py');
    expect(snapshotTree(backend)).toEqual(before);

    const child = await petsage(['remove', 'pet_profiles', '--target', backend]);
    expect(child.exitCode, child.stderr).toBe(0);
    expect(child.stdout).toContain('db/tables.py  updated');
    expect(child.stdout).toMatch(/_create_pets\.py {2}removed/);
    // Other features' records are not touched: the households record keeps the offsets of its
    // registration from the batch (where to look first), and otherwise matches.
    expect(withoutOffsets(snapshotTree(backend))).toEqual(withoutOffsets(snapshotTree(householdsOnly)));
    expect(snapshotTree(backend)[HOUSEHOLDS_RECORD]).toBe(before[HOUSEHOLDS_RECORD]);
    await checkIsGreen(backend);
    await checkCopy(backend);

    const last = await petsage(['remove', 'households', '--target', backend]);
    expect(last.exitCode, last.stderr).toBe(0);
    // The database layer stays, and the registry gets back init's bytes.
    expect(snapshotTree(backend)).toEqual(snapshotTree(initOnly));
    await checkIsGreen(backend);
  }, 600_000);

  it('refuses a feature whose migration a later revision follows, naming it, and says to drop the table instead', async () => {
    const backend = copyOf(both);
    const pets = migrationOf(backend, 'pets');
    const later = `${VERSIONS}/0123456789ab_add_pet_notes.py`;
    writeFileSync(
      path.join(backend, later),
      `"""add pet notes\n\nRevision ID: 0123456789ab\nRevises: ${pets.revision}\n"""\n\nrevision = "0123456789ab"\ndown_revision = "${pets.revision}"\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n`,
    );
    const before = snapshotTree(backend);
    for (const flags of [[], ['--force']]) {
      const result = await petsage(['remove', 'pet_profiles', '--target', backend, ...flags]);
      expect(result.exitCode, result.stderr).toBe(3);
      expect(result.stderr).toContain(`pet_profiles: 1 revision follows its migration ${pets.revision} (${pets.file}) directly, so taking it out would break the history; nothing was removed.`);
      expect(result.stderr).toContain('stop tracking it with `petsage-build forget pet_profiles`');
      expect(result.stderr).toContain(`${later}: 0123456789ab follows ${pets.revision}`);
      expect(result.stderr).toContain('alembic revision -m "drop pets"');
      expect(snapshotTree(backend)).toEqual(before);
    }
  });

  it('treats an edited migration like any edited file: exit 3 unless --force', async () => {
    const backend = copyOf(both);
    const pets = migrationOf(backend, 'pets');
    appendFileSync(path.join(backend, pets.file), '# reviewed\n');
    const before = snapshotTree(backend);
    const refused = await petsage(['remove', 'pet_profiles', '--target', backend]);
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toContain(`${pets.file}: edited`);
    expect(snapshotTree(backend)).toEqual(before);
    const forced = await petsage(['remove', 'pet_profiles', '--target', backend, '--force']);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(withoutOffsets(snapshotTree(backend))).toEqual(withoutOffsets(snapshotTree(householdsOnly)));
  });

  it('then feature again with other columns writes another revision: a database at the old one fails loudly, as remove warned, instead of keeping the old table; one downgraded first gets the new table', async () => {
    const backend = copyOf(householdsOnly);
    const upgraded = { DATABASE_URL: `sqlite:///${path.join(tempDir(), 'upgraded.sqlite3')}` };
    const downgraded = { DATABASE_URL: `sqlite:///${path.join(tempDir(), 'downgraded.sqlite3')}` };
    for (const database of [upgraded, downgraded]) await passes(backend, 'alembic', ['upgrade', 'head'], database);
    const old = migrationOf(backend, 'households');
    await passes(backend, 'alembic', ['downgrade', '-1'], downgraded);
    const removed = await petsage(['remove', 'households', '--target', backend]);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.stderr).toContain(`${old.file} is gone: a database already upgraded to it now fails with Alembic's "Can't locate revision".`);

    const payload = JSON.parse(readFileSync(HOUSEHOLDS, 'utf8')) as { resource: { fields: Record<string, unknown> } };
    payload.resource.fields.motto = { type: 'str', max_length: 60, required: false, nullable: true };
    const changed = path.join(tempDir(), 'households.json');
    writeFileSync(changed, JSON.stringify(payload));
    const again = await petsage(['feature', changed, '--target', backend]);
    expect(again.exitCode, again.stderr).toBe(0);
    const fresh = migrationOf(backend, 'households');
    expect(fresh.revision).not.toBe(old.revision);

    const stale = await run(venvBin('alembic'), ['upgrade', 'head'], { cwd: backend, env: upgraded });
    expect(stale.exitCode).not.toBe(0);
    expect(stale.stderr).toContain(`Can't locate revision identified by '${old.revision}'`);
    await passes(backend, 'alembic', ['upgrade', 'head'], downgraded);
    await passes(backend, 'alembic', ['check'], downgraded);
    await checkIsGreen(backend);
    await checkCopy(backend);
  }, 600_000);

  it('leaves a registry the user deleted or rewrote without the model as it is', async () => {
    const deleted = copyOf(both);
    rmSync(path.join(deleted, 'app/db/tables.py'));
    expect((await petsage(['remove', 'pet_profiles', '--target', deleted])).exitCode).toBe(0);
    expect(readdirSync(path.join(deleted, 'app/db'))).not.toContain('tables.py');

    const rewritten = copyOf(both);
    const mine = '"""My tables."""\n\nfrom app.api.v1.modules.households.models import Household\nfrom app.db.base import Base\n\nmetadata = Base.metadata\n\n__all__ = ["Household", "metadata"]\n';
    writeFileSync(path.join(rewritten, 'app/db/tables.py'), mine);
    const before = snapshotTree(rewritten);
    const removed = await petsage(['remove', 'pet_profiles', '--target', rewritten]);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.stdout).not.toContain('tables.py');
    expect(snapshotTree(rewritten)['app/db/tables.py']).toBe(before['app/db/tables.py']);
    await checkIsGreen(rewritten);
  });
});
