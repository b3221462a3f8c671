/**
 * Resource features through the commands in process, with no Python: what a generate writes
 * (against the hand-written reference backend), that check is green and a re-run changes
 * nothing, operation subsets, every preset, and remove back to the bytes before. The e2e layer
 * runs the same through the built binary and then runs the generated code; this layer measures
 * coverage of the planning and staging it goes through.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/commands/check.js';
import { runFeature } from '../../src/commands/feature.js';
import { runForget } from '../../src/commands/forget.js';
import { runInit } from '../../src/commands/init.js';
import { runRemove } from '../../src/commands/remove.js';
import { runUpdate } from '../../src/commands/update.js';
import { Reporter } from '../../src/output/reporter.js';
import { capture } from '../helpers/capture.js';
import { holdLockAs } from '../helpers/lock.js';
import { fixture } from '../helpers/paths.js';
import { isRecordFile, recordBesidesBase } from '../helpers/record.js';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

const REFERENCE_DIR = fixture('resources/reference');
const HOUSEHOLDS = path.join(REFERENCE_DIR, 'households.json');
const PETS = path.join(REFERENCE_DIR, 'pet_profiles.json');
/** Compared elsewhere or not the tool's: see test/e2e/resources.test.ts. */
const NOT_COMPARED = new Set(['NOTES.md', 'households.json', 'pet_profiles.json', 'README.md', 'pyproject.toml', 'tests/api/v1/test_households.py', 'tests/api/v1/test_pet_profiles.py']);

const reporter = () => new Reporter(capture().stream, capture().stream, { json: false, quiet: true, color: false });
const options = (root: string) => ({ cwd: root, target: '.', force: false, dryRun: false, verify: false, wait: 0, reporter: reporter(), readStdin: async () => Buffer.alloc(0) });

/** A payload written as `<name>.json` beside the backend; its path. */
function payloadBeside(root: string, name: string, payload: object): string {
  const file = path.join(root, '..', `${name}.json`);
  writeFileSync(file, JSON.stringify(payload));
  return file;
}

async function backend(preset = 'modules'): Promise<string> {
  const dir = tempDir();
  await runInit('backend', { cwd: dir, force: false, preset, wait: 0, reporter: reporter() });
  return path.join(dir, 'backend');
}

describe('update of a parent resource', () => {
  it('updates the resources that refer to it too, so that a later update has nothing left to do', async () => {
    const root = await backend();
    const write = (name: string, payload: object) => payloadBeside(root, name, payload);
    const owner = (fields: object) => ({ feature: 'owners', description: 'Owners.', resource: { name: 'owner', fields } });
    const owners = write('owners', owner({ name: { type: 'str', max_length: 40 } }));
    const visits = write('visits', { feature: 'visits', description: 'Visits.', resource: { name: 'visit', fields: { owner_id: { type: 'ref', feature: 'owners' } } } });
    await runFeature([owners, visits], options(root));
    const phone = { type: 'str', max_length: 20, nullable: true, required: false };
    const changed = write('owners_v2', owner({ name: { type: 'str', max_length: 40 }, phone }));
    const updates = { ...options(root), conflicts: 'stop' as const };
    // A refused update says nothing of the resources it would have brought along.
    const refusedOutput = capture();
    const invalid = write('owners_v3', owner({ name: { type: 'str', max_length: 40 }, phone: { type: 'str', max_length: 20 } }));
    const refusal = await runUpdate([invalid], { ...updates, reporter: new Reporter(refusedOutput.stream, refusedOutput.stream, { json: false, quiet: false, color: false }) }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ exitCode: 2 });
    expect(refusedOutput.text()).not.toContain('visits');
    const output = capture();
    await runUpdate([changed], { ...updates, reporter: new Reporter(output.stream, output.stream, { json: false, quiet: false, color: false }) });
    expect(output.text()).toContain('Updated visits too: it refers to a resource this update changes');
    const visitsRecord = JSON.parse(readFileSync(path.join(root, '.petsage/features/visits.json'), 'utf8'));
    expect(visitsRecord.resource.parents.owners.resource.fields.phone).toEqual(phone);
    const updated = snapshotTree(root);
    await runUpdate([], updates);
    expect(snapshotTree(root)).toEqual(updated);
    expect((await runCheck({ cwd: root, target: '.', reporter: reporter() })).drift).toBe(false);

    // feature regenerates the parent alone, and says which update brings the others along.
    const err = capture();
    const loud = new Reporter(capture().stream, err.stream, { json: false, quiet: false, color: false });
    await runFeature([owners], { ...options(path.dirname(root)), target: path.basename(root), reporter: loud });
    expect(err.text()).toContain(`warning visits refers to a resource this run changed, and its tests store that resource's rows as they were: run \`petsage-build update visits --target ${path.basename(root)}\` to bring the change in.`);
    // check, the drift check CI runs, says so too: visits' files are as generated, for an owners that is gone.
    const out = capture();
    const checked = await runCheck({ cwd: root, target: '.', reporter: new Reporter(out.stream, capture().stream, { json: false, quiet: false, color: false }) });
    expect(checked.drift).toBe(true);
    expect(checked.features.find((feature) => feature.feature === 'owners')).toMatchObject({ state: 'current', drift: false });
    expect(checked.features.find((feature) => feature.feature === 'visits')).toMatchObject({
      state: 'outdated',
      drift: true,
      problems: [{ path: '.petsage/features/visits.json', message: expect.stringMatching(/^was generated for another version of owners than the one recorded now .*: `petsage-build update visits` re-renders it$/) }],
    });
    expect(out.text()).toContain('Drift found: re-render 1 resource generated for another version of one it refers to with `petsage-build update`.');
    await runUpdate(['visits'], updates);
    expect((await runCheck({ cwd: root, target: '.', reporter: reporter() })).drift).toBe(false);
    const quiet = capture();
    await runFeature([owners], { ...options(root), reporter: new Reporter(capture().stream, quiet.stream, { json: false, quiet: false, color: false }) });
    expect(quiet.text()).not.toContain('warning');
  });
});

describe('a ref to a resource the target does not have', () => {
  it('is refused (exit 2) as the payload\'s resource on its own, and as the batch\'s in a batch, nothing written', async () => {
    const root = await backend();
    const file = path.join(root, '..', 'vaccines.json');
    writeFileSync(file, JSON.stringify({ feature: 'vaccines', description: 'Vaccines.', resource: { name: 'vaccine', fields: { visit_id: { type: 'ref', feature: 'visit' } } } }));
    const before = snapshotTree(root);
    const alone = await runFeature([file], options(root)).catch((error: unknown) => error);
    expect(alone).toMatchObject({ exitCode: 2, text: "the payload's resource does not fit the target; nothing was written." });
    expect((alone as { problems: { path: string }[] }).problems.map((problem) => problem.path)).toEqual(['resource.fields.visit_id.feature']);
    const inBatch = await runFeature([HOUSEHOLDS, file], options(root)).catch((error: unknown) => error);
    expect(inBatch).toMatchObject({ exitCode: 2, text: 'the resources of the batch do not fit the target; nothing was written.' });
    expect((inBatch as { problems: { path: string }[] }).problems.map((problem) => problem.path)).toEqual(['payloads[1].resource.fields.visit_id.feature']);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('a resource name or plural that the generated code uses as a variable', () => {
  it('is refused (exit 2) under the key that chose it, nothing written', async () => {
    const root = await backend();
    const file = path.join(root, '..', 'things.json');
    const refused = async (resource: object) => {
      writeFileSync(file, JSON.stringify({ feature: 'things', description: 'Things.', resource: { fields: { a: { type: 'bool' } }, ...resource } }));
      return runFeature([file], options(root)).catch((error: unknown) => error);
    };
    const before = snapshotTree(root);
    expect(await refused({ name: 'thing', plural: 'values' })).toMatchObject({ exitCode: 2, path: 'resource.plural' });
    expect(await refused({ name: 'item' })).toMatchObject({ exitCode: 2, path: 'resource.name' });
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('a resource the tests cannot be planned for', () => {
  it('is refused (exit 2) under its payload index in a batch, and as it is on its own', async () => {
    const root = await backend();
    const write = (name: string, resource: object) => {
      const file = path.join(root, '..', `${name}.json`);
      writeFileSync(file, JSON.stringify({ feature: name, description: `${name}.`, resource }));
      return file;
    };
    const visits = write('visits', { name: 'visit', fields: { note: { type: 'str', max_length: 20 } } });
    // No string of at most 5 characters matches the pattern, and there is no example to start from.
    const owners = write('owners', { name: 'owner', fields: { email: { type: 'str', max_length: 5, pattern: '^[a-z]+@[a-z]+\\.com$' } } });
    const before = snapshotTree(root);
    const inBatch = await runFeature([visits, owners], options(root)).catch((error: unknown) => error);
    expect(inBatch).toMatchObject({ exitCode: 2, path: 'payloads[1].resource.fields.email' });
    const alone = await runFeature([owners], options(root)).catch((error: unknown) => error);
    expect(alone).toMatchObject({ exitCode: 2, path: 'resource.fields.email' });
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('resource features in process', () => {
  it('generate the reference backend, stay current, change nothing on a re-run, and remove back to init', async () => {
    const root = await backend();
    const initOnly = snapshotTree(root);
    await runFeature([], { ...options(root), builtin: 'smoke_test' });
    const withSmoke = snapshotTree(root);
    await runFeature([HOUSEHOLDS, PETS], options(root));

    const committed = execFileSync('git', ['ls-files', '-z', '.'], { cwd: REFERENCE_DIR, encoding: 'utf8' }).split('\0').filter((file) => file && !NOT_COMPARED.has(file));
    for (const file of committed) {
      const made = readFileSync(path.join(root, file), 'utf8');
      expect(isRecordFile(file) ? recordBesidesBase(made) : made, file).toBe(readFileSync(path.join(REFERENCE_DIR, file), 'utf8'));
    }

    expect((await runCheck({ cwd: root, target: '.', reporter: reporter() })).drift).toBe(false);
    const generated = snapshotTree(root);
    const rerun = await runFeature([HOUSEHOLDS, PETS], options(root));
    expect(snapshotTree(root)).toEqual(generated);
    // The re-run reports every file each record lists as unchanged, the migration it never rewrites included.
    for (const name of ['households', 'pet_profiles']) {
      const recorded = (JSON.parse(readFileSync(path.join(root, `.petsage/features/${name}.json`), 'utf8')) as { files: { path: string }[] }).files.map((file) => file.path);
      expect(recorded.filter((file) => file.startsWith('migrations/versions/'))).toHaveLength(1);
      const reported = rerun.features.find((feature) => feature.feature === name)!.files;
      for (const file of recorded) expect(reported.find((entry) => entry.path === file), file).toMatchObject({ action: 'unchanged' });
    }

    const refused = await runRemove('households', { cwd: root, target: '.', force: false, wait: 0, reporter: reporter() }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ exitCode: 3 });
    expect(snapshotTree(root)).toEqual(generated);
    const dry = await runRemove('pet_profiles', { cwd: root, target: '.', force: false, dryRun: true, wait: 0, reporter: reporter() });
    expect(dry.dryRun).toBe(true);
    expect(dry.features[0]!.files.filter((file) => file.action === 'removed').length).toBeGreaterThan(5);
    expect(snapshotTree(root)).toEqual(generated);
    await runRemove('pet_profiles', { cwd: root, target: '.', force: false, wait: 0, reporter: reporter() });
    await runRemove('households', { cwd: root, target: '.', force: false, wait: 0, reporter: reporter() });
    expect(snapshotTree(root)).toEqual(withSmoke);
    await runRemove('smoke_test', { cwd: root, target: '.', force: false, wait: 0, reporter: reporter() });
    expect(snapshotTree(root)).toEqual(initOnly);
  });

  it.each(['layered', 'features', 'endpoints', 'src-features'])('generate into the %s preset, with a migration chained after the other', async (preset) => {
    const root = await backend(preset);
    const result = await runFeature([HOUSEHOLDS, PETS], options(root));
    const paths = result.features.flatMap((feature) => feature.files.map((file) => file.path));
    const migrations = paths.filter((file) => file.startsWith('migrations/versions/')).sort();
    expect(migrations).toHaveLength(2);
    const pets = readFileSync(path.join(root, migrations.find((file) => file.endsWith('_create_pets.py'))!), 'utf8');
    const households = migrations.find((file) => file.endsWith('_create_households.py'))!;
    expect(pets).toContain(`down_revision: str | None = "${path.basename(households).slice(0, 12)}"`);
    expect((await runCheck({ cwd: root, target: '.', reporter: reporter() })).drift).toBe(false);
  });

  it('check a resource unregistered when the models registry lost its model, which a re-run puts back', async () => {
    const root = await backend();
    await runFeature([HOUSEHOLDS], options(root));
    const registry = path.join(root, 'app/db/tables.py');
    const registered = readFileSync(registry, 'utf8');
    const lost = registered.replace(/^from app\.api\.v1\.modules\.households\.models import Household\n/m, '').replace('"Household", ', '');
    expect(lost).not.toContain('Household');
    writeFileSync(registry, lost);
    const checked = await runCheck({ cwd: root, target: '.', reporter: reporter() });
    expect(checked.drift).toBe(true);
    expect(checked.features.find((feature) => feature.feature === 'households')?.state).toBe('unregistered');
    await runFeature([HOUSEHOLDS], options(root));
    expect(readFileSync(registry, 'utf8')).toBe(registered);
    expect((await runCheck({ cwd: root, target: '.', reporter: reporter() })).drift).toBe(false);
    // Taking the migration out strands a database upgraded to it: remove says so.
    const stderr = capture();
    await runRemove('households', { cwd: root, target: '.', force: false, wait: 0, reporter: new Reporter(capture().stream, stderr.stream, { json: false, quiet: false, color: false }) });
    expect(stderr.text()).toMatch(/migrations\/versions\/\w+_create_households\.py is gone: a database already upgraded to it now fails with Alembic's "Can't locate revision"/);
  });

  it('report every file the run writes: each resource lists the registry and a database layer added with it', async () => {
    const root = await backend();
    const before = snapshotTree(root);
    for (const layerFile of ['app/db', 'alembic.ini', 'migrations']) rmSync(path.join(root, layerFile), { recursive: true });
    const result = await runFeature([HOUSEHOLDS, PETS], options(root));
    const written = Object.keys(snapshotTree(root)).filter((file) => !file.endsWith('/') && snapshotTree(root)[file] !== before[file]);
    for (const feature of result.features) {
      const reported = new Set([...feature.files.map((file) => file.path), feature.aggregator!.path]);
      const others = result.features.filter((other) => other !== feature).flatMap((other) => other.files.map((file) => file.path));
      expect(written.filter((file) => !reported.has(file) && !others.includes(file)), feature.feature).toEqual([]);
      expect([...reported].filter((file) => file.startsWith('app/db/') || file === 'alembic.ini' || file === 'migrations/env.py').sort(), feature.feature).toEqual([
        'alembic.ini', 'app/db/__init__.py', 'app/db/base.py', 'app/db/session.py', 'app/db/tables.py', 'migrations/env.py',
      ]);
    }
  });

  it.each([[['list', 'get']], [['create', 'delete']], [['update']]])('generate only the operations %j, and check them current', async (operations) => {
    const root = await backend();
    const payload = JSON.parse(readFileSync(HOUSEHOLDS, 'utf8')) as { resource: { operations?: string[] } };
    payload.resource.operations = operations;
    const stdin = Buffer.from(JSON.stringify(payload));
    await runFeature(['-'], { ...options(root), readStdin: async () => stdin });
    const router = readFileSync(path.join(root, 'app/api/v1/modules/households/router.py'), 'utf8');
    const methods = { create: '@router.post(', list: '@router.get(\n    "/",', get: '@router.get(\n    "/{household_id}",', update: '@router.patch(', delete: '@router.delete(' } as const;
    for (const [operation, marker] of Object.entries(methods)) expect(router.includes(marker), operation).toBe(operations.includes(operation));
    expect((await runCheck({ cwd: root, target: '.', reporter: reporter() })).drift).toBe(false);
  });
});

describe('a resource recorded before create revisions were derived from their table', () => {
  // Made by petsage-build at 3469f52 (init, then `feature` of the tags payload in its record),
  // whose create revision ids came from the feature and table alone.
  const LEGACY = fixture('backends/legacy-revision');
  const CREATE = 'migrations/versions/832c244d93ef_create_tags.py';
  const copy = () => {
    const root = path.join(tempDir(), 'backend');
    cpSync(LEGACY, root, { recursive: true });
    return root;
  };
  const payloadOf = (root: string) => JSON.parse(readFileSync(path.join(root, '.petsage/features/tags.json'), 'utf8')).payload as { resource: { fields: Record<string, unknown> } };
  const written = (root: string, payload: object) => {
    const file = path.join(root, '..', 'tags.json');
    writeFileSync(file, JSON.stringify(payload));
    return file;
  };

  it('keeps the revision its record names: check finds it current, a re-run keeps it, and update alters the table after it', async () => {
    expect(createHash('sha256').update('tags:create_tags').digest('hex').slice(0, 12)).toBe('832c244d93ef');
    const root = copy();
    // Files whose templates changed since 3469f52 are outdated, as in any backend an older build
    // made; the revision is not among them, and nothing else is wrong.
    const checked = await runCheck({ cwd: root, target: '.', reporter: reporter() });
    const [tags] = checked.features;
    expect(tags?.problems).toBeUndefined();
    expect(tags?.files.find((file) => file.path === CREATE)?.state).toBe('current');
    const outdated = new Set(tags!.files.filter((file) => file.state !== 'current').map((file) => file.path));
    expect([...outdated].every((file) => !file.startsWith('migrations/'))).toBe(true);
    const before = snapshotTree(root);
    await runFeature([written(root, payloadOf(root))], options(root));
    const after = snapshotTree(root);
    // The re-run brings the outdated files up to date and changes nothing else.
    expect(Object.keys(after).filter((file) => after[file] !== before[file] && !outdated.has(file) && !file.startsWith('.petsage/'))).toEqual([]);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect((await runCheck({ cwd: root, target: '.', reporter: reporter() })).drift).toBe(false);

    const payload = payloadOf(root);
    payload.resource.fields.note = { type: 'text', required: false, nullable: true };
    await runUpdate([written(root, payload)], { ...options(root), conflicts: 'stop' as const });
    const versions = readdirSync(path.join(root, 'migrations/versions')).sort();
    expect(versions).toHaveLength(2);
    expect(versions).toContain(path.basename(CREATE));
    const alter = versions.find((name) => name.endsWith('_alter_tags.py'))!;
    expect(readFileSync(path.join(root, 'migrations/versions', alter), 'utf8')).toContain('down_revision: str | None = "832c244d93ef"');
    expect(snapshotTree(root)[CREATE]).toBe(before[CREATE]);
    expect((await runCheck({ cwd: root, target: '.', reporter: reporter() })).drift).toBe(false);
  });

  it('is taken out by remove, its revision with it, and a feature generated again gets the revision of its table', async () => {
    const root = copy();
    const payload = payloadOf(root);
    await runRemove('tags', { cwd: root, target: '.', force: false, wait: 0, reporter: reporter() });
    expect(Object.keys(snapshotTree(root)).filter((file) => file.startsWith('migrations/versions/'))).toEqual([]);
    await runFeature([written(root, payload)], options(root));
    const [created] = readdirSync(path.join(root, 'migrations/versions'));
    expect(created).toMatch(/^[0-9a-f]{12}_create_tags\.py$/);
    expect(created).not.toBe(path.basename(CREATE));
  });
});

describe('a resource after the backend raised its ruff line-length', () => {
  it('is drift until update lays it out anew, keeping its create revision as it was, and then current', async () => {
    const root = await backend();
    const owners = path.join(root, '..', 'owners.json');
    // An int id: its column, with a SQLite variant, is too long for one line at 88.
    writeFileSync(owners, JSON.stringify({ feature: 'owners', description: 'Owners.', resource: { name: 'owner', fields: { name: { type: 'str', max_length: 40 } } } }));
    await runFeature([owners], options(root));
    const migration = Object.keys(snapshotTree(root)).find((file) => file.startsWith('migrations/versions/') && file.endsWith('.py'))!;
    const created = readFileSync(path.join(root, migration), 'utf8');
    // At 100 its columns would fit on one line each: a fresh render differs from what was created.
    expect(created).toContain('        sa.Column(\n            "id",\n');
    writeFileSync(path.join(root, 'pyproject.toml'), `${readFileSync(path.join(root, 'pyproject.toml'), 'utf8')}\n[tool.ruff]\nline-length = 100\n`);
    expect((await runCheck({ cwd: root, target: '.', reporter: reporter() })).drift).toBe(true);
    const warnings = capture();
    await runUpdate([], { ...options(root), conflicts: 'stop' as const, reporter: new Reporter(capture().stream, warnings.stream, { json: false, quiet: false, color: false }) });
    expect(readFileSync(path.join(root, migration), 'utf8')).toBe(created);
    // Left as it was, and said so, with the command that lays it out.
    expect(warnings.text()).toContain('warning migrations/versions: revisions are never rewritten (a database may be at one), so they stay laid out for the line length they were written at: `ruff format migrations/versions` lays them out for line-length 100.');
    const again = capture();
    await runUpdate([], { ...options(root), conflicts: 'stop' as const, reporter: new Reporter(capture().stream, again.stream, { json: false, quiet: false, color: false }) });
    expect(again.text()).not.toContain('revisions are never rewritten');
    const checked = await runCheck({ cwd: root, target: '.', reporter: reporter() });
    expect(checked.features[0]?.files.find((file) => file.path === migration)?.state).toBe('current');
    expect(checked.drift).toBe(false);
  });
});

describe('a resource recorded by another run while this one waits for the lock', () => {
  it('is refused (exit 3) when that run created another table than this one rendered for, and nothing is written', async () => {
    const root = await backend();
    const other = path.join(tempDir(), 'other');
    cpSync(root, other, { recursive: true });
    const tags = (fields: object) => ({ feature: 'tags', description: 'Tags.', resource: { name: 'tag', fields } });
    const file = (name: string, payload: object) => {
      const written = path.join(tempDir(), `${name}.json`);
      writeFileSync(written, JSON.stringify(payload));
      return written;
    };
    await runFeature([file('colour', tags({ colour: { type: 'str', max_length: 10 } }))], options(other));
    // The other run: a live process other than this one (a lock of this pid would be judged reused).
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    holdLockAs(root, holder.pid);
    const waiting = runFeature([file('label', tags({ label: { type: 'str', max_length: 20 } }))], { ...options(root), wait: 30 }).catch((error: unknown) => error);
    // The other run's result lands, then its lock goes.
    await new Promise((resolve) => setTimeout(resolve, 300));
    cpSync(other, root, { recursive: true });
    const { '.petsage.lock': _lock, ...landed } = snapshotTree(root);
    rmSync(path.join(root, '.petsage.lock'));
    holder.kill();
    expect(await waiting).toMatchObject({ exitCode: 3, path: '.petsage/features/tags.json', text: 'was recorded by another run after this one began, with another table; nothing was written.' });
    expect(snapshotTree(root)).toEqual(landed);
  });
});

describe('a status feature given a resource block', () => {
  it('becomes that resource: its files replaced and added, check current, and remove takes all of it back', async () => {
    const root = await backend();
    const initOnly = snapshotTree(root);
    const file = path.join(root, '..', 'households-status.json');
    writeFileSync(file, JSON.stringify({ feature: 'households', description: 'Households, as a status endpoint.' }));
    await runFeature([file], options(root));
    const asResource = await runFeature([HOUSEHOLDS], options(root));
    const actions = asResource.features[0]!.files.map((entry) => entry.action);
    expect(actions).toContain('updated');
    expect(actions).toContain('created');
    expect(Object.keys(snapshotTree(root)).filter((name) => name.startsWith('migrations/versions/') && name.endsWith('.py'))).toHaveLength(1);
    expect((await runCheck({ cwd: root, target: '.', reporter: reporter() })).drift).toBe(false);
    await runRemove('households', { cwd: root, target: '.', force: false, wait: 0, reporter: reporter() });
    expect(snapshotTree(root)).toEqual(initOnly);
  });
});

describe('a resource generated before', () => {
  it('is not made a status feature by a payload without its resource block: exit 2 from feature and update, and nothing is written', async () => {
    const root = await backend();
    await runFeature([HOUSEHOLDS], options(root));
    const generated = snapshotTree(root);
    const file = path.join(root, '..', 'households-status.json');
    writeFileSync(file, JSON.stringify({ feature: 'households', description: 'Households, as a status endpoint.' }));
    const refused = await runFeature([file], options(root)).catch((error: unknown) => error);
    expect(refused).toMatchObject({ exitCode: 2, problems: [{ path: 'resource', message: expect.stringContaining('households is a resource') }] });
    expect(snapshotTree(root)).toEqual(generated);
    const byUpdate = await runUpdate([file], { ...options(root), conflicts: 'stop' as const }).catch((error: unknown) => error);
    expect(byUpdate).toMatchObject({ exitCode: 2 });
    expect(snapshotTree(root)).toEqual(generated);
  });
});

describe('a resource whose name begins with a vowel', () => {
  it('is "an" owner where the name follows the article, and "a stored" owner where a word comes between', async () => {
    const root = await backend();
    const payload = path.join(root, '..', 'owners.json');
    writeFileSync(payload, JSON.stringify({ feature: 'owners', description: 'Owners.', resource: { name: 'owner', fields: { name: { type: 'str', max_length: 40 } } } }));
    await runFeature([payload], options(root));
    const module = path.join(root, 'app/api/v1/modules/owners');
    expect(readFileSync(path.join(module, 'models.py'), 'utf8')).toContain('"""An owner, as stored in the `owners` table."""');
    expect(readFileSync(path.join(module, 'schemas.py'), 'utf8')).toContain('"""A stored owner, as the API returns it."""');
  });
});

describe('a payload that drops a field of a resource', () => {
  it('says the alter revision drops its column and the data in it, as --dry-run would, then as the run did', async () => {
    const root = await backend();
    const payload = path.join(root, '..', 'owners.json');
    const owners = (fields: object) => writeFileSync(payload, JSON.stringify({ feature: 'owners', description: 'Owners.', resource: { name: 'owner', fields } }));
    owners({ name: { type: 'str', max_length: 40 }, nickname: { type: 'str', max_length: 20, required: false, nullable: true }, notes: { type: 'text', required: false, nullable: true } });
    await runFeature([payload], options(root));
    owners({ name: { type: 'str', max_length: 40 } });
    const warned = async (dryRun: boolean) => {
      const err = capture();
      await runFeature([payload], { ...options(root), dryRun, reporter: new Reporter(capture().stream, err.stream, { json: false, quiet: false, color: false }) });
      return err.text();
    };
    const revision = () => readdirSync(path.join(root, 'migrations/versions')).find((name) => name.endsWith('_alter_owners.py'));
    expect(await warned(true)).toMatch(/warning owners: migrations\/versions\/\w+_alter_owners\.py would drop columns nickname, notes, and the data in them, when a database is upgraded to it \(its downgrade\(\) adds them back empty\)\./);
    expect(revision()).toBeUndefined();
    expect(await warned(false)).toContain(`warning owners: migrations/versions/${revision()} drops columns nickname, notes, and the data in them`);
    // Adding a column loses nothing: no warning.
    owners({ name: { type: 'str', max_length: 40 }, city: { type: 'str', max_length: 40, required: false, nullable: true } });
    expect(await warned(false)).not.toContain('drop');
  });
});

describe('a resource over the model and table of one forgotten', () => {
  it('is refused (exit 2) naming the registry import and the create revision, while the forgotten payload itself may come back', async () => {
    const root = await backend();
    const write = (name: string, payload: object) => payloadBeside(root, name, payload);
    const pets = write('pets', { feature: 'pets', description: 'Pets.', resource: { name: 'pet', fields: { name: { type: 'str', max_length: 40 } } } });
    await runFeature([pets], options(root));
    await runForget(['pets'], { cwd: root, target: '.', wait: 0, reporter: reporter() });
    const migration = readdirSync(path.join(root, 'migrations/versions')).find((file) => file.endsWith('_create_pets.py'))!;
    const before = snapshotTree(root);
    const animals = write('animals', { feature: 'animals', description: 'Animals.', resource: { name: 'pet', fields: { nick: { type: 'str', max_length: 80 } } } });
    const error = await runFeature([animals], options(root)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      exitCode: 2,
      problems: [
        { path: 'resource.name', message: '"pet" would name its model Pet, which app/db/tables.py already imports from app.api.v1.modules.pets.models; choose another resource name' },
        { path: 'resource.name', message: `"pet" would create the table pets, which migrations/versions/${migration} creates already; choose another resource name (or plural)` },
      ],
    });
    expect(snapshotTree(root)).toEqual(before);
    // Its own payload again is the same model and the same revision: taken back into the records.
    await runFeature([pets], options(root));
    expect(readdirSync(path.join(root, 'migrations/versions')).filter((file) => file.endsWith('.py'))).toEqual([migration]);
  });
});
