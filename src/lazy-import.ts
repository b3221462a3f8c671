import { createRequire } from 'node:module';

/**
 * The bin loads the bundle as a script with V8's code cache (bin/load-bundle.cjs), and on Node 20
 * code restored from a cache cannot `import()`: the bin passes its own import as `__import`.
 * Loaded any other way (from source, or the bundle required directly) the module's own is used.
 */
declare const __import: ((specifier: string) => Promise<unknown>) | undefined;

/** An ES module loaded on demand, off the start-up path. */
export const importLazily = <Module>(specifier: string): Promise<Module> =>
  (typeof __import === 'function' ? __import(specifier) : import(specifier)) as Promise<Module>;

let nodeRequire: NodeJS.Require | undefined;
/**
 * A Node builtin (or CommonJS package) loaded on demand, synchronously: `node:crypto`,
 * `node:zlib`, `node:tty` and `node:os` each cost a cold run a millisecond or more to load, for
 * what only some runs use.
 */
export const requireLazily = <Module>(specifier: string): Module => (nodeRequire ??= createRequire(import.meta.url))(specifier) as Module;
