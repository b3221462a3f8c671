import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from './data.js';

/**
 * Files shipped with the package. This module sits one level below the package root both
 * as src/paths.ts and inside the bundled dist/cli.cjs, so the same relative path works in both.
 * The bundle's `import.meta.dirname` is its `__dirname` (src/build/bundle.mjs); the sources' is
 * Node's (20.11 and later), or derived from the module's URL. Found when first asked.
 */
const here = once(() => import.meta.dirname ?? path.dirname(fileURLToPath(import.meta.url)));
export const templatesDir = once(() => path.join(here(), '..', 'templates'));
export const builtinPayloadsDir = once(() => path.join(here(), '..', 'fixtures', 'payloads'));
