import { CONSTANTS, PAGES, SCHEDULE, STATE } from './sha256-layout.js';

/**
 * SHA-256's compression function (FIPS 180-4, 6.2.2) as a WebAssembly module, assembled from the
 * expressions below. `npm run build` assembles it once and puts the bytes in the bundle
 * (src/build/bundle.mjs); the sources assemble it when first asked.
 *
 * A cold run only ever runs it with V8's baseline compiler, whose cost is its compiling (at the
 * first call) and each instruction it runs: rolled loops compile in a fifth of the time the 64
 * rounds unrolled took, and ran as fast (about 0.6 ms for 10 KB).
 */

type Code = number[];

const OP = {
  loop: 0x03,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  load: 0x28,
  store: 0x36,
  const: 0x41,
  ltU: 0x49,
  add: 0x6a,
  sub: 0x6b,
  and: 0x71,
  or: 0x72,
  xor: 0x73,
  shrU: 0x76,
  rotl: 0x77,
  rotr: 0x78,
} as const;
const VOID_BLOCK = 0x40;
const I32 = 0x7f;

/** Signed LEB128, as `i32.const` takes its operand. */
function signedLeb(value: number): Code {
  const bytes: Code = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}
/** Unsigned LEB128, for sizes, counts and offsets. */
function unsignedLeb(value: number): Code {
  const bytes: Code = [];
  do {
    const byte = value & 0x7f;
    value >>>= 7;
    bytes.push(value === 0 ? byte : byte | 0x80);
  } while (value !== 0);
  return bytes;
}
const sized = (bytes: Code): Code => [...unsignedLeb(bytes.length), ...bytes];

// prettier-ignore
const ROUND_CONSTANTS = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

// Locals: the parameters `at` and `blocks`, the working variables a..h, the round's byte offset, T1 and T2.
const AT = 0;
const BLOCKS = 1;
const WORKING = [2, 3, 4, 5, 6, 7, 8, 9];
const [A, B, C, D, E, F, G, H] = [2, 3, 4, 5, 6, 7, 8, 9] as const;
const OFFSET = 10;
const T1 = 11;
const T2 = 12;
const LOCALS = 11;

const get = (local: number): Code => [OP.localGet, local];
const set = (local: number, value: Code): Code => [...value, OP.localSet, local];
const i32 = (value: number): Code => [OP.const, ...signedLeb(value | 0)];
const binary =
  (op: number) =>
  (left: Code, right: Code): Code => [...left, ...right, op];
const add = binary(OP.add);
const sub = binary(OP.sub);
const xor = binary(OP.xor);
const and = binary(OP.and);
const or = binary(OP.or);
const rotr = (value: Code, bits: number) => binary(OP.rotr)(value, i32(bits));
const rotl = (value: Code, bits: number) => binary(OP.rotl)(value, i32(bits));
const shr = (value: Code, bits: number) => binary(OP.shrU)(value, i32(bits));
/** The i32 at byte `address + offset` (align 4). */
const load = (address: Code, offset = 0): Code => [...address, OP.load, 2, ...unsignedLeb(offset)];
const store = (address: Code, value: Code, offset = 0): Code => [...address, ...value, OP.store, 2, ...unsignedLeb(offset)];
/** The message's words are big-endian, WebAssembly's loads little-endian. */
const byteSwapped = (value: Code): Code => or(and(rotl(value, 8), i32(0x00ff00ff)), and(rotr(value, 8), i32(0xff00ff00)));

const bigSigma0 = (x: Code) => xor(xor(rotr(x, 2), rotr(x, 13)), rotr(x, 22));
const bigSigma1 = (x: Code) => xor(xor(rotr(x, 6), rotr(x, 11)), rotr(x, 25));
const smallSigma0 = (x: Code) => xor(xor(rotr(x, 7), rotr(x, 18)), shr(x, 3));
const smallSigma1 = (x: Code) => xor(xor(rotr(x, 17), rotr(x, 19)), shr(x, 10));
const choose = (x: Code, y: Code, z: Code) => xor(and(x, y), and(xor(x, i32(-1)), z));
const majority = (x: Code, y: Code, z: Code) => xor(xor(and(x, y), and(x, z)), and(y, z));

/**
 * `body` run for rounds `from` to `to` - 1, with OFFSET at 4 * round: each word is then a load
 * at OFFSET with its array's place as the instruction's immediate offset, no address to compute.
 */
const rounds = (from: number, to: number, body: Code): Code => [
  ...set(OFFSET, i32(from * 4)),
  OP.loop,
  VOID_BLOCK,
  ...body,
  ...set(OFFSET, add(get(OFFSET), i32(4))),
  ...binary(OP.ltU)(get(OFFSET), i32(to * 4)),
  OP.brIf,
  0,
  OP.end,
];
/** Word `round - back` of the array of i32 at `base`. */
const word = (base: number, back = 0): Code => load(get(OFFSET), base - back * 4);

const compressBlock: Code = [
  // W0..W15: the block's words; W16..W63 from them.
  ...rounds(0, 16, store(get(OFFSET), byteSwapped(load(add(get(AT), get(OFFSET)))), SCHEDULE)),
  ...rounds(16, 64, store(get(OFFSET), add(add(smallSigma1(word(SCHEDULE, 2)), word(SCHEDULE, 7)), add(smallSigma0(word(SCHEDULE, 15)), word(SCHEDULE, 16))), SCHEDULE)),
  ...WORKING.flatMap((local, index) => set(local, load(i32(STATE), index * 4))),
  ...rounds(0, 64, [
    ...set(T1, add(add(add(get(H), bigSigma1(get(E))), add(choose(get(E), get(F), get(G)), word(CONSTANTS))), word(SCHEDULE))),
    ...set(T2, add(bigSigma0(get(A)), majority(get(A), get(B), get(C)))),
    ...set(H, get(G)),
    ...set(G, get(F)),
    ...set(F, get(E)),
    ...set(E, add(get(D), get(T1))),
    ...set(D, get(C)),
    ...set(C, get(B)),
    ...set(B, get(A)),
    ...set(A, add(get(T1), get(T2))),
  ]),
  ...WORKING.flatMap((local, index) => store(i32(STATE), add(load(i32(STATE), index * 4), get(local)), index * 4)),
];

/** The function's body: its locals, then a loop over the blocks. */
const compressBody = (): Code => [
  ...[1, LOCALS, I32],
  OP.loop,
  VOID_BLOCK,
  ...compressBlock,
  ...set(AT, add(get(AT), i32(64))),
  ...set(BLOCKS, sub(get(BLOCKS), i32(1))),
  ...get(BLOCKS),
  OP.brIf,
  0,
  OP.end,
  OP.end,
];

/** The round constants, as an active data segment at CONSTANTS, little-endian. */
const constantsSegment = (): Code => {
  const bytes = ROUND_CONSTANTS.flatMap((word) => [word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24]);
  return [1, 0, ...i32(CONSTANTS), OP.end, ...sized(bytes)];
};

const section = (id: number, content: Code): Code => [id, ...sized(content)];
const name = (text: string): Code => sized([...text].map((ch) => ch.charCodeAt(0)));

/** The module's bytes: one memory holding the round constants, and one function, `compress(at, blocks)`; both exported. */
export const assembleSha256Module = (): Uint8Array =>
  new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 2, I32, I32, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, PAGES]),
    ...section(7, [2, ...name('memory'), 2, 0, ...name('compress'), 0, 0]),
    ...section(10, [1, ...sized(compressBody())]),
    ...section(11, constantsSegment()),
  ]);
