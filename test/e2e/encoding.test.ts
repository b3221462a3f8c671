import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { petsage } from '../helpers/cli.js';
import { backendCopies, snapshotTree, tempDir } from '../helpers/tmp.js';

// Files the tool reads from a target are decoded strictly: one that is not UTF-8 is refused with
// exit 3 (or, where only its bytes matter, handled byte-exact), and U+FFFD never reaches the disk
// or the output, where Node's default decoding would have put it.

const backends = backendCopies(tempDir());
const { pristine } = backends;
/** Copies of an init backend with smoke_test generated. */
const withSmokeTest = backendCopies(tempDir());
const generated = withSmokeTest.pristine;

const AGGREGATOR = 'app/api/v1/api.py';
const SERVICES = 'app/api/v1/modules/smoke_test/services.py';
const RECORD = '.petsage/features/smoke_test.json';
const REPLACEMENT = Buffer.from('\uFFFD'); // EF BF BD
const smokeTest = (root: string, extra: string[] = []) => petsage(['feature', '--builtin', 'smoke_test', '--target', root, ...extra]);

/** Puts "# café" saved as Latin-1 (0xE9, not UTF-8) at the top of a file: the byte is at offset 5. */
function latin1Comment(root: string, file: string): number {
  const before = readFileSync(path.join(root, file));
  writeFileSync(path.join(root, file), Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n'), before]));
  return 5;
}

const holdsReplacement = (root: string) =>
  Object.entries(snapshotTree(root)).filter(([, base64]) => Buffer.from(base64, 'base64').includes(REPLACEMENT)).map(([file]) => file);

beforeAll(async () => {
  expect((await petsage(['init', pristine])).exitCode).toBe(0);
  cpSync(pristine, generated, { recursive: true });
  expect((await smokeTest(generated)).exitCode).toBe(0);
});

describe('a Latin-1 aggregator', () => {
  it('is refused by feature with exit 3, naming the file and the byte, and nothing changes', async () => {
    const root = backends.copy();
    const offset = latin1Comment(root, AGGREGATOR);
    const before = snapshotTree(root);
    const result = await smokeTest(root);
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toContain(`error ${AGGREGATOR}: is not valid UTF-8 (byte 0xE9 at offset ${offset}, line 1); nothing was changed.`);
    expect(result.stderr).toContain('Save it as UTF-8');
    expect(snapshotTree(root)).toEqual(before);
    expect(holdsReplacement(root)).toEqual([]);
  });

  it('is refused the same way by --dry-run and reported as such by --json', async () => {
    const root = backends.copy();
    latin1Comment(root, AGGREGATOR);
    const dryRun = await smokeTest(root, ['--dry-run']);
    expect(dryRun.exitCode, dryRun.stderr).toBe(3);
    expect(dryRun.stdout).not.toContain('\uFFFD');
    const json = await smokeTest(root, ['--json']);
    expect(json.exitCode).toBe(3);
    expect(JSON.parse(json.stdout).errors[0]).toEqual({
      code: 'conflict',
      path: AGGREGATOR,
      message: 'is not valid UTF-8 (byte 0xE9 at offset 5, line 1); nothing was changed.',
      hint: 'Save it as UTF-8 (from Latin-1, e.g. with `iconv -f latin1 -t utf-8`), then run again.',
    });
  });

  it('stops remove and check (exit 3) once it is no longer UTF-8', async () => {
    const root = withSmokeTest.copy();
    latin1Comment(root, AGGREGATOR);
    const before = snapshotTree(root);
    const removal = await petsage(['remove', 'smoke_test', '--target', root]);
    expect(removal.exitCode, removal.stderr).toBe(3);
    expect(removal.stderr).toContain(`${AGGREGATOR}: is not valid UTF-8 (byte 0xE9 at offset 5, line 1)`);
    const check = await petsage(['check', '--target', root]);
    expect(check.exitCode, check.stderr).toBe(3);
    expect(check.stderr).toContain(`${AGGREGATOR}: is not valid UTF-8`);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('other files read from the target', () => {
  it('a record that is not UTF-8 is exit 3 for feature and list', async () => {
    const root = withSmokeTest.copy();
    latin1Comment(root, RECORD);
    const before = snapshotTree(root);
    for (const args of [['feature', '--builtin', 'smoke_test'], ['list']]) {
      const result = await petsage([...args, '--target', root]);
      expect(result.exitCode, result.stderr).toBe(3);
      expect(result.stderr).toContain(`${RECORD}: is not valid UTF-8 (byte 0xE9 at offset 5, line 1)`);
    }
    expect(snapshotTree(root)).toEqual(before);
  });

  it('a pyproject.toml that is not UTF-8 is exit 3', async () => {
    const root = backends.copy();
    latin1Comment(root, 'pyproject.toml');
    const before = snapshotTree(root);
    const result = await smokeTest(root);
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toContain('pyproject.toml: is not valid UTF-8 (byte 0xE9 at offset 5, line 1)');
    expect(snapshotTree(root)).toEqual(before);
  });

  it('a template override that is not UTF-8 is exit 3, not rendered with U+FFFD', async () => {
    const root = backends.copy();
    expect((await petsage(['templates', 'eject', 'router.py', '--target', root])).exitCode).toBe(0);
    const override = '.petsage/templates/router.py.hbs';
    latin1Comment(root, override);
    const before = snapshotTree(root);
    const result = await smokeTest(root);
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toContain(`${override}: is not valid UTF-8 (byte 0xE9 at offset 5, line 1)`);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('a generated file saved as Latin-1 since', () => {
  it('is kept byte for byte as any edited file, a conflict for a payload that changes it; --dry-run --force shows no diff of it rather than U+FFFD', async () => {
    const root = withSmokeTest.copy();
    latin1Comment(root, SERVICES);
    const before = snapshotTree(root);
    const again = await smokeTest(root);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('services.py  unchanged (edited by hand, kept)');
    expect(snapshotTree(root)).toEqual(before);
    const changed = path.join(tempDir(), 'smoke_test.json');
    writeFileSync(changed, JSON.stringify({ feature: 'smoke_test', description: 'Changed since.', requirements: 'none' }));
    const plain = await petsage(['feature', changed, '--target', root]);
    expect(plain.exitCode, plain.stderr).toBe(3);
    expect(plain.stderr).toContain(`${SERVICES}: edited since petsage-build generated it`);
    const dryRun = await smokeTest(root, ['--force', '--dry-run']);
    expect(dryRun.exitCode, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain(`${SERVICES}: is not valid UTF-8 on disk (byte 0xE9 at offset 5, line 1); no diff shown.`);
    expect(dryRun.stdout).not.toContain('\uFFFD');
    expect(snapshotTree(root)).toEqual(before);
    // update has to merge it as text: it names the byte rather than merge U+FFFD into it.
    const update = await petsage(['update', '--target', root]);
    expect(update.exitCode, update.stderr).toBe(3);
    expect(update.stderr).toContain(`${SERVICES}: is not valid UTF-8 (byte 0xE9 at offset 5, line 1)`);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('is replaced byte-exact by --force, and removed by remove --force (only its hash matters)', async () => {
    const root = withSmokeTest.copy();
    latin1Comment(root, SERVICES);
    const forced = await smokeTest(root, ['--force']);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(readFileSync(path.join(root, SERVICES))).toEqual(readFileSync(path.join(generated, SERVICES)));

    latin1Comment(root, SERVICES);
    const refused = await petsage(['remove', 'smoke_test', '--target', root]);
    expect(refused.exitCode, refused.stderr).toBe(3);
    expect(refused.stderr).toContain(`${SERVICES}: edited`);
    const removed = await petsage(['remove', 'smoke_test', '--target', root, '--force']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(existsSync(path.join(root, SERVICES))).toBe(false);
    expect(snapshotTree(root)).toEqual(snapshotTree(pristine));
  });

  it('makes check --strict refuse (exit 3) rather than show a diff with U+FFFD in it; check leaves it alone as the user\'s', async () => {
    const root = withSmokeTest.copy();
    latin1Comment(root, SERVICES);
    const owned = await petsage(['check', '--target', root]);
    expect(owned.exitCode, owned.stderr).toBe(0);
    expect(owned.stdout).toContain(`${SERVICES}: edited by hand since it was generated`);
    const check = await petsage(['check', '--target', root, '--strict']);
    expect(check.exitCode, check.stderr).toBe(3);
    expect(check.stderr).toContain(`${SERVICES}: is not valid UTF-8 (byte 0xE9 at offset 5, line 1)`);
    expect(check.stdout).not.toContain('\uFFFD');
  });
});
