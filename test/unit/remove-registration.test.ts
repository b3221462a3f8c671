/**
 * remove through the command in process, on init backends, with no Python: a registration the
 * project's formatter rewrapped comes out by structure; one that cannot come out cleanly stops
 * the removal before anything is deleted, --force or not; the user's own registration stays,
 * with the modules it imports.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFeature } from '../../src/commands/feature.js';
import { runInit } from '../../src/commands/init.js';
import { runRemove } from '../../src/commands/remove.js';
import { Reporter } from '../../src/output/reporter.js';
import { capture } from '../helpers/capture.js';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

const API = 'app/api/v1/api.py';
const MODULE = 'app/api/v1/modules/pets';

function reporter() {
  const { stream, text } = capture();
  return { reporter: new Reporter(stream, stream, { json: false, quiet: false, color: false }), text };
}

async function initialised(): Promise<string> {
  const dir = tempDir();
  await runInit('backend', { cwd: dir, force: false, preset: undefined, wait: 0, reporter: reporter().reporter });
  return path.join(dir, 'backend');
}

async function generate(root: string, feature = 'pets'): Promise<void> {
  const stdin = Buffer.from(JSON.stringify({ feature, description: 'x' }));
  await runFeature(['-'], { cwd: root, target: '.', force: false, dryRun: false, verify: false, wait: 0, reporter: reporter().reporter, readStdin: async () => stdin });
}

const remove = (root: string, force = false, output = reporter()) => runRemove('pets', { cwd: root, target: '.', force, wait: 0, reporter: output.reporter });
const read = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8');
const edit = (root: string, file: string, change: (text: string) => string) => writeFileSync(path.join(root, file), change(read(root, file)));

describe('remove takes a rewrapped registration out by its structure', () => {
  it('an include wrapped one argument per line and the import in brackets: back to the bytes before', async () => {
    const root = await initialised();
    const before = snapshotTree(root);
    await generate(root);
    edit(root, API, (text) =>
      text
        .replace('from app.api.v1.modules.pets import router as pets_router', 'from app.api.v1.modules.pets import (\n    router as pets_router,\n)')
        .replace('include_router(pets_router, prefix="/pets")', 'include_router(\n    pets_router,\n    prefix="/pets",\n)'),
    );
    expect(read(root, API)).toContain('    pets_router,\n');
    const removed = await remove(root);
    expect(removed.features[0]?.aggregator?.action).toBe('updated');
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('an include under a comment giving its URL path, as its siblings are (`# /pets`)', () => {
  const SIBLINGS = 'from app.api.v1.modules.a import router as a_router\nfrom app.api.v1.modules.b import router as b_router\n\napi_v1_router = APIRouter()\n# /a\napi_v1_router.include_router(a_router, prefix="/a")\n# /b\napi_v1_router.include_router(b_router, prefix="/b")\n';

  it.each([
    ['as added', (text: string) => text],
    ['rewrapped by a formatter', (text: string) => text.replace('include_router(pets_router, prefix="/pets")', 'include_router(\n    pets_router,\n    prefix="/pets",\n)')],
  ])('comes out with its comment, %s: back to the bytes before', async (_, reformat) => {
    const root = await initialised();
    edit(root, API, (text) => text.replace('\napi_v1_router = APIRouter()\n', `\n${SIBLINGS}`));
    const before = snapshotTree(root);
    await generate(root);
    expect(read(root, API)).toContain('# /b\napi_v1_router.include_router(b_router, prefix="/b")\n# /pets\napi_v1_router.include_router(pets_router, prefix="/pets")\n');
    edit(root, API, reformat);
    const removed = await remove(root);
    expect(removed.features[0]?.aggregator?.action).toBe('updated');
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('what cannot come out cleanly stops the removal, nothing deleted (exit 3)', () => {
  it.each([false, true])('an include moved into a block, --force %s', async (force) => {
    const root = await initialised();
    await generate(root);
    edit(root, API, (text) => text.replace('api_v1_router.include_router(pets_router', 'if DEBUG:\n    api_v1_router.include_router(pets_router'));
    const before = snapshotTree(root);
    const refused = await remove(root, force).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      exitCode: 3,
      path: API,
      text: 'cannot take the registration of pets out cleanly; nothing was removed.',
      problems: [{ path: API, message: expect.stringContaining('would still use pets_router') }],
    });
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe("the user's own registration", () => {
  it('is kept with a warning, and so are the modules it imports; the test, the README and the record go', async () => {
    const root = await initialised();
    edit(root, API, (text) => text.replace('\napi_v1_router = APIRouter()\n', '\nfrom app.api.v1.modules.pets import router as pets_router\n\napi_v1_router = APIRouter()\napi_v1_router.include_router(pets_router, prefix="/pets")\n'));
    const own = read(root, API);
    await generate(root);
    expect(read(root, API)).toBe(own);
    expect(JSON.parse(read(root, '.petsage/features/pets.json')).aggregator.added).toEqual([]);
    const output = reporter();
    await remove(root, false, output);
    expect(read(root, API)).toBe(own);
    for (const kept of ['__init__.py', 'router.py', 'services.py', 'schemas.py']) expect(existsSync(path.join(root, MODULE, kept)), kept).toBe(true);
    for (const gone of [`${MODULE}/README.md`, 'tests/api/v1/test_pets.py', '.petsage/features/pets.json']) expect(existsSync(path.join(root, gone)), gone).toBe(false);
    expect(output.text()).toContain(`warning ${API}: the registration of pets was there before the feature was generated, so it is yours: kept, and so are the modules it imports (${MODULE}/schemas.py, ${MODULE}/services.py, ${MODULE}/router.py, ${MODULE}/__init__.py).`);
  });

  it('gone by hand since, leaves nothing to keep: everything goes', async () => {
    const root = await initialised();
    const original = read(root, API);
    edit(root, API, (text) => text.replace('\napi_v1_router = APIRouter()\n', '\nfrom app.api.v1.modules.pets import router as pets_router\n\napi_v1_router = APIRouter()\napi_v1_router.include_router(pets_router, prefix="/pets")\n'));
    await generate(root);
    writeFileSync(path.join(root, API), original);
    const output = reporter();
    await remove(root, false, output);
    expect(existsSync(path.join(root, MODULE))).toBe(false);
    expect(output.text()).not.toContain('warning');
  });
});
