import { cpSync, existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

/** The shipped bin and bundle in a folder of their own, with the repo's node_modules for what they import on demand. */
function installedCopy(): string {
  const copy = tempDir();
  for (const dir of ['bin', 'dist', 'templates', 'fixtures/payloads']) cpSync(path.join(REPO_ROOT, dir), path.join(copy, dir), { recursive: true });
  cpSync(path.join(REPO_ROOT, 'package.json'), path.join(copy, 'package.json'));
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  return copy;
}

const cacheAccepted = (root: string, cache = 'cli.cache') =>
  run('node', ['-e', `const { script } = require(${JSON.stringify(path.join(root, 'bin', 'load-bundle.cjs'))}).loadBundle({ cache: ${JSON.stringify(path.join(root, 'dist', cache))} }); process.stdout.write(String(!script.cachedDataRejected));`]);

/** The cache the bin would load for these arguments, by file name. */
const cacheChosen = async (root: string, args: string[], cwd: string) =>
  (await run('node', ['-e', `process.stdout.write(require('node:path').basename(require(${JSON.stringify(path.join(root, 'bin', 'load-bundle.cjs'))}).cacheFor(${JSON.stringify(args)})))`], { cwd })).stdout;

/** The README's resource example generated into a fresh backend: its files. */
async function resourceFeature(root: string): Promise<Record<string, string>> {
  const work = tempDir();
  const target = path.join(work, 'backend');
  expect((await run('node', [path.join(root, 'bin', 'petsage-build.cjs'), 'init', target])).exitCode).toBe(0);
  cpSync(path.join(REPO_ROOT, 'fixtures/resources/reference/households.json'), path.join(work, 'households.json'));
  const feature = await run('node', [path.join(root, 'bin', 'petsage-build.cjs'), 'feature', 'households.json', '--target', target], { cwd: work });
  expect(feature.exitCode, feature.stderr).toBe(0);
  return snapshotTree(target);
}

/** What a user gets from `init`, a dry run (which imports the diff library on demand) and a feature. */
async function dryRunAndFeature(root: string): Promise<{ dryRun: string; files: Record<string, string> }> {
  const target = path.join(tempDir(), 'backend');
  const init = await run('node', [path.join(root, 'bin', 'petsage-build.cjs'), 'init', target]);
  expect(init.exitCode, init.stderr).toBe(0);
  const dryRun = await run('node', [path.join(root, 'bin', 'petsage-build.cjs'), 'feature', '--builtin', 'smoke_test', '--target', target, '--dry-run']);
  expect(dryRun.exitCode, dryRun.stderr).toBe(0);
  const feature = await run('node', [path.join(root, 'bin', 'petsage-build.cjs'), 'feature', '--builtin', 'smoke_test', '--target', target]);
  expect(feature.exitCode, feature.stderr).toBe(0);
  return { dryRun: dryRun.stdout.replaceAll(target, '<target>'), files: snapshotTree(target) };
}

describe('start-up with the code cache', () => {
  it('ships code caches that this Node accepts for the bundle they were made from', async () => {
    for (const cache of ['cli.cache', 'cli-resources.cache', 'cli-commands.cache']) {
      expect(existsSync(path.join(REPO_ROOT, 'dist', cache)), cache).toBe(true);
      const accepted = await cacheAccepted(REPO_ROOT, cache);
      expect(accepted.stdout, `${cache}: ${accepted.stderr}`).toBe('true');
    }
  });

  it('loads the resources cache for a payload file with a resource block, the status one for other features, the commands one otherwise', async () => {
    const work = tempDir();
    cpSync(path.join(REPO_ROOT, 'fixtures/resources/reference/households.json'), path.join(work, 'households.json'));
    cpSync(path.join(REPO_ROOT, 'fixtures/payloads/valid/pet_profile.json'), path.join(work, 'status.json'));
    expect(await cacheChosen(REPO_ROOT, ['feature', 'households.json', '--target', 'backend'], work)).toBe('cli-resources.cache');
    expect(await cacheChosen(REPO_ROOT, ['--json', 'update', 'status.json', 'households.json'], work)).toBe('cli-resources.cache');
    expect(await cacheChosen(REPO_ROOT, ['feature', 'status.json'], work)).toBe('cli.cache');
    expect(await cacheChosen(REPO_ROOT, ['feature', 'missing.json'], work)).toBe('cli.cache');
    expect(await cacheChosen(REPO_ROOT, ['check', 'households.json'], work)).toBe('cli-commands.cache');
    expect(await cacheChosen(REPO_ROOT, ['init', 'backend'], work)).toBe('cli-commands.cache');
  });

  it('generates the same resource with the resources cache, with a corrupt one and with none', async () => {
    const cached = installedCopy();
    const corrupt = installedCopy();
    writeFileSync(path.join(corrupt, 'dist', 'cli-resources.cache'), Buffer.alloc(readFileSync(path.join(cached, 'dist', 'cli-resources.cache')).length, 7));
    expect((await cacheAccepted(corrupt, 'cli-resources.cache')).stdout).toBe('false');
    const missing = installedCopy();
    rmSync(path.join(missing, 'dist', 'cli-resources.cache'));
    const [withCache, withCorrupt, without] = await Promise.all([cached, corrupt, missing].map(resourceFeature));
    expect(Object.keys(withCache!)).toContain('app/api/v1/modules/households/models.py');
    expect(withCorrupt).toEqual(withCache);
    expect(without).toEqual(withCache);
  }, 60_000);

  it('runs the same with the cache, with a corrupt one (refused by V8) and with none', async () => {
    const cached = installedCopy();
    const corrupt = installedCopy();
    for (const cache of ['cli.cache', 'cli-commands.cache']) {
      writeFileSync(path.join(corrupt, 'dist', cache), Buffer.alloc(readFileSync(path.join(cached, 'dist', cache)).length, 7));
      expect((await cacheAccepted(corrupt, cache)).stdout).toBe('false');
    }
    const missing = installedCopy();
    for (const cache of ['cli.cache', 'cli-commands.cache']) rmSync(path.join(missing, 'dist', cache));

    const [withCache, withCorrupt, without] = await Promise.all([cached, corrupt, missing].map(dryRunAndFeature));
    // The dry run imports the diff library on demand: the same diff from every start-up.
    expect(withCache!.dryRun).toContain('+++ b/app/api/v1/modules/smoke_test/router.py');
    expect(withCorrupt).toEqual(withCache);
    expect(without).toEqual(withCache);
  }, 60_000);

  it('hashes and packs the same without WebAssembly (node --jitless) or its memory (ulimit -v), through node:crypto', async () => {
    const bin = path.join(REPO_ROOT, 'bin', 'petsage-build.cjs');
    const ways = [`node ${bin}`, `node --jitless ${bin}`, `ulimit -v 3000000; node ${bin}`];
    const features = await Promise.all(
      ways.map(async (way) => {
        const target = path.join(tempDir(), 'backend');
        expect((await run('node', [bin, 'init', target])).exitCode).toBe(0);
        const feature = await run('bash', ['-c', `${way} feature --builtin smoke_test --target ${target}`]);
        expect(feature.exitCode, `${way}: ${feature.stderr}`).toBe(0);
        return snapshotTree(target);
      }),
    );
    expect(Buffer.from(features[0]!['.petsage/features/smoke_test.json']!, 'base64').toString()).toContain('"sha256"');
    expect(features[1]).toEqual(features[0]);
    expect(features[2]).toEqual(features[0]);
  }, 60_000);

  it('loads neither node:crypto, node:zlib nor Node\'s streams for a status feature, as they cost a cold run about 6 ms', async () => {
    const target = path.join(tempDir(), 'backend');
    expect((await run('node', [path.join(REPO_ROOT, 'bin', 'petsage-build.cjs'), 'init', target])).exitCode).toBe(0);
    const work = tempDir();
    const list = path.join(work, 'modules.txt');
    const recorder = path.join(work, 'recorder.cjs');
    writeFileSync(recorder, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));`);
    const feature = await run('node', ['--require', recorder, path.join(REPO_ROOT, 'bin', 'petsage-build.cjs'), 'feature', '--builtin', 'smoke_test', '--target', target]);
    expect(feature.exitCode, feature.stderr).toBe(0);
    const loaded = readFileSync(list, 'utf8').split('\n');
    expect(loaded).toContain('NativeModule vm');
    expect(loaded.filter((name) => /^NativeModule (crypto|zlib|stream|net|tty|internal\/fs\/sync_write_stream)$/.test(name))).toEqual([]);
  });
});
