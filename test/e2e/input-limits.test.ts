import { truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { petsage } from '../helpers/cli.js';
import { backendCopies, snapshotTree, tempDir } from '../helpers/tmp.js';

// What a run reads is capped while it is read (64 MiB of payload input, 100,000 payloads), so
// a huge or endless input is refused with exit 2 at about the cost of the cap, never all of it.

const MiB = 1024 * 1024;
const CAP = 64 * MiB;
const TOO_LARGE = /: the payload input is over 67108864 bytes \(64 MiB\), the limit for all payload files and stdin of one run together; nothing was written\./;
const workspace = tempDir();
const backends = backendCopies(workspace);
const { pristine } = backends;

beforeAll(async () => {
  expect((await petsage(['init', pristine])).exitCode).toBe(0);
});

describe('64 MiB of input per run', () => {
  it('stdin from a producer of 1 GiB is refused with exit 2 after it consumed about the cap', async () => {
    const root = backends.copy();
    const before = snapshotTree(root);
    const CHUNK = 64 * 1024;
    const TOTAL = 1024 * MiB;
    let produced = 0;
    async function* producer() {
      while (produced < TOTAL) {
        produced += CHUNK;
        yield Buffer.alloc(CHUNK, 0x20);
      }
    }
    const result = await petsage(['feature', '-', '--target', root], { input: Readable.from(producer()) });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^error stdin${TOO_LARGE.source}`));
    // The cap, plus what sat in the pipe and the stream's buffers when it stopped reading.
    expect(produced).toBeGreaterThan(CAP);
    expect(produced).toBeLessThan(CAP + 8 * MiB);
    expect(snapshotTree(root)).toEqual(before);
  });

  it('a payload file that never ends (/dev/zero) is refused with exit 2', async () => {
    const result = await petsage(['feature', '/dev/zero', '--target', backends.copy()]);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^error /dev/zero${TOO_LARGE.source}`));
  });

  it('files count together: two of 40 MiB are refused, naming the second', async () => {
    const files = ['a.json', 'b.json'].map((name) => {
      const file = path.join(workspace, name);
      writeFileSync(file, '');
      truncateSync(file, 40 * MiB);
      return file;
    });
    const result = await petsage(['feature', ...files, '--target', backends.copy()]);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^error ${files[1]}${TOO_LARGE.source}`));
  });
});

describe('100,000 payloads per run', () => {
  it('100,001 tiny NDJSON payloads on stdin are refused with exit 2, naming the limit', async () => {
    const root = backends.copy();
    const before = snapshotTree(root);
    const ndjson = Array.from({ length: 100_001 }, (_, i) => JSON.stringify({ feature: `f${i}`, description: 'd' })).join('\n');
    const result = await petsage(['feature', '-', '--target', root], { input: Buffer.from(ndjson) });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain('error stdin: brings the batch to 100001 payloads; a run takes at most 100000 (all payload files and stdin together); nothing was written.');
    expect(result.stderr).toContain('Split the batch into runs of at most 100000 payloads.');
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('NDJSON on stdin', () => {
  it('with invalid UTF-8 is refused (exit 2) like a single payload, naming where, and nothing is written', async () => {
    const root = backends.copy();
    const before = snapshotTree(root);
    const first = Buffer.from('{"feature": "first_one", "description": "One."}\n');
    const second = Buffer.concat([Buffer.from('{"feature": "second_one", "description": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
    const result = await petsage(['feature', '-', '--target', root], { input: Buffer.concat([first, second]) });
    expect(result.exitCode, result.stderr).toBe(2);
    const offset = first.length + second.indexOf(0xe9);
    expect(result.stderr).toContain(`stdin: is not valid UTF-8 (byte 0xE9 at offset ${offset}, line 2). Save the payload as UTF-8.`);
    expect(result.stderr).not.toContain('\uFFFD');
    expect(snapshotTree(root)).toEqual(before);
  });
});
