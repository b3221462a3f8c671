// Makes dist/cli.cache, V8's code cache of the bundle (see bin/load-bundle.cjs), after the bundle
// ran what users run most: `init`, a feature into that backend, and `check`. The functions those runs
// compiled come precompiled to every later start with the same Node; others compile as usual.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const { loadBundle, CACHE } = createRequire(import.meta.url)('../../bin/load-bundle.cjs');

const { bundle, script } = loadBundle({ withCache: false });
const work = mkdtempSync(path.join(tmpdir(), 'petsage-code-cache-'));
const backend = path.join(work, 'backend');
const runs = [
  ['init', backend],
  ['feature', '--builtin', 'smoke_test', '--target', backend],
  ['check', '--target', backend],
];
// The runs' own output is not the build's.
const writes = [process.stdout.write, process.stderr.write];
process.stdout.write = process.stderr.write = () => true;
try {
  for (const args of runs) {
    const code = await bundle.main(args);
    if (code !== 0) throw new Error(`petsage-build ${args.join(' ')} exited ${code} while making the code cache`);
  }
} finally {
  [process.stdout.write, process.stderr.write] = writes;
  rmSync(work, { recursive: true, force: true });
}
writeFileSync(CACHE, script.createCachedData());
