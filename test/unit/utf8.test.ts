import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, describeInvalidUtf8, firstInvalidUtf8 } from '../../src/utf8.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const ascii = (text: string) => [...Buffer.from(text, 'latin1')];

describe('firstInvalidUtf8', () => {
  it.each([
    ['a Latin-1 é before ASCII', [...ascii('caf'), 0xe9, ...ascii(' ok')], 3, 0xe9],
    ['a stray continuation byte', [0x61, 0x80], 1, 0x80],
    ['an overlong two-byte NUL', [0xc0, 0x80], 0, 0xc0],
    ['an overlong three-byte form', [0xe0, 0x80, 0x80], 0, 0xe0],
    ['a UTF-16 surrogate', [0x61, 0x62, 0xed, 0xa0, 0x80], 2, 0xed],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0, 0xf4],
    ['a lead byte that never starts a sequence', [0xff], 0, 0xff],
    ['a sequence the input ends inside', [...ascii('x = "'), 0xe2, 0x82], 5, 0xe2],
  ])('finds %s', (_, input, offset, byte) => {
    expect(firstInvalidUtf8(bytes(...input))).toEqual({ offset, byte, line: 1 });
  });

  it('accepts valid text of every sequence length, and a BOM', () => {
    expect(firstInvalidUtf8(Buffer.from('\uFEFFcafé € 😀 \u{10FFFF}\r\n'))).toBeUndefined();
  });

  it('counts lines by LF, so CRLF files get the same line numbers as an editor', () => {
    const text = Buffer.concat([Buffer.from('one\r\ntwo\nthree '), bytes(0xe9)]);
    expect(firstInvalidUtf8(text)).toEqual({ offset: 15, byte: 0xe9, line: 3 });
  });

  it('agrees with the strict decoder on which inputs are invalid, for any bytes', () => {
    // Weighted toward bytes around the UTF-8 boundaries, where a scanner goes wrong.
    const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 12 }), (values) => {
        const input = bytes(...values);
        expect(firstInvalidUtf8(input) === undefined).toBe(decodeUtf8(input, { keepBom: true }) !== undefined);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('decodeUtf8', () => {
  it('keeps or drops a leading BOM as asked, and never replaces a byte', () => {
    const withBom = Buffer.from('\uFEFFx = 1\r\n');
    expect(decodeUtf8(withBom, { keepBom: true })).toBe('\uFEFFx = 1\r\n');
    expect(Buffer.from(decodeUtf8(withBom, { keepBom: true })!)).toEqual(withBom);
    expect(decodeUtf8(withBom, { keepBom: false })).toBe('x = 1\r\n');
    expect(decodeUtf8(bytes(0x63, 0xe9), { keepBom: true })).toBeUndefined();
  });
});

describe('describeInvalidUtf8', () => {
  it('names the byte in hex, its offset and its line', () => {
    expect(describeInvalidUtf8(Buffer.concat([Buffer.from('a\nb'), bytes(0xe9)]))).toBe('byte 0xE9 at offset 3, line 2');
    expect(describeInvalidUtf8(bytes(0x0a, 0x05, 0xc3))).toBe('byte 0xC3 at offset 2, line 2');
  });
});
