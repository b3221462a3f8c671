import { fileURLToPath } from 'node:url';

/**
 * Files shipped with the package. This module sits one level below the package root both
 * as src/paths.ts and inside the bundled dist/cli.cjs, so the same relative URL works in both.
 */
export const TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));
export const BUILTIN_PAYLOADS_DIR = fileURLToPath(new URL('../fixtures/payloads/', import.meta.url));
