'use strict';
// Loads dist/cli.cjs with V8's code cache for it (dist/cli.cache, made by `npm run build` from
// runs of the CLI): on Node 20 compiling the bundle and the functions a run calls is a fifth of a
// cold start. V8 refuses a cache made by another Node version, other flags or other source, and
// compiles as usual then; a missing or unreadable cache is the same.
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const BUNDLE = path.join(__dirname, '..', 'dist', 'cli.cjs');
const CACHE = path.join(__dirname, '..', 'dist', 'cli.cache');

function readCache() {
  try {
    return readFileSync(CACHE);
  } catch {
    return undefined;
  }
}

/** The bundle's exports and the compiled script (whose createCachedData() the build writes). */
function loadBundle({ withCache = true } = {}) {
  const cachedData = withCache ? readCache() : undefined;
  // The usual CommonJS wrapper, plus `__import`: code restored from a cache cannot import() on
  // Node 20, so prettier, execa and diff are imported through this module (src/lazy-import.ts).
  const wrapped = `(function (exports, require, module, __filename, __dirname, __import) {${readFileSync(BUNDLE, 'latin1')}\n})`;
  const script = new vm.Script(wrapped, { filename: BUNDLE, ...(cachedData && { cachedData }) });
  const module = new Module(BUNDLE, null);
  module.filename = BUNDLE;
  module.paths = Module._nodeModulePaths(path.dirname(BUNDLE));
  const importer = (specifier) => import(specifier);
  script.runInThisContext()(module.exports, Module.createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE), importer);
  return { bundle: module.exports, script };
}

module.exports = { loadBundle, CACHE };
