import { fileURLToPath } from 'node:url';
import { once } from './data.js';

/**
 * Files shipped with the package. This module sits one level below the package root both
 * as src/paths.ts and inside the bundled dist/cli.cjs, so the same relative URL works in both.
 * Found when first asked: most runs never need them.
 */
export const templatesDir = once(() => fileURLToPath(new URL('../templates/', import.meta.url)));
export const builtinPayloadsDir = once(() => fileURLToPath(new URL('../fixtures/payloads/', import.meta.url)));
