import { createRequire } from 'node:module';
import { DATA, DATA_CHUNK, STATE } from './sha256-layout.js';
import { sha256ModuleBytes } from './sha256-module.js';

/**
 * SHA-256 as records and the journal keep it (lowercase hex), without loading `node:crypto`
 * on every run: it costs a cold run about 2.5 ms to load (OpenSSL's start and the stream modules
 * it pulls in), a tenth of what a run costs over `node -e 0`; src/hash/sha256-wasm.ts is the rest. Where WebAssembly is not available (`node
 * --jitless`), `node:crypto` does it.
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
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(sha256ModuleBytes()));
  const { buffer } = exports.memory;
  const memory = new DataView(buffer);
  return (compressor = { memory, bytes: new Uint8Array(buffer), compress: exports.compress });
}

function wasmSha256({ memory, bytes, compress }: Compressor, data: Uint8Array): string {
  INITIAL_STATE.forEach((word, index) => memory.setUint32(STATE + index * 4, word, true));
  const whole = data.length - (data.length % 64);
  for (let at = 0; at < whole; at += DATA_CHUNK) {
    const length = Math.min(DATA_CHUNK, whole - at);
    bytes.set(data.subarray(at, at + length), DATA);
    compress(DATA, length / 64);
  }
  // The padding: the last bytes, 0x80, zeros, and the length in bits as a big-endian 64-bit number.
  const rest = data.length - whole;
  const tail = rest + 9 <= 64 ? 64 : 128;
  bytes.fill(0, DATA, DATA + tail);
  bytes.set(data.subarray(whole), DATA);
  bytes[DATA + rest] = 0x80;
  memory.setUint32(DATA + tail - 8, Math.floor(data.length / 0x20000000));
  memory.setUint32(DATA + tail - 4, (data.length * 8) >>> 0);
  compress(DATA, tail / 64);
  let hex = '';
  for (let index = 0; index < 8; index++) hex += memory.getUint32(STATE + index * 4, true).toString(16).padStart(8, '0');
  return hex;
}

const viaCrypto = (data: Uint8Array): string =>
  (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(data).digest('hex');

export function sha256(content: string | Uint8Array): string {
  const data = typeof content === 'string' ? Buffer.from(content) : content;
  const wasm = compressorOrNull();
  return wasm ? wasmSha256(wasm, data) : viaCrypto(data);
}
