import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statfsSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { petsage, run, type RunResult } from '../helpers/cli.js';
import { holdLockAs } from '../helpers/lock.js';
import { onlyPassed, testFunctions } from '../helpers/pytest.js';
import { signalWhenPaused } from '../helpers/signals.js';
import { venvBin } from '../helpers/python-env.mjs';
import { backendCopies, snapshotTree, tempDir } from '../helpers/tmp.js';

const workspace = tempDir();
/** Fresh copies of an init backend. */
const backends = backendCopies(workspace);
const { pristine } = backends;
const backend = () => backends.copy();

const smokeTest = (root: string, extra: string[] = [], env: Record<string, string> = {}) =>
  petsage(['feature', '--builtin', 'smoke_test', '--target', root, ...extra], { env });

/** A step the whole file depends on: its failure stops the file before any test runs. */
async function must(step: Promise<RunResult>, what: string): Promise<RunResult> {
  const result = await step;
  if (result.exitCode !== 0) throw new Error(`${what} failed (exit ${result.exitCode}): ${result.stderr}`);
  return result;
}

// The fault points are the commit's own writes, counted from its report (every file it lists as
// written, the record included, plus the aggregator), so a template added later is covered too.
await must(petsage(['init', pristine]), 'init');
const generated = backend();
const [commit] = JSON.parse((await must(smokeTest(generated, ['--json']), 'the reference run')).stdout).features as {
  files: { action: string }[];
  aggregator?: { action: string };
}[];
const reference = snapshotTree(generated);
const WRITES = commit!.files.filter((file) => file.action !== 'unchanged').length + (commit!.aggregator?.action === 'updated' ? 1 : 0);
const FAULT_POINTS = Array.from({ length: WRITES }, (_, i) => i + 1);
/** A point in the middle of the commit: some files renamed into place, some not yet. */
const MIDWAY = Math.ceil(WRITES / 2);

describe('a failure at any file of the commit rolls everything back (exit 4)', () => {
  it('the report counts every file the commit changed on disk', () => {
    const init = snapshotTree(pristine);
    const changed = Object.keys(reference).filter((file) => !file.endsWith('/') && reference[file] !== init[file]);
    expect(changed.length).toBe(WRITES);
  });

  it.each(FAULT_POINTS.flatMap((n) => [['write', n] as const, ['rename', n] as const]))('injected %s failure at file %i', async (step, n) => {
    const root = backend();
    const before = snapshotTree(root);
    const result = await smokeTest(root, [], { PETSAGE_FAULT: `${step}:${n}` });
    expect(result.exitCode, result.stderr).toBe(4);
    expect(result.stderr).toMatch(/: EIO: injected fault on .*; every change was rolled back/);
    expect(snapshotTree(root)).toEqual(before);
  });

  // The count above is exact only if the commit makes no write past it.
  it.each(['write', 'rename'])('a %s fault past the last reported file is never reached', async (step) => {
    const root = backend();
    const result = await smokeTest(root, [], { PETSAGE_FAULT: `${step}:${WRITES + 1}` });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(snapshotTree(root)).toEqual(reference);
  });
});

describe('real I/O failures, as root', () => {
  const mounted: string[] = [];
  const immutable: string[] = [];
  afterAll(async () => {
    for (const file of immutable) await execa('chattr', ['-i', file], { reject: false });
    for (const dir of mounted) await execa('umount', [dir], { reject: false });
  });

  it('an immutable directory (chattr +i) on the write path', async () => {
    const root = backend();
    const locked = path.join(root, 'app/api/v1/modules');
    await execa('chattr', ['+i', locked]);
    immutable.push(locked);
    const before = snapshotTree(root);
    const result = await smokeTest(root);
    await execa('chattr', ['-i', locked]);
    expect(result.exitCode, result.stderr).toBe(4);
    expect(result.stderr).toContain('EPERM');
    expect(snapshotTree(root)).toEqual(before);
  });

  it('an immutable aggregator (chattr +i)', async () => {
    const root = backend();
    const aggregator = path.join(root, 'app/api/v1/api.py');
    await execa('chattr', ['+i', aggregator]);
    immutable.push(aggregator);
    const before = snapshotTree(root);
    const result = await smokeTest(root);
    await execa('chattr', ['-i', aggregator]);
    expect(result.exitCode, result.stderr).toBe(4);
    expect(result.stderr).toMatch(/app\/api\/v1\/api\.py: EPERM/);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('an immutable target root: the lock cannot be taken (exit 4), nothing changes', async () => {
    const root = backend();
    await execa('chattr', ['+i', root]);
    immutable.push(root);
    const before = snapshotTree(root);
    const result = await smokeTest(root);
    await execa('chattr', ['-i', root]);
    expect(result.exitCode, result.stderr).toBe(4);
    expect(result.stderr).toContain('.petsage.lock: cannot create the lock');
    expect(snapshotTree(root)).toEqual(before);
  });

  it('a small tmpfs that fills up mid-commit (ENOSPC)', async () => {
    const mountPoint = path.join(workspace, 'tmpfs');
    mkdirSync(mountPoint);
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mountPoint]);
    mounted.push(mountPoint);
    const root = path.join(mountPoint, 'backend');
    cpSync(pristine, root, { recursive: true });
    // Leave room for a few pages only: the journal and the first files fit, a later one does not.
    const { bavail, bsize } = statfsSync(mountPoint);
    writeFileSync(path.join(mountPoint, 'filler'), Buffer.alloc((bavail - 4) * bsize));
    const before = snapshotTree(root);
    const result = await smokeTest(root);
    expect(result.exitCode, result.stderr).toBe(4);
    expect(result.stderr).toContain('ENOSPC');
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('signals', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s mid-commit rolls back and exits 4', async (signal) => {
    const root = backend();
    const before = snapshotTree(root);
    const { code, stderr } = await signalWhenPaused(['feature', '--builtin', 'smoke_test', '--target', root], `pause:${MIDWAY}`, signal);
    expect(code, stderr).toBe(4);
    expect(stderr).toContain(`interrupted by ${signal}`);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('SIGKILL mid-commit leaves a journal; the next run undoes it, says so, then does its work', async () => {
    const root = backend();
    const killed = await smokeTest(root, [], { PETSAGE_FAULT: `kill:${MIDWAY}` });
    expect(killed.exitCode).toBe(1);
    expect(existsSync(path.join(root, '.petsage-journal.json'))).toBe(true);
    // check, as CI's drift gate, does not vouch for a half-written tree until a run settles it.
    const halfway = await petsage(['check', '--target', root, '--json']);
    expect(halfway.exitCode, halfway.stderr).toBe(5);
    expect(halfway.stderr).toContain('.petsage-journal.json: a run was interrupted mid-commit');
    expect(JSON.parse(halfway.stdout)).toMatchObject({ interrupted: true, errors: [{ code: 'drift', path: '.petsage-journal.json' }] });
    const next = await smokeTest(root);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stdout).toContain(`A previous run was interrupted mid-commit; undid it (${MIDWAY - 1} of ${WRITES} files had been written).`);
    expect(snapshotTree(root)).toEqual(reference);
    expect((await petsage(['check', '--target', root])).exitCode).toBe(0);
  });

  it('a journal that cannot be read stops the run (exit 3) rather than guess', async () => {
    const root = backend();
    writeFileSync(path.join(root, '.petsage-journal.json'), '{"phase": ');
    const before = snapshotTree(root);
    const result = await smokeTest(root);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('.petsage-journal.json: an interrupted commit left a journal that cannot be replayed');
    expect(result.stderr).toContain('not JSON');
    expect(snapshotTree(root)).toEqual(before);
  });

  it('SIGKILL after the last rename: the next run completes it and finds nothing to do', async () => {
    const root = backend();
    expect((await smokeTest(root, [], { PETSAGE_FAULT: `kill:${WRITES + 1}` })).exitCode).toBe(1);
    const next = await smokeTest(root);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stdout).toContain('completed it');
    expect(next.stdout).toContain('Already up to date');
    expect(snapshotTree(root)).toEqual(reference);
  });
});

describe('the lock', () => {
  it('--wait 0 fails at once when another live run holds the lock (exit 3)', async () => {
    const root = backend();
    holdLockAs(root);
    const before = snapshotTree(root);
    const started = Date.now();
    const result = await smokeTest(root, ['--wait', '0']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`another petsage-build run (pid ${process.pid}) holds .petsage.lock; waited 0 s`);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('--wait 1 waits a second, then gives up', async () => {
    const root = backend();
    holdLockAs(root);
    const started = Date.now();
    const result = await smokeTest(root, ['--wait', '1']);
    expect(result.exitCode).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('a stale lock of a process that is gone is taken over', async () => {
    const root = backend();
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.on('close', resolve));
    holdLockAs(root, process.pid);
    // The same lock, naming a pid that is gone.
    const lock = JSON.parse(readFileSync(path.join(root, '.petsage.lock'), 'utf8'));
    writeFileSync(path.join(root, '.petsage.lock'), JSON.stringify({ ...lock, pid: dead.pid }));
    const result = await smokeTest(root);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(snapshotTree(root)).toEqual(reference);
  });

  it('refuses --wait that is not a number of seconds (exit 2)', async () => {
    expect((await smokeTest(backend(), ['--wait', 'soon'])).exitCode).toBe(2);
  });

  it('20 concurrent runs on one backend register 20 features exactly once each, and their tests pass', async () => {
    const root = backend();
    const names = Array.from({ length: 20 }, (_, i) => `concurrent_${i + 1}`);
    const results = await Promise.all(
      names.map((feature) => petsage(['feature', '-', '--target', root], { input: Buffer.from(JSON.stringify({ feature, description: `Feature ${feature}.` })) })),
    );
    for (const result of results) expect(result.exitCode, result.stderr).toBe(0);
    const api = readFileSync(path.join(root, 'app/api/v1/api.py'), 'utf8');
    for (const feature of names) {
      expect(api.split(`import router as ${feature}_router\n`)).toHaveLength(2);
      expect(api.split(`include_router(${feature}_router,`)).toHaveLength(2);
    }
    for (const feature of names) expect(existsSync(path.join(root, `tests/api/v1/test_${feature}.py`)), feature).toBe(true);
    const pytest = await run(venvBin('python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: root });
    expect(pytest.exitCode, pytest.stdout).toBe(0);
    expect(pytest.stdout).toMatch(onlyPassed(testFunctions(root)));
  });
});

describe('--dry-run', () => {
  it('prints the tree and a diff of every change, writes nothing, exits 0', async () => {
    const root = backend();
    const before = snapshotTree(root);
    const result = await smokeTest(root, ['--dry-run']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('Dry run: nothing is written.');
    expect(result.stdout).toContain('api.py  updated');
    expect(result.stdout).toContain('--- a/app/api/v1/api.py\n+++ b/app/api/v1/api.py');
    expect(result.stdout).toContain('+api_v1_router.include_router(smoke_test_router, prefix="/smoke-test")');
    expect(result.stdout).toContain('--- /dev/null\n+++ b/tests/api/v1/test_smoke_test.py');
    expect(snapshotTree(root)).toEqual(before);
  });

  it('exits 3 when the real run would conflict, still writing nothing', async () => {
    const root = backend();
    mkdirSync(path.join(root, 'tests/api/v1'), { recursive: true });
    writeFileSync(path.join(root, 'tests/api/v1/test_smoke_test.py'), '# mine\n');
    const before = snapshotTree(root);
    const result = await smokeTest(root, ['--dry-run']);
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toContain('test_smoke_test.py  conflict');
    expect(result.stderr).toContain('tests/api/v1/test_smoke_test.py: exists and differs');
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('containment', () => {
  it('refuses a symbolic link to a directory on the write path (exit 3), touching neither side', async () => {
    const root = backend();
    const outside = path.join(workspace, `outside-${backends.count}`);
    mkdirSync(outside);
    cpSync(path.join(root, 'app/api/v1/modules'), outside, { recursive: true });
    await execa('rm', ['-r', path.join(root, 'app/api/v1/modules')]);
    symlinkSync(outside, path.join(root, 'app/api/v1/modules'));
    const before = { inside: snapshotTree(root), outside: snapshotTree(outside) };
    const result = await smokeTest(root);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('app/api/v1/modules: is a symbolic link on the way to app/api/v1/modules/smoke_test/');
    expect({ inside: snapshotTree(root), outside: snapshotTree(outside) }).toEqual(before);
  });

  it('refuses an aggregator that is a symbolic link (exit 3)', async () => {
    const root = backend();
    const real = path.join(workspace, `api-${backends.count}.py`);
    cpSync(path.join(root, 'app/api/v1/api.py'), real);
    await execa('rm', [path.join(root, 'app/api/v1/api.py')]);
    symlinkSync(real, path.join(root, 'app/api/v1/api.py'));
    const result = await smokeTest(root);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('app/api/v1/api.py: is a symbolic link');
    expect(readFileSync(real, 'utf8')).not.toContain('smoke_test');
  });

  it('follows a target that is itself a link, resolving it once', async () => {
    const root = backend();
    const link = path.join(workspace, `link-${backends.count}`);
    symlinkSync(root, link);
    expect((await smokeTest(link)).exitCode).toBe(0);
    expect(snapshotTree(root)).toEqual(reference);
  });
});
