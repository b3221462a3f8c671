import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PetsageError } from '../../src/errors.js';
import { failure } from '../helpers/errors.js';
import { commitChanges } from '../../src/commit/write.js';
import { Interruption } from '../../src/commit/interruption.js';
import { assertNoConflicts, StagedTree, type Change } from '../../src/commit/tree.js';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

function seeded(): string {
  const root = tempDir();
  mkdirSync(path.join(root, 'app'));
  writeFileSync(path.join(root, 'app', 'api.py'), 'old\r\n');
  writeFileSync(path.join(root, 'app', 'same.py'), 'same\n');
  return root;
}

describe('StagedTree', () => {
  it('classifies each staged file against the disk', () => {
    const root = seeded();
    const tree = new StagedTree(root);
    tree.write('app/api.py', 'new\n', { overwrite: true });
    tree.write('app/same.py', 'same\n', { overwrite: false });
    tree.write('app/new/file.py', 'x\n', { overwrite: false });
    expect(tree.read('app/api.py')).toBe('new\n');
    expect(tree.changes().map((change) => [change.path, change.action])).toEqual([
      ['app/api.py', 'updated'],
      ['app/same.py', 'unchanged'],
      ['app/new/file.py', 'created'],
    ]);
  });

  it('reports every conflicting file at once, with exit 3', () => {
    const root = seeded();
    const tree = new StagedTree(root);
    tree.write('app/api.py', 'a', { overwrite: false });
    tree.write('app/same.py', 'b', { overwrite: false });
    const error = failure(() => assertNoConflicts(tree.changes()));
    expect(error.exitCode).toBe(3);
    expect(error.details.slice(0, 2)).toEqual(['app/api.py: exists and differs', 'app/same.py: exists and differs']);
  });
});

/** A commit outside any transaction, with its own signal watch. */
async function commit(root: string, changes: Change[]): Promise<void> {
  const interruption = new Interruption();
  try {
    await commitChanges(root, changes, { interruption });
  } finally {
    interruption.dispose();
  }
}

describe('commitChanges', () => {
  it('writes created and updated files and leaves no temp file', async () => {
    const root = seeded();
    const tree = new StagedTree(root);
    tree.write('app/api.py', 'new\n', { overwrite: true });
    tree.write('app/deep/new.py', 'x\n', { overwrite: false });
    await commit(root, tree.changes());
    const after = snapshotTree(root);
    expect(Object.keys(after).sort()).toEqual(['app/', 'app/api.py', 'app/deep/', 'app/deep/new.py', 'app/same.py']);
    expect(Buffer.from(after['app/api.py']!, 'base64').toString()).toBe('new\n');
  });

  it('refuses a file where a folder must go before writing anything (exit 3)', async () => {
    const root = seeded();
    writeFileSync(path.join(root, 'blocker'), '');
    const before = snapshotTree(root);
    const tree = new StagedTree(root);
    tree.write('app/api.py', 'new\n', { overwrite: true });
    tree.write('app/deep/new.py', 'x\n', { overwrite: false });
    tree.write('blocker/inside.py', 'x\n', { overwrite: false });
    const error = await commit(root, tree.changes()).then(
      () => undefined,
      (thrown: unknown) => thrown as PetsageError,
    );
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toBe('blocker: is a file where blocker/inside.py needs a folder; nothing was written.');
    expect(snapshotTree(root)).toEqual(before);
  });
});
