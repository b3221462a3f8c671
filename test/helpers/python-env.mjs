// The Python virtualenvs that run generated code: `.venv-test/` with the pinned toolchain, for the
// e2e tests (vitest global setup) and `npm run demo`, and `.venv-floor/` with the oldest versions
// a generated backend declares, for test/e2e/python-floors.test.ts. Plain JavaScript so both can
// load it without a build step. Each is created once and again only when its list changes.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const VENV = path.join(REPO_ROOT, '.venv-test');
const REQUIREMENTS = path.join(REPO_ROOT, 'test', 'python-requirements.txt');
export const FLOOR_VENV = path.join(REPO_ROOT, '.venv-floor');
export const FLOORS = path.join(REPO_ROOT, 'test', 'python-floors.txt');

export const venvBin = (tool) => path.join(VENV, 'bin', tool);
export const floorBin = (tool) => path.join(FLOOR_VENV, 'bin', tool);

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/** Creates `venv` with `python` from `requirements`, again only when `key` changes. */
function ensureVenv(venv, python, requirements, key) {
  const stamp = path.join(venv, '.requirements.sha256');
  const wanted = createHash('sha256').update(key).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  rmSync(venv, { recursive: true, force: true });
  run(python, ['-m', 'venv', venv]);
  run(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements]);
  writeFileSync(stamp, wanted);
}

/** Creates `.venv-test/` from the pinned requirements. */
export function ensurePythonEnv() {
  ensureVenv(VENV, process.env.PYTHON ?? 'python3', REQUIREMENTS, readFileSync(REQUIREMENTS));
}

const runs = (python) => spawnSync(python, ['-c', 'import sys; print(sys.version)'], { encoding: 'utf8' });

/**
 * The oldest Python a generated backend supports (`requires-python = ">=3.10"`): `PYTHON_FLOOR`,
 * else `python3.10` on the PATH or in pyenv, else `python3`.
 */
export function floorPython() {
  if (process.env.PYTHON_FLOOR) return process.env.PYTHON_FLOOR;
  if (runs('python3.10').status === 0) return 'python3.10';
  const root = spawnSync('pyenv', ['root'], { encoding: 'utf8' });
  const versions = root.status === 0 ? path.join(root.stdout.trim(), 'versions') : undefined;
  const found = versions && existsSync(versions) ? readdirSync(versions).filter((name) => name.startsWith('3.10.')).sort() : [];
  const pyenv = found.map((name) => path.join(versions, name, 'bin', 'python3.10')).find((python) => existsSync(python));
  return pyenv ?? process.env.PYTHON ?? 'python3';
}

/** Creates `.venv-floor/` from the floor pins, keyed by them and by the Python that runs them. */
export function ensureFloorEnv() {
  const python = floorPython();
  const version = runs(python);
  if (version.status !== 0) throw new Error(`${python} does not run: ${version.stderr ?? version.error}`);
  ensureVenv(FLOOR_VENV, python, FLOORS, `${version.stdout}\n${readFileSync(FLOORS, 'utf8')}`);
  return version.stdout.trim();
}

/** vitest global setup. */
export default function setup() {
  ensurePythonEnv();
}
