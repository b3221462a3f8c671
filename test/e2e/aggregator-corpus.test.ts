import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAggregatorCases, type AggregatorCase } from '../helpers/aggregator-cases.js';
import { petsage, run } from '../helpers/cli.js';
import { venvBin } from '../helpers/python-env.mjs';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

/** `[tool.petsage]` as TOML: the corpus configs hold strings and one `paths` table. */
function pyproject(config: Record<string, unknown>): string {
  const scalars = Object.entries(config).filter(([, value]) => typeof value === 'string');
  const lines = ['[tool.petsage]', ...scalars.map(([key, value]) => `${key} = ${JSON.stringify(value)}`)];
  if (config.paths) {
    lines.push('', '[tool.petsage.paths]', ...Object.entries(config.paths).map(([key, value]) => `${key} = ${JSON.stringify(value)}`));
  }
  return `${lines.join('\n')}\n`;
}

function backendFor(corpusCase: AggregatorCase, workspace: string): { root: string; aggregator: string } {
  const root = path.join(workspace, corpusCase.name);
  const aggregator = path.join(root, corpusCase.blueprint.aggregator);
  mkdirSync(path.dirname(aggregator), { recursive: true });
  writeFileSync(path.join(root, 'pyproject.toml'), pyproject(corpusCase.config));
  writeFileSync(aggregator, corpusCase.input);
  return { root, aggregator };
}

const payload = (feature: string) => Buffer.from(JSON.stringify({ feature, description: 'A feature.' }));
const cases = loadAggregatorCases();
const workspace = tempDir();
const results: { name: string; result: string; router: string; feature: string }[] = [];

describe('the CLI on every aggregator of the corpus', () => {
  it.each(cases.map((corpusCase) => [corpusCase.name, corpusCase] as const))('%s', async (_, corpusCase) => {
    const { root, aggregator } = backendFor(corpusCase, workspace);
    const before = snapshotTree(root);
    const first = await petsage(['feature', '-', '--target', root], { input: payload(corpusCase.feature) });
    if (corpusCase.error !== undefined) {
      expect(first.exitCode, first.stderr).toBe(3);
      expect(first.stderr).toContain(corpusCase.error);
      expect(snapshotTree(root)).toEqual(before);
      return;
    }
    expect(first.exitCode, first.stderr).toBe(0);
    expect(readFileSync(aggregator, 'utf8')).toBe(corpusCase.expected);

    const after = snapshotTree(root);
    const second = await petsage(['feature', '-', '--target', root], { input: payload(corpusCase.feature) });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toContain('Already up to date');
    expect(snapshotTree(root)).toEqual(after);

    // A detected router is checked by expected.py; a configured one is checked again below.
    const router = corpusCase.blueprint.router ?? '';
    if (corpusCase.expected !== corpusCase.input) results.push({ name: corpusCase.name, result: aggregator, router, feature: corpusCase.feature });
  });

  it('Python agrees: each new include is a top-level call on the right router, after its last include', async () => {
    const check = String.raw`
import ast, json, sys

def calls_on(tree, router):
    for index, node in enumerate(tree.body):
        call = node.value if isinstance(node, ast.Expr) else None
        if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr == "include_router" and isinstance(call.func.value, ast.Name)):
            yield index, call.func.value.id, ast.unparse(call.args[0]) if call.args else ""

failures = []
for case in json.loads(sys.stdin.read()):
    source = open(case["result"], encoding="utf-8-sig").read()
    tree = ast.parse(source)
    includes = list(calls_on(tree, case["router"]))
    new = [(i, owner) for i, owner, target in includes if case["feature"] in target]
    if len(new) != 1:
        failures.append(f'{case["name"]}: expected one new include, found {len(new)}')
        continue
    index, owner = new[0]
    if case["router"] and owner != case["router"]:
        failures.append(f'{case["name"]}: included into {owner}, not {case["router"]}')
    composed = [i for i, _, target in includes if target == owner]
    siblings = [i for i, o, target in includes if o == owner and i != index and (not composed or i < composed[0])]
    if siblings and index < max(siblings):
        failures.append(f'{case["name"]}: new include at statement {index}, before the last sibling at {max(siblings)}')
    if composed and index > composed[0]:
        failures.append(f'{case["name"]}: new include after the router is composed')
print("\n".join(failures) or "ok")
`;
    const result = await run(venvBin('python'), ['-c', check], { input: Buffer.from(JSON.stringify(results)) });
    expect(results.length).toBe(cases.filter((corpusCase) => corpusCase.error === undefined && corpusCase.expected !== corpusCase.input).length);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('ok');
  });
});
