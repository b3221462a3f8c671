import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUFF_RULES_WITH_LINE_LENGTH } from '../helpers/backend-checks.js';
import { petsage, run } from '../helpers/cli.js';
import { fixture, REPO_ROOT } from '../helpers/paths.js';
import { venvBin } from '../helpers/python-env.mjs';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

/** The table of the presets issue: what each layout generates for a feature `f`. */
const GENERATED: Record<string, (f: string) => string[]> = {
  modules: (f) => [
    `app/api/v1/modules/${f}/schemas.py`,
    `app/api/v1/modules/${f}/services.py`,
    `app/api/v1/modules/${f}/router.py`,
    `app/api/v1/modules/${f}/__init__.py`,
    `app/api/v1/modules/${f}/README.md`,
    `tests/api/v1/test_${f}.py`,
  ],
  layered: (f) => [`src/petsage/models/${f}.py`, `src/petsage/services/${f}_service.py`, `src/petsage/routers/${f}.py`, `docs/features/${f}.md`, `tests/routers/test_${f}.py`],
  features: (f) => [`features/${f}/models.py`, `features/${f}/service.py`, `features/${f}/router.py`, `features/${f}/__init__.py`, `features/${f}/README.md`, `tests/features/test_${f}.py`],
  endpoints: (f) => [`app/models/${f}.py`, `app/services/${f}.py`, `app/api/v1/endpoints/${f}.py`, `docs/features/${f}.md`, `tests/api/v1/test_${f}.py`],
  'src-features': (f) => [
    `src/petsage/features/${f}/models.py`,
    `src/petsage/features/${f}/service.py`,
    `src/petsage/features/${f}/router.py`,
    `src/petsage/features/${f}/__init__.py`,
    `src/petsage/features/${f}/README.md`,
    `tests/features/test_${f}.py`,
  ],
};
const AGGREGATOR: Record<string, string> = {
  modules: 'app/api/v1/api.py',
  layered: 'src/petsage/main.py',
  features: 'main.py',
  endpoints: 'app/api/v1/api.py',
  'src-features': 'src/petsage/main.py',
};
const APP: Record<string, string> = { modules: 'app.main', layered: 'petsage.main', features: 'main', endpoints: 'app.main', 'src-features': 'petsage.main' };

const files = (snapshot: Record<string, string>) => Object.keys(snapshot).filter((key) => !key.endsWith('/'));
const python = (args: readonly string[], cwd: string) => run(venvBin('python'), args, { cwd });

/** Runs the Python tools a CI would on the backend: its tests, ruff and mypy (config from its pyproject). */
async function checkBackend(root: string): Promise<void> {
  const pytest = await python(['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-W', 'error'], root);
  expect(pytest.exitCode, pytest.stdout + pytest.stderr).toBe(0);
  for (const args of [['check', '--no-cache', '--extend-select', RUFF_RULES_WITH_LINE_LENGTH, '.'], ['format', '--check', '--no-cache', '.']]) {
    const ruff = await run(venvBin('ruff'), args, { cwd: root });
    expect(ruff.exitCode, ruff.stdout + ruff.stderr).toBe(0);
  }
  const mypy = await run(venvBin('mypy'), ['--python-version', '3.10', '--cache-dir', path.join(root, '..', `.mypy-${path.basename(root)}`)], { cwd: root });
  expect(mypy.exitCode, mypy.stdout + mypy.stderr).toBe(0);
}

describe.each(Object.keys(GENERATED))('the %s preset, end to end', (preset) => {
  const workspace = tempDir();
  const root = path.join(workspace, preset);

  it('init writes a backend whose own tests pass', async () => {
    const init = await petsage(['init', root, '--preset', preset]);
    expect(init.exitCode, init.stderr).toBe(0);
    const tests = await python(['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], root);
    expect(tests.exitCode, tests.stdout).toBe(0);
  });

  it('generates exactly the files of the table, registered in its aggregator', async () => {
    const before = new Set(files(snapshotTree(root)));
    for (const args of [['--builtin', 'smoke_test'], [fixture('payloads/valid/pet_profile.json')]]) {
      const result = await petsage(['feature', ...args, '--target', root]);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toContain(`layout "${preset}" from pyproject.toml [tool.petsage]`);
    }
    const added = files(snapshotTree(root)).filter((file) => !before.has(file));
    const records = ['.petsage/features/pet_profile.json', '.petsage/features/smoke_test.json'];
    expect(added.sort()).toEqual([...GENERATED[preset]!('smoke_test'), ...GENERATED[preset]!('pet_profile'), ...records].sort());
    const aggregator = readFileSync(path.join(root, AGGREGATOR[preset]!), 'utf8');
    expect(aggregator.match(/include_router\(/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('passes pytest, ruff and mypy, and serves /api/v1/smoke-test/ through TestClient', async () => {
    await checkBackend(root);
    const request = `from fastapi.testclient import TestClient\nfrom ${APP[preset]} import app\nprint(TestClient(app).get("/api/v1/smoke-test/").status_code)`;
    const pythonpath = preset === 'layered' || preset === 'src-features' ? 'src' : '.';
    const result = await run(venvBin('python'), ['-c', request], { cwd: root, env: { PYTHONPATH: pythonpath } });
    expect(result.stdout.trim(), result.stderr).toBe('200');
  });

  it('lays out long names and texts for ruff line lengths of 79 and 100 as well', async () => {
    const longest = { feature: `${'a'.repeat(15)}_${'b'.repeat(16)}`, description: `${'word '.repeat(40)}and "quotes" it's`, requirements: ['x'.repeat(150), 'short'] };
    for (const lineLength of [79, 100]) {
      const copy = path.join(workspace, `${preset}-${lineLength}`);
      expect((await petsage(['init', copy, '--preset', preset])).exitCode).toBe(0);
      writeFileSync(path.join(copy, 'ruff.toml'), `line-length = ${lineLength}\n`);
      const payloadFile = path.join(workspace, `longest-${lineLength}.json`);
      writeFileSync(payloadFile, JSON.stringify(longest));
      for (const args of [['--builtin', 'smoke_test'], [payloadFile]]) {
        const result = await petsage(['feature', ...args, '--target', copy]);
        expect(result.exitCode, result.stderr).toBe(0);
      }
      for (const args of [['check', '--no-cache', '--extend-select', RUFF_RULES_WITH_LINE_LENGTH, '.'], ['format', '--check', '--no-cache', '.']]) {
        const ruff = await run(venvBin('ruff'), args, { cwd: copy });
        expect(ruff.exitCode, `${lineLength}: ${ruff.stdout}${ruff.stderr}`).toBe(0);
      }
      const record = JSON.parse(readFileSync(path.join(copy, `.petsage/features/${longest.feature}.json`), 'utf8')) as { blueprint: { lineLength?: number } };
      expect(record.blueprint.lineLength).toBe(lineLength);
    }
  });

  it('is detected without config, and changes nothing on a second run', async () => {
    const pyproject = path.join(root, 'pyproject.toml');
    writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace(/\[tool\.petsage\]\npreset = "[^"]+"\n\n/, ''));
    const before = snapshotTree(root);
    const result = await petsage(['feature', '--builtin', 'smoke_test', '--target', root]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`layout "${preset}" detected from ${AGGREGATOR[preset]} and `);
    expect(result.stdout).toContain('Already up to date');
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('a backend laid out its own way', () => {
  it('works with [tool.petsage] naming custom paths, app and router variable', async () => {
    const root = path.join(tempDir(), 'custom');
    cpSync(fixture('backends/custom'), root, { recursive: true });
    for (const args of [['--builtin', 'smoke_test'], [fixture('payloads/valid/pet_profile.json')]]) {
      const result = await petsage(['feature', ...args, '--target', root]);
      expect(result.exitCode, result.stderr).toBe(0);
    }
    const routes = readFileSync(path.join(root, 'service/http/routes.py'), 'utf8');
    expect(routes).toContain('from service.http.endpoints.smoke_test import router as smoke_test_router');
    expect(routes).toContain('http_router.include_router(pet_profile_router, prefix="/pet-profile")');
    await checkBackend(root);
  });
});

describe('a backend that serves its OpenAPI document elsewhere', () => {
  it('passes its own and the generated tests, which ask the app for its schema', async () => {
    const root = path.join(tempDir(), 'moved-openapi');
    expect((await petsage(['init', root])).exitCode).toBe(0);
    // As the best-known FastAPI template does: the document under the API's prefix.
    const main = path.join(root, 'app/main.py');
    writeFileSync(main, readFileSync(main, 'utf8').replace('FastAPI(title="PetSage API")', 'FastAPI(title="PetSage API", openapi_url="/api/v1/openapi.json")'));
    expect(readFileSync(main, 'utf8')).toContain('openapi_url="/api/v1/openapi.json"');
    for (const args of [['--builtin', 'smoke_test'], [fixture('payloads/valid/pet_profile.json')]]) {
      const result = await petsage(['feature', ...args, '--target', root]);
      expect(result.exitCode, result.stderr).toBe(0);
    }
    const served = await run(venvBin('python'), ['-c', 'from fastapi.testclient import TestClient\nfrom app.main import app\nc = TestClient(app)\nprint(c.get("/openapi.json").status_code, c.get("/api/v1/openapi.json").status_code)'], { cwd: root });
    expect(served.stdout.trim(), served.stderr).toBe('404 200');
    await checkBackend(root);
  });
});

describe('template overrides', () => {
  const root = path.join(tempDir(), 'overridden');

  it('eject copies a built-in, and an edited copy changes what is generated', async () => {
    expect((await petsage(['init', root])).exitCode).toBe(0);
    const eject = await petsage(['templates', 'eject', 'router.py', '--target', root]);
    expect(eject.exitCode, eject.stderr).toBe(0);
    const override = path.join(root, '.petsage/templates/router.py.hbs');
    const ejected = readFileSync(override, 'utf8');
    expect(ejected).toContain('\n{{router.line}}\n');
    writeFileSync(override, ejected.replace('{{router.line}}', '# Reviewed by the platform team.\n{{router.line}}'));
    const result = await petsage(['feature', '--builtin', 'smoke_test', '--target', root]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(path.join(root, 'app/api/v1/modules/smoke_test/router.py'), 'utf8')).toContain('# Reviewed by the platform team.\nrouter = APIRouter(');
    await checkBackend(root);
  });

  it('an override can use the built-in helpers and partials', async () => {
    writeFileSync(path.join(root, '.petsage/templates/init.py.hbs'), '{{> feature-docstring}}\n\n{{fromImport modules.router "router"}}\n\n__all__ = ["router"]\nNAME = {{py feature.snake}}\n');
    const result = await petsage(['feature', fixture('payloads/valid/pet_profile.json'), '--target', root]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(path.join(root, 'app/api/v1/modules/pet_profile/__init__.py'), 'utf8')).toBe(
      '"""Store and serve pet profiles."""\n\nfrom app.api.v1.modules.pet_profile.router import router\n\n__all__ = ["router"]\nNAME = "pet_profile"\n',
    );
  });

  it("Markdown from an override goes through prettier", async () => {
    writeFileSync(path.join(root, '.petsage/templates/readme.md.hbs'), '{{feature.title}}\n=====\n\n*   served at `{{url}}`\n');
    const result = await petsage(['feature', '-', '--target', root], { input: Buffer.from('{"feature": "vet_note", "description": "Notes."}') });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(path.join(root, 'app/api/v1/modules/vet_note/README.md'), 'utf8')).toBe('Vet Note\n=====\n\n- served at `/api/v1/vet-note/`\n');
  });

  it('prettier formats only the Markdown an override shapes: not a README when only a Python template is overridden', async () => {
    // An installed copy whose node_modules lacks prettier: a run that wants it says so.
    const copy = tempDir();
    for (const dir of ['bin', 'dist', 'templates', 'fixtures/payloads']) cpSync(path.join(REPO_ROOT, dir), path.join(copy, dir), { recursive: true });
    cpSync(path.join(REPO_ROOT, 'package.json'), path.join(copy, 'package.json'));
    mkdirSync(path.join(copy, 'node_modules'));
    for (const name of readdirSync(path.join(REPO_ROOT, 'node_modules')).filter((name) => name !== 'prettier')) {
      symlinkSync(path.join(REPO_ROOT, 'node_modules', name), path.join(copy, 'node_modules', name));
    }
    const bin = path.join(copy, 'bin', 'petsage-build.cjs');
    const backend = path.join(tempDir(), 'backend');
    expect((await run('node', [bin, 'init', backend])).exitCode).toBe(0);
    const overrides = path.join(backend, '.petsage/templates');
    const feature = (name: string) => run('node', [bin, 'feature', '-', '--target', backend], { input: Buffer.from(JSON.stringify({ feature: name, description: 'Notes.' })) });

    expect((await run('node', [bin, 'templates', 'eject', 'router.py', '--target', backend])).exitCode).toBe(0);
    const pythonOnly = await feature('vet_note');
    expect(pythonOnly.exitCode, pythonOnly.stderr).toBe(0);
    expect(pythonOnly.stderr).not.toContain('prettier');

    mkdirSync(path.join(overrides, 'partials'));
    writeFileSync(path.join(overrides, 'partials/feature-docstring.hbs'), '"""{{feature.description}}"""\n');
    const partial = await feature('vet_visit');
    expect(partial.exitCode, partial.stderr).toBe(0);
    expect(partial.stderr).toContain('prettier could not be loaded');

    rmSync(path.join(overrides, 'partials'), { recursive: true });
    writeFileSync(path.join(overrides, 'readme.md.hbs'), '{{feature.title}}\n=====\n');
    const readme = await feature('vet_bill');
    expect(readme.exitCode, readme.stderr).toBe(0);
    expect(readme.stderr).toContain('prettier could not be loaded');
  });

  it('a broken override is exit 2 naming the file and line, and writes nothing', async () => {
    writeFileSync(path.join(root, '.petsage/templates/schema.py.hbs'), '"""Models."""\n\n{{feature.nickname}}\n');
    const before = snapshotTree(root);
    const payload = Buffer.from('{"feature": "vet_visit", "description": "Visits."}');
    const result = await petsage(['feature', '-', '--target', root], { input: payload });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('.petsage/templates/schema.py.hbs: line 3: "nickname" not defined');
    expect(result.stderr).not.toContain('[object Object]');
    expect(snapshotTree(root)).toEqual(before);
  });
});
