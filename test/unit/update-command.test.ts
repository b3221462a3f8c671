/**
 * `update` and `feature` over features generated before, in process: which files are replaced,
 * merged or refused, what the record keeps after, and that a refused run writes nothing.
 * The built binary and the generated code under pytest are in test/e2e/update.test.ts.
 */
import { appendFileSync, copyFileSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/commands/check.js';
import { runFeature } from '../../src/commands/feature.js';
import { runInit } from '../../src/commands/init.js';
import { runTemplatesEject } from '../../src/commands/templates.js';
import { runUpdate, type UpdateOptions } from '../../src/commands/update.js';
import { PetsageError } from '../../src/errors.js';
import { Reporter } from '../../src/output/reporter.js';
import { decodeBase } from '../../src/record/base.js';
import { MARKERS } from '../../src/record/merge.js';
import { readRecord } from '../../src/record/record.js';
import { capture } from '../helpers/capture.js';
import { fixture } from '../helpers/paths.js';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

const ROUTER = 'app/api/v1/modules/smoke_test/router.py';
const README = 'app/api/v1/modules/smoke_test/README.md';
const SMOKE = fixture('payloads/smoke_test.json');

const reporter = () => new Reporter(capture().stream, capture().stream, { json: false, quiet: true, color: false });
const common = (root: string) => ({ cwd: root, target: '.', wait: 0, dryRun: false, verify: false, reporter: reporter(), readStdin: async () => Buffer.alloc(0) });
const feature = (root: string, payloads: string[], force = false) => runFeature(payloads, { ...common(root), force });
const update = (root: string, args: string[] = [], extra: Partial<UpdateOptions> = {}) => runUpdate(args, { ...common(root), conflicts: 'stop', ...extra });
const read = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8');

/** A backend with the status feature generated, its README edited, and the router's template overridden. */
async function generated(): Promise<string> {
  const dir = tempDir();
  await runInit('backend', { cwd: dir, force: false, preset: 'modules', wait: 0, reporter: reporter() });
  const root = path.join(dir, 'backend');
  await feature(root, [SMOKE]);
  return root;
}

async function withTemplateChange(root: string, change: (template: string) => string): Promise<void> {
  await runTemplatesEject('router.py', { cwd: root, target: '.', force: false, wait: 0, reporter: reporter() });
  const template = path.join(root, '.petsage/templates/router.py.hbs');
  writeFileSync(template, change(readFileSync(template, 'utf8')));
}

const addComment = (template: string) => template.replace('{{router.line}}', '# the project comment\n{{router.line}}');

/** The error a command rejects with; fails the test when it resolves. */
async function rejection(run: Promise<unknown>): Promise<PetsageError> {
  const error = await run.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof PetsageError)) throw new Error(`expected a PetsageError, got ${String(error)}`);
  return error;
}

function payloadWith(root: string, description: string): string {
  const file = path.join(root, '..', 'smoke_test.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(SMOKE, 'utf8')), description }));
  return file;
}

describe('update', () => {
  it('replaces an unedited file, merges an edited one, and records the fresh render as the next base', async () => {
    const root = await generated();
    appendFileSync(path.join(root, README), '\nOur own note.\n');
    await withTemplateChange(root, addComment);
    await update(root);
    expect(read(root, ROUTER)).toContain('# the project comment\nrouter = ');
    expect(read(root, README)).toMatch(/\nOur own note\.\n$/);
    const valid = readRecord(root, 'smoke_test')!;
    const base = decodeBase(valid.record.base, valid.record.files, 'record')!;
    // The base is the fresh render, not the merged file: the README stays edited.
    expect(base.get(ROUTER)).toBe(read(root, ROUTER));
    expect(base.get(README)).not.toContain('Our own note');
    const check = await runCheck({ cwd: root, target: '.', reporter: reporter() });
    expect(check.features[0]!.files.find((file) => file.path === README)!.state).toBe('edited');
    expect(check.features[0]!.files.find((file) => file.path === ROUTER)!.state).toBe('current');
    // A second update has nothing to bring.
    const again = snapshotTree(root);
    await update(root, ['smoke_test']);
    expect(snapshotTree(root)).toEqual(again);
  });

  it('brings a new payload in from a file, merged with edits', async () => {
    const root = await generated();
    appendFileSync(path.join(root, ROUTER), '\n\n# my route goes here\n');
    await update(root, [payloadWith(root, 'A new description.')]);
    expect(read(root, ROUTER)).toContain('ENDPOINT_DESCRIPTION = "A new description."');
    expect(read(root, ROUTER)).toMatch(/# my route goes here\n$/);
    expect(readRecord(root, 'smoke_test')!.feature.payload.description).toBe('A new description.');
  });

  it('stops on a conflicting edit (exit 3, each hunk with its lines) and writes nothing; --conflicts=markers writes markers', async () => {
    const root = await generated();
    const router = path.join(root, ROUTER);
    writeFileSync(router, read(root, ROUTER).replace(/^router = /m, '# my comment\nrouter = '));
    await withTemplateChange(root, addComment);
    const before = snapshotTree(root);
    const error = await rejection(update(root));
    expect(error.exitCode).toBe(3);
    expect(error.problems).toEqual([{ path: ROUTER, message: "conflict: your line 13 against the new render's line 13" }]);
    expect(error.hints[0]).toContain('--conflicts=markers');
    expect(snapshotTree(root)).toEqual(before);

    await update(root, [], { conflicts: 'markers' });
    expect(read(root, ROUTER)).toContain(`${MARKERS.ours}\n# my comment\n${MARKERS.separator}\n# the project comment\n${MARKERS.theirs}\nrouter = `);
  });

  it('--dry-run shows the merge with its markers, writes nothing, and exits 3 when the real run would stop', async () => {
    const root = await generated();
    writeFileSync(path.join(root, ROUTER), read(root, ROUTER).replace(/^router = /m, '# my comment\nrouter = '));
    await withTemplateChange(root, addComment);
    const before = snapshotTree(root);
    const out = capture();
    const error = await rejection(update(root, [], { dryRun: true, reporter: new Reporter(out.stream, capture().stream, { json: false, quiet: false, color: false }) }));
    expect(error.exitCode).toBe(3);
    expect(error.problems).toEqual([{ path: ROUTER, message: "conflict: your line 13 against the new render's line 13" }]);
    expect(out.text()).toContain(`+${MARKERS.ours}\n # my comment\n+${MARKERS.separator}\n+# the project comment\n+${MARKERS.theirs}\n`);
    // The record's base is shown as its size and a short hash, one changed line, not its base64.
    const oldBase = JSON.parse(read(root, '.petsage/features/smoke_test.json')).base as string;
    expect(out.text()).toMatch(/^- {2}"base": "deflate:<\d+ characters, sha256 [0-9a-f]{12}>",?$/m);
    expect(out.text()).toMatch(/^\+ {2}"base": "deflate:<\d+ characters, sha256 [0-9a-f]{12}>",?$/m);
    expect(out.text()).not.toContain(oldBase.slice('brotli:'.length, 'brotli:'.length + 40));
    expect(snapshotTree(root)).toEqual(before);
  });

  it('without a base in the record (an older petsage-build), replaces unedited files and refuses edited ones', async () => {
    const root = await generated();
    const recordFile = path.join(root, '.petsage/features/smoke_test.json');
    const { base: _base, ...old } = JSON.parse(readFileSync(recordFile, 'utf8'));
    writeFileSync(recordFile, `${JSON.stringify(old, null, 2)}\n`);
    appendFileSync(path.join(root, README), '\nOur own note.\n');
    await withTemplateChange(root, addComment);
    const error = await rejection(update(root));
    expect(error.exitCode).toBe(3);
    expect(error.problems[0]!.path).toBe(README);
    expect(error.problems[0]!.message).toContain('its record keeps no base to merge from');
    // Without the edit, the unedited router is simply replaced.
    writeFileSync(path.join(root, README), read(root, README).replace('\nOur own note.\n', ''));
    await update(root);
    expect(read(root, ROUTER)).toContain('# the project comment');
  });

  it('refuses a base that does not hash to the record (exit 3, naming the record), writing nothing', async () => {
    const root = await generated();
    const recordFile = path.join(root, '.petsage/features/smoke_test.json');
    const record = JSON.parse(readFileSync(recordFile, 'utf8'));
    const other = JSON.parse(readFileSync(recordFile, 'utf8'));
    // Another valid base, of other texts: the hashes no longer match.
    other.base = (await import('../../src/record/base.js')).encodeBase(Object.fromEntries(record.files.map((file: { path: string }) => [file.path, 'x\n'])));
    writeFileSync(recordFile, `${JSON.stringify(other, null, 2)}\n`);
    appendFileSync(path.join(root, README), '\nOur own note.\n');
    const before = snapshotTree(root);
    const error = await rejection(update(root));
    expect(error.exitCode).toBe(3);
    expect(error.path).toBe('.petsage/features/smoke_test.json');
    expect(snapshotTree(root)).toEqual(before);
  });

  it('refuses what is not a recorded feature (exit 2), naming it', async () => {
    const root = await generated();
    const error = await rejection(update(root, ['pets']));
    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual([{ path: 'pets', message: 'is not a recorded feature (generate it first with `petsage-build feature`)' }]);
    expect((await rejection(update(root, ['smoke_test', 'smoke_test']))).problems).toEqual([{ path: 'smoke_test', message: 'is given twice' }]);
  });
});

describe('feature over a feature generated before', () => {
  it('updates unedited files to a changed payload without --force', async () => {
    const root = await generated();
    await feature(root, [payloadWith(root, 'Changed.')]);
    expect(read(root, ROUTER)).toContain('ENDPOINT_DESCRIPTION = "Changed."');
  });

  it('check says which edited files have template or payload changes for update to merge in, without calling them drift', async () => {
    const root = await generated();
    appendFileSync(path.join(root, ROUTER), '# mine\n');
    appendFileSync(path.join(root, README), '\nOur own note.\n');
    const quiet = capture();
    const before = await runCheck({ cwd: root, target: '.', reporter: new Reporter(quiet.stream, capture().stream, { json: false, quiet: false, color: false }) });
    expect(before.drift).toBe(false);
    expect(before.features[0]!.files.filter((file) => file.renderChanged)).toEqual([]);
    expect(quiet.text()).not.toContain('merges');
    await withTemplateChange(root, addComment);
    const out = capture();
    const after = await runCheck({ cwd: root, target: '.', reporter: new Reporter(out.stream, capture().stream, { json: false, quiet: false, color: false }) });
    expect(after.drift).toBe(false);
    // The router's template changed; the README's did not.
    expect(after.features[0]!.files.filter((file) => file.renderChanged).map((file) => file.path)).toEqual([ROUTER]);
    expect(out.text()).toContain(`${ROUTER}: edited by hand since it was generated; the templates or the payload changed since too, which \`petsage-build update\` merges into it\n`);
    expect(out.text()).toContain('the templates or the payload changed for 1 of them since, which `petsage-build update` merges in.');
  });

  it('keeps an edited file whose render has not changed: the same payload again writes nothing and says so', async () => {
    const root = await generated();
    appendFileSync(path.join(root, ROUTER), '# mine\n');
    const before = snapshotTree(root);
    const out = capture();
    const report = await runFeature([SMOKE], { ...common(root), reporter: new Reporter(out.stream, capture().stream, { json: false, quiet: false, color: false }), force: false });
    expect(snapshotTree(root)).toEqual(before);
    expect(out.text()).toContain('router.py  unchanged (edited by hand, kept)\n');
    expect(out.text()).toContain('Already up to date: nothing changed.');
    const files = report.features.flatMap((entry) => entry.files);
    expect(files.find((file) => file.path === ROUTER)).toMatchObject({ action: 'unchanged', state: 'edited' });
    expect(files.filter((file) => file.state !== undefined).map((file) => file.path)).toEqual([ROUTER]);
    // The record still says what was generated, so check calls the file the user's.
    const check = await runCheck({ cwd: root, target: '.', reporter: reporter() });
    expect(check.features[0]!.files.find((file) => file.path === ROUTER)!.state).toBe('edited');
    // --force puts the render back over the edit; a file deleted since is written again.
    await feature(root, [SMOKE], true);
    const rendered = read(root, ROUTER);
    expect(rendered).not.toContain('# mine');
    unlinkSync(path.join(root, ROUTER));
    await feature(root, [SMOKE]);
    expect(read(root, ROUTER)).toBe(rendered);
  });

  it('refuses an edited file as edited, offering update and --force; a file it never generated without offering --force', async () => {
    const root = await generated();
    appendFileSync(path.join(root, ROUTER), '# mine\n');
    const changed = payloadWith(root, 'Changed.');
    const edited = await rejection(feature(root, [changed]));
    expect(edited.exitCode).toBe(3);
    expect(edited.text).toBe('1 file was edited since petsage-build generated it; nothing was written.');
    expect(edited.problems).toEqual([{ path: ROUTER, message: 'edited since petsage-build generated it' }]);
    // The payload just given, not the recorded one a bare `update` would merge.
    expect(edited.hints).toEqual([`Run \`petsage-build update ${changed}\` to merge your edits into the new render, or pass --force to overwrite your edits.`]);
    copyFileSync(changed, path.join(path.dirname(root), 'smoke test.json'));
    const elsewhere = await rejection(runFeature(['smoke test.json'], { ...common(path.dirname(root)), target: path.basename(root), force: false }));
    expect(elsewhere.hints[0]).toBe(`Run \`petsage-build update 'smoke test.json' --target ${path.basename(root)}\` to merge your edits into the new render, or pass --force to overwrite your edits.`);

    const fresh = await generated();
    const other = fixture('payloads/valid/pet_profile.json');
    const mine = path.join(fresh, 'tests/api/v1/test_pet_profile.py');
    writeFileSync(mine, '# mine\n');
    const foreign = await rejection(feature(fresh, [other]));
    expect(foreign.problems).toEqual([{ path: 'tests/api/v1/test_pet_profile.py', message: 'exists and differs, and petsage-build did not generate it' }]);
    expect(foreign.hints.join('\n')).not.toContain('--force');
  });
});

describe('a resource feature', () => {
  const HOUSEHOLDS = fixture('resources/reference/households.json');
  const households = JSON.parse(readFileSync(HOUSEHOLDS, 'utf8'));
  const payload = (root: string, resource: object) => {
    const file = path.join(root, '..', 'households.json');
    writeFileSync(file, JSON.stringify({ ...households, description: 'Households, updated.', resource }));
    return file;
  };

  it('takes a new description in without touching its migration', async () => {
    const root = await generated();
    await feature(root, [HOUSEHOLDS]);
    const migration = readRecord(root, 'households')!.plan.migration!.path;
    const before = read(root, migration);
    await update(root, [payload(root, households.resource)]);
    expect(read(root, migration)).toBe(before);
    expect(read(root, 'app/api/v1/modules/households/README.md')).toContain('Households, updated.');
    expect((await runCheck({ cwd: root, target: '.', reporter: reporter() })).drift).toBe(false);
  });

  it('adds a column in a new revision after the head, leaving the create revision as it was; check stays current', async () => {
    const root = await generated();
    await feature(root, [HOUSEHOLDS]);
    const created = readRecord(root, 'households')!.plan.migration!;
    const createdText = read(root, created.path);
    const resource = { ...households.resource, fields: { ...households.resource.fields, nickname: { type: 'str', max_length: 20, required: false, nullable: true } } };
    await update(root, [payload(root, resource)]);
    expect(read(root, created.path)).toBe(createdText);
    const versions = path.dirname(created.path);
    const alters = readdirSync(path.join(root, versions)).filter((file) => file.endsWith('_alter_households.py'));
    expect(alters).toHaveLength(1);
    const alter = read(root, `${versions}/${alters[0]}`);
    expect(alter).toContain(`down_revision: str | None = "${created.revision}"`);
    expect(alter).toContain('batch_op.add_column(sa.Column("nickname", sa.String(length=20), nullable=True))');
    const record = readRecord(root, 'households')!;
    expect(Object.keys(record.record.resource!.created as object)).toEqual(Object.keys(households.resource));
    expect(Object.keys((record.record.resource!.table as { fields: object }).fields)).toContain('nickname');
    expect((await runCheck({ cwd: root, target: '.', reporter: reporter() })).drift).toBe(false);
    // Nothing changed since: a second update writes nothing, and no second revision.
    const again = snapshotTree(root);
    await update(root);
    expect(snapshotTree(root)).toEqual(again);
  });

  it('refuses a change it cannot migrate (exit 2, naming the field) and writes nothing', async () => {
    const root = await generated();
    await feature(root, [HOUSEHOLDS]);
    const before = snapshotTree(root);
    const fields = { ...households.resource.fields, name: { ...households.resource.fields.name, max_length: 50 } };
    const error = await rejection(update(root, [payload(root, { ...households.resource, fields })]));
    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual([{ path: 'households: resource.fields.name', message: 'changes its type from String(100) to String(50), which could lose or fail to convert a value already stored; keep the type, or change the column by hand' }]);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('drops a ref in a new revision; the record keeps the parent its create revision names, so check stays current', async () => {
    const root = await generated();
    const PETS = fixture('resources/reference/pet_profiles.json');
    await feature(root, [HOUSEHOLDS, PETS]);
    const pets = JSON.parse(readFileSync(PETS, 'utf8'));
    const { household_id: _dropped, ...fields } = pets.resource.fields;
    const file = path.join(root, '..', 'pet_profiles.json');
    writeFileSync(file, JSON.stringify({ ...pets, resource: { ...pets.resource, fields } }));
    await update(root, [file]);
    const versions = path.join(root, path.dirname(readRecord(root, 'pet_profiles')!.plan.migration!.path));
    const alter = readFileSync(path.join(versions, readdirSync(versions).find((name) => name.endsWith('_alter_pets.py'))!), 'utf8');
    expect(alter).toContain('batch_op.f("fk_pets_household_id_households"), type_="foreignkey"');
    expect(alter).toContain('batch_op.create_foreign_key(');
    const record = readRecord(root, 'pet_profiles')!;
    expect(Object.keys(record.record.resource!.parents)).toEqual(['households']);
    expect(record.created!.fields.map((field) => field.name)).toContain('household_id');
    expect((await runCheck({ cwd: root, target: '.', reporter: reporter() })).drift).toBe(false);
  });

  it('migrates a change made by editing the payload in the record, from the table its migrations left', async () => {
    const root = await generated();
    await feature(root, [HOUSEHOLDS]);
    const recordFile = path.join(root, '.petsage/features/households.json');
    const record = JSON.parse(readFileSync(recordFile, 'utf8'));
    delete record.payload.resource.fields.address;
    writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`);
    await update(root, ['households']);
    const versions = path.join(root, path.dirname(readRecord(root, 'households')!.plan.migration!.path));
    const alter = readdirSync(versions).find((file) => file.endsWith('_alter_households.py'))!;
    expect(readFileSync(path.join(versions, alter), 'utf8')).toContain('batch_op.drop_column("address")');
  });
});
