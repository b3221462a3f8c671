import { inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deflateFixed } from '../../src/record/deflate.js';

/** zlib, not this encoder, says what the stream holds. */
const inflated = (input: Uint8Array) => new Uint8Array(inflateRawSync(deflateFixed(input)));

describe('deflateFixed', () => {
  it('is read back by zlib byte for byte: nothing, one byte, and text with repeats', () => {
    for (const text of ['', 'x', 'abcabcabcabc', 'def router():\n    return {"status": "ok"}\n'.repeat(40)]) {
      expect(inflated(Buffer.from(text))).toEqual(new Uint8Array(Buffer.from(text)));
    }
  });

  it('compresses what repeats', () => {
    const text = Buffer.from('from app.api.v1.modules.smoke_test import router\n'.repeat(100));
    expect(deflateFixed(text).length).toBeLessThan(text.length / 10);
  });

  it('splits runs longer than a match may be (258), at every length around it', () => {
    const around = (length: number) => [length - 4, length - 3, length - 1, length, length + 1, length + 3, length + 4];
    for (const length of [...around(258), ...around(2 * 258), ...around(3 * 258), ...around(258 + 4), 4000]) {
      const run = new Uint8Array(length).fill(0x61);
      expect(inflated(run), `run of ${length}`).toEqual(run);
    }
  });

  it('never reaches back further than the window (32 KiB)', () => {
    const block = Uint8Array.from({ length: 40_000 }, (_, index) => (index * 2654435761) >>> 24);
    const input = new Uint8Array([...block, ...block.subarray(0, 5000), ...block.subarray(20_000, 30_000)]);
    expect(inflated(input)).toEqual(input);
  });

  it('is read back by zlib for any bytes, and for any text made of a few repeated words', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (input) => {
        expect(inflated(input)).toEqual(input);
      }),
      { numRuns: 300 },
    );
    const words = fc.constantFrom('def ', 'return ', 'self', '\n', '    ', 'pet', '_id', '"', '\u00e9', '\u{1f43e}', ': ', 'x'.repeat(300));
    fc.assert(
      fc.property(fc.array(words, { maxLength: 400 }), (parts) => {
        const input = new Uint8Array(Buffer.from(parts.join('')));
        expect(inflated(input)).toEqual(input);
      }),
      { numRuns: 300 },
    );
  });
});
