/**
 * The config command in process, and the block it prints and appends: every existing byte of
 * pyproject.toml kept, the block read back through the config's own checks, a config already
 * there refused with nothing written.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkedBlueprint, petsageBlock, withBlock } from '../../src/blueprint/config-block.js';
import { runConfig } from '../../src/commands/config.js';
import { PetsageError } from '../../src/errors.js';
import { Reporter } from '../../src/output/reporter.js';
import { capture } from '../helpers/capture.js';
import { failure } from '../helpers/errors.js';
import { projectWith, snapshotTree } from '../helpers/tmp.js';

const ROUTES = 'from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get("/")\ndef read() -> None:\n    return None\n';

/** Features straight on the app, under app/routes/, which no preset lays out so. */
const BACKEND = {
  'app/main.py': 'from fastapi import FastAPI\n\nfrom app.routes import items\n\napp = FastAPI()\napp.include_router(items.router, prefix="/api/items")\n',
  'app/routes/items.py': ROUTES,
};

const BLOCK = `[tool.petsage]
preset = "endpoints"
api_prefix = "/api"
aggregator = "app/main.py"
router = "app"

[tool.petsage.paths]
schema = "app/schemas/{feature}.py"
router = "app/routes/{feature}.py"
test = "tests/test_{feature}.py"
`;

function reporter() {
  const { stream, text } = capture();
  return { reporter: new Reporter(stream, stream, { json: false, quiet: false, color: false }), text };
}

const config = (root: string, options: { detect?: boolean; write?: boolean; aggregator?: string } = {}, output = reporter()) =>
  runConfig({ cwd: root, target: '.', detect: options.detect ?? false, write: options.write ?? false, wait: 0, reporter: output.reporter, ...(options.aggregator && { aggregator: options.aggregator }) });

async function rejection(run: Promise<unknown>): Promise<PetsageError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof PetsageError) return error;
    throw error;
  }
  throw new Error('expected a PetsageError');
}

describe('the [tool.petsage] block', () => {
  it('is written as TOML tables, the paths in a sub-table', () => {
    expect(petsageBlock({ preset: 'endpoints', api_prefix: '/api', aggregator: 'app/main.py', router: 'app', paths: { schema: 'app/schemas/{feature}.py', router: 'app/routes/{feature}.py', test: 'tests/test_{feature}.py' } })).toBe(BLOCK);
  });

  it('is appended keeping every byte: a missing final newline added, CRLF followed, a new file the block alone', () => {
    expect(withBlock('[project]\nname = "x"\n', BLOCK)).toBe(`[project]\nname = "x"\n\n${BLOCK}`);
    expect(withBlock('[project]\nname = "x"', BLOCK)).toBe(`[project]\nname = "x"\n\n${BLOCK}`);
    expect(withBlock('[project]\r\nname = "x"\r\n', BLOCK)).toBe(`[project]\r\nname = "x"\r\n\r\n${BLOCK.replaceAll('\n', '\r\n')}`);
    expect(withBlock(undefined, BLOCK)).toBe(BLOCK);
    expect(withBlock('', BLOCK)).toBe(BLOCK);
  });

  it('is refused (exit 3) where appending cannot extend the tool table', () => {
    const error = failure(() => withBlock('tool = { ruff = { line-length = 100 } }\n', BLOCK));
    expect(error).toMatchObject({ exitCode: 3, path: 'pyproject.toml' });
    expect(error.text).toContain('would make it invalid TOML');
  });

  it('goes through the config checks: a value they refuse is exit 2 naming its key', () => {
    expect(checkedBlueprint(BLOCK)).toMatchObject({ aggregator: 'app/main.py', router: 'app', apiPrefix: '/api' });
    const error = failure(() => checkedBlueprint(BLOCK.replace('router = "app/routes/{feature}.py"', 'router = "app/my-routes/{feature}.py"')));
    expect(error).toMatchObject({ exitCode: 2, path: '[tool.petsage] (detected)' });
    expect(error.problems).toEqual([{ path: 'tool.petsage.paths.router', message: '"my-routes" is not a valid Python package or module name, so the file could not be imported' }]);
  });
});

describe('petsage-build config', () => {
  it('--detect prints the block and writes nothing; --write appends it to pyproject.toml, every other byte kept', async () => {
    const root = projectWith({ ...BACKEND, 'pyproject.toml': '[project]\nname = "shop"\n' });
    const before = snapshotTree(root);
    const printed = reporter();
    const dry = await config(root, { detect: true }, printed);
    expect(dry).toMatchObject({ toml: BLOCK, written: false });
    expect(printed.text()).toContain(`\n${BLOCK}`);
    expect(snapshotTree(root)).toEqual(before);

    const written = await config(root, { detect: true, write: true });
    expect(written).toMatchObject({ written: true, files: [{ path: 'pyproject.toml', action: 'updated' }] });
    expect(readFileSync(path.join(root, 'pyproject.toml'), 'utf8')).toBe(`[project]\nname = "shop"\n\n${BLOCK}`);
  });

  it('creates pyproject.toml when there is none', async () => {
    const root = projectWith(BACKEND);
    await config(root, { detect: true, write: true });
    expect(readFileSync(path.join(root, 'pyproject.toml'), 'utf8')).toBe(BLOCK);
  });

  it('--write refuses (exit 3) a project that has a config, in pyproject.toml or petsage.config.json, with nothing written', async () => {
    for (const existing of [{ 'pyproject.toml': '[tool.petsage]\npreset = "modules"\n' }, { 'petsage.config.json': '{"preset": "modules"}' }] as Record<string, string>[]) {
      const root = projectWith({ ...BACKEND, ...existing });
      const before = snapshotTree(root);
      const error = await rejection(config(root, { detect: true, write: true }));
      expect(error).toMatchObject({ exitCode: 3, path: Object.keys(existing)[0] });
      expect(error.text).toContain('has a petsage config already');
      expect(error.hints[0]).toMatch(/^Print what the code says with `petsage-build config --detect`/);
      expect(snapshotTree(root)).toEqual(before);
      // Without --write, --detect does not offer a --write it would refuse.
      const printed = reporter();
      await config(root, { detect: true }, printed);
      expect(printed.text()).toContain(`The project has a petsage config already (${Object.keys(existing)[0]}): compare, and edit it by hand.`);
      expect(printed.text()).not.toContain('with --write');
    }
  });

  it('without --detect prints the config in use over its preset, or says there is none', async () => {
    const none = reporter();
    expect(await config(projectWith(BACKEND), {}, none)).toMatchObject({ config: null });
    expect(none.text()).toContain('The project has no petsage config');

    const root = projectWith({ ...BACKEND, 'pyproject.toml': BLOCK });
    const shown = reporter();
    const { config: resolved } = (await config(root, {}, shown)) as { config: Record<string, unknown> };
    expect(resolved).toMatchObject({ preset: 'endpoints', source_root: '.', app: 'app.main:app', api_prefix: '/api', aggregator: 'app/main.py', router: 'app', paths: { service: 'app/services/{feature}.py', router: 'app/routes/{feature}.py' } });
    expect(shown.text()).toContain('The config from pyproject.toml [tool.petsage], over its preset:');
  });

  it('--write, --aggregator and --router alone are usage errors (exit 2)', async () => {
    const error = await rejection(config(projectWith(BACKEND), { write: true }));
    expect(error).toMatchObject({ exitCode: 2, path: '--write' });
    expect((await rejection(config(projectWith(BACKEND), { aggregator: 'app/main.py' }))).path).toBe('--aggregator');
  });
});
