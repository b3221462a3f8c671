import { brotliCompressSync } from 'node:zlib';
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
const packed = (value: unknown) => `br:${brotliCompressSync(Buffer.from(JSON.stringify(value))).toString('base64')}`;

describe('the merge base kept in a record', () => {
  it('gives back each file’s text by path, non-ASCII included; a file it does not hold (a migration) has none', () => {
    const base = decodeBase(encodeBase({ 'f2.py': TEXTS[2]!, 'f0.py': TEXTS[0]! }), FILES, FILE)!;
    expect([...base].sort()).toEqual([
      ['f0.py', TEXTS[0]],
      ['f2.py', TEXTS[2]],
    ]);
    expect(base.has('f1.py')).toBe(false);
  });

  it('is no base at all in a record made before bases were kept', () => {
    expect(decodeBase(undefined, FILES, FILE)).toBeUndefined();
  });

  it('is refused (exit 3, naming the record and the entry) when a text does not hash to what files records', () => {
    const tampered = packed({ 'f0.py': TEXTS[0], 'f1.py': `${TEXTS[1]}# sneaked in\n`, 'f2.py': TEXTS[2] });
    const error = failure(() => decodeBase(tampered, FILES, FILE));
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(`${FILE}: keeps a base (what was generated last time) that does not match its files; nothing was written.`);
    expect(error.problems).toEqual([{ path: 'base["f1.py"]', message: 'its sha256 is not the one files records for that path' }]);
  });

  it.each([
    ['a file the record does not list', packed({ 'app/main.py': 'x = 1\n' }), 'base["app/main.py"]: is not a file the record lists'],
    ['a list, not an object', packed(TEXTS), 'base: must hold an object of file texts by path'],
    ['a number for a text', packed({ 'f1.py': 7 }), 'base["f1.py"]: must be the text of that file'],
    ['not brotli', `br:${Buffer.from('plain text').toString('base64')}`, 'base: does not decode'],
    ['brotli of something not JSON', `br:${brotliCompressSync(Buffer.from('[not json')).toString('base64')}`, 'base: does not decode'],
  ])('is refused (exit 3) when %s', (_, base, problem) => {
    const error = failure(() => decodeBase(base, FILES, FILE));
    expect(error.exitCode).toBe(3);
    expect(error.details[0]).toContain(problem);
  });

  it.each([
    ['a number', 5],
    ['another format', 'gz:AAAA'],
    ['base64 with a stray character', 'br:AAA*'],
    ['unpadded base64', 'br:AAA'],
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
    expect(error.details[0]).toBe('base: must be "br:" followed by base64, at most 16777216 characters');
  });
});
