/**
 * The commands in process, on temp backends, with no Python: what each writes, reports and
 * refuses. The built binary is exercised end to end in test/e2e; this layer measures coverage
 * of the commands themselves.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/commands/check.js';
import { runFeature } from '../../src/commands/feature.js';
import { runForget } from '../../src/commands/forget.js';
import { runInit } from '../../src/commands/init.js';
import { runList } from '../../src/commands/list.js';
import { runRemove } from '../../src/commands/remove.js';
import { runSchema } from '../../src/commands/schema.js';
import { runTemplatesEject } from '../../src/commands/templates.js';
import { runUpdate } from '../../src/commands/update.js';
import { Reporter } from '../../src/output/reporter.js';
import { capture } from '../helpers/capture.js';
import { holdLockAs } from '../helpers/lock.js';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

function quietReporter() {
  const { stream, text } = capture();
  return { reporter: new Reporter(stream, stream, { json: false, quiet: false, color: false }), text };
}

const payload = (feature: string, description = `The ${feature} feature.`) => Buffer.from(JSON.stringify({ feature, description }));

async function initialised(preset?: string) {
  const dir = tempDir();
  const { reporter } = quietReporter();
  await runInit('backend', { cwd: dir, force: false, preset, wait: 0, reporter });
  return path.join(dir, 'backend');
}

/** Each feature by its name (its default payload) or as a payload. */
async function generate(root: string, features: (string | Buffer)[], extra: { force?: boolean; dryRun?: boolean } = {}) {
  const { reporter, text } = quietReporter();
  const stdin = Buffer.from(features.map((feature) => (typeof feature === 'string' ? payload(feature) : feature).toString()).join('\n'));
  const result = await runFeature(['-'], { cwd: root, target: '.', force: false, dryRun: false, verify: false, wait: 0, reporter, readStdin: async () => stdin, ...extra });
  return { result, output: text() };
}

describe('--target that is not a directory', () => {
  it('is exit 2; init is offered only where nothing is, as it would refuse a path a file holds', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.json'), '{}');
    const check = (target: string) => runCheck({ cwd: dir, target, reporter: quietReporter().reporter }).catch((error: unknown) => error);
    expect(await check('missing')).toMatchObject({ exitCode: 2, path: '--target', text: 'missing is not a directory.', hints: ['Point it at your backend, or create one with `petsage-build init missing`.'] });
    expect(await check('a.json')).toMatchObject({ exitCode: 2, path: '--target', text: 'a.json is not a directory.', hints: ["Point it at your backend's folder."] });
  });
});

describe('feature, list, check, remove in process', () => {
  it('generates, lists, checks, and removes back to the original bytes', async () => {
    const root = await initialised();
    const before = snapshotTree(root);
    const { result, output } = await generate(root, ['pets', 'owners']);
    expect(result.features.map((feature) => feature.feature)).toEqual(['pets', 'owners']);
    expect(output).toContain('Endpoint: GET /api/v1/pets/');
    const listed = await runList({ cwd: root, target: '.', reporter: quietReporter().reporter });
    expect(listed.features.map((feature) => [feature.feature, feature.state])).toEqual([
      ['owners', 'current'],
      ['pets', 'current'],
    ]);
    expect((await runCheck({ cwd: root, target: '.', reporter: quietReporter().reporter })).drift).toBe(false);
    const services = path.join(root, 'app/api/v1/modules/pets/services.py');
    writeFileSync(services, `${readFileSync(services, 'utf8')}# mine\n`);
    const owned = quietReporter();
    const checked = await runCheck({ cwd: root, target: '.', reporter: owned.reporter });
    expect(checked.drift).toBe(false);
    expect(checked.features.find((feature) => feature.feature === 'pets')).toMatchObject({ state: 'edited', drift: false });
    expect(owned.text()).toContain('app/api/v1/modules/pets/services.py: edited by hand since it was generated');
    expect(owned.text()).toContain('No drift: 1 file edited by hand is yours');
    const strict = quietReporter();
    expect((await runCheck({ cwd: root, target: '.', strict: true, reporter: strict.reporter })).drift).toBe(true);
    expect(strict.text()).toContain('--- app/api/v1/modules/pets/services.py (on disk)\n+++ app/api/v1/modules/pets/services.py (fresh render)');
    expect(strict.text()).not.toContain('--force');
    const refused = await runRemove('pets', { cwd: root, target: '.', force: false, wait: 0, reporter: quietReporter().reporter }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ exitCode: 3, problems: [{ path: 'app/api/v1/modules/pets/services.py', message: 'edited' }] });
    await runRemove('pets', { cwd: root, target: '.', force: true, wait: 0, reporter: quietReporter().reporter });
    const removed = await runRemove('owners', { cwd: root, target: '.', force: false, wait: 0, reporter: quietReporter().reporter });
    expect(removed.features[0]?.aggregator?.action).toBe('updated');
    expect(snapshotTree(root)).toEqual(before);
  });

  it('a dry run writes nothing and says so in its result', async () => {
    const root = await initialised();
    const before = snapshotTree(root);
    const { result, output } = await generate(root, ['pets'], { dryRun: true });
    expect(result).toMatchObject({ dryRun: true });
    expect(output).toContain('Dry run: nothing is written.');
    expect(snapshotTree(root)).toEqual(before);
  });

  it('a second run changes nothing', async () => {
    const root = await initialised();
    await generate(root, ['pets']);
    const after = snapshotTree(root);
    const { output } = await generate(root, ['pets']);
    expect(output).toContain('Already up to date: nothing changed.');
    expect(snapshotTree(root)).toEqual(after);
  });

  it('a conflict is refused with every file in its result', async () => {
    const root = await initialised();
    await generate(root, ['pets']);
    const router = path.join(root, 'app/api/v1/modules/pets/router.py');
    writeFileSync(router, '# mine\n');
    // A payload whose render of the edited file differs: the same one would keep the edit.
    const error = await generate(root, [payload('pets', 'Changed since.')]).catch((thrown: unknown) => thrown as { exitCode: number; result?: { features: { files: { path: string; action: string }[] }[] } });
    expect(error).toMatchObject({ exitCode: 3 });
    expect(error.result?.features[0]?.files.find((file) => file.path.endsWith('router.py'))?.action).toBe('conflict');
  });

  it("remove says which of the feature's folders stay for files it did not generate, and looks into no shared folder", async () => {
    const root = await initialised();
    await generate(root, ['pets', 'owners']);
    writeFileSync(path.join(root, 'app/api/v1/modules/pets/helpers.py'), 'x = 1\n');
    const { reporter, text } = quietReporter();
    await runRemove('pets', { cwd: root, target: '.', force: false, wait: 0, reporter });
    expect(readFileSync(path.join(root, 'app/api/v1/modules/pets/helpers.py'), 'utf8')).toBe('x = 1\n');
    // tests/api/v1 still holds the owners' test: not the feature's folder, so not mentioned.
    expect(text().split('\n').filter((line) => line.startsWith('Kept'))).toEqual(['Kept app/api/v1/modules/pets/: it holds a file petsage-build did not generate (helpers.py).']);
    const quiet = quietReporter();
    await runRemove('owners', { cwd: root, target: '.', force: false, wait: 0, reporter: quiet.reporter });
    expect(quiet.text()).not.toContain('Kept');
  });

  it('remove and forget in a folder that is not a backend say so (exit 2, --target), not that the feature is unknown', async () => {
    const folder = tempDir();
    const notBackend = { exitCode: 2, path: '--target', text: `${folder} is not a backend: it has no pyproject.toml and no layout petsage-build knows.` };
    expect(await runRemove('pets', { cwd: folder, target: '.', force: false, wait: 0, reporter: quietReporter().reporter }).catch((error: unknown) => error)).toMatchObject(notBackend);
    expect(await runForget(['pets'], { cwd: folder, target: '.', wait: 0, reporter: quietReporter().reporter }).catch((error: unknown) => error)).toMatchObject(notBackend);
    // A backend with nothing recorded: the feature is what is unknown.
    const root = await initialised();
    expect(await runRemove('pets', { cwd: root, target: '.', force: false, wait: 0, reporter: quietReporter().reporter }).catch((error: unknown) => error)).toMatchObject({ exitCode: 2, path: 'pets' });
    expect(await runForget(['pets'], { cwd: root, target: '.', wait: 0, reporter: quietReporter().reporter }).catch((error: unknown) => error)).toMatchObject({ exitCode: 2, path: 'pets' });
  });

  it('remove of a name that is not a feature, or of one not recorded, is exit 2', async () => {
    const root = await initialised();
    expect(await runRemove('../x', { cwd: root, target: '.', force: false, wait: 0, reporter: quietReporter().reporter }).catch((error: unknown) => error)).toMatchObject({ exitCode: 2, path: 'feature' });
    expect(await runRemove('nothing_here', { cwd: root, target: '.', force: false, wait: 0, reporter: quietReporter().reporter }).catch((error: unknown) => error)).toMatchObject({ exitCode: 2 });
  });
});

describe('a template override that renders Python which does not parse', () => {
  it('is refused (exit 2) naming the override and the line, before anything is written', async () => {
    const root = await initialised();
    await runTemplatesEject('service.py', { cwd: root, target: '.', force: false, wait: 0, reporter: quietReporter().reporter });
    const override = path.join(root, '.petsage/templates/service.py.hbs');
    writeFileSync(override, `${readFileSync(override, 'utf8')}\ndef broken(:\n    pass\n`);
    const before = snapshotTree(root);
    const error = (await generate(root, ['pets']).catch((caught: unknown) => caught)) as { exitCode: number; path: string; text: string };
    expect(error).toMatchObject({ exitCode: 2, path: '.petsage/templates/service.py.hbs' });
    expect(error.text).toMatch(/^renders Python that is not valid \('\(' was never closed, at line \d+ of what it rendered\); nothing was written\.$/);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('an aggregator that a git merge left conflicted', () => {
  it('is refused by feature, check and update (exit 3) at its first marker, and nothing is written', async () => {
    const root = await initialised();
    await generate(root, ['pets']);
    const aggregator = path.join(root, 'app/api/v1/api.py');
    const lines = readFileSync(aggregator, 'utf8').split('\n');
    const include = lines.findIndex((line) => line.includes('include_router'));
    lines.splice(include, 1, '<<<<<<< HEAD', lines[include]!, '=======', lines[include]!.replaceAll('pets', 'owners'), '>>>>>>> feature/owners');
    writeFileSync(aggregator, lines.join('\n'));
    const before = snapshotTree(root);
    const refusal = { exitCode: 3, path: `app/api/v1/api.py:${include + 1}`, text: 'is not valid Python (a merge conflict marker: resolve the merge first); nothing was changed.' };
    expect(await generate(root, ['owners']).catch((error: unknown) => error)).toMatchObject(refusal);
    expect(await runCheck({ cwd: root, target: '.', reporter: quietReporter().reporter }).catch((error: unknown) => error)).toMatchObject(refusal);
    expect(await runUpdate([], { cwd: root, target: '.', conflicts: 'stop', dryRun: false, verify: false, wait: 0, reporter: quietReporter().reporter, readStdin: async () => Buffer.alloc(0) }).catch((error: unknown) => error)).toMatchObject(refusal);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('check and list while another run commits', () => {
  it('wait for it, and do not take its journal for a killed run; past --wait they are exit 3, naming the lock', async () => {
    const root = await initialised();
    await generate(root, ['pets']);
    // The other run: a live process other than this one, mid-commit (its journal written).
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      holdLockAs(root, holder.pid);
      writeFileSync(path.join(root, '.petsage-journal.json'), '{}');
      const impatient = await runCheck({ cwd: root, target: '.', wait: 0, reporter: quietReporter().reporter }).catch((error: unknown) => error);
      expect(impatient).toMatchObject({ exitCode: 3, text: `another petsage-build run (pid ${holder.pid}) holds .petsage.lock; waited 0 s.` });
      const check = quietReporter();
      const list = quietReporter();
      const checked = runCheck({ cwd: root, target: '.', wait: 30, reporter: check.reporter });
      const listed = runList({ cwd: root, target: '.', wait: 30, reporter: list.reporter });
      // Its commit finishes: the journal goes, then the lock.
      await new Promise((resolve) => setTimeout(resolve, 300));
      rmSync(path.join(root, '.petsage-journal.json'));
      rmSync(path.join(root, '.petsage.lock'));
      expect(await checked).toMatchObject({ drift: false });
      expect((await checked).interrupted).toBeUndefined();
      expect((await listed).features.map((feature) => feature.state)).toEqual(['current']);
      expect(check.text() + list.text()).not.toContain('interrupted');
    } finally {
      holder.kill();
    }
  });
});

describe('check after the backend changed its ruff settings', () => {
  const pyproject = (root: string) => path.join(root, 'pyproject.toml');
  const checked = async (root: string) => {
    const { reporter, text } = quietReporter();
    const result = await runCheck({ cwd: root, target: '.', reporter });
    return { result, output: text() };
  };

  it('reports a feature laid out for another line length as drift until update lays it out anew', async () => {
    const root = await initialised();
    await generate(root, ['pets']);
    writeFileSync(pyproject(root), `${readFileSync(pyproject(root), 'utf8')}\n[tool.ruff]\nline-length = 100\n`);
    const { result, output } = await checked(root);
    expect(result.drift).toBe(true);
    expect(result.features[0]).toMatchObject({
      state: 'outdated',
      problems: [{ path: '.petsage/features/pets.json', message: "was laid out for ruff line-length 88, and the backend's is 100 now: `petsage-build update pets` lays it out anew" }],
    });
    expect(output).toContain('Drift found: lay out 1 feature generated for other ruff settings anew with `petsage-build update`.');
    // Even where no line of it changes, update records the new length, and check is content.
    await runUpdate([], { cwd: root, target: '.', dryRun: false, verify: false, wait: 0, reporter: quietReporter().reporter, readStdin: async () => Buffer.alloc(0), conflicts: 'stop' });
    expect((await checked(root)).result.drift).toBe(false);
  });

  it('reports a raised Python floor the same way, and nothing for a floor that changes nothing generated', async () => {
    const root = await initialised();
    await generate(root, ['pets']);
    const original = readFileSync(pyproject(root), 'utf8');
    expect(original).toContain('requires-python = ">=3.10"');
    writeFileSync(pyproject(root), original.replace('requires-python = ">=3.10"', 'requires-python = ">=3.9"'));
    expect((await checked(root)).result.drift).toBe(false);
    writeFileSync(pyproject(root), original.replace('requires-python = ">=3.10"', 'requires-python = ">=3.12"'));
    const { result } = await checked(root);
    expect(result.features[0]?.problems).toEqual([{ path: '.petsage/features/pets.json', message: "was laid out for a Python floor below 3.11, and the backend's is 3.12 now: `petsage-build update pets` lays it out anew" }]);
  });
});

describe('forget in process', () => {
  it('drops the records named and changes nothing else; list shows them gone', async () => {
    const root = await initialised();
    await generate(root, ['pets', 'owners', 'visits']);
    const before = snapshotTree(root);
    const forgotten = await runForget(['pets', 'visits'], { cwd: root, target: '.', wait: 0, reporter: quietReporter().reporter });
    expect(forgotten.features.map((feature) => [feature.feature, feature.files.map((file) => [file.path, file.action])])).toEqual([
      ['pets', [['.petsage/features/pets.json', 'removed']]],
      ['visits', [['.petsage/features/visits.json', 'removed']]],
    ]);
    const { '.petsage/features/pets.json': pets, '.petsage/features/visits.json': visits, ...rest } = before;
    expect([pets, visits].every(Boolean)).toBe(true);
    expect(snapshotTree(root)).toEqual(rest);
    const listed = await runList({ cwd: root, target: '.', reporter: quietReporter().reporter });
    expect(listed.features.map((feature) => feature.feature)).toEqual(['owners']);
  });

  it('an unknown feature is exit 2 naming it, and nothing is forgotten', async () => {
    const root = await initialised();
    await generate(root, ['pets']);
    const before = snapshotTree(root);
    const options = { cwd: root, target: '.', wait: 0, reporter: quietReporter().reporter };
    expect(await runForget(['pets', 'nope'], options).catch((error: unknown) => error)).toMatchObject({ exitCode: 2, path: 'nope', text: 'no feature of that name is recorded in .petsage/features/nope.json; nothing was forgotten.', hints: ['Recorded features: pets'] });
    expect(await runForget(['../pets'], options).catch((error: unknown) => error)).toMatchObject({ exitCode: 2, path: 'feature' });
    expect(snapshotTree(root)).toEqual(before);
  });

  it('a misspelt feature gets the recorded one it most likely means, from forget, remove and update alike', async () => {
    const root = await initialised();
    await generate(root, ['pets', 'owners']);
    const before = snapshotTree(root);
    const { reporter } = quietReporter();
    const hint = ['Did you mean pets? Recorded features: owners, pets'];
    expect(await runForget(['petz'], { cwd: root, target: '.', wait: 0, reporter }).catch((error: unknown) => error)).toMatchObject({ exitCode: 2, hints: hint });
    expect(await runRemove('petz', { cwd: root, target: '.', force: false, wait: 0, reporter }).catch((error: unknown) => error)).toMatchObject({ exitCode: 2, hints: hint });
    const update = { cwd: root, target: '.', dryRun: false, verify: false, wait: 0, reporter, readStdin: async () => Buffer.alloc(0), conflicts: 'stop' as const };
    expect(await runUpdate(['petz'], update).catch((error: unknown) => error)).toMatchObject({ exitCode: 2, hints: hint });
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('init, templates eject and schema in process', () => {
  it.each(['modules', 'layered', 'features', 'endpoints', 'src-features'])('init --preset %s writes a backend a feature can be generated into', async (preset) => {
    const root = await initialised(preset);
    const { result } = await generate(root, ['pets']);
    expect(result.features[0]?.endpoint).toBe('/api/v1/pets/');
  });

  it('init refuses a non-empty directory unless forced, and an unknown preset', async () => {
    const root = await initialised();
    const dir = path.dirname(root);
    const { reporter } = quietReporter();
    expect(await runInit('backend', { cwd: dir, force: false, preset: undefined, wait: 0, reporter }).catch((error: unknown) => error)).toMatchObject({ exitCode: 3 });
    expect(await runInit('other', { cwd: dir, force: false, preset: 'constructor', wait: 0, reporter }).catch((error: unknown) => error)).toMatchObject({ exitCode: 2 });
    expect(await runInit('other', { cwd: dir, force: false, preset: 'modls', wait: 0, reporter }).catch((error: unknown) => error)).toMatchObject({
      exitCode: 2,
      text: '--preset modls: unknown preset; did you mean "modules"? The presets are modules, layered, features, endpoints, src-features, full-stack.',
    });
    const output = quietReporter();
    const forced = await runInit('backend', { cwd: dir, force: true, preset: undefined, wait: 0, reporter: output.reporter });
    expect(forced.files.every((file) => file.action === 'unchanged')).toBe(true);
    // Said as it is: nothing was initialised.
    expect(output.text()).toContain('Nothing to create: the "modules" backend in backend has every file init writes.');
    expect(output.text()).not.toContain('Initialised');
  });

  it('init --force creates only the missing files and lists those it left alone; --overwrite replaces them, listing each', async () => {
    const root = await initialised();
    const dir = path.dirname(root);
    const refused = await runInit('backend', { cwd: dir, force: false, preset: undefined, wait: 0, reporter: quietReporter().reporter }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ exitCode: 3, text: 'is not empty; nothing was written.', hints: [expect.stringMatching(/--force to create only the missing files.*--overwrite to also replace existing files/)] });
    writeFileSync(path.join(root, 'README.md'), Buffer.from('mine, in Latin-1: \xe9\n', 'latin1'));
    writeFileSync(path.join(root, 'app/main.py'), '# mine\n');
    rmSync(path.join(root, 'app/api/v1/api.py'));
    const mine = snapshotTree(root);
    const output = quietReporter();
    const forced = await runInit('backend', { cwd: dir, force: true, preset: undefined, wait: 0, reporter: output.reporter });
    expect(forced.files.filter((file) => file.action !== 'unchanged').map((file) => [file.path, file.action])).toEqual([['app/api/v1/api.py', 'created']]);
    expect(forced.leftAlone).toEqual(['README.md', 'app/main.py']);
    expect(output.text()).toContain('Initialised a "modules" FastAPI backend in backend:');
    expect(output.text()).toContain("Left alone (2 existing files that differ from init's; --overwrite replaces them): README.md, app/main.py");
    // The app module kept as it was may not serve the features: said, with what to do.
    expect(output.text()).toContain('app/main.py was kept as it was: unless it creates the app app.main:app and mounts the API router as init\'s does, generated features are not served.');
    expect(output.text()).not.toContain('pyproject.toml was kept');
    const after = snapshotTree(root);
    for (const [file, bytes] of Object.entries(mine)) expect(after[file], file).toBe(bytes);

    const replacing = quietReporter();
    const overwritten = await runInit('backend', { cwd: dir, force: false, overwrite: true, preset: undefined, wait: 0, reporter: replacing.reporter });
    expect(overwritten.replaced).toEqual(['README.md', 'app/main.py']);
    expect(replacing.text()).toContain("--overwrite replaced 2 existing files with init's: README.md, app/main.py");
    expect(readFileSync(path.join(root, 'app/main.py'), 'utf8')).not.toBe('# mine\n');
  });

  it("init --force writes the database layer for the Python the project's own pyproject.toml starts at: datetime.UTC from 3.11", async () => {
    const dir = tempDir();
    const root = path.join(dir, 'backend');
    mkdirSync(root);
    const pyproject = (requires: string) => `[project]\nname = "mine"\nrequires-python = "${requires}"\n`;
    writeFileSync(path.join(root, 'pyproject.toml'), pyproject('>=3.12'));
    await runInit('backend', { cwd: dir, force: true, preset: undefined, wait: 0, reporter: quietReporter().reporter });
    const base = readFileSync(path.join(root, 'app/db/base.py'), 'utf8');
    expect(base).toContain('\nfrom datetime import UTC, datetime\n');
    expect(base).toContain('return value.astimezone(UTC)');
    expect(base).not.toContain('timezone.utc');
    expect(readFileSync(path.join(root, 'pyproject.toml'), 'utf8')).toBe(pyproject('>=3.12'));

    // --overwrite replaces that pyproject.toml with init's, which starts at 3.10.
    await runInit('backend', { cwd: dir, force: false, overwrite: true, preset: undefined, wait: 0, reporter: quietReporter().reporter });
    expect(readFileSync(path.join(root, 'app/db/base.py'), 'utf8')).toContain('\nfrom datetime import datetime, timezone\n');
    const fresh = await initialised();
    expect(readFileSync(path.join(fresh, 'app/db/base.py'), 'utf8')).toBe(readFileSync(path.join(root, 'app/db/base.py'), 'utf8'));
  });

  it('init --overwrite refuses a backend with recorded features (exit 3), which it would unregister; --force still fills in', async () => {
    const root = await initialised();
    const dir = path.dirname(root);
    await generate(root, ['pets', 'owners']);
    const before = snapshotTree(root);
    const refused = await runInit('backend', { cwd: dir, force: false, overwrite: true, preset: undefined, wait: 0, reporter: quietReporter().reporter }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ exitCode: 3, path: 'backend', text: expect.stringMatching(/^holds recorded features \(owners, pets\): --overwrite would replace the files they are registered in/) });
    expect(snapshotTree(root)).toEqual(before);
    await runInit('backend', { cwd: dir, force: true, preset: undefined, wait: 0, reporter: quietReporter().reporter });
    expect((await runCheck({ cwd: root, target: '.', reporter: quietReporter().reporter })).drift).toBe(false);
  });

  it('templates eject copies the built-ins once, then refuses to overwrite without --force', async () => {
    const root = await initialised();
    const options = { cwd: root, target: '.', force: false, wait: 0, reporter: quietReporter().reporter };
    const ejected = await runTemplatesEject('router.py', options);
    expect(ejected.files.map((file) => [file.path, file.action])).toEqual([['.petsage/templates/router.py.hbs', 'created']]);
    writeFileSync(path.join(root, '.petsage/templates/router.py.hbs'), '# mine\n');
    expect(await runTemplatesEject('router.py', options).catch((error: unknown) => error)).toMatchObject({ exitCode: 3 });
  });

  it('schema describes the payload', () => {
    const result = runSchema(quietReporter().reporter) as { schema: { properties: Record<string, unknown> } };
    expect(Object.keys(result.schema.properties)).toEqual(['feature', 'description', 'requirements', 'resource']);
  });
});
