/**
 * The bin loads the bundle as a script with V8's code cache (bin/load-bundle.cjs), and on Node 20
 * code restored from a cache cannot `import()`: the bin passes its own import as `__import`.
 * Loaded any other way (from source, or the bundle required directly) the module's own is used.
 */
declare const __import: ((specifier: string) => Promise<unknown>) | undefined;

/** An ES module loaded on demand, off the start-up path. */
export const importLazily = <Module>(specifier: string): Promise<Module> =>
  (typeof __import === 'function' ? __import(specifier) : import(specifier)) as Promise<Module>;
