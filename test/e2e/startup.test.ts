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

const cacheAccepted = (root: string) =>
  run('node', ['-e', `const { script } = require(${JSON.stringify(path.join(root, 'bin', 'load-bundle.cjs'))}).loadBundle(); process.stdout.write(String(!script.cachedDataRejected));`]);

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
  it('ships a code cache that this Node accepts for the bundle it was made from', async () => {
    expect(existsSync(path.join(REPO_ROOT, 'dist', 'cli.cache'))).toBe(true);
    const accepted = await cacheAccepted(REPO_ROOT);
    expect(accepted.stdout, accepted.stderr).toBe('true');
  });

  it('runs the same with the cache, with a corrupt one (refused by V8) and with none', async () => {
    const cached = installedCopy();
    const corrupt = installedCopy();
    writeFileSync(path.join(corrupt, 'dist', 'cli.cache'), Buffer.alloc(readFileSync(path.join(cached, 'dist', 'cli.cache')).length, 7));
    expect((await cacheAccepted(corrupt)).stdout).toBe('false');
    const missing = installedCopy();
    rmSync(path.join(missing, 'dist', 'cli.cache'));

    const [withCache, withCorrupt, without] = await Promise.all([cached, corrupt, missing].map(dryRunAndFeature));
    // The dry run imports the diff library on demand: the same diff from every start-up.
    expect(withCache!.dryRun).toContain('+++ b/app/api/v1/modules/smoke_test/router.py');
    expect(withCorrupt).toEqual(withCache);
    expect(without).toEqual(withCache);
  }, 60_000);
});
