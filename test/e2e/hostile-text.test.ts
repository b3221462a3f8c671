import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/blueprint/presets.js';
import { PetsageError } from '../../src/errors.js';
import { validatePayload } from '../../src/payload/payload.js';
import { planFeature } from '../../src/plan/plan.js';
import { patchAggregator } from '../../src/python/aggregator.js';
import { Renderer } from '../../src/render/renderer.js';
import { RUFF_RULES_WITH_LINE_LENGTH } from '../helpers/backend-checks.js';
import { petsage, run } from '../helpers/cli.js';
import { venvBin } from '../helpers/python-env.mjs';
import { snapshotTree, tempDir } from '../helpers/tmp.js';
import { requirementsOf } from '../helpers/requirements.js';

/** `npm test` runs 1,000 descriptions; `npm run fuzz` sets FUZZ_RUNS=10000. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const CLI_RUNS = 20;

const HOSTILE = [
  '"""', "'''", '\\', 'ends with a backslash\\', '\\N{BULLET}', '\\x41\\u0041', '{{feature}}', '{{{feature}}}', '{{> feature-docstring}}',
  '\nimport os\nos.system("rm -rf /")', '\rimport os', '\r\n', '# -*- coding: latin-1 -*-', '# type: ignore',
  '\u202e', '\u2066', '\u200f', '\u2028', '\u2029', '\u0085', '\ufeff', '\x1b[31m', '\x7f',
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<!-- x -->', '[x](javascript:alert(1))', '<javascript:alert(1)>',
  'https://example.com', '```', '````python', '~~~', '# heading', '> quote', '| a | b |\n|---|---|', '- item', '1. item', '    indented', '***', '&amp;', '&#x3c;',
  "'", '"', '\t', ' ', '  ', 'caf\u00e9', '\u{1f600}', '\u0000', '\ud800',
];
const description = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 12 })), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(''));

const FEATURE = 'hostile_case';
// As in a backend made by init, whose conftest provides the `client` fixture.
const blueprint = { ...PRESETS.modules!, clientFixture: true };
const renderer = new Renderer('fastapi');
const aggregator = readFileSync(new URL('../../templates/project/app-api-v1/app/api/v1/api.py.hbs', import.meta.url), 'utf8');

/** Everything a run would write for `text`, or undefined when validation refuses it (exit 2). */
function generate(text: string): Map<string, string> | undefined {
  let feature;
  try {
    feature = validatePayload({ feature: FEATURE, description: text, requirements: [text, 'none'] }, 'fuzz');
  } catch (error) {
    if (error instanceof PetsageError && error.exitCode === 2) return undefined;
    throw error;
  }
  const plan = planFeature(feature, blueprint);
  const files = new Map(plan.files.map((file) => [file.path, renderer.render(file.template, plan.context)]));
  files.set(blueprint.aggregator, patchAggregator(aggregator, plan.aggregator).text);
  return files;
}


const tagsOf = (html: string) => new Set([...html.matchAll(/<([a-z][a-z0-9]*)/g)].map((match) => match[1]!));
const markdown = new MarkdownIt({ html: true, linkify: true });
const README = `app/api/v1/modules/${FEATURE}/README.md`;

describe(`hostile descriptions (${RUNS} cases)`, () => {
  const workspace = tempDir();
  const samples = fc.sample(description, { numRuns: RUNS, seed: 20261122 });
  const accepted: { dir: string; text: string }[] = [];
  let rejected = 0;

  beforeAll(() => {
    const write = (dir: string, files: Map<string, string>) => {
      for (const [file, content] of files) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), content);
      }
    };
    write(path.join(workspace, 'benign'), generate('A benign feature.')!);
    samples.forEach((text, i) => {
      const files = generate(text);
      if (!files) {
        rejected += 1;
        return;
      }
      const dir = path.join(workspace, `case-${i}`);
      write(dir, files);
      accepted.push({ dir, text });
    });
  });

  it('each case is either refused (exit 2) or generated, and both happen', () => {
    expect(rejected + accepted.length).toBe(RUNS);
    expect(rejected).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThan(RUNS / 2);
  });

  it('every README renders with no HTML, link, heading, quote or table beyond the template\'s own', () => {
    const allowed = tagsOf(markdown.render(readFileSync(path.join(workspace, 'benign', README), 'utf8')));
    allowed.add('br');
    for (const { dir, text } of accepted) {
      const html = markdown.render(readFileSync(path.join(dir, README), 'utf8'));
      const extra = [...tagsOf(html)].filter((tag) => !allowed.has(tag));
      expect(extra, JSON.stringify(text)).toEqual([]);
      expect(html.match(/<h[1-6]>/g)?.length, JSON.stringify(text)).toBe(4);
    }
  });

  it('every README is already in prettier\'s form, so prettier need not run on built-in output', async () => {
    const prettier = await import('prettier');
    const readmes = [path.join(workspace, 'benign'), ...accepted.map(({ dir }) => dir)].map((dir) => readFileSync(path.join(dir, README), 'utf8'));
    for (const readme of readmes) expect(await prettier.format(readme, { parser: 'markdown' })).toBe(readme);
  });

  it('Python agrees: ASCII-only files that parse, literals equal to the input, the shape of a benign payload', async () => {
    const check = String.raw`
import ast, json, pathlib, sys

FEATURE = "hostile_case"
FILES = ["app/api/v1/modules/hostile_case/" + name for name in ("__init__.py", "schemas.py", "services.py", "router.py")]
FILES += ["tests/api/v1/test_hostile_case.py", "app/api/v1/api.py"]

class Blank(ast.NodeTransformer):
    def visit_Constant(self, node):
        return ast.Constant(value="") if isinstance(node.value, str) else node

def shape(tree):
    return ast.dump(Blank().visit(tree))

def constants(tree):
    return {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant) for t in n.targets}

benign_root = pathlib.Path(sys.argv[1])
benign = {name: shape(ast.parse((benign_root / name).read_text())) for name in FILES}
failures = []
for case in json.load(sys.stdin):
    root, text = pathlib.Path(case["dir"]), case["text"]
    try:
        trees = {}
        for name in FILES:
            source = (root / name).read_bytes().decode("ascii")
            trees[name] = ast.parse(source, feature_version=(3, 10))
            # shape() blanks strings in place, so it gets a tree of its own.
            assert shape(ast.parse(source)) == benign[name], f"{name}: AST shape differs"
        package, services, tests = trees[FILES[0]], trees[FILES[2]], trees[FILES[4]]
        # A docstring is wrapped at single spaces to fit the line: it reads the same.
        assert ast.get_docstring(package, clean=False).replace("\n", " ") == text.replace("\n", " "), "package docstring"
        assert constants(services)["FEATURE_DESCRIPTION"] == text, "FEATURE_DESCRIPTION"
        assert constants(trees[FILES[1]])["EXAMPLE_MESSAGE"] == text, "EXAMPLE_MESSAGE"
        assert constants(tests)["EXPECTED_MESSAGE"] == text, "EXPECTED_MESSAGE"
        assert constants(trees[FILES[3]])["ENDPOINT_DESCRIPTION"].startswith(text), "ENDPOINT_DESCRIPTION"
        requirements = [n.value for n in tests.body if isinstance(n, ast.Assign) and n.targets[0].id == "REQUIREMENTS"][0]
        assert ast.literal_eval(requirements) == case["requirements"], "REQUIREMENTS"
    except Exception as error:
        failures.append(f"{case['dir']}: {json.dumps(text)}: {error!r}")
print("\n".join(failures[:20]) or "ok")
`;
    const cases = accepted.map(({ dir, text }) => ({ dir, text, requirements: requirementsOf([text, 'none']) }));
    const result = await run(venvBin('python'), ['-c', check, path.join(workspace, 'benign')], { input: Buffer.from(JSON.stringify(cases)) });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('ok');
  });

  /** A fresh init backend at `lineLength` holding `payloads` as features, generated in one batch by the binary. */
  async function backendWith(name: string, payloads: readonly object[], lineLength: number): Promise<string> {
    const root = path.join(workspace, name);
    expect((await petsage(['init', root])).exitCode).toBe(0);
    writeFileSync(path.join(root, 'pyproject.toml'), `${readFileSync(path.join(root, 'pyproject.toml'), 'utf8')}\n[tool.ruff]\nline-length = ${lineLength}\n`);
    const batch = path.join(workspace, `${name}.json`);
    writeFileSync(batch, JSON.stringify(payloads));
    const generated = await petsage(['feature', batch, '--target', root, '--quiet']);
    expect(generated.exitCode, generated.stderr).toBe(0);
    return root;
  }

  const payloads = () => accepted.map(({ text }, i) => ({ feature: `hostile_${i}`, description: text, requirements: [text, 'none'] }));

  it('as features of real backends: ruff format at line lengths 79, 88 and 100, ruff check with FAST and E501, and mypy --strict', async () => {
    for (const lineLength of [79, 88, 100]) {
      const root = await backendWith(`backend-${lineLength}`, payloads(), lineLength);
      for (const args of [['format', '--diff', '--no-cache', '.'], ['check', '--no-cache', '--extend-select', RUFF_RULES_WITH_LINE_LENGTH, '.']]) {
        const ruff = await run(venvBin('ruff'), args, { cwd: root });
        expect(ruff.exitCode, `${lineLength}: ${ruff.stdout.slice(0, 3000)}`).toBe(0);
      }
      if (lineLength !== 88) continue;
      const mypy = await run(venvBin('mypy'), ['--python-version', '3.10', '--no-incremental'], { cwd: root });
      expect(mypy.exitCode, mypy.stdout.slice(0, 3000)).toBe(0);
    }
  }, 900_000);

  it('their own tests pass, and each requirement is an open item pytest reports as skipped', async () => {
    // FastAPI nests one lifespan per included router, so an app of some 300 features exceeds
    // Python's recursion limit on start-up: the features are tested 150 to a backend.
    const all = payloads();
    for (let start = 0; start < all.length; start += 150) {
      const chunk = all.slice(start, start + 150);
      const root = await backendWith(`tested-${start}`, chunk, 88);
      const pytest = await run(venvBin('python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-x'], { cwd: root });
      expect(pytest.exitCode, pytest.stdout.slice(-3000)).toBe(0);
      // The counts come from the generated files, not from the templates.
      const count = (file: string, pattern: RegExp) => readFileSync(path.join(root, file), 'utf8').match(pattern)?.length ?? 0;
      const testFile = `tests/api/v1/test_hostile_${start}.py`;
      const perFeature = count(testFile, /^def test_/gm) - count(testFile, /^@pytest\.mark\.parametrize/gm);
      const passed = chunk.length * perFeature + count('tests/test_app.py', /^def test_/gm);
      const skipped = chunk.reduce((sum, { description }) => sum + requirementsOf([description, 'none']).length, 0);
      expect(pytest.stdout).toMatch(new RegExp(`\\b${passed} passed(, ${skipped} skipped)?\\b`));
      if (skipped > 0) expect(pytest.stdout).toContain(`${skipped} skipped`);
    }
  }, 900_000);

  it(`through the binary (${CLI_RUNS} cases): refusals leave the target untouched, the rest write what the stages render`, async () => {
    const base = path.join(workspace, 'cli-base');
    expect((await petsage(['init', base])).exitCode).toBe(0);
    for (const [i, text] of samples.slice(0, CLI_RUNS).entries()) {
      const root = path.join(workspace, `cli-${i}`);
      cpSync(base, root, { recursive: true });
      const before = snapshotTree(root);
      const payload = Buffer.from(JSON.stringify({ feature: FEATURE, description: text, requirements: [text, 'none'] }));
      const result = await petsage(['feature', '-', '--target', root], { input: payload });
      const expected = generate(text);
      if (!expected) {
        expect(result.exitCode, JSON.stringify(text)).toBe(2);
        expect(snapshotTree(root)).toEqual(before);
        continue;
      }
      expect(result.exitCode, result.stderr).toBe(0);
      for (const [file, content] of expected) expect(readFileSync(path.join(root, file), 'utf8')).toBe(content);
      const record = `.petsage/features/${FEATURE}.json`;
      const outside = Object.keys(snapshotTree(root)).filter((file) => !(file in before) && !file.endsWith('/') && !expected.has(file) && file !== record);
      expect(outside).toEqual([]);
    }
  });
});
