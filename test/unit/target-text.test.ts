import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveBlueprint } from '../../src/blueprint/config.js';
import { printDryRun } from '../../src/commit/dry-run.js';
import { Content } from '../../src/commit/content.js';
import { JOURNAL_FILE, readJournal } from '../../src/commit/journal.js';
import { readContainedText } from '../../src/commit/safe-fs.js';
import { StagedTree } from '../../src/commit/tree.js';
import { Reporter } from '../../src/output/reporter.js';
import { patchAggregator } from '../../src/python/aggregator.js';
import { readRecords } from '../../src/record/record.js';
import { loadAggregatorCases } from '../helpers/aggregator-cases.js';
import { failure } from '../helpers/errors.js';
import { fixture } from '../helpers/paths.js';
import { capture } from '../helpers/capture.js';
import { projectWith, tempDir } from '../helpers/tmp.js';

// "# café" saved as Latin-1: 0xE9 alone is not UTF-8.
const LATIN1 = Buffer.concat([Buffer.from('"""API."""\n# caf'), Buffer.from([0xe9]), Buffer.from('\nrouter = 1\n')]);
const REPLACEMENT = Buffer.from('\uFFFD');

const targetWith = projectWith;

describe('StagedTree.read', () => {
  it('refuses a file that is not UTF-8 with exit 3, naming it and where the first bad byte is', () => {
    const root = targetWith({ 'app/api.py': LATIN1 });
    const error = failure(() => new StagedTree(root).read('app/api.py'));
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe('app/api.py: is not valid UTF-8 (byte 0xE9 at offset 16, line 2); nothing was changed.');
    expect(error.details.join('\n')).toMatch(/Save it as UTF-8/);
  });

  it('refuses invalid bytes staged by the run itself too', () => {
    const tree = new StagedTree(tempDir());
    tree.write('app/x.py', LATIN1, { overwrite: true });
    expect(failure(() => tree.read('app/x.py')).exitCode).toBe(3);
  });

  it('keeps a BOM and CRLF, so that writing back what it read changes no byte', () => {
    const input = readFileSync(fixture('aggregators/crlf_bom/input.py'));
    expect(input.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const root = targetWith({ 'app/api.py': input });
    const tree = new StagedTree(root);
    const text = tree.read('app/api.py')!;
    expect(text.startsWith('\uFEFF')).toBe(true);
    tree.write('app/api.py', text, { overwrite: true });
    expect(tree.changes().map((change) => change.action)).toEqual(['unchanged']);
  });

  it('reads the BOM and CRLF aggregator of the corpus and patches it to the expected bytes', () => {
    const corpusCase = loadAggregatorCases().find((c) => c.name === 'crlf_bom')!;
    const root = targetWith({ 'app/api.py': readFileSync(fixture('aggregators/crlf_bom/input.py')) });
    const patched = patchAggregator(new StagedTree(root).read('app/api.py')!, corpusCase.edit).text;
    expect(Buffer.from(patched)).toEqual(readFileSync(fixture('aggregators/crlf_bom/expected.py')));
  });
});

describe('other files read from a target are strict UTF-8 too', () => {
  it('readContainedText: text when valid, undefined when missing, exit 3 when not UTF-8', () => {
    const root = targetWith({ 'ok.txt': '\uFEFFé\r\n', 'bad.txt': LATIN1 });
    expect(readContainedText(root, 'ok.txt')).toBe('\uFEFFé\r\n');
    expect(readContainedText(root, 'missing.txt')).toBeUndefined();
    expect(failure(() => readContainedText(root, 'bad.txt')).message).toContain('bad.txt: is not valid UTF-8 (byte 0xE9 at offset 16, line 2)');
  });

  it('config: a pyproject.toml that is not UTF-8 is exit 3, not a value with U+FFFD in it', () => {
    const toml = Buffer.concat([Buffer.from('[tool.petsage]\npreset = "modules"\n# caf'), Buffer.from([0xe9, 0x0a])]);
    const error = failure(() => resolveBlueprint(targetWith({ 'pyproject.toml': toml })));
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/^pyproject\.toml: is not valid UTF-8 \(byte 0xE9 at offset 39, line 3\)/);
  });

  it('records: a record that is not UTF-8 is exit 3', () => {
    const record = Buffer.concat([Buffer.from('{"generator": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const error = failure(() => readRecords(targetWith({ '.petsage/features/pet_profile.json': record })));
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('.petsage/features/pet_profile.json: is not valid UTF-8 (byte 0xE9 at offset 18, line 1)');
  });

  it('the journal: one that is not UTF-8 cannot be replayed (exit 3)', () => {
    const journal = Buffer.concat([Buffer.from('{"run": "'), Buffer.from([0xff]), Buffer.from('"}')]);
    const error = failure(() => readJournal(targetWith({ [JOURNAL_FILE]: journal })));
    expect(error.exitCode).toBe(3);
    expect(error.details[0]).toBe('not valid UTF-8 (byte 0xFF at offset 9, line 1)');
  });
});

describe('printDryRun', () => {
  it('shows no diff for a file on disk that is not UTF-8, rather than U+FFFD where its bytes are', async () => {
    const { stream, text } = capture();
    const change = { path: 'app/x.py', action: 'updated' as const, content: Content.of('new\n'), previous: LATIN1 };
    await printDryRun([change], new Reporter(stream, stream, { json: false, quiet: false, color: false }));
    const out = text();
    expect(out).toContain('app/x.py: is not valid UTF-8 on disk (byte 0xE9 at offset 16, line 2); no diff shown.');
    expect(Buffer.from(out).includes(REPLACEMENT)).toBe(false);
  });

  it('says that a conflict would stop the run, before the diff of what --force would write', async () => {
    const { stream, text } = capture();
    const conflict = { path: 'app/router.py', action: 'conflict' as const, content: Content.of('generated\n'), previous: Buffer.from('edited\n') };
    const updated = { path: 'app/api.py', action: 'updated' as const, content: Content.of('b\n'), previous: Buffer.from('a\n') };
    await printDryRun([conflict, updated], new Reporter(stream, stream, { json: false, quiet: false, color: false }));
    const out = text();
    expect(out).toContain('app/router.py: in the way, so the run would write nothing; with --force it would write this:\n--- a/app/router.py\n+++ b/app/router.py');
    expect(out).not.toContain('app/api.py: in the way');
  });

  it('shows the diffs in the order of the tree above them, by path', async () => {
    const { stream, text } = capture();
    const change = (path: string) => ({ path, action: 'created' as const, content: Content.of(`${path}\n`) });
    await printDryRun(['tests/test_x.py', 'app/x/router.py', '.petsage/features/x.json', 'app/x/README.md'].map(change), new Reporter(stream, stream, { json: false, quiet: false, color: false }));
    const diffs = [...text().matchAll(/^\+\+\+ b\/(.+)$/gm)].map((match) => match[1]);
    expect(diffs).toEqual(['.petsage/features/x.json', 'app/x/README.md', 'app/x/router.py', 'tests/test_x.py']);
  });

  it('says when nothing would change', async () => {
    const { stream, text } = capture();
    const same = { path: 'app/x.py', action: 'unchanged' as const, content: Content.of('x\n'), previous: Buffer.from('x\n') };
    await printDryRun([same], new Reporter(stream, stream, { json: false, quiet: false, color: false }));
    expect(text()).toContain('Already up to date: nothing would change.');
  });
});
