import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

describe('the published package', () => {
  it('installs from its tarball into an empty project, and its command works there', async () => {
    const workspace = tempDir();
    // dist/ is already built by npm test; rebuilding it here would race the other e2e files.
    const packed = await run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', workspace], { cwd: REPO_ROOT });
    expect(packed.exitCode, packed.stderr).toBe(0);
    const [tarball] = readdirSync(workspace).filter((file) => file.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    // The shipped manifest runs nothing on install: building needs src/, which is not shipped.
    await run('tar', ['-xzf', path.join(workspace, tarball!), '-C', workspace, 'package/package.json']);
    const manifest = JSON.parse(readFileSync(path.join(workspace, 'package/package.json'), 'utf8')) as { scripts?: Record<string, string> };
    for (const script of ['prepare', 'preinstall', 'install', 'postinstall']) expect(manifest.scripts?.[script], script).toBeUndefined();

    const project = path.join(workspace, 'consumer');
    await run('mkdir', [project]);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    const installed = await run('npm', ['install', '--no-audit', '--no-fund', path.join(workspace, tarball!)], { cwd: project });
    expect(installed.exitCode, installed.stderr).toBe(0);

    const version = await run('npx', ['--no-install', 'petsage-build', '--version'], { cwd: project });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const init = await run('npx', ['--no-install', 'petsage-build', 'init', 'backend'], { cwd: project });
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.stdout).toContain('.gitignore  created');
    const feature = await run('npx', ['--no-install', 'petsage-build', 'feature', '--builtin', 'smoke_test', '--target', 'backend'], { cwd: project });
    expect(feature.exitCode, feature.stderr).toBe(0);
    expect(feature.stdout).toContain('GET /api/v1/smoke-test/');
    const dryRun = await run('npx', ['--no-install', 'petsage-build', 'feature', '--builtin', 'smoke_test', '--target', 'backend', '--dry-run'], { cwd: project });
    expect(dryRun.exitCode, dryRun.stderr).toBe(0);
    // update loads the merge library on demand, from the installed package's dependencies.
    const update = await run('npx', ['--no-install', 'petsage-build', 'update', '--target', 'backend'], { cwd: project });
    expect(update.exitCode, update.stderr).toBe(0);
    expect(update.stdout).toContain('Already up to date: nothing changed.');
  }, 300_000);
});
