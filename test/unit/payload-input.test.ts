import { truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_BATCH_PAYLOADS, validateBatch } from '../../src/payload/batch.js';
import { MAX_INPUT_BYTES, readPayloadInputs, readStream, type PayloadInput } from '../../src/payload/input.js';
import { failure } from '../helpers/errors.js';
import { tempDir } from '../helpers/tmp.js';

const MiB = 1024 * 1024;
const noStdin = async () => Buffer.alloc(0);

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return failure(() => {
      throw error;
    });
  }
  throw new Error('expected a rejection');
}

/** A file of `size` zero bytes, sparse, so that a large one costs no disk. */
function sparse(dir: string, name: string, size: number): string {
  const file = path.join(dir, name);
  writeFileSync(file, '');
  truncateSync(file, size);
  return file;
}

describe('readStream', () => {
  it('stops pulling chunks once past the limit, so an endless stream ends', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled += 1;
        yield Buffer.alloc(MiB);
      }
    }
    const bytes = await readStream(endless(), 3 * MiB);
    // The fourth chunk takes it past 3 MiB; no fifth is asked for.
    expect(pulled).toBe(4);
    expect(bytes.length).toBe(4 * MiB);
  });

  it('reads a stream within the limit whole', async () => {
    async function* three() {
      yield Buffer.from('a');
      yield Buffer.from('bc');
    }
    expect((await readStream(three(), 3)).toString()).toBe('abc');
  });
});

describe('readPayloadInputs caps the input of a run at 64 MiB, all files and stdin together', () => {
  const dir = tempDir();

  it('refuses one file over the limit with exit 2, naming the file and the limit', async () => {
    const error = await rejection(readPayloadInputs([sparse(dir, 'big.json', MAX_INPUT_BYTES + 1)], undefined, dir, noStdin));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`${path.join(dir, 'big.json')}: the payload input is over 67108864 bytes (64 MiB), the limit for all payload files and stdin of one run together; nothing was written.`);
  });

  it('takes exactly the limit', async () => {
    const inputs = await readPayloadInputs([sparse(dir, 'exact.json', MAX_INPUT_BYTES)], undefined, dir, noStdin);
    expect(inputs[0]!.bytes.length).toBe(MAX_INPUT_BYTES);
  });

  it('stops reading a file that never ends', async () => {
    const error = await rejection(readPayloadInputs(['/dev/zero'], undefined, dir, noStdin));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^\/dev\/zero: the payload input is over 67108864 bytes/);
  });

  it('counts every file against one budget: the file that goes past it is named', async () => {
    const files = ['a.json', 'b.json'].map((name) => sparse(dir, name, 40 * MiB));
    const error = await rejection(readPayloadInputs(files, undefined, dir, noStdin));
    expect(error.message).toMatch(/b\.json: the payload input is over 67108864 bytes/);
  });

  it('gives stdin only what the files left of the budget', async () => {
    const limits: number[] = [];
    const stdin = async (limit: number) => {
      limits.push(limit);
      return Buffer.from('{}');
    };
    await readPayloadInputs([sparse(dir, 'mib.json', MiB), '-'], undefined, dir, stdin);
    expect(limits).toEqual([MAX_INPUT_BYTES - MiB]);
  });

  it('refuses stdin past the limit even when the reader ignores it', async () => {
    const greedy = async () => Buffer.alloc(MAX_INPUT_BYTES + 1);
    const error = await rejection(readPayloadInputs(['-'], undefined, dir, greedy));
    expect(error.message).toMatch(/^stdin: the payload input is over 67108864 bytes/);
  });
});

const stdin = (text: string | Buffer): PayloadInput => ({ bytes: Buffer.from(text), source: 'stdin' });
const lines = (count: number, line: string) => `${Array.from({ length: count }, () => line).join('\n')}\n`;

describe('validateBatch caps a run at 100,000 payloads', () => {
  it('refuses 100,001 NDJSON lines with exit 2 before decoding any of them', () => {
    // Every line is broken JSON: had any been decoded, its error would come first.
    const error = failure(() => validateBatch([stdin(lines(MAX_BATCH_PAYLOADS + 1, '{broken'))]));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('stdin: brings the batch to 100001 payloads; a run takes at most 100000 (all payload files and stdin together); nothing was written.');
    expect(error.details).toEqual(['Split the batch into runs of at most 100000 payloads.']);
  });

  it('lets 100,000 lines through the count (here to fail on their JSON instead)', () => {
    const error = failure(() => validateBatch([stdin(lines(MAX_BATCH_PAYLOADS, '{broken'))]));
    expect(error.message).toBe('the input is invalid; nothing was written.');
    expect(error.details[0]).toMatch(/^stdin line 1: is not valid JSON/);
  });

  it('counts a JSON array, and all inputs together, naming the one that goes past', () => {
    const array = (count: number, source: string): PayloadInput => ({ bytes: Buffer.from(JSON.stringify(Array.from({ length: count }, () => ({})))), source });
    expect(failure(() => validateBatch([array(MAX_BATCH_PAYLOADS + 1, 'big.json')])).message).toMatch(/^big\.json: brings the batch to 100001 payloads/);
    const error = failure(() => validateBatch([array(60_000, 'a.json'), { bytes: Buffer.from('not json'), source: 'bad.json' }, stdin(lines(40_001, '{broken'))]));
    // The limit stops the run at once, instead of joining bad.json's problem in a list.
    expect(error.message).toMatch(/^stdin: brings the batch to 100001 payloads/);
  });
});

describe('NDJSON in a file', () => {
  it('is a batch as on stdin, each line named by the file and its number', () => {
    const text = `${JSON.stringify({ feature: 'first_one', description: 'One.' })}\n\n${JSON.stringify({ feature: 'second_one', description: 'Two.' })}\n`;
    expect(validateBatch([{ bytes: Buffer.from(text), source: 'b.ndjson' }]).map((feature) => feature.names.snake)).toEqual(['first_one', 'second_one']);
    const error = failure(() => validateBatch([{ bytes: Buffer.from(`${JSON.stringify({ feature: 'first_one', description: 'One.' })}\n{"feature": "Bad", "description": "x"}\n`), source: 'b.ndjson' }]));
    expect(error.exitCode).toBe(2);
    expect(error.details[0]).toMatch(/^payloads\[1\]\.feature: must be snake_case/);
  });
});

describe('NDJSON on stdin is decoded strictly', () => {
  it('refuses invalid UTF-8 on any line, naming the offset and the line, never with U+FFFD', () => {
    const input = Buffer.concat([Buffer.from('{"feature": "first_one", "description": "One."}\n{"feature": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
    const error = failure(() => validateBatch([stdin(input)]));
    expect(error.exitCode).toBe(2);
    expect(error.details).toEqual([`stdin: is not valid UTF-8 (byte 0xE9 at offset ${input.indexOf(0xe9)}, line 2). Save the payload as UTF-8.`]);
  });

  it('still splits valid NDJSON, with a BOM, into its payloads', () => {
    const features = validateBatch([stdin(`\uFEFF${JSON.stringify({ feature: 'first_one', description: 'é' })}\r\n${JSON.stringify({ feature: 'second_one', description: '😀' })}\n`)]);
    expect(features.map((feature) => [feature.names.snake, feature.payload.description])).toEqual([
      ['first_one', 'é'],
      ['second_one', '😀'],
    ]);
  });
});

describe('a JSON array is a batch, not one payload', () => {
  const payload = (i: number, description = `Feature number ${i}.`) => ({ feature: `feature_${i}`, description, requirements: ['x'.repeat(200)] });

  it('may be larger than 1 MiB, up to the run input limit, when each payload is within 1 MiB', () => {
    const array = Buffer.from(JSON.stringify(Array.from({ length: 5000 }, (_, i) => payload(i))));
    expect(array.length).toBeGreaterThan(1024 * 1024);
    expect(validateBatch([{ bytes: array, source: 'batch.json' }])).toHaveLength(5000);
  });

  it('refuses one payload over 1 MiB, naming it by its index', () => {
    const huge = { ...payload(1), requirements: ['r'.repeat(1024 * 1024)] };
    const error = failure(() => validateBatch([{ bytes: Buffer.from(JSON.stringify([payload(0), huge])), source: 'batch.json' }]));
    expect(error.exitCode).toBe(2);
    expect([error.message, ...error.details].join('\n')).toMatch(/batch\.json\[1\]: is \d+ bytes; a payload may be at most 1048576 bytes/);
  });

  it('keeps the 1 MiB limit for a single payload', () => {
    const single = Buffer.from(JSON.stringify({ ...payload(0), requirements: ['r'.repeat(1024 * 1024)] }));
    const error = failure(() => validateBatch([{ bytes: single, source: 'one.json' }]));
    expect(error.exitCode).toBe(2);
    expect([error.message, ...error.details].join('\n')).toMatch(/one\.json: is \d+ bytes; a payload may be at most 1048576 bytes/);
  });
});

describe('--builtin', () => {
  it('reads the built-in payload of that name', async () => {
    const [input] = await readPayloadInputs([], 'smoke_test', tempDir(), noStdin);
    expect(JSON.parse(Buffer.from(input!.bytes).toString('utf8')).feature).toBe('smoke_test');
    expect(input!.source).toBe('builtin smoke_test');
  });

  it.each(['nope', '../../package', 'Smoke_Test', 'smoke_test.json'])('refuses %j (exit 2), listing the built-ins, and reads no other file', async (name) => {
    const error = await rejection(readPayloadInputs([], name, tempDir(), noStdin));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`--builtin: no such built-in payload: ${name}; available: smoke_test`);
  });
});

describe('validateBatch names each payload of a batch', () => {
  it('by index and file, also when another input of the batch does not decode', () => {
    const file = (source: string, text: string): PayloadInput => ({ bytes: Buffer.from(text), source });
    const error = failure(() => validateBatch([file('bad1.json', '{"feature": "Bad-Name", "description": "x"}'), file('bad2.json', '{"feature": ')]));
    expect(error.message).toBe('the input is invalid (2 payloads); nothing was written.');
    expect(error.details[0]).toMatch(/^bad2\.json: is not valid JSON/);
    expect(error.details[1]).toMatch(/^payloads\[0\]\.feature: must be snake_case.* \(bad1\.json\)$/);
  });
});
