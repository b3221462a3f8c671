// Bundles src/ into dist/cli.cjs. On Node 20 most of a cold start is loading and compiling
// modules, so the CLI ships as one minified file, with the built-in templates precompiled
// so that only Handlebars' small runtime is loaded on a normal run. It is CommonJS, required
// by a CommonJS bin: the ESM loader's translation of the bundle and of each Node builtin cost
// about 6 ms more per run (measured: 1.70x against 1.62x of `node -e 0`).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import Handlebars from 'handlebars';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEMPLATES = path.join(ROOT, 'templates');
// Must match the options src/render/renderer.ts compiles with.
const COMPILE_OPTIONS = { noEscape: true, strict: true };

function templateFiles(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? templateFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

const precompiledTemplates = {
  name: 'precompiled-templates',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]src[\\/]render[\\/]templates-precompiled\.ts$/ }, () => {
      const entries = templateFiles(TEMPLATES).map((name) => {
        const source = readFileSync(path.join(TEMPLATES, name), 'utf8');
        return `${JSON.stringify(name)}: ${Handlebars.precompile(source, COMPILE_OPTIONS)}`;
      });
      return { contents: `export const PRECOMPILED = {\n${entries.join(',\n')}\n};`, loader: 'js' };
    });
  },
};

/**
 * The SHA-256 WebAssembly module (src/hash/sha256-wasm.ts), assembled here once: assembling it
 * at run time took a cold run longer than loading node:crypto, which it replaces.
 */
const assembledWasm = {
  name: 'assembled-wasm',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]src[\\/]hash[\\/]sha256-module\.ts$/ }, async () => {
      const assembler = await build({ entryPoints: [path.join(ROOT, 'src/hash/sha256-wasm.ts')], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'warning' });
      const { assembleSha256Module } = await import(`data:text/javascript;base64,${Buffer.from(assembler.outputFiles[0].text).toString('base64')}`);
      const bytes = Buffer.from(assembleSha256Module()).toString('base64');
      return { contents: `export const sha256ModuleBytes = () => Buffer.from(${JSON.stringify(bytes)}, 'base64');`, loader: 'js' };
    });
  },
};

/**
 * Builtins that libraries import at load time but a normal run never uses; loading them pulls in
 * Node's stream and socket machinery, a few milliseconds of every cold start.
 * - commander requires child_process for executable subcommands, which we do not have: it gets
 *   a proxy that loads the real module on first use.
 * - chalk's vendored supports-color asks tty whether stdout and stderr are terminals at load; we
 *   always pass chalk an explicit level (src/output/color.ts decides), so it gets a tty that
 *   answers no without loading anything.
 */
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(builder) {
    builder.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
    );
    builder.onResolve({ filter: /^(node:)?os$/ }, (args) =>
      /[\\/]node_modules[\\/]chalk[\\/]/.test(args.importer) ? { path: 'os', namespace: 'lazy-builtin' } : undefined,
    );
    builder.onResolve({ filter: /^(node:)?tty$/ }, (args) =>
      /[\\/]node_modules[\\/]chalk[\\/]/.test(args.importer) ? { path: 'tty', namespace: 'quiet-tty' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `module.exports = new Proxy({}, { get: (_, key) => require('node:${args.path}')[key] });`,
      loader: 'js',
    }));
    builder.onLoad({ filter: /.*/, namespace: 'quiet-tty' }, () => ({ contents: 'module.exports = { isatty: () => false };', loader: 'js' }));
  },
};

/**
 * A default import of a CommonJS module (`import path from 'node:path'`) goes through esbuild's
 * __toESM, which copies every export of the module, once per importing file: copying node:path 17
 * times and chalk's node:process was about 1 ms of every cold start. These builtins are plain
 * objects, so their default export is the module itself.
 */
const builtinDefaults = {
  name: 'builtin-defaults',
  setup(builder) {
    builder.onResolve({ filter: /^node:(path|process)$/ }, (args) =>
      args.kind === 'import-statement' ? { path: args.path.slice('node:'.length), namespace: 'builtin-default' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'builtin-default' }, (args) => ({
      contents: `export default require('node:${args.path}');`,
      loader: 'js',
    }));
  },
};

// Start clean, so that nothing stale ships.
rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });

await build({
  entryPoints: [path.join(ROOT, 'src/index.ts')],
  outfile: path.join(ROOT, 'dist/cli.cjs'),
  bundle: true,
  minify: process.env.PETSAGE_NO_MINIFY === undefined,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  plugins: [precompiledTemplates, assembledWasm, lazyBuiltins, builtinDefaults],
  // Loaded lazily from node_modules, only by the commands that need them.
  external: ['prettier', 'execa', 'diff', 'node-diff3', 'source-map'],
  // The sources find shipped files from import.meta.url; in CommonJS that is the bundle's own
  // URL, made when first asked (pathToFileURL at every start was 0.3 ms).
  define: { 'import.meta.url': '__bundle.url', 'import.meta.dirname': '__dirname' },
  // The file is the function bin/load-bundle.cjs compiles: the usual CommonJS wrapper plus
  // `__import` (src/lazy-import.ts). Wrapped here rather than at each start, where joining the
  // wrapper to the 600 KB text made V8 copy it into one string: a copy, and one of the three
  // young-generation collections a cold run paid.
  banner: { js: `(function (exports, require, module, __filename, __dirname, __import) {"use strict";const __bundle = { get url() { return require('node:url').pathToFileURL(__filename).href; } };` },
  footer: { js: '})' },
  legalComments: 'none',
  // bin/load-bundle.cjs reads the bundle as latin1, which is right only for ASCII (esbuild's default).
  charset: 'ascii',
  logLevel: 'warning',
});
await import("./code-cache.mjs");
