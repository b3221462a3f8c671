// Makes V8's code caches of the bundle (see bin/load-bundle.cjs), one per kind of run, each after
// the bundle ran that kind of run in a process of its own: a cache holds every function its
// process compiled, and V8 reads a cache whole, so a run pays for the code of the runs its
// cache was made from.
// - dist/cli.cache: a status feature (`feature --builtin smoke_test`);
// - dist/cli-resources.cache: that, then resources of every field type (the reference backend's
//   households and pet_profiles, one a ref of the other);
// - dist/cli-commands.cache: every other command a backend sees often: `init`, `check`, `list`
//   and `remove`.
// The functions those runs compiled come precompiled to every later start with the same Node;
// others compile as usual. Each backend is made by the bin in a process of its own, so that
// `init`'s code is only in the cache of the runs that use it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'petsage-build.cjs');
const { loadBundle, CACHE, RESOURCES_CACHE, COMMANDS_CACHE } = createRequire(import.meta.url)('../../bin/load-bundle.cjs');
const resources = ['households', 'pet_profiles'].map((name) => path.join(ROOT, 'fixtures', 'resources', 'reference', `${name}.json`));

/**
 * Each cache: where it goes, what the bin prepares first (in `backend`), and the runs it is made
 * from, as command lines given the backend and a fresh folder.
 */
const CACHES = {
  status: { file: CACHE, prepare: ['init'], runs: (backend) => [['feature', '--builtin', 'smoke_test', '--target', backend]] },
  resources: {
    file: RESOURCES_CACHE,
    prepare: ['init'],
    runs: (backend) => [
      ['feature', '--builtin', 'smoke_test', '--target', backend],
      ['feature', ...resources, '--target', backend],
    ],
  },
  commands: {
    file: COMMANDS_CACHE,
    prepare: ['init', 'feature'],
    runs: (backend, fresh) => [['check', '--target', backend], ['list', '--target', backend], ['remove', 'smoke_test', '--target', backend], ['init', fresh]],
  },
};
/** What the bin prepares, by name. */
const PREPARED = { init: (backend) => ['init', backend], feature: (backend) => ['feature', '--builtin', 'smoke_test', '--target', backend] };

async function make(kind) {
  const { file, prepare, runs } = CACHES[kind];
  const work = mkdtempSync(path.join(tmpdir(), 'petsage-code-cache-'));
  const backend = path.join(work, 'backend');
  try {
    for (const step of prepare) {
      const args = PREPARED[step](backend);
      const made = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
      if (made.status !== 0) throw new Error(`petsage-build ${args.join(' ')} exited ${made.status} while making the code cache: ${made.stderr}`);
    }
    const { bundle, script } = loadBundle({ withCache: false });
    // The runs' own output is not the build's.
    const nowhere = { write: () => true };
    for (const args of runs(backend, path.join(work, 'fresh'))) {
      const code = await bundle.main(args, { out: nowhere, err: nowhere });
      if (code !== 0) throw new Error(`petsage-build ${args.join(' ')} exited ${code} while making the code cache`);
    }
    writeFileSync(file, script.createCachedData());
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const [kind] = process.argv.slice(2);
if (kind !== undefined) {
  await make(kind);
} else {
  for (const each of Object.keys(CACHES)) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), each], { stdio: 'inherit' });
    if (child.status !== 0) process.exit(child.status ?? 1);
  }
}
