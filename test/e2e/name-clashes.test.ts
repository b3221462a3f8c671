import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { petsage, run } from '../helpers/cli.js';
import { venvBin } from '../helpers/python-env.mjs';
import { backendCopies, snapshotTree, tempDir } from '../helpers/tmp.js';

// Issue 11: a feature whose names would break the backend is refused (exit 2), nothing written.
const workspace = tempDir();
/** Fresh copies of an init backend whose pytest runs in its default import mode (prepend). */
const backends = backendCopies(workspace);
const backend = () => backends.copy();
const payload = (feature: string) => ({ feature, description: `The ${feature} feature.` });
/** Generates from stdin: one payload, or a batch as NDJSON. */
const generate = (root: string, features: readonly string[], ...flags: string[]) =>
  petsage(['feature', '-', '--target', root, ...flags], { input: Buffer.from(features.map((feature) => JSON.stringify(payload(feature))).join('\n')) });
const pytest = (root: string) => run(venvBin('python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: root });

beforeAll(async () => {
  expect((await petsage(['init', backends.pristine])).exitCode).toBe(0);
  // Whatever init sets, these backends use pytest's default import mode.
  const pyproject = path.join(backends.pristine, 'pyproject.toml');
  writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace(/^addopts\s*=.*\n/m, ''));
  expect(readFileSync(pyproject, 'utf8')).not.toContain('import-mode');
  expect(existsSync(path.join(backends.pristine, 'tests/test_app.py'))).toBe(true);
});

/** Runs `act` and expects `exitCode` (2: invalid input) with the target byte-identical; returns the run. */
async function refused(root: string, act: () => ReturnType<typeof petsage>, exitCode = 2) {
  const before = snapshotTree(root);
  const result = await act();
  expect(result.exitCode, result.stderr).toBe(exitCode);
  expect(snapshotTree(root)).toEqual(before);
  return result;
}

describe('a feature whose names are taken is refused', () => {
  it('api_v1, whose import alias is the aggregator router', async () => {
    const root = backend();
    const result = await refused(root, () => generate(root, ['api_v1']));
    expect(result.stderr).toMatch(/error feature: "api_v1" would import its router as api_v1_router into app\/api\/v1\/api\.py, which already binds that name \(line \d+: `api_v1_router = APIRouter\(\)`\); choose another feature name\./);
    const report = JSON.parse((await refused(root, () => generate(root, ['api_v1'], '--json'))).stdout);
    expect(report.errors[0]).toMatchObject({ code: 'invalid_input', path: 'feature' });
  });

  it('pet_2 after pet2, both named Pet2Status', async () => {
    const root = backend();
    expect((await generate(root, ['pet2'])).exitCode).toBe(0);
    const result = await refused(root, () => generate(root, ['pet_2']));
    expect(result.stderr).toContain(
      'error feature: "pet_2" would define the class Pet2Status, which feature "pet2" already defines (app/api/v1/modules/pet2/schemas.py); choose another feature name.',
    );
  });

  it('pet2 and pet_2 in one batch, under the later payload', async () => {
    const root = backend();
    const result = await refused(root, () => generate(root, ['pets', 'pet2', 'pet_2'], '--json'));
    expect(JSON.parse(result.stdout).errors[0]).toMatchObject({
      code: 'invalid_input',
      path: 'payloads[2].feature',
      message: '"pet_2" would define the class Pet2Status, which feature "pet2" (payloads[1]) also defines (app/api/v1/modules/pet2/schemas.py); choose another feature name.',
    });
  });

  it("app, whose test module would share init's tests/test_app.py name in pytest's default import mode", async () => {
    const root = backend();
    const result = await refused(root, () => generate(root, ['app']));
    expect(result.stderr).toContain(
      `error feature: "app" would add the test module test_app (tests/api/v1/test_app.py), but tests/test_app.py already has that name, and pytest's default import mode would import both as test_app; choose another feature name.`,
    );
    expect(result.stderr).toContain('--import-mode=importlib');
  });
});

describe("other features' records", () => {
  it('are read for their names, so a broken one stops a generate (exit 3) with nothing written', async () => {
    const root = backend();
    mkdirSync(path.join(root, '.petsage/features'), { recursive: true });
    writeFileSync(path.join(root, '.petsage/features/vets.json'), '{"payload": {"feature": "pets"}}');
    const result = await refused(root, () => generate(root, ['pets']), 3);
    expect(result.stderr).toContain('.petsage/features/vets.json: is not a valid petsage-build record');
  });
});

describe('names that are free are taken', () => {
  it('app in a backend whose pytest imports by path, and the whole suite passes', async () => {
    const root = backend();
    const pyproject = path.join(root, 'pyproject.toml');
    writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace('[tool.pytest.ini_options]\n', '[tool.pytest.ini_options]\naddopts = "--import-mode=importlib"\n'));
    const result = await generate(root, ['app']);
    expect(result.exitCode, result.stderr).toBe(0);
    const tests = await pytest(root);
    expect(tests.exitCode, tests.stdout).toBe(0);
    expect(tests.stdout).toMatch(/^\d+ passed/m);
  });

  it('the same feature again, alone or in a batch: exit 0, nothing changed', async () => {
    const root = backend();
    expect((await generate(root, ['pets', 'vets'])).exitCode).toBe(0);
    const before = snapshotTree(root);
    for (const features of [['pets'], ['vets', 'pets']]) {
      const again = await generate(root, features);
      expect(again.exitCode, again.stderr).toBe(0);
      expect(again.stdout).toContain('Already up to date: nothing changed.');
    }
    expect(snapshotTree(root)).toEqual(before);
  });

  it('check and remove work as before, and a removed feature frees its names', async () => {
    const root = backend();
    expect((await generate(root, ['pet2'])).exitCode).toBe(0);
    expect((await petsage(['check', '--target', root])).exitCode).toBe(0);
    const removed = await petsage(['remove', 'pet2', '--target', root]);
    expect(removed.exitCode, removed.stderr).toBe(0);
    const taken = await generate(root, ['pet_2']);
    expect(taken.exitCode, taken.stderr).toBe(0);
    expect((await petsage(['check', '--target', root])).exitCode).toBe(0);
    const tests = await pytest(root);
    expect(tests.exitCode, tests.stdout).toBe(0);
  });
});
