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

/** pytest's exit code when it collected no test: nothing failed to collect. */
const NO_TESTS_COLLECTED = 5;

/**
 * `--verify`: with every file in place, the target's own Python must collect its whole test
 * suite (a collection error anywhere fails) and pass the new features' tests, and its ruff, with
 * the target's config, must find the new files and the aggregator formatted and clean. Without
 * ruff in that environment the ruff checks are skipped with a warning. A failure is exit 5, and
 * the commit is rolled back. execa is loaded only here.
 */
export async function verifyFeatures(root: string, blueprint: Blueprint, plans: readonly Plan[], changes: readonly Change[], reporter: Reporter, abort: AbortSignal): Promise<void> {
  const { execa } = await importLazily<typeof import('execa')>('execa');
  const python = pythonOf(root, blueprint);
  const written = new Set(changes.filter((change) => change.action === 'created' || change.action === 'updated').map((change) => change.path));
  const tests = plans.map((plan) => plan.context.paths.test);
  const generated = plans.flatMap((plan) => plan.files.map((file) => file.path));
  const linted = [...new Set([...generated, blueprint.aggregator])].filter((file) => file.endsWith('.py') && written.has(file));

  const exec = async (file: string, args: string[]) => {
    // A signal cancels the check: the child is stopped and the commit rolled back.
    const result = await execa(file, args, { cwd: root, reject: false, all: true, env: { PYTHONDONTWRITEBYTECODE: '1' }, cancelSignal: abort });
    if (abort.aborted) throw new Error('cancelled');
    return result;
  };
  const run = async (what: string, file: string, args: string[], passing: readonly number[] = [0]) => {
    reporter.info(`Verifying: ${what}`);
    const result = await exec(file, args);
    if (result.exitCode === undefined || !passing.includes(result.exitCode)) {
      const cause = result.failed && result.exitCode === undefined ? `could not run ${file}: ${result.shortMessage}` : `${what} failed (exit ${result.exitCode})`;
      // Checked with a Python the target may not have meant: say how to choose it.
      const chosen = python === blueprint.python || python.endsWith(path.join('.venv', 'bin', 'python'));
      const hints = chosen ? [] : [`Checked with ${python}, the target having no .venv: set \`python = "<path>"\` under [tool.petsage] to check with the Python its dependencies are installed in.`];
      throw drift(`${cause}; the commit was rolled back.`, { path: '--verify', context: tail(String(result.all ?? '')), hints });
    }
  };
  const pytest = ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'];
  // Named as run, so the output says which interpreter checked the code.
  await run(`${python} -m pytest --collect-only (the whole suite)`, python, [...pytest, '--collect-only'], [0, NO_TESTS_COLLECTED]);
  await run(`${python} -m pytest ${tests.join(' ')}`, python, [...pytest, ...tests]);
  if (linted.length === 0) return;

  const ruff = await exec(python, ['-m', 'ruff', '--version']);
  if (ruff.exitCode !== 0) {
    const why = tail(String(ruff.all ?? ruff.shortMessage ?? ''), 1)[0] ?? '';
    reporter.warn(`--verify: ruff is not installed for ${python} (${why.trim()}); the new files and the aggregator were not checked with ruff. Install it there (pip install -e ".[dev]") to have them checked.`);
    return;
  }
  await run('ruff format --check', python, ['-m', 'ruff', 'format', '--check', '--no-cache', '--force-exclude', ...linted]);
  await run('ruff check', python, ['-m', 'ruff', 'check', '--no-cache', '--force-exclude', ...linted]);
}
