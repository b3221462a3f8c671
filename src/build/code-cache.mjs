// Makes V8's code caches of the bundle (see bin/load-bundle.cjs), after the bundle ran what users
// run most: dist/cli.cache after `init`, a status feature into that backend and `check`;
// dist/cli-resources.cache after resources of every field type as well (the reference backend's
// households and pet_profiles, one a ref of the other). The functions those runs compiled come
// precompiled to every later start with the same Node; others compile as usual.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const { loadBundle, CACHE, RESOURCES_CACHE } = createRequire(import.meta.url)('../../bin/load-bundle.cjs');

const { bundle, script } = loadBundle({ withCache: false });
const work = mkdtempSync(path.join(tmpdir(), 'petsage-code-cache-'));
const backend = path.join(work, 'backend');
const resources = ['households', 'pet_profiles'].map((name) => fileURLToPath(new URL(`../../fixtures/resources/reference/${name}.json`, import.meta.url)));
const statusRuns = [
  ['init', backend],
  ['feature', '--builtin', 'smoke_test', '--target', backend],
  ['check', '--target', backend],
];
const resourceRuns = [
  ['feature', ...resources, '--target', backend],
  ['check', '--target', backend],
];
// The runs' own output is not the build's.
const nowhere = { write: () => true };
const train = async (runs) => {
  for (const args of runs) {
    const code = await bundle.main(args, { out: nowhere, err: nowhere });
    if (code !== 0) throw new Error(`petsage-build ${args.join(' ')} exited ${code} while making the code cache`);
  }
};
try {
  await train(statusRuns);
  writeFileSync(CACHE, script.createCachedData());
  await train(resourceRuns);
  writeFileSync(RESOURCES_CACHE, script.createCachedData());
} finally {
  rmSync(work, { recursive: true, force: true });
}
