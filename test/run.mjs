// `npm test`: type-check, build the binary the e2e tests run, run every test, then print the plain
// "N passed, N failed" line CI reads. A run that executed no test fails.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;
const results = 'test-results.json';

if (run('npm', ['run', '--silent', 'typecheck']) !== 0) process.exit(1);
if (run('npm', ['run', '--silent', 'build']) !== 0) process.exit(1);
rmSync(results, { force: true });
const status = run('npx', [
  'vitest', 'run', '--config', 'test/vitest.config.ts',
  '--reporter=default', '--reporter=json', `--outputFile.json=${results}`,
  ...process.argv.slice(2),
]);

let summary;
try {
  summary = JSON.parse(readFileSync(results, 'utf8'));
} catch {
  console.log('0 passed, 0 failed');
  process.exit(status || 1);
}
console.log(`${summary.numPassedTests} passed, ${summary.numFailedTests} failed`);
process.exit(summary.numTotalTests === 0 ? 1 : status);
