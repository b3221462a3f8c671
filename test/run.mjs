// `npm test`: type-check, build the binary the e2e tests run, run the unit layer (measuring
// coverage of src/, which fails the run below its floor) and the e2e layer, then print the
// plain "N passed, N failed" line CI reads. A run that executed no test fails.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;

if (run('npm', ['run', '--silent', 'typecheck']) !== 0) process.exit(1);
if (run('npm', ['run', '--silent', 'build']) !== 0) process.exit(1);

const filters = process.argv.slice(2);
// Kept after the run (git ignores it), so the report paths vitest prints can be opened.
const resultsDir = fileURLToPath(new URL('../test-results/', import.meta.url));
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

/** Runs one layer; its summary is undefined when vitest wrote none (it crashed). */
function layer(name, config, extra) {
  const results = path.join(resultsDir, `${name}.json`);
  const status = run('npx', [
    'vitest', 'run', '--config', config,
    '--reporter=default', '--reporter=json', `--outputFile.json=${results}`,
    // A file filter matches files of one layer only; the other then has nothing to run.
    ...(filters.length > 0 ? ['--passWithNoTests'] : []),
    ...extra, ...filters,
  ]);
  try {
    return { status, summary: JSON.parse(readFileSync(results, 'utf8')) };
  } catch {
    return { status: status || 1, summary: undefined };
  }
}

// Coverage of a filtered run would fall below the floor set for the whole unit layer.
const coverage = filters.length === 0 ? ['--coverage'] : [];
const layers = [layer('unit', 'test/vitest.unit.config.ts', coverage), layer('e2e', 'test/vitest.config.ts', [])];

const sum = (key) => layers.reduce((total, { summary }) => total + (summary?.[key] ?? 0), 0);
console.log(`${sum('numPassedTests')} passed, ${sum('numFailedTests')} failed`);
const failed = layers.some(({ status, summary }) => status !== 0 || summary === undefined);
process.exit(failed || sum('numTotalTests') === 0 ? 1 : 0);
