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
  it('gives back each file’s text by path, non-ASCII included, and null for a file without one', () => {
    const base = decodeBase(encodeBase([TEXTS[0]!, null, TEXTS[2]!]), FILES, FILE)!;
    expect([...base]).toEqual([
      ['f0.py', TEXTS[0]],
      ['f2.py', TEXTS[2]],
    ]);
  });

  it('is no base at all in a record made before bases were kept', () => {
    expect(decodeBase(undefined, FILES, FILE)).toBeUndefined();
  });

  it('is refused (exit 3, naming the record and the entry) when a text does not hash to what files records', () => {
    const tampered = packed([TEXTS[0], `${TEXTS[1]}# sneaked in\n`, TEXTS[2]]);
    const error = failure(() => decodeBase(tampered, FILES, FILE));
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(`${FILE}: keeps a base (what was generated last time) that does not match its files; nothing was written.`);
    expect(error.problems).toEqual([{ path: 'base[1]', message: 'its sha256 is not the one files[1] records for f1.py' }]);
  });

  it.each([
    ['one text too few', packed(TEXTS.slice(1)), 'base: must hold one text per entry of files (3)'],
    ['not a list', packed({ 'f0.py': TEXTS[0] }), 'base: must hold one text per entry of files (3)'],
    ['a number for a text', packed([TEXTS[0], 7, TEXTS[2]]), 'base[1]: must be the text of f1.py, or null'],
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
    const base = encodeBase(plan.files.map((file) => file.path));
    expect(parseRecord(serializeRecord(record({ base })), FILE, 'pets').record.base).toBe(base);
  });

  it('refuses a record whose base is not one (exit 3, naming the key)', () => {
    const error = failure(() => parseRecord(serializeRecord(record({ base: 'hello' })), FILE, 'pets'));
    expect(error.exitCode).toBe(3);
    expect(error.details[0]).toBe('base: must be "br:" followed by base64, at most 16777216 characters');
  });
});
