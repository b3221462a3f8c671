/**
 * Where the SHA-256 WebAssembly module (src/hash/sha256-wasm.ts) keeps its state and takes its
 * data, in its one memory of two 64 KiB pages:
 *   0..32       the state H0..H7, as little-endian i32 (what WebAssembly loads and stores)
 *   64..320     the round constants K0..K63 (the module's data segment)
 *   320..576    the message schedule W0..W63 of the block at hand
 *   1024..      the 64-byte blocks to compress
 * Its one function, `compress(at, blocks)`, folds `blocks` blocks starting at byte `at` into the state.
 */
export const STATE = 0;
export const CONSTANTS = 64;
export const SCHEDULE = 320;
export const DATA = 1024;
/** Bytes of data `compress` is given at a time: whole blocks, within the second page. */
export const DATA_CHUNK = 64 * 1024;
export const PAGES = 2;
