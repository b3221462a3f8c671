import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAggregatorCases, type AggregatorCase } from '../helpers/aggregator-cases.js';
import { brokenRules, type Judged } from '../helpers/aggregator-oracle.js';
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
const patching = cases.filter((corpusCase) => corpusCase.error === undefined);
const workspace = tempDir();
/** What the CLI wrote into each case's aggregator, for the checks after the runs. */
const written = new Map<string, string>();
const judged = (corpusCase: AggregatorCase, patched: string): Judged => ({ name: corpusCase.name, original: corpusCase.input, patched, ...corpusCase.registers! });

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
    written.set(corpusCase.name, readFileSync(aggregator, 'utf8'));
    expect(written.get(corpusCase.name)).toBe(corpusCase.expected);

    const after = snapshotTree(root);
    const second = await petsage(['feature', '-', '--target', root], { input: payload(corpusCase.feature) });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toContain('Already up to date');
    expect(snapshotTree(root)).toEqual(after);
  });
});

// expected.py is written by hand; Python's own parser checks it, and what the CLI wrote, against
// the README's rules, so that neither the golden files nor the patcher is its own judge.
describe("Python's ast agrees with every patch", () => {
  it('every hand-written expected.py keeps the rules', async () => {
    expect(await brokenRules(patching.map((corpusCase) => judged(corpusCase, corpusCase.expected!)))).toEqual([]);
  });

  it('every file the CLI wrote keeps them too', async () => {
    expect([...written.keys()]).toEqual(patching.map((corpusCase) => corpusCase.name));
    expect(await brokenRules(patching.map((corpusCase) => judged(corpusCase, written.get(corpusCase.name)!)))).toEqual([]);
  });

  it('ruff finds nothing in a patched file (import order, format) that it did not find in the original', async () => {
    const firstParty = [...new Set(patching.map((corpusCase) => corpusCase.registers!.module.split('.')[0]))];
    const isort = ['check', '--isolated', '--no-cache', '--select', 'I', '--config', `lint.isort.known-first-party=${JSON.stringify(firstParty)}`, '--output-format', 'json'];
    const findings = async (dir: string) => {
      const sorted = await run(venvBin('ruff'), [...isort, dir]);
      const format = await run(venvBin('ruff'), ['format', '--isolated', '--no-cache', '--check', dir]);
      const unsorted = (JSON.parse(sorted.stdout) as { filename: string }[]).map((finding) => `isort ${path.basename(finding.filename)}`);
      const unformatted = [...format.stdout.matchAll(/^Would reformat: (.*)$/gm)].map((match) => `format ${path.basename(match[1]!)}`);
      return new Set([...unsorted, ...unformatted]);
    };
    for (const [dir, text] of [['ruff-in', (c: AggregatorCase) => c.input], ['ruff-out', (c: AggregatorCase) => written.get(c.name)!]] as const) {
      mkdirSync(path.join(workspace, dir));
      for (const corpusCase of patching) writeFileSync(path.join(workspace, dir, `${corpusCase.name}.py`), text(corpusCase));
    }
    const before = await findings(path.join(workspace, 'ruff-in'));
    const after = await findings(path.join(workspace, 'ruff-out'));
    expect([...after].filter((finding) => !before.has(finding))).toEqual([]);
    // The comparison means something only if ruff judged some files clean and some not.
    expect(before.size).toBeGreaterThan(0);
    expect(before.size).toBeLessThan(2 * patching.length);
  });
});
