// The Python virtualenv that runs generated code, for the e2e tests (vitest global setup)
// and `npm run demo`. Plain JavaScript so both can load it without a build step.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const VENV = path.join(REPO_ROOT, '.venv-test');
const REQUIREMENTS = path.join(REPO_ROOT, 'test', 'python-requirements.txt');
const STAMP = path.join(VENV, '.requirements.sha256');

export const venvBin = (tool) => path.join(VENV, 'bin', tool);

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/** Creates the venv from the pinned requirements, again only when they change. */
export function ensurePythonEnv() {
  const wanted = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted) return;
  rmSync(VENV, { recursive: true, force: true });
  run(process.env.PYTHON ?? 'python3', ['-m', 'venv', VENV]);
  run(venvBin('python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS]);
  writeFileSync(STAMP, wanted);
}

/** vitest global setup. */
export default function setup() {
  ensurePythonEnv();
}
