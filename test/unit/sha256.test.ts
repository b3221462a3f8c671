import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/hash/sha256.js';
import { DATA_CHUNK } from '../../src/hash/sha256-layout.js';

const reference = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('sha256 (WebAssembly)', () => {
  it('gives the digests of FIPS 180-4 examples', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it("agrees with node:crypto at every length around the padding's block boundaries", () => {
    for (let length = 0; length <= 200; length++) {
      const data = Uint8Array.from({ length }, (_, index) => (index * 151 + length) & 0xff);
      expect(sha256(data), `length ${length}`).toBe(reference(data));
    }
  });

  it('agrees with node:crypto across the chunks it copies into its memory', () => {
    for (const length of [DATA_CHUNK - 1, DATA_CHUNK, DATA_CHUNK + 1, DATA_CHUNK + 63, 3 * DATA_CHUNK + 100]) {
      const data = Uint8Array.from({ length }, (_, index) => (index * 7919) & 0xff);
      expect(sha256(data), `length ${length}`).toBe(reference(data));
    }
  });

  it('hashes a string as its UTF-8 bytes, as node:crypto does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(sha256(text)).toBe(reference(text));
        expect(sha256(Buffer.from(text))).toBe(reference(text));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with node:crypto on any bytes, hash after hash (no state carried over)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 1000 }), { minLength: 1, maxLength: 5 }), (inputs) => {
        for (const data of inputs) expect(sha256(data)).toBe(reference(data));
      }),
      { numRuns: 300 },
    );
  });
});
