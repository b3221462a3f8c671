import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from './paths.js';

/** The virtualenv the e2e tests run generated code in, built from the pinned requirements. */
export const VENV = path.join(REPO_ROOT, '.venv-test');
export const venvBin = (tool: string) => path.join(VENV, 'bin', tool);
const REQUIREMENTS = path.join(REPO_ROOT, 'test', 'python-requirements.txt');
const STAMP = path.join(VENV, '.requirements.sha256');

/** vitest global setup: (re)creates the venv only when the pinned requirements changed. */
export default async function setup(): Promise<void> {
  const wanted = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted) return;
  rmSync(VENV, { recursive: true, force: true });
  const python = process.env.PYTHON ?? 'python3';
  await execa(python, ['-m', 'venv', VENV], { stdio: 'inherit' });
  await execa(venvBin('python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS], { stdio: 'inherit' });
  writeFileSync(STAMP, wanted);
}
