import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { beforeAll, describe, expect, it } from 'vitest';
import { petsage, run } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { testFunctions } from '../helpers/pytest.js';
import { requirementsOf } from '../helpers/requirements.js';
import { ensureFloorEnv, floorBin, FLOORS, FLOOR_VENV, venvBin } from '../helpers/python-env.mjs';
import { tempDir } from '../helpers/tmp.js';

// The backend `init` writes declares the oldest versions it works with; here they are installed
// exactly (.venv-floor/, created from test/python-floors.txt on first use, which needs the
// package index, and kept while the list is unchanged) and every preset's backend is installed
// and tested with them.

const PRESETS = ['modules', 'layered', 'features', 'endpoints', 'src-features'];
/** A feature whose test module, tests/.../test_app.py, has the basename of init's tests/test_app.py. */
const SAME_BASENAME = Buffer.from('{"feature": "app", "description": "A feature named like the app."}');
const CREATE_FLOOR_VENV = 600_000;

interface Pyproject {
  'build-system': { requires: string[] };
  project: { dependencies: string[]; 'optional-dependencies': Record<string, string[]> };
  tool: { fastapi: { entrypoint: string } };
}
const pyprojectOf = (root: string) => parse(readFileSync(path.join(root, 'pyproject.toml'), 'utf8')) as unknown as Pyproject;

/** `name==version` lines of the floor list. */
function pins(): Map<string, string> {
  const lines = readFileSync(FLOORS, 'utf8').split('\n').map((line) => line.replace(/#.*/, '').trim()).filter(Boolean);
  return new Map(lines.map((line) => {
    const [, name, version] = /^([A-Za-z0-9_.-]+(?:\[[a-z0-9,_-]+\])?)==([0-9.]+)$/.exec(line) ?? [];
    expect(name, line).toBeDefined();
    return [name!, version!];
  }));
}

/** Every requirement of the generated pyproject.toml, each of which must be a plain `name>=version`. */
function declaredFloors(pyproject: Pyproject): Map<string, string> {
  const requirements = [...pyproject['build-system'].requires, ...pyproject.project.dependencies, ...Object.values(pyproject.project['optional-dependencies']).flat()];
  const floors = new Map<string, string>();
  for (const requirement of requirements) {
    const [, name, version] = /^([A-Za-z0-9_.-]+(?:\[[a-z0-9,_-]+\])?)>=([0-9.]+)$/.exec(requirement) ?? [];
    expect(name, requirement).toBeDefined();
    expect(floors.get(name!) ?? version, `${name} is declared with two floors`).toBe(version);
    floors.set(name!, version!);
  }
  return floors;
}

/** Two resources, one referring to the other: the reference backend's payloads. */
const RESOURCES = ['households.json', 'pet_profiles.json'].map((name) => fixture(`resources/reference/${name}`));

/** The payloads' requirements, each a skipped placeholder test. */
const PLACEHOLDERS = [SAME_BASENAME.toString(), ...RESOURCES.map((file) => readFileSync(file, 'utf8'))]
  .map((text) => JSON.parse(text) as { requirements?: string | string[] })
  .reduce((sum, payload) => sum + requirementsOf(payload.requirements).length, 0);

/** pytest -q's summary line, which must say nothing failed or errored. */
function summaryOf(stdout: string): { passed: number; skipped: number } {
  const line = /^(\d+) passed(?:, (\d+) skipped)?(?:, \d+ warnings?)? in /m.exec(stdout);
  expect(line, stdout).not.toBeNull();
  return { passed: Number(line![1]), skipped: Number(line![2] ?? 0) };
}

let floorPythonVersion = '';
/** mypy's cache of the libraries, shared by the presets' runs (each backend's own modules are rechecked by path). */
const mypyCache = path.join(tempDir(), '.mypy');
beforeAll(() => {
  floorPythonVersion = ensureFloorEnv();
}, CREATE_FLOOR_VENV);

describe('the dependency floors', () => {
  const workspace = tempDir();

  it('are declared by init and pinned in test/python-floors.txt alike, and .venv-floor holds exactly them', async () => {
    const root = path.join(workspace, 'declared');
    expect((await petsage(['init', root])).exitCode).toBe(0);
    const pyproject = pyprojectOf(root);
    expect(Object.keys(pyproject.project['optional-dependencies']).sort()).toEqual(['dev', 'test']);
    for (const tool of ['pytest', 'ruff', 'mypy']) expect(pyproject.project['optional-dependencies'].dev!.join(' ')).toContain(`${tool}>=`);
    const declared = declaredFloors(pyproject);
    const pinned = pins();
    for (const [name, version] of declared) expect(pinned.get(name), `${name}>=${version} is declared`).toBe(version);
    // Only what pip adds to an isolated setuptools build by itself is pinned without being declared.
    expect([...pinned.keys()].filter((name) => !declared.has(name))).toEqual(['wheel']);

    const script = 'import importlib.metadata as m, json, sys; print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))';
    // An extra names what the package installs besides, at its version: psycopg[binary] is psycopg and psycopg-binary.
    const distributions = [...pinned].flatMap(([name, version]) => {
      const [, base, extra] = /^([^[]+)(?:\[(.+)\])?$/.exec(name)!;
      return extra ? [[base!, version], [`${base}-${extra}`, version]] : [[name, version]];
    });
    const installed = await run(floorBin('python'), ['-c', script, ...distributions.map(([name]) => name!)]);
    expect(installed.exitCode, installed.stderr).toBe(0);
    expect(JSON.parse(installed.stdout)).toEqual(Object.fromEntries(distributions));
    // The oldest Python the backend allows (requires-python), where one is installed.
    expect(floorPythonVersion).toMatch(/^3\.(1\d)\./);
  });
});

describe.each(PRESETS)('the %s preset, with the oldest versions it declares', (preset) => {
  const workspace = tempDir();
  const root = path.join(workspace, `floor-${preset}`);
  /** A throwaway venv that sees .venv-floor's packages and gets the backend installed into it. */
  const venv = path.join(workspace, 'venv');
  let floorSummary = { passed: -1, skipped: -1 };
  const python = path.join(venv, 'bin', 'python');

  beforeAll(async () => {
    expect((await petsage(['init', root, '--preset', preset])).exitCode).toBe(0);
    for (const args of [['--builtin', 'smoke_test'], ['-'], RESOURCES]) {
      const result = await petsage(['feature', ...args, '--target', root], { input: SAME_BASENAME });
      expect(result.exitCode, result.stderr).toBe(0);
    }
    expect((await run(floorBin('python'), ['-m', 'venv', '--without-pip', venv])).exitCode).toBe(0);
    const site = await run(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])']);
    const floorSite = await run(floorBin('python'), ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])']);
    expect(floorSite.stdout.trim().startsWith(FLOOR_VENV)).toBe(true);
    writeFileSync(path.join(site.stdout.trim(), 'floor.pth'), `${floorSite.stdout.trim()}\n`);
  });

  it('pip install -e ".[dev]" succeeds with no download: the floors meet every requirement and extra', async () => {
    // --no-index: anything the floors do not satisfy would have to be downloaded, and fails.
    const install = await run(python, ['-m', 'pip', 'install', '--no-index', '--no-build-isolation', '--disable-pip-version-check', '-e', '.[dev]'], { cwd: root });
    expect(install.exitCode, install.stdout + install.stderr).toBe(0);
    expect(install.stdout).toContain(`Successfully installed floor-${preset}-0.1.0`);
    const check = await run(python, ['-m', 'pip', 'check', '--disable-pip-version-check']);
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  });

  it('its whole suite passes in importlib mode, test_app.py twice included; ruff and mypy pass', async () => {
    const pytest = await run(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: root });
    expect(pytest.exitCode, pytest.stdout + pytest.stderr).toBe(0);
    floorSummary = summaryOf(pytest.stdout);
    // The resources' tests are parametrized, so they run more items than they define functions;
    // the requirement placeholders are the only tests skipped.
    expect(floorSummary.passed).toBeGreaterThanOrEqual(testFunctions(root) - PLACEHOLDERS);
    expect(floorSummary.skipped).toBe(PLACEHOLDERS);
    for (const args of [['format', '--check', '--no-cache', '.'], ['check', '--no-cache', '.']]) {
      const ruff = await run(floorBin('ruff'), args, { cwd: root });
      expect(ruff.exitCode, ruff.stdout + ruff.stderr).toBe(0);
    }
    const mypy = await run(python, ['-m', 'mypy', '--cache-dir', mypyCache], { cwd: root });
    expect(mypy.exitCode, mypy.stdout + mypy.stderr).toBe(0);
  });

  it('its migrations create exactly its tables: alembic upgrade head, then alembic check finds nothing', async () => {
    const env = { DATABASE_URL: `sqlite:///${path.join(workspace, `${preset}.sqlite3`)}` };
    for (const args of [['upgrade', 'head'], ['check']]) {
      const alembic = await run(python, ['-m', 'alembic', ...args], { cwd: root, env });
      expect(alembic.exitCode, alembic.stdout + alembic.stderr).toBe(0);
    }
  });

  it('its [tool.fastapi] entrypoint is importable from anywhere once installed, and uvicorn loads it', async () => {
    const { entrypoint } = pyprojectOf(root).tool.fastapi;
    const script = [
      'import importlib, sys, uvicorn',
      'from fastapi.testclient import TestClient',
      'uvicorn.Config(sys.argv[1]).load()',
      'module, variable = sys.argv[1].split(":")',
      'print(TestClient(getattr(importlib.import_module(module), variable)).get("/api/v1/app/").json()["feature"])',
    ].join('\n');
    const result = await run(python, ['-c', script, entrypoint], { cwd: workspace });
    expect(result.stdout.trim(), result.stderr).toBe('app');
  });

  it('its whole suite passes in importlib mode with the pinned toolchain too', async () => {
    const pytest = await run(venvBin('python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-W', 'error'], { cwd: root });
    expect(pytest.exitCode, pytest.stdout + pytest.stderr).toBe(0);
    expect(summaryOf(pytest.stdout)).toEqual(floorSummary);
  });
});
