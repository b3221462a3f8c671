import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * How many tests pytest must run in a backend, counted from its files rather than copied from
 * a run: the `def test_...` functions of every `test_*.py` under `tests/` (its testpaths).
 */
export function testFunctions(root: string): number {
  let count = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^test_.*\.py$/.test(entry.name)) count += readFileSync(full, 'utf8').match(/^(?:async )?def test_/gm)?.length ?? 0;
    }
  };
  walk(path.join(root, 'tests'));
  return count;
}

/** pytest -q's summary when exactly `count` tests passed and none failed, errored or was skipped. */
export const onlyPassed = (count: number) => new RegExp(`^${count} passed(?:, \\d+ warnings?)? in `, 'm');
