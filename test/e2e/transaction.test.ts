/**
 * Every command that writes goes through one transaction, so the same faults must leave the same
 * guarantees for each: an injected failure at any write or rename, a SIGTERM at any phase, and a
 * SIGKILL followed by the next run's recovery. The number of writes is read from each command's
 * own JSON report, not copied from the templates.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { petsage } from '../helpers/cli.js';
import { BIN } from '../helpers/paths.js';
import { venvBin } from '../helpers/python-env.mjs';
import { signalWhenPaused } from '../helpers/signals.js';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

const workspace = tempDir('petsage-transaction-');
const initialised = path.join(workspace, 'initialised');
const generated = path.join(workspace, 'generated');
/** Two features, so that forgetting both writes twice. */
const twoFeatures = path.join(workspace, 'two-features');
/** The status feature with its README edited and its router's template overridden since: update replaces one file and merges the other. */
const outdated = path.join(workspace, 'outdated');
let copies = 0;
const copyOf = (source: string) => {
  copies += 1;
  const root = path.join(workspace, `copy-${copies}`);
  cpSync(source, root, { recursive: true });
  return root;
};
/** A directory init is to create; always named `backend`, since init writes the name into the README. */
const freshDir = () => {
  copies += 1;
  mkdirSync(path.join(workspace, `new-${copies}`));
  return path.join(workspace, `new-${copies}`, 'backend');
};

interface WritingCommand {
  name: string;
  /** Where the command runs: a copy of a prepared backend, or a directory that does not exist yet. */
  target: () => string;
  args: (target: string) => string[];
}

const COMMANDS: WritingCommand[] = [
  { name: 'feature', target: () => copyOf(initialised), args: (root) => ['feature', '--builtin', 'smoke_test', '--target', root] },
  { name: 'remove', target: () => copyOf(generated), args: (root) => ['remove', 'smoke_test', '--target', root] },
  { name: 'forget', target: () => copyOf(twoFeatures), args: (root) => ['forget', 'smoke_test', 'pet_profile', '--target', root] },
  { name: 'init', target: freshDir, args: (root) => ['init', root] },
  { name: 'templates eject', target: () => copyOf(initialised), args: (root) => ['templates', 'eject', '--target', root] },
  { name: 'update', target: () => copyOf(outdated), args: (root) => ['update', '--target', root] },
];

/** The target's state: its tree, or "absent" for a directory a failed init must not leave. */
const stateOf = (root: string) => (existsSync(root) ? snapshotTree(root) : 'absent');

/** How many files a successful run writes, from its own JSON report, and the tree it leaves. */
const writes = new Map<string, number>();
const results = new Map<string, Record<string, string>>();

beforeAll(async () => {
  expect((await petsage(['init', initialised])).exitCode).toBe(0);
  cpSync(initialised, generated, { recursive: true });
  expect((await petsage(['feature', '--builtin', 'smoke_test', '--target', generated])).exitCode).toBe(0);
  cpSync(generated, twoFeatures, { recursive: true });
  expect((await petsage(['feature', '-', '--target', twoFeatures], { input: Buffer.from('{"feature": "pet_profile", "description": "x"}') })).exitCode).toBe(0);
  cpSync(generated, outdated, { recursive: true });
  expect((await petsage(['templates', 'eject', 'router.py', '--target', outdated])).exitCode).toBe(0);
  const template = path.join(outdated, '.petsage/templates/router.py.hbs');
  writeFileSync(template, readFileSync(template, 'utf8').replace('{{router.line}}', '# A project-wide comment.\n{{router.line}}'));
  appendFileSync(path.join(outdated, 'app/api/v1/modules/smoke_test/README.md'), '\nOur own note.\n');
  for (const command of COMMANDS) {
    const root = command.target();
    const result = await petsage([...command.args(root), '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const actions: string[] = [];
    JSON.stringify(JSON.parse(result.stdout), (key, value) => {
      if (key === 'action') actions.push(value);
      return value;
    });
    writes.set(command.name, actions.filter((action) => action !== 'unchanged').length);
    results.set(command.name, snapshotTree(root));
  }
});

describe.each(COMMANDS)('$name', (command) => {
  it('writes at least two files, so that faults fall between writes', () => {
    expect(writes.get(command.name)).toBeGreaterThanOrEqual(2);
  });

  it('rolls back an injected failure at every write and every rename (exit 4)', async () => {
    const count = writes.get(command.name)!;
    for (let n = 1; n <= count; n += 1) {
      for (const step of ['write', 'rename']) {
        const root = command.target();
        const before = stateOf(root);
        const result = await petsage(command.args(root), { env: { PETSAGE_FAULT: `${step}:${n}` } });
        expect(result.exitCode, `${step}:${n} ${result.stderr}`).toBe(4);
        expect(result.stderr).toContain('every change was rolled back');
        expect(stateOf(root), `${step}:${n}`).toEqual(before);
      }
    }
  });

  it('after a SIGKILL mid-commit or after the last rename, the next run settles it, says so, and ends as a clean run does', async () => {
    const count = writes.get(command.name)!;
    for (const n of [Math.ceil(count / 2), count + 1]) {
      const root = command.target();
      const killed = await petsage(command.args(root), { env: { PETSAGE_FAULT: `kill:${n}` } });
      expect(killed.exitCode, `kill:${n}`).not.toBe(0);
      expect(existsSync(path.join(root, '.petsage-journal.json'))).toBe(true);
      // init refuses a non-empty directory unless forced; the others run as they are.
      const again = command.name === 'init' ? [...command.args(root), '--force'] : command.args(root);
      const next = await petsage(again);
      // A removal killed after its last rename is complete: removing (or forgetting) again finds nothing recorded.
      const finished = (command.name === 'remove' || command.name === 'forget') && n > count;
      expect(next.exitCode, `after kill:${n}: ${next.stderr}`).toBe(finished ? 2 : 0);
      expect(next.stdout).toMatch(n > count ? /interrupted after writing all \d+ files?; completed it/ : /interrupted mid-commit; undid it/);
      expect(snapshotTree(root)).toEqual(results.get(command.name));
    }
  });

  it.each(['staged', 'mid-commit', 'after the last rename'])('SIGTERM when %s: rolled back, exit 4', async (phase) => {
    const count = writes.get(command.name)!;
    const fault = { staged: 'pause:staged', 'mid-commit': `pause:${Math.ceil(count / 2)}`, 'after the last rename': `pause:${count + 1}` }[phase]!;
    const root = command.target();
    const before = stateOf(root);
    const { code, stderr } = await signalWhenPaused(command.args(root), fault, 'SIGTERM');
    expect(code, stderr).toBe(4);
    expect(stderr).toContain('interrupted by SIGTERM');
    // init created the directory itself: a rolled-back init leaves none.
    expect(stateOf(root)).toEqual(before);
  });

  it('SIGTERM once the commit is over and the lock released: the changes stay, and the run exits 0 as its report says', async () => {
    const root = command.target();
    const { code, stderr, stdout } = await signalWhenPaused([...command.args(root), '--json'], 'pause:finished', 'SIGTERM');
    expect(stderr).toContain('petsage-build: paused at finished');
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ exitCode: 0, errors: [] });
    expect(snapshotTree(root)).toEqual(results.get(command.name));
  });
});

describe('what stands in the way is a conflict found before writing (exit 3)', () => {
  it.each([
    ['a folder where a generated file goes', (root: string) => mkdirSync(path.join(root, 'tests/api/v1/test_smoke_test.py'), { recursive: true }), 'tests/api/v1/test_smoke_test.py: is a folder where a file is expected; nothing was written.'],
    ['a file where a generated folder goes', (root: string) => writeFileSync(path.join(root, 'app/api/v1/modules/smoke_test'), ''), 'app/api/v1/modules/smoke_test: is a file where'],
  ])('%s', async (_, block, message) => {
    const root = copyOf(initialised);
    block(root);
    const before = snapshotTree(root);
    const result = await petsage(['feature', '--builtin', 'smoke_test', '--target', root]);
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toContain(message);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('init where nothing can be created', () => {
  it('a read-only parent is an I/O failure (exit 4) naming the directory, not an internal error', async () => {
    const parent = path.join(workspace, 'read-only');
    mkdirSync(parent);
    await execa('chattr', ['+i', parent]);
    try {
      const result = await petsage(['init', path.join(parent, 'backend')]);
      expect(result.exitCode, result.stderr).toBe(4);
      expect(result.stderr).toContain('backend: cannot be created (EPERM); nothing was written.');
    } finally {
      await execa('chattr', ['-i', parent]);
    }
  });

  it('a file in the way is a conflict (exit 3)', async () => {
    const parent = path.join(workspace, 'file-in-the-way');
    mkdirSync(parent);
    writeFileSync(path.join(parent, 'file'), '');
    const result = await petsage(['init', path.join(parent, 'file', 'backend')]);
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/backend: a file is in the way \((ENOTDIR|EEXIST)\); nothing was written\./);
  });
});

describe('a signal during --verify', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s stops the check, rolls everything back, and exits 4', async (signal) => {
    const root = copyOf(initialised);
    const pyproject = path.join(root, 'pyproject.toml');
    writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace('preset = "modules"', `preset = "modules"\npython = ${JSON.stringify(venvBin('python'))}`));
    const before = snapshotTree(root);
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'feature', '--builtin', 'smoke_test', '--target', root, '--verify'], { env: { ...process.env, NO_COLOR: '1' } });
      let stdout = '';
      let errors = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Verifying:') && !child.killed) child.kill(signal);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        errors += chunk.toString();
      });
      child.on('close', (exit) => resolve({ code: exit, stderr: errors }));
    });
    expect(code, stderr).toBe(4);
    expect(stderr).toContain(`interrupted by ${signal}; every change was rolled back`);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('any writing command settles a commit that another command left', () => {
  it.each([
    ['templates eject', (root: string) => ['templates', 'eject', '--target', root]],
    ['init --force', (root: string) => ['init', root, '--force']],
  ])('%s after a feature run was killed mid-commit undoes it first, leaving no helper file', async (_, args) => {
    const root = copyOf(initialised);
    const before = snapshotTree(root);
    const count = writes.get('feature')!;
    const killed = await petsage(['feature', '--builtin', 'smoke_test', '--target', root], { env: { PETSAGE_FAULT: `kill:${Math.ceil(count / 2)}` } });
    expect(killed.exitCode).not.toBe(0);
    const next = await petsage(args(root));
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/A previous run was interrupted mid-commit; undid it/);
    const after = snapshotTree(root);
    expect(Object.keys(after).filter((file) => /\.petsage-|petsage-journal/.test(file))).toEqual([]);
    // The killed feature left nothing: what is there is the backend plus what the command wrote
    // (init --force only creates missing files: every existing one keeps its bytes).
    for (const [file, bytes] of Object.entries(before)) if (!file.endsWith('/')) expect(after[file], file).toBe(bytes);
    expect(Object.keys(after).some((file) => file.includes('smoke_test'))).toBe(false);
  });
});
