import { brotliCompressSync, brotliDecompressSync, deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/blueprint/presets.js';
import { sha256 } from '../../src/data.js';
import { validatePayload } from '../../src/payload/payload.js';
import { planFeature } from '../../src/plan/plan.js';
import { baseShapeProblems, decodeBase, encodeBase } from '../../src/record/base.js';
import { GENERATOR, parseRecord, serializeRecord, type FeatureRecord } from '../../src/record/record.js';
import { failure } from '../helpers/errors.js';

const FILE = '.petsage/features/pets.json';
const TEXTS = ['"""Pets."""\n', 'router = APIRouter()\n', '# Pets\n\nNon-ASCII stays: caf\u00e9 \u2014 ok\n'];
const FILES = TEXTS.map((text, i) => ({ path: `f${i}.py`, sha256: sha256(Buffer.from(text)) }));
/** A base as the format describes it, made here by hand: a header line of [path, length] pairs, then the bytes. */
const raw = (bytes: Buffer) => `brotli:${brotliCompressSync(bytes).toString('base64')}`;
/** The same frame as records made before Brotli keep it. */
const rawDeflate = (bytes: Buffer) => `deflate:${deflateRawSync(bytes).toString('base64')}`;
const frameOf = (entries: [string, string | Buffer][], header = entries.map(([path, text]) => [path, Buffer.from(text).length])) =>
  Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ...entries.map(([, text]) => Buffer.from(text))]);
const packed = (entries: [string, string | Buffer][], header?: unknown[]) => raw(frameOf(entries, header as never));

describe('the merge base kept in a record', () => {
  it('gives back each file’s text by path, non-ASCII included; a file it does not hold (a migration) has none', () => {
    const base = decodeBase(encodeBase({ 'f2.py': TEXTS[2]!, 'f0.py': TEXTS[0]! }), FILES, FILE)!;
    expect([...base].sort()).toEqual([
      ['f0.py', TEXTS[0]],
      ['f2.py', TEXTS[2]],
    ]);
    expect(base.has('f1.py')).toBe(false);
  });

  it('is kept as the raw deflate of the frame the format describes, up to 16 KiB of frame', () => {
    const base = encodeBase({ 'f2.py': TEXTS[2]!, 'f0.py': TEXTS[0]! });
    expect(base.startsWith('deflate:')).toBe(true);
    const frame = inflateRawSync(Buffer.from(base.slice('deflate:'.length), 'base64'));
    expect(frame.equals(frameOf([['f0.py', TEXTS[0]!], ['f2.py', TEXTS[2]!]]))).toBe(true);
  });

  it('is kept as the Brotli stream of the frame above 16 KiB, and each is read whatever its size', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `value_${i} = ${i * 7919}\n`).join('');
    const entries: [string, string][] = [['f0.py', text]];
    expect(frameOf(entries).length).toBeGreaterThan(16 * 1024);
    const base = encodeBase({ 'f0.py': text });
    expect(base.startsWith('brotli:')).toBe(true);
    expect(brotliDecompressSync(Buffer.from(base.slice('brotli:'.length), 'base64')).equals(frameOf(entries))).toBe(true);
    const files = [{ path: 'f0.py', sha256: sha256(Buffer.from(text)) }];
    expect([...decodeBase(base, files, FILE)!]).toEqual(entries);
    expect([...decodeBase(rawDeflate(frameOf(entries)), files, FILE)!]).toEqual(entries);
    expect([...decodeBase(raw(frameOf([['f0.py', TEXTS[0]!]])), FILES, FILE)!]).toEqual([['f0.py', TEXTS[0]]]);
  });

  it('reads the raw deflate of the same frame as zlib makes it, as records made before Brotli keep it', () => {
    const entries: [string, string][] = TEXTS.map((text, i) => [`f${i}.py`, text]);
    const old = rawDeflate(frameOf(entries));
    expect(baseShapeProblems(old)).toEqual([]);
    expect([...decodeBase(old, FILES, FILE)!]).toEqual(entries);
  });

  it('is no base at all in a record made before bases were kept', () => {
    expect(decodeBase(undefined, FILES, FILE)).toBeUndefined();
  });

  it('is refused (exit 3, naming the record and the entry) when a text does not hash to what files records', () => {
    const tampered = packed([
      ['f0.py', TEXTS[0]!],
      ['f1.py', `${TEXTS[1]}# sneaked in\n`],
      ['f2.py', TEXTS[2]!],
    ]);
    const error = failure(() => decodeBase(tampered, FILES, FILE));
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(`${FILE}: keeps a base (what was generated last time) that does not match its files; nothing was written.`);
    expect(error.problems).toEqual([{ path: 'base["f1.py"]', message: 'its sha256 is not the one files records for that path' }]);
  });

  it.each([
    ['a file the record does not list', packed([['app/main.py', 'x = 1\n']]), 'base["app/main.py"]: is not a file the record lists'],
    ['lengths that do not add up to the bytes', packed([['f0.py', TEXTS[0]!]], [['f0.py', 3]]), 'base: must start with a header of [path, byte length] pairs that add up to the bytes after it'],
    ['a header that is not pairs', packed([['f0.py', TEXTS[0]!]], [{ path: 'f0.py' }] as never), 'base: must start with a header of [path, byte length] pairs'],
    ['bytes that are not UTF-8', packed([['f1.py', Buffer.from([0xff, 0x0a])]]), 'base["f1.py"]: its sha256 is not the one files records for that path'],
    ['not Brotli', `brotli:${Buffer.from('plain text').toString('base64')}`, 'base: does not decode'],
    ['not deflate', `deflate:${Buffer.from('plain text').toString('base64')}`, 'base: does not decode'],
    ['Brotli of something not JSON', raw(Buffer.from('[not json')), 'base: does not decode'],
    ['deflate of something not JSON', rawDeflate(Buffer.from('[not json')), 'base: does not decode'],
  ])('is refused (exit 3) when %s', (_, base, problem) => {
    const error = failure(() => decodeBase(base, FILES, FILE));
    expect(error.exitCode).toBe(3);
    expect(error.details[0]).toContain(problem);
  });

  it('is refused when bytes that hash as recorded are not UTF-8 text (nothing could merge them)', () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]);
    const error = failure(() => decodeBase(packed([['f1.py', latin1]]), [{ path: 'f1.py', sha256: sha256(latin1) }], FILE));
    expect(error.problems).toEqual([{ path: 'base["f1.py"]', message: 'is not UTF-8 text' }]);
  });

  it.each([
    ['a number', 5],
    ['another format', 'gz:AAAA'],
    ['base64 with a stray character', 'brotli:AAA*'],
    ['unpadded base64', 'brotli:AAA'],
    ['unpadded base64 in the older format', 'deflate:AAA'],
  ])('has its shape checked when the record is read: %s is refused', (_, value) => {
    expect(baseShapeProblems(value)).toHaveLength(1);
    expect(baseShapeProblems(value)[0]!.path).toBe('base');
  });
});

describe('records with and without a base', () => {
  const payload = { feature: 'pets', description: 'Pets.' };
  const plan = planFeature(validatePayload(payload, 'pets'), PRESETS.modules!);
  const record = (extra: Partial<FeatureRecord> = {}): FeatureRecord => ({
    generator: GENERATOR,
    payload,
    blueprint: PRESETS.modules!,
    files: plan.files.map((file) => ({ path: file.path, sha256: sha256(file.path) })),
    aggregator: { file: 'app/api/v1/api.py', routerVar: 'api_v1_router', added: [] },
    ...extra,
  });

  it('reads a record made before bases were kept, and one with a base', () => {
    expect(parseRecord(serializeRecord(record()), FILE, 'pets').record.base).toBeUndefined();
    const base = encodeBase(Object.fromEntries(plan.files.map((file) => [file.path, file.path])));
    expect(parseRecord(serializeRecord(record({ base })), FILE, 'pets').record.base).toBe(base);
  });

  it('refuses a record whose base is not one (exit 3, naming the key)', () => {
    const error = failure(() => parseRecord(serializeRecord(record({ base: 'hello' })), FILE, 'pets'));
    expect(error.exitCode).toBe(3);
    expect(error.details[0]).toBe('base: must be "deflate:" or "brotli:" followed by base64, at most 16777216 characters');
  });
});
