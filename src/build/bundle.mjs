// Bundles src/ into dist/cli.js. On Node 20 most of a cold start is loading and compiling
// modules, so the CLI ships as one minified file, with the built-in templates precompiled
// so that only Handlebars' small runtime is loaded on a normal run.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import Handlebars from 'handlebars';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEMPLATES = path.join(ROOT, 'templates');
// Must match the options src/render.ts compiles with.
const COMPILE_OPTIONS = { noEscape: true, strict: true };

function templateFiles(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? templateFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

const precompiledTemplates = {
  name: 'precompiled-templates',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]src[\\/]templates-precompiled\.ts$/ }, () => {
      const entries = templateFiles(TEMPLATES).map((name) => {
        const source = readFileSync(path.join(TEMPLATES, name), 'utf8');
        return `${JSON.stringify(name)}: ${Handlebars.precompile(source, COMPILE_OPTIONS)}`;
      });
      return { contents: `export const PRECOMPILED = {\n${entries.join(',\n')}\n};`, loader: 'js' };
    });
  },
};

// Chunk names carry hashes: start clean so that no stale chunk ships.
rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });

await build({
  entryPoints: [path.join(ROOT, 'src/index.ts')],
  outdir: path.join(ROOT, 'dist'),
  entryNames: 'cli',
  // Code behind a dynamic import (the diff library, for --dry-run) goes to a chunk loaded on demand.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  minify: process.env.PETSAGE_NO_MINIFY === undefined,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [precompiledTemplates],
  // Loaded lazily from node_modules, only by the commands that need them.
  external: ['prettier', 'execa', 'source-map'],
  // Bundled CommonJS (commander, handlebars) calls require().
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
