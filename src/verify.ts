import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Blueprint } from './blueprint/presets.js';
import { drift } from './errors.js';
import type { Reporter } from './output/reporter.js';
import type { Plan } from './plan/plan.js';
import type { Change } from './commit/tree.js';
import { importLazily } from './lazy-import.js';

/** The target's Python: its `.venv`, else the config's `python`, else `python3`. */
function pythonOf(root: string, blueprint: Blueprint): string {
  const venv = path.join(root, '.venv', 'bin', 'python');
  if (existsSync(venv)) return venv;
  return blueprint.python ?? 'python3';
}

const tail = (text: string, lines = 30) => text.trimEnd().split('\n').slice(-lines);

/**
 * `--verify`: with every file in place, the new features' tests must pass under the target's
 * own Python, and its ruff (when it has one) must find the new files formatted and clean.
 * A failure is exit 5, and the commit is rolled back. execa is loaded only here.
 */
export async function verifyFeatures(root: string, blueprint: Blueprint, plans: readonly Plan[], changes: readonly Change[], reporter: Reporter, abort: AbortSignal): Promise<void> {
  const { execa } = await importLazily<typeof import('execa')>('execa');
  const python = pythonOf(root, blueprint);
  const written = new Set(changes.filter((change) => change.action === 'created' || change.action === 'updated').map((change) => change.path));
  const tests = plans.map((plan) => plan.context.paths.test);
  const newPython = plans.flatMap((plan) => plan.files.map((file) => file.path)).filter((file) => file.endsWith('.py') && written.has(file));

  const run = async (what: string, file: string, args: string[]) => {
    reporter.info(`Verifying: ${what}`);
    // A signal cancels the check: the child is stopped and the commit rolled back.
    const result = await execa(file, args, { cwd: root, reject: false, all: true, env: { PYTHONDONTWRITEBYTECODE: '1' }, cancelSignal: abort });
    if (abort.aborted) throw new Error('cancelled');
    if (result.exitCode !== 0) {
      const cause = result.failed && result.exitCode === undefined ? `could not run ${file}: ${result.shortMessage}` : `${what} failed (exit ${result.exitCode})`;
      throw drift(`${cause}; the commit was rolled back.`, { path: '--verify', context: tail(String(result.all ?? '')) });
    }
  };
  // Named as run, so the output says which interpreter checked the code.
  await run(`${python} -m pytest ${tests.join(' ')}`, python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...tests]);

  const ruff = path.join(root, '.venv', 'bin', 'ruff');
  if (newPython.length > 0 && existsSync(ruff)) {
    await run('ruff format --check', ruff, ['format', '--check', '--no-cache', ...newPython]);
    await run('ruff check', ruff, ['check', '--no-cache', ...newPython]);
  }
}
