import { appendFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { petsage, run } from '../helpers/cli.js';
import { VENV, venvBin } from '../helpers/python-env.mjs';
import { backendCopies, snapshotTree, tempDir } from '../helpers/tmp.js';

const workspace = tempDir();
/** Fresh copies of an init backend. */
const backends = backendCopies(workspace);
const backend = () => backends.copy();
const verify = (root: string, args: readonly string[] = ['--builtin', 'smoke_test'], input?: Buffer) => petsage(['feature', ...args, '--target', root, '--verify'], input && { input });

/** Edits a file of the backend in place. */
const edit = (root: string, file: string, change: (text: string) => string) => writeFileSync(path.join(root, file), change(readFileSync(path.join(root, file), 'utf8')));
/** Names `python` as the target's Python in its [tool.petsage]. */
const usePython = (root: string, python: string) => edit(root, 'pyproject.toml', (text) => text.replace('preset = "modules"', `preset = "modules"\npython = ${JSON.stringify(python)}`));

/** Runs --verify, which must fail (exit 5) with `failure`, and roll back to every byte there was. */
async function rolledBack(root: string, failure: string, args?: readonly string[], input?: Buffer) {
  const before = snapshotTree(root);
  const result = await verify(root, args, input);
  expect(result.exitCode, result.stderr + result.stdout).toBe(5);
  expect(result.stderr).toContain(`--verify: ${failure}; the commit was rolled back.`);
  expect(snapshotTree(root)).toEqual(before);
  return result.stderr;
}

/** A virtualenv holding everything the pinned test venv holds except ruff. */
async function venvWithoutRuff(): Promise<string> {
  const venv = path.join(workspace, 'no-ruff');
  expect((await run(venvBin('python'), ['-m', 'venv', '--without-pip', venv])).exitCode).toBe(0);
  const purelib = (python: string) => run(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])']).then((result) => result.stdout.trim());
  const [from, to] = [await purelib(venvBin('python')), await purelib(path.join(venv, 'bin', 'python'))];
  expect(from.startsWith(VENV)).toBe(true);
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from).filter((name) => !/^ruff\b/i.test(name))) symlinkSync(path.join(from, entry), path.join(to, entry));
  return path.join(venv, 'bin', 'python');
}

beforeAll(async () => {
  expect((await petsage(['init', backends.pristine])).exitCode).toBe(0);
});

describe('--verify', () => {
  it("collects the whole suite, runs the new tests and ruff with the target's Python, and keeps the commit when they pass", async () => {
    const root = backend();
    usePython(root, venvBin('python'));
    const result = await verify(root);
    expect(result.exitCode, result.stderr + result.stdout).toBe(0);
    const steps = result.stdout.split('\n').filter((line) => line.startsWith('Verifying: '));
    expect(steps).toEqual([
      `Verifying: ${venvBin('python')} -m pytest --collect-only (the whole suite)`,
      `Verifying: ${venvBin('python')} -m pytest tests/api/v1/test_smoke_test.py`,
      'Verifying: ruff format --check',
      'Verifying: ruff check',
    ]);
    expect(result.stderr).toBe('');
  });

  it("uses the target's .venv, and its ruff", async () => {
    const root = backend();
    symlinkSync(VENV, path.join(root, '.venv'));
    const result = await verify(root);
    expect(result.exitCode, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).toContain(`Verifying: ${path.join(root, '.venv/bin/python')} -m pytest tests/api/v1/test_smoke_test.py`);
    expect(result.stdout).toContain('Verifying: ruff format --check');
    expect(result.stdout).toContain('Verifying: ruff check');
  });

  it('rolls the commit back when the new tests fail (exit 5), showing the end of the output', async () => {
    const root = backend();
    usePython(root, venvBin('python'));
    expect((await petsage(['templates', 'eject', 'service.py', '--target', root])).exitCode).toBe(0);
    edit(root, '.petsage/templates/service.py.hbs', (text) => text.replace('status="ok"', 'status="down"'));
    const stderr = await rolledBack(root, `${venvBin('python')} -m pytest tests/api/v1/test_smoke_test.py failed (exit 1)`);
    expect(stderr).toContain('FAILED tests/api/v1/test_smoke_test.py::test_answers_ok_with_every_field');
  });

  it.each([
    ['a test module that does not import', 'tests/test_broken.py', (root: string) => {
      writeFileSync(path.join(root, 'tests/test_broken.py'), 'import a_module_that_does_not_exist  # noqa: F401\n');
    }],
    // The planner refuses a feature whose own test module would clash; these two are the project's.
    ["two of the project's test modules named alike, under pytest's default (prepend) import mode", 'import file mismatch', (root: string) => {
      edit(root, 'pyproject.toml', (text) => text.replace('--import-mode=importlib ', ''));
      mkdirSync(path.join(root, 'tests/integration'));
      writeFileSync(path.join(root, 'tests/integration/test_app.py'), 'def test_integration() -> None:\n    assert True\n');
    }],
  ])('fails on a collection error anywhere in the suite, not only in the new tests: %s', async (_, shown, breakSuite) => {
    const root = backend();
    usePython(root, venvBin('python'));
    breakSuite(root);
    const stderr = await rolledBack(root, `${venvBin('python')} -m pytest --collect-only (the whole suite) failed (exit 2)`);
    expect(stderr).toContain(shown);
  });

  it("passes for a feature whose test module shares init's tests/test_app.py basename, because of importlib mode", async () => {
    const app = Buffer.from('{"feature": "app", "description": "A feature named like the app."}');
    const root = backend();
    usePython(root, venvBin('python'));
    const passed = await verify(root, ['-'], app);
    expect(passed.exitCode, passed.stderr + passed.stdout).toBe(0);
    expect(readFileSync(path.join(root, 'tests/api/v1/test_app.py'), 'utf8')).toContain('def test_');

    // With pytest's default (prepend) import mode the two test_app modules would clash: the name
    // is refused before anything is written or run (exit 2).
    const prepend = backend();
    usePython(prepend, venvBin('python'));
    edit(prepend, 'pyproject.toml', (text) => text.replace('--import-mode=importlib ', ''));
    const before = snapshotTree(prepend);
    const refused = await verify(prepend, ['-'], app);
    expect(refused.exitCode, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('but tests/test_app.py already has that name');
    expect(snapshotTree(prepend)).toEqual(before);
  });

  it('runs ruff check on the aggregator it patched, and rolls back what it finds', async () => {
    const root = backend();
    usePython(root, venvBin('python'));
    edit(root, 'app/api/v1/api.py', (text) => text.replace('from fastapi import APIRouter\n', 'import os\n\nfrom fastapi import APIRouter\n'));
    const stderr = await rolledBack(root, 'ruff check failed (exit 1)');
    expect(stderr).toContain('F401');
    expect(stderr).toContain('app/api/v1/api.py:3:8');
  });

  it("runs ruff format --check with the target's own ruff config", async () => {
    const root = backend();
    usePython(root, venvBin('python'));
    // Generated code is double-quoted, as ruff's default config has it.
    appendFileSync(path.join(root, 'pyproject.toml'), '\n[tool.ruff.format]\nquote-style = "single"\n');
    expect(await rolledBack(root, 'ruff format --check failed (exit 1)')).toMatch(/\d+ files? would be reformatted/);
  });

  it('without ruff in the target\'s environment, warns that ruff did not check the files and keeps the commit', async () => {
    const root = backend();
    const python = await venvWithoutRuff();
    usePython(root, python);
    const result = await verify(root);
    expect(result.exitCode, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).toContain(`Verifying: ${python} -m pytest tests/api/v1/test_smoke_test.py`);
    expect(result.stdout).not.toContain('Verifying: ruff');
    expect(result.stderr).toContain(`warning --verify: ruff is not installed for ${python} (`);
    expect(result.stderr).toContain('No module named ruff');
    expect(result.stderr).toContain('were not checked with ruff');
    expect(readFileSync(path.join(root, 'app/api/v1/api.py'), 'utf8')).toContain('smoke_test_router');
  });
});
