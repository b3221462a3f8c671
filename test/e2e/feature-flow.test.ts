import { readFileSync, writeFileSync, mkdirSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import MarkdownIt from 'markdown-it';
import { beforeAll, describe, expect, it } from 'vitest';
import { RUFF_RULES_WITH_LINE_LENGTH } from '../helpers/backend-checks.js';
import { petsage, run } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { onlyPassed, testFunctions } from '../helpers/pytest.js';
import { venvBin } from '../helpers/python-env.mjs';
import { snapshotTree, tempDir } from '../helpers/tmp.js';
import { requirementsOf } from '../helpers/requirements.js';

const python = (args: readonly string[], cwd: string) => run(venvBin('python'), args, { cwd });
const payload = (name: string) => fixture(`payloads/valid/${name}`);
const hostile = JSON.parse(readFileSync(payload('hostile_text.json'), 'utf8'));
/** The payloads this file generates, in order. */
const payloads = [fixture('payloads/smoke_test.json'), payload('pet_profile.json'), payload('hostile_text.json')].map((file) => JSON.parse(readFileSync(file, 'utf8')) as { requirements?: string | string[] });


describe('init, then generate features into the backend', () => {
  const workspace = tempDir();
  const backend = path.join(workspace, 'demo-backend');
  /** The features this block generates, in order. */
  const features = ['smoke_test', JSON.parse(readFileSync(payload('pet_profile.json'), 'utf8')).feature, hostile.feature];
  let initTests = 0;

  beforeAll(async () => {
    const init = await petsage(['init', 'demo-backend'], { cwd: workspace });
    expect(init.exitCode, init.stderr).toBe(0);
    initTests = testFunctions(backend);
  });

  it('init writes a backend whose own tests pass straight away', async () => {
    const result = await python(['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], backend);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(initTests).toBeGreaterThan(0);
    expect(result.stdout).toMatch(onlyPassed(initTests));
  });

  it('generates the built-in feature and reports each file and the endpoint', async () => {
    const result = await petsage(['feature', '--builtin', 'smoke_test', '--target', 'demo-backend'], { cwd: workspace });
    expect(result.exitCode, result.stderr).toBe(0);
    for (const file of ['__init__.py  created', 'schemas.py  created', 'services.py  created', 'router.py  created', 'README.md  created', 'api.py  updated', 'test_smoke_test.py  created']) {
      expect(result.stdout).toContain(file);
    }
    expect(result.stdout).toContain('GET /api/v1/smoke-test/');
  });

  it('reads the same payload as base64 and as a message envelope, and finds nothing to change', async () => {
    const before = snapshotTree(backend);
    for (const file of ['smoke_test.b64', 'smoke_test.envelope.json']) {
      const result = await petsage(['feature', payload(file)], { cwd: backend });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toContain('Already up to date: nothing changed.');
      expect(result.stdout).not.toMatch(/created|updated/);
    }
    expect(snapshotTree(backend)).toEqual(before);
  });

  it('generates a second feature from a file and a hostile one from stdin', async () => {
    const fromFile = await petsage(['feature', payload('pet_profile.json'), '--target', backend]);
    expect(fromFile.exitCode, fromFile.stderr).toBe(0);
    const fromStdin = await petsage(['feature', '-', '--target', backend], { input: readFileSync(payload('hostile_text.json')) });
    expect(fromStdin.exitCode, fromStdin.stderr).toBe(0);
    const api = readFileSync(path.join(backend, 'app/api/v1/api.py'), 'utf8');
    // Each feature generated so far is included once, and nothing else is.
    for (const feature of features) expect(api.split(`include_router(${feature}_router,`)).toHaveLength(2);
    expect(api.match(/include_router\(/g)).toHaveLength(features.length);
  });

  it('the generated tests pass under real FastAPI and pytest', async () => {
    const result = await python(['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-W', 'error'], backend);
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    // init's own tests plus every generated one pass, but one test per requirement (a function
    // for each feature that has any), which is skipped as an open item; none left uncollected.
    const requirements = payloads.map((payload) => requirementsOf(payload.requirements));
    const withRequirements = requirements.filter((list) => list.length > 0).length;
    const generated = testFunctions(backend) - initTests - withRequirements;
    expect(generated).toBeGreaterThan(0);
    expect(generated % features.length, 'every feature brings the same tests').toBe(0);
    const skipped = requirements.flat().length;
    expect(skipped).toBeGreaterThan(0);
    expect(result.stdout).toMatch(new RegExp(`^${testFunctions(backend) - withRequirements} passed, ${skipped} skipped in `, 'm'));
  });

  it('the generated code passes ruff check, ruff format --check and mypy --strict', async () => {
    const mypyCache = path.join(workspace, '.mypy-cache');
    for (const [tool, args] of [
      ['ruff', ['check', '--no-cache', '--extend-select', RUFF_RULES_WITH_LINE_LENGTH, '.']],
      ['ruff', ['format', '--check', '--no-cache', '.']],
      // The oldest Python the generated code targets.
      ['mypy', ['--strict', '--python-version', '3.10', '--cache-dir', mypyCache, 'app', 'tests']],
    ] as const) {
      const result = await run(venvBin(tool), args, { cwd: backend });
      expect(result.exitCode, `${tool} ${args.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
    }
  });

  it('keeps hostile text as exact data: ASCII-only Python whose literals equal the input', async () => {
    const check = `
import ast, json, pathlib, sys
description = json.loads(sys.argv[1])
root = pathlib.Path("app/api/v1/modules/hostile_text")
for path in [*pathlib.Path("app").rglob("*.py"), *pathlib.Path("tests").rglob("*.py")]:
    # ASCII-only, and valid for the oldest Python the generated code targets.
    ast.parse(path.read_bytes().decode("ascii"), feature_version=(3, 10))
init = ast.parse((root / "__init__.py").read_text())
services = ast.parse((root / "services.py").read_text())
# Wrapped at single spaces to fit the line, it reads the same.
assert ast.get_docstring(init, clean=False).replace("\\n", " ") == description.replace("\\n", " "), "package docstring"
constants = {
    target.id: node.value.value
    for node in services.body
    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
    for target in node.targets
}
assert constants["FEATURE_DESCRIPTION"] == description, "FEATURE_DESCRIPTION"
print("ok")
`;
    const result = await python(['-c', check, JSON.stringify(hostile.description)], backend);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('ok');
    // Rendered as GitHub would (raw HTML allowed), the text adds no HTML, link, heading, quote or table.
    const readme = readFileSync(path.join(backend, 'app/api/v1/modules/hostile_text/README.md'), 'utf8');
    const html = new MarkdownIt({ html: true, linkify: true }).render(readme);
    expect(html).not.toMatch(/<script|<a |<blockquote|<table/i);
    expect([...html.matchAll(/<h\d>([^<]*)<\/h\d>/g)].map((match) => match[1])).toEqual(['Hostile Text', 'Endpoint', 'Requirements', 'Files']);
  });

  it('serves the endpoint under uvicorn', async () => {
    const port = 18000 + Math.floor(Math.random() * 1000);
    const server = execa(venvBin('python'), ['-m', 'uvicorn', 'app.main:app', '--port', String(port), '--host', '127.0.0.1'], { cwd: backend, reject: false });
    try {
      let body: { status?: string; feature?: string } | undefined;
      for (let attempt = 0; attempt < 100 && body === undefined; attempt += 1) {
        try {
          body = (await (await fetch(`http://127.0.0.1:${port}/api/v1/smoke-test/`)).json()) as typeof body;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      expect(body).toMatchObject({ status: 'ok', feature: 'smoke_test', message: 'Ensure builder functional' });
    } finally {
      server.kill();
      await server;
    }
  });

  it('running the same payload again changes no byte', async () => {
    const before = snapshotTree(backend);
    const result = await petsage(['feature', payload('pet_profile.json'), '--target', backend]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Already up to date');
    expect(snapshotTree(backend)).toEqual(before);
  });

  it('an invalid payload exits 2, lists every problem and writes nothing', async () => {
    const before = snapshotTree(backend);
    const result = await petsage(['feature', fixture('payloads/invalid/every_problem.json'), '--target', backend]);
    expect(result.exitCode).toBe(2);
    // Every problem the decoder's own fixture lists for this payload, each on its own line.
    const [, ...problems] = JSON.parse(readFileSync(fixture('expected/invalid-payloads.json'), 'utf8'))['every_problem.json'] as string[];
    expect(result.stderr.split('\n').filter((line) => /^ {2}\w+: /.test(line))).toEqual(problems.map((problem) => `  ${problem}`));
    expect(snapshotTree(backend)).toEqual(before);
  });

  it('a generated file edited by hand is kept by the same payload, a conflict (exit 3) for a payload that changes it, until --force', async () => {
    const service = path.join(backend, 'app/api/v1/modules/pet_profile/services.py');
    appendFileSync(service, '# local edit\n');
    const before = snapshotTree(backend);
    // Its render has not changed: the re-run CI makes has nothing to bring into it.
    const again = await petsage(['feature', payload('pet_profile.json'), '--target', backend]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('services.py  unchanged (edited by hand, kept)');
    expect(snapshotTree(backend)).toEqual(before);

    const changed = path.join(tempDir(), 'pet_profile.json');
    writeFileSync(changed, JSON.stringify({ ...JSON.parse(readFileSync(payload('pet_profile.json'), 'utf8')), description: 'Changed since.' }));
    const refused = await petsage(['feature', changed, '--target', backend]);
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toContain('app/api/v1/modules/pet_profile/services.py: edited since petsage-build generated it');
    // The command that merges this payload into this target, as typed: a bare `update` would merge the recorded payload.
    expect(refused.stderr).toContain(`Run \`petsage-build update ${changed} --target ${backend}\` to merge your edits into the new render, or pass --force to overwrite your edits.`);
    expect(snapshotTree(backend)).toEqual(before);

    const forced = await petsage(['feature', payload('pet_profile.json'), '--target', backend, '--force']);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('services.py  updated');
    expect(readFileSync(service, 'utf8')).not.toContain('# local edit');
  });
});

describe('refusals that leave the disk alone', () => {
  it('init refuses a non-empty directory with exit 3, and --force writes into it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const refused = await petsage(['init', dir]);
    expect(refused.exitCode).toBe(3);
    expect(snapshotTree(dir)).toEqual({ 'notes.txt': Buffer.from('mine').toString('base64') });
    const forced = await petsage(['init', dir, '--force']);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(path.join(dir, 'app/api/v1/api.py'), 'utf8')).toContain('api_v1_router = APIRouter()');
  });

  it('a backend whose config names a missing aggregator exits 3 and gains no file', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.petsage]\npreset = "modules"\n');
    const before = snapshotTree(dir);
    const result = await petsage(['feature', '--builtin', 'smoke_test', '--target', dir]);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('app/api/v1/api.py: the aggregator does not exist');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('a backend with no config and no known layout exits 2, showing the config to add', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'app'));
    writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "shop"\n');
    const before = snapshotTree(dir);
    const result = await petsage(['feature', '--builtin', 'smoke_test', '--target', dir]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('  [tool.petsage]\n    preset = "modules"');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('a folder with no pyproject.toml and no known layout is not a backend: exit 2, pointing at --target', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'app'));
    const result = await petsage(['feature', '--builtin', 'smoke_test', '--target', dir]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`error --target: ${dir} is not a backend: it has no pyproject.toml and no layout petsage-build knows.`);
    expect(result.stderr).toContain("Point --target at the backend's own folder");
    expect(snapshotTree(dir)).toEqual({ 'app/': '' });
  });

  it('a missing target or payload file is a usage error (exit 2)', async () => {
    expect((await petsage(['feature', '--builtin', 'smoke_test', '--target', '/nonexistent/petsage'])).exitCode).toBe(2);
    expect((await petsage(['feature', 'no-such-payload.json'])).exitCode).toBe(2);
    expect((await petsage(['feature', '--builtin', 'no_such_builtin'])).exitCode).toBe(2);
  });
});
