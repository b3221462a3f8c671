'use strict';
// Loads dist/cli.cjs with V8's code cache for it (dist/cli.cache, made by `npm run build` from
// runs of the CLI): on Node 20 compiling the bundle and the functions a run calls is a fifth of a
// cold start. V8 refuses a cache made by another Node version, other flags or other source, and
// compiles as usual then; a missing or unreadable cache is the same.
//
// There are three, each made from one kind of run in a process of its own
// (src/build/code-cache.mjs): dist/cli.cache of a status feature, dist/cli-resources.cache of
// resource features as well (half again as large), and dist/cli-commands.cache of `init`,
// `check`, `list` and `remove`. V8 reads a cache whole, so a feature run loading one that also
// held the other commands' code paid about 2 ms for it, and a resource feature compiles about
// 16 ms of code without its own (paired runs of the builds).
const { readFileSync, statSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const BUNDLE = path.join(__dirname, '..', 'dist', 'cli.cjs');
const CACHE = path.join(__dirname, '..', 'dist', 'cli.cache');
const RESOURCES_CACHE = path.join(__dirname, '..', 'dist', 'cli-resources.cache');
const COMMANDS_CACHE = path.join(__dirname, '..', 'dist', 'cli-commands.cache');
/** A payload file larger than this is not looked into for the choice of cache. */
const PEEK_LIMIT = 1024 * 1024;

function readCache(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * The cache a run wants: for `feature` and `update`, the resources one when a JSON payload file
 * among its arguments has a resource block; for any other command, the commands one. Only a guess
 * about speed, made before anything is parsed: a wrong one costs time, never correctness, and the
 * run reads and validates its payloads as always.
 */
function cacheFor(args) {
  if (!args.includes('feature') && !args.includes('update')) return COMMANDS_CACHE;
  for (const arg of args) {
    if (arg.startsWith('-') || !arg.endsWith('.json')) continue;
    try {
      if (statSync(arg).size <= PEEK_LIMIT && readFileSync(arg, 'latin1').includes('"resource"')) return RESOURCES_CACHE;
    } catch {
      // Not a file: the run says what is wrong with it.
    }
  }
  return CACHE;
}

/** The bundle's exports and the compiled script (whose createCachedData() the build writes). */
function loadBundle({ withCache = true, cache = CACHE } = {}) {
  const cachedData = withCache ? readCache(cache) : undefined;
  // The bundle is one function expression (src/build/bundle.mjs wraps it): the usual CommonJS
  // wrapper, plus `__import`, as code restored from a cache cannot import() on Node 20, so
  // prettier, execa and diff are imported through this module (src/lazy-import.ts).
  const script = new vm.Script(readFileSync(BUNDLE, 'latin1'), { filename: BUNDLE, ...(cachedData && { cachedData }) });
  const module = new Module(BUNDLE, null);
  module.filename = BUNDLE;
  module.paths = Module._nodeModulePaths(path.dirname(BUNDLE));
  const importer = (specifier) => import(specifier);
  script.runInThisContext()(module.exports, Module.createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE), importer);
  return { bundle: module.exports, script };
}

module.exports = { loadBundle, cacheFor, CACHE, RESOURCES_CACHE, COMMANDS_CACHE };
