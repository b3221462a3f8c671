import { assembleSha256Module } from './sha256-wasm.js';

/**
 * The SHA-256 module's bytes. In the bundle this file is replaced by the bytes themselves,
 * assembled at build time (src/build/bundle.mjs), so that no run pays for assembling them.
 */
export const sha256ModuleBytes = (): Uint8Array => assembleSha256Module();
