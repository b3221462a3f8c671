import { requireLazily } from '../lazy-import.js';
import { DATA, DATA_CHUNK, STATE } from './sha256-layout.js';
import { sha256ModuleBytes } from './sha256-module.js';

/**
 * SHA-256 as records and the journal keep it (lowercase hex), without loading `node:crypto`
 * on every run: it costs a cold run about 2.5 ms to load (OpenSSL's start and the stream modules
 * it pulls in), a tenth of what a run costs over `node -e 0`. src/hash/sha256-wasm.ts compresses
 * the blocks; this module pads them and reads the digest. Where WebAssembly is not available
 * (`node --jitless`), and for batches past a megabyte, `node:crypto` does it.
 */

const INITIAL_STATE = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** The part of WebAssembly's API used here (the project's TypeScript libraries do not declare it). */
declare const WebAssembly:
  | {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object) => { exports: { memory: { buffer: ArrayBuffer }; compress: (at: number, blocks: number) => void } };
    }
  | undefined;

interface Compressor {
  memory: DataView;
  bytes: Uint8Array;
  compress(at: number, blocks: number): void;
}

let compressor: Compressor | null | undefined;

function compressorOrNull(): Compressor | null {
  if (compressor !== undefined) return compressor;
  if (typeof WebAssembly !== 'object') return (compressor = null);
  let exports;
  try {
    ({ exports } = new WebAssembly.Instance(new WebAssembly.Module(sha256ModuleBytes())));
  } catch {
    // A memory the process may not reserve (V8 reserves gigabytes of address space for it, more
    // than `ulimit -v` may allow), or an embedder that forbids WebAssembly: node:crypto it is.
    return (compressor = null);
  }
  const { buffer } = exports.memory;
  const memory = new DataView(buffer);
  return (compressor = { memory, bytes: new Uint8Array(buffer), compress: exports.compress });
}

const encoder = new TextEncoder();

/**
 * The digest of `content` and its length in bytes. A string is encoded straight into the
 * module's memory, as much at a time as fits: no copy of it is made and dropped.
 */
function wasmSha256({ memory, bytes, compress }: Compressor, content: string | Uint8Array): { hex: string; length: number } {
  INITIAL_STATE.forEach((word, index) => memory.setUint32(STATE + index * 4, word, true));
  let length = 0;
  // Bytes at DATA not yet compressed: always fewer than a block between rounds.
  let held = 0;
  const compressWhole = () => {
    const blocks = held >> 6;
    if (blocks > 0) compress(DATA, blocks);
    bytes.copyWithin(DATA, DATA + blocks * 64, DATA + held);
    held &= 63;
  };
  if (typeof content === 'string') {
    for (let rest = content; rest !== ''; ) {
      const { read, written } = encoder.encodeInto(rest, bytes.subarray(DATA + held, DATA + DATA_CHUNK));
      rest = rest.slice(read);
      length += written;
      held += written;
      compressWhole();
    }
  } else {
    for (let at = 0; at < content.length; ) {
      const taken = Math.min(DATA_CHUNK - held, content.length - at);
      bytes.set(content.subarray(at, at + taken), DATA + held);
      at += taken;
      held += taken;
      compressWhole();
    }
    length = content.length;
  }
  // The padding: 0x80, zeros, and the length in bits as a big-endian 64-bit number.
  const tail = held + 9 <= 64 ? 64 : 128;
  bytes.fill(0, DATA + held, DATA + tail);
  bytes[DATA + held] = 0x80;
  memory.setUint32(DATA + tail - 8, Math.floor(length / 0x20000000));
  memory.setUint32(DATA + tail - 4, (length * 8) >>> 0);
  compress(DATA, tail / 64);
  let hex = '';
  for (let index = 0; index < 8; index++) hex += memory.getUint32(STATE + index * 4, true).toString(16).padStart(8, '0');
  return { hex, length };
}

type OneShotHash = (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string;
let viaCrypto: ((content: string | Uint8Array) => string) | undefined;
/** node:crypto's SHA-256: `crypto.hash` (Node >= 20.12) in one call where there is one. */
function cryptoSha256(content: string | Uint8Array): string {
  if (!viaCrypto) {
    const crypto = requireLazily<typeof import('node:crypto')>('node:crypto');
    const oneShot = (crypto as { hash?: OneShotHash }).hash;
    viaCrypto = oneShot ? (data) => oneShot('sha256', data, 'hex') : (data) => crypto.createHash('sha256').update(data).digest('hex');
  }
  return viaCrypto(content);
}

/** The WebAssembly module's digest of `content` (for tests: `sha256` chooses). */
export function webAssemblySha256(content: string | Uint8Array): { hex: string; length: number } {
  const wasm = compressorOrNull();
  if (!wasm) throw new Error('this Node has no WebAssembly');
  return wasmSha256(wasm, content);
}

/**
 * Past this many bytes hashed a run is a batch, and loading node:crypto pays for itself: its
 * SHA-256 is about 20 times as fast as the module's under V8's baseline compiler (1,000
 * resources hash 67 MB). Both give the same digests.
 */
const WEBASSEMBLY_UP_TO = 1024 * 1024;
let hashedByWebAssembly = 0;

export function sha256(content: string | Uint8Array): string {
  if (hashedByWebAssembly >= WEBASSEMBLY_UP_TO || compressorOrNull() === null) return cryptoSha256(content);
  const { hex, length } = webAssemblySha256(content);
  hashedByWebAssembly += length;
  return hex;
}
