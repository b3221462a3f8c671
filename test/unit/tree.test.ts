import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PetsageError } from '../../src/errors.js';
import { failure } from '../helpers/errors.js';
import { commitChanges } from '../../src/commit/write.js';
import { Content, HoldingBudget } from '../../src/commit/content.js';
import { Interruption } from '../../src/commit/interruption.js';
import { assertNoConflicts, StagedTree, type Change } from '../../src/commit/tree.js';
import { assertWritable, joinAccepted } from '../../src/commit/containment.js';
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

  it('keeps a file as it is on disk: reported unchanged with its bytes, never written; one that is gone is not reported', async () => {
    const root = seeded();
    const tree = new StagedTree(root);
    tree.keep('app/api.py');
    tree.keep('app/gone.py');
    expect(tree.read('app/api.py')).toBe('old\r\n');
    const changes = tree.changes();
    expect(changes.map((change) => [change.path, change.action, change.content.bytes().toString()])).toEqual([['app/api.py', 'unchanged', 'old\r\n']]);
    const before = snapshotTree(root);
    await commitChanges(root, changes, { interruption: new Interruption() });
    expect(snapshotTree(root)).toEqual(before);
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

describe('Content made on demand', () => {
  it('is not made to classify a new file, and made once when written, its hash taken then', async () => {
    const root = seeded();
    let made = 0;
    const content = Content.onDemand(() => ((made += 1), Buffer.from('generated\n')));
    const tree = new StagedTree(root);
    tree.write('app/new.py', content, { overwrite: false });
    const changes = tree.changes();
    expect(changes.map((change) => change.action)).toEqual(['created']);
    expect(made).toBe(0);
    await commit(root, changes);
    expect(made).toBe(1);
    expect(content.sha256).toBe(createHash('sha256').update('generated\n').digest('hex'));
    expect(made).toBe(1);
    expect(readFileSync(path.join(root, 'app', 'new.py'), 'utf8')).toBe('generated\n');
  });

  it('is made for its hash when that is asked first, and again when written', async () => {
    const root = seeded();
    let made = 0;
    const content = Content.onDemand(() => ((made += 1), Buffer.from('generated\n')));
    expect(content.sha256).toBe(createHash('sha256').update('generated\n').digest('hex'));
    expect(made).toBe(1);
    const tree = new StagedTree(root);
    tree.write('app/new.py', content, { overwrite: false });
    await commit(root, tree.changes());
    expect(made).toBe(2);
  });

  it('compares an existing file with what would be made', () => {
    const root = seeded();
    const tree = new StagedTree(root);
    tree.write('app/same.py', Content.onDemand(() => Buffer.from('same\n')), { overwrite: false });
    tree.write('app/api.py', Content.onDemand(() => Buffer.from('other\n')), { overwrite: false });
    expect(tree.changes().map((change) => change.action)).toEqual(['unchanged', 'conflict']);
  });

  it('writes generated text as UTF-8, hashed as those bytes, without making a Buffer of it first', async () => {
    const root = seeded();
    const text = 'name = "Caf\u00e9 \u{1f436}"\n';
    const content = Content.onDemand(() => text);
    const tree = new StagedTree(root);
    tree.write('app/text.py', content, { overwrite: false });
    await commit(root, tree.changes());
    const written = readFileSync(path.join(root, 'app', 'text.py'));
    expect(written.equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(content.sha256).toBe(createHash('sha256').update(written).digest('hex'));
    expect(content.bytes().equals(written)).toBe(true);
  });

  it('refuses to write bytes other than those it hashed, and the commit leaves the target as it was', async () => {
    const root = seeded();
    const before = snapshotTree(root);
    let made = 0;
    const tree = new StagedTree(root);
    const content = Content.onDemand(() => Buffer.from(`take ${(made += 1)}\n`));
    expect(content.sha256).toMatch(/^[0-9a-f]{64}$/);
    tree.write('app/new.py', content, { overwrite: false });
    await expect(commit(root, tree.changes())).rejects.toThrow('rendered differently the second time');
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('assertWritable', () => {
  it.each(['../decoy/x.py', '/etc/passwd', 'app/../../decoy/x.py', '.', ''])('refuses %j as outside the target (exit 3)', (relative) => {
    const root = seeded();
    const error = failure(() => assertWritable(root, relative));
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('lies outside the target');
  });

  it.each([
    ['app/new.py', undefined],
    ['app/./new.py', undefined],
    ['app//new.py', undefined],
    ['app/api.py/x.py', 'app/api.py: is a file where app/api.py/x.py needs a folder'],
    ['app', 'app: is a folder where a file is to be written'],
  ])('checks what is on the way to %j', (relative, refusal) => {
    const root = seeded();
    if (refusal === undefined) expect(() => assertWritable(root, relative)).not.toThrow();
    else expect(failure(() => assertWritable(root, relative)).message).toContain(refusal);
  });
});

describe('HoldingBudget', () => {
  it('holds what it makes until the budget is used, then keeps only how to make it when needed', () => {
    const budget = new HoldingBudget(10);
    const made: string[] = [];
    const maker = (text: string) => () => (made.push(text), Buffer.from(text));
    const contents = ['aaaaaa', 'bbbbbb', 'cccccc'].map((text) => budget.content(maker(text)));
    // The first two were made and held (12 bytes reach the budget of 10); the third not yet.
    expect(made).toEqual(['aaaaaa', 'bbbbbb']);
    expect(contents.map((content) => content.bytes().toString())).toEqual(['aaaaaa', 'bbbbbb', 'cccccc']);
    expect(contents.map((content) => content.bytes().toString())).toEqual(['aaaaaa', 'bbbbbb', 'cccccc']);
    // Each time its bytes are needed, the third is made again.
    expect(made).toEqual(['aaaaaa', 'bbbbbb', 'cccccc', 'cccccc']);
  });
});

describe('joinAccepted', () => {
  it('is path.join for every path, by concatenation only where nothing needs normalising', () => {
    const paths = ['app/x.py', 'app/.x.py.petsage-1.tmp', '.petsage/features/a.json', '.hidden/x', 'app/../x', './x', 'a//b', '/abs', 'a/.', 'a/..', '..', '.', 'a/b/'];
    for (const root of ['/tmp/target', '/tmp/target/', '/']) {
      for (const relative of paths) expect(joinAccepted(root, relative)).toBe(path.join(root, relative));
    }
  });
});
