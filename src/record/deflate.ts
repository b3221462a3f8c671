/**
 * Raw deflate (RFC 1951) in one final block with the fixed Huffman codes, its matches found
 * greedily through a hash of the next four bytes: what zlib's `inflateRawSync` reads, written
 * without loading `node:zlib`, which costs a cold run about 3 ms (the module, the stream modules
 * it pulls in, and its first call), a tenth of what a status feature's run costs over
 * `node -e 0`. It compresses a status feature's files (about 5 KB) in about 0.5 ms cold and
 * 60 us warm, to about 12 % more bytes than Brotli at quality 0; src/record/base.ts keeps Brotli
 * for larger frames, where its speed and ratio are worth loading zlib.
 */

const HASH_BITS = 13;
const WINDOW = 32 * 1024;
const MIN_MATCH = 4;
const MAX_MATCH = 258;
const END_OF_BLOCK = 256;

/**
 * `code`'s `bits` low bits (7 to 9) in the opposite order: Huffman codes are sent most
 * significant bit first, into a stream filled from the least significant bit.
 */
function reversed(code: number, bits: number, bytes: Uint8Array): number {
  return bits === 9 ? (bytes[code & 0xff]! << 1) | (code >> 8) : bytes[code]! >> (8 - bits);
}

// prettier-ignore
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
// prettier-ignore
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
// prettier-ignore
const DISTANCE_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
// prettier-ignore
const DISTANCE_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

interface Tables {
  /** The fixed code of each literal/length symbol (0-287), reversed, and its length in bits. */
  symbolCode: Uint16Array;
  symbolBits: Uint8Array;
  /** For a match length (3-258), the index of its length code. */
  lengthIndex: Uint8Array;
  /** For a distance - 1 below 256, its distance code; above, at 256 + ((distance - 1) >> 7), as zlib does. */
  distanceIndex: Uint8Array;
  distanceCode: Uint8Array;
  /** The most recent position of each 4-byte hash and the four bytes there, reused by every call. */
  recent: Int32Array;
  recentBytes: Int32Array;
}

/** Built by the first call: a run that packs no small base never makes them. */
let tables: Tables | undefined;

function fixedTables(): Tables {
  if (tables) return tables;
  const symbolCode = new Uint16Array(288);
  const symbolBits = new Uint8Array(288);
  // RFC 1951, 3.2.6: symbols 0-143 in 8 bits from 0x30, 144-255 in 9 from 0x190, 256-279 in 7 from 0, 280-287 in 8 from 0xc0.
  const ranges = [
    { first: 0, last: 143, code: 0x30, bits: 8 },
    { first: 144, last: 255, code: 0x190, bits: 9 },
    { first: 256, last: 279, code: 0, bits: 7 },
    { first: 280, last: 287, code: 0xc0, bits: 8 },
  ];
  // Each byte reversed, each from the one with its low bit dropped.
  const reversedBytes = new Uint8Array(256);
  for (let byte = 1; byte < 256; byte++) reversedBytes[byte] = (reversedBytes[byte >> 1]! >> 1) | ((byte & 1) << 7);
  for (const { first, last, code, bits } of ranges) {
    for (let symbol = first; symbol <= last; symbol++) symbolCode[symbol] = reversed(code + symbol - first, bits, reversedBytes);
    symbolBits.fill(bits, first, last + 1);
  }
  const lengthIndex = new Uint8Array(MAX_MATCH + 1);
  for (let length = 3, index = 0; length <= MAX_MATCH; length++) {
    while (index + 1 < LENGTH_BASE.length && LENGTH_BASE[index + 1]! <= length) index++;
    lengthIndex[length] = index;
  }
  const distanceIndex = new Uint8Array(512);
  for (let index = 0; index < DISTANCE_BASE.length; index++) {
    // The slots of distance - 1 from `first` to `last`: one each below 256, one per 128 above.
    const first = DISTANCE_BASE[index]! - 1;
    const last = first + (1 << DISTANCE_EXTRA[index]!) - 1;
    const slot = (value: number) => (value < 256 ? value : 256 + (value >> 7));
    distanceIndex.fill(index, slot(first), slot(last) + 1);
  }
  const distanceCode = new Uint8Array(DISTANCE_BASE.length);
  for (let index = 0; index < DISTANCE_BASE.length; index++) distanceCode[index] = reversedBytes[index]! >> 3;
  const recent = new Int32Array(1 << HASH_BITS);
  const recentBytes = new Int32Array(1 << HASH_BITS);
  return (tables = { symbolCode, symbolBits, lengthIndex, distanceIndex, distanceCode, recent, recentBytes });
}

/** The output of the last call: a batch would otherwise make and drop a buffer per feature. */
let scratch = new Uint8Array(0);

/**
 * Written for V8's interpreter, which runs all of it in a cold run: every bytecode counts, so the
 * next four bytes roll in one at a time, a candidate is compared by the four bytes kept beside its
 * position, and bits leave two bytes at a time. The result is a view of a buffer the next call
 * reuses: copy what is kept.
 */
export function deflateFixed(input: Uint8Array): Uint8Array {
  const { symbolCode, symbolBits, lengthIndex, distanceIndex, distanceCode, recent, recentBytes } = fixedTables();
  const length = input.length;
  // A literal takes at most 9 bits: the output never outgrows 9/8 of the input, plus the header and end.
  const bound = length + (length >> 3) + 8;
  if (scratch.length < bound) scratch = new Uint8Array(bound);
  const output = scratch;
  let written = 0;
  // At most 15 bits wait between calls, and at most 13 come at once: they fit an int32.
  let pending = 0;
  let pendingBits = 0;
  const send = (value: number, bits: number) => {
    pending |= value << pendingBits;
    pendingBits += bits;
    if (pendingBits >= 16) {
      output[written++] = pending & 0xff;
      output[written++] = (pending >>> 8) & 0xff;
      pending >>>= 16;
      pendingBits -= 16;
    }
  };
  const fourAt = (at: number) => input[at]! | (input[at + 1]! << 8) | (input[at + 2]! << 16) | (input[at + 3]! << 24);
  send(0b011, 3); // the final block (1), with fixed codes (01)
  recent.fill(-1);
  const lastStart = length - MIN_MATCH;
  let next = lastStart >= 0 ? fourAt(0) : 0;
  let at = 0;
  while (at < length) {
    if (at <= lastStart) {
      const hash = Math.imul(next, 0x9e3779b1) >>> (32 - HASH_BITS);
      const from = recent[hash]!;
      const fromBytes = recentBytes[hash];
      recent[hash] = at;
      recentBytes[hash] = next;
      if (from >= 0 && fromBytes === next && at - from <= WINDOW) {
        const limit = Math.min(MAX_MATCH, length - at);
        let matched = MIN_MATCH;
        while (matched < limit && input[from + matched] === input[at + matched]) matched++;
        const lengthAt = lengthIndex[matched]!;
        send(symbolCode[257 + lengthAt]!, symbolBits[257 + lengthAt]!);
        if (LENGTH_EXTRA[lengthAt]! > 0) send(matched - LENGTH_BASE[lengthAt]!, LENGTH_EXTRA[lengthAt]!);
        const distance = at - from - 1;
        const distanceAt = distanceIndex[distance < 256 ? distance : 256 + (distance >> 7)]!;
        send(distanceCode[distanceAt]!, 5);
        if (DISTANCE_EXTRA[distanceAt]! > 0) send(distance + 1 - DISTANCE_BASE[distanceAt]!, DISTANCE_EXTRA[distanceAt]!);
        at += matched;
        if (at <= lastStart) next = fourAt(at);
        continue;
      }
    }
    // send(), written out: most of what the loop does is a literal.
    const literal = input[at]!;
    pending |= symbolCode[literal]! << pendingBits;
    pendingBits += symbolBits[literal]!;
    if (pendingBits >= 16) {
      output[written++] = pending & 0xff;
      output[written++] = (pending >>> 8) & 0xff;
      pending >>>= 16;
      pendingBits -= 16;
    }
    at++;
    if (at <= lastStart) next = (next >>> 8) | (input[at + 3]! << 24);
  }
  send(symbolCode[END_OF_BLOCK]!, symbolBits[END_OF_BLOCK]!);
  while (pendingBits > 0) {
    output[written++] = pending & 0xff;
    pending >>>= 8;
    pendingBits -= 8;
  }
  return output.subarray(0, written);
}
