import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256, webAssemblySha256 } from '../../src/hash/sha256.js';
import { DATA_CHUNK } from '../../src/hash/sha256-layout.js';

const reference = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
/** The module's own digest, whichever way `sha256` would choose after a megabyte. */
const wasm = (data: string | Uint8Array) => webAssemblySha256(data).hex;

describe('sha256 (WebAssembly)', () => {
  it('gives the digests of FIPS 180-4 examples', () => {
    expect(wasm('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(wasm('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(wasm('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it("agrees with node:crypto at every length around the padding's block boundaries", () => {
    for (let length = 0; length <= 200; length++) {
      const data = Uint8Array.from({ length }, (_, index) => (index * 151 + length) & 0xff);
      expect(wasm(data), `length ${length}`).toBe(reference(data));
    }
  });

  it('agrees with node:crypto across the chunks it copies into its memory', () => {
    for (const length of [DATA_CHUNK - 1, DATA_CHUNK, DATA_CHUNK + 1, DATA_CHUNK + 63, 3 * DATA_CHUNK + 100]) {
      const data = Uint8Array.from({ length }, (_, index) => (index * 7919) & 0xff);
      expect(wasm(data), `length ${length}`).toBe(reference(data));
    }
  });

  it('hashes a string as its UTF-8 bytes, as node:crypto does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(wasm(text)).toBe(reference(text));
        expect(wasm(Buffer.from(text))).toBe(reference(text));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with node:crypto on any bytes, hash after hash (no state carried over)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 1000 }), { minLength: 1, maxLength: 5 }), (inputs) => {
        for (const data of inputs) expect(wasm(data)).toBe(reference(data));
      }),
      { numRuns: 300 },
    );
  });

  it('counts UTF-8 bytes, and gives the same digest through node:crypto once a run has hashed a megabyte', () => {
    expect(webAssemblySha256('caf\u00e9 \u{1f43e}').length).toBe(Buffer.byteLength('caf\u00e9 \u{1f43e}'));
    const megabyte = 'x'.repeat(1024 * 1024);
    expect(sha256(megabyte)).toBe(reference(megabyte));
    expect(sha256('after the switch')).toBe(reference('after the switch'));
    expect(sha256(new Uint8Array([1, 2, 3]))).toBe(reference(new Uint8Array([1, 2, 3])));
  });

  it('encodes a string larger than its memory in pieces, splitting no character', () => {
    const text = '\u00e9\u{1f43e}x'.repeat(40_000);
    expect(wasm(text)).toBe(reference(text));
    expect(wasm(`\ud800${text}\udfff`)).toBe(reference(`\ud800${text}\udfff`));
  });
});
