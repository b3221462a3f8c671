import { appendFileSync, cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { petsage, run } from '../helpers/cli.js';
import { fixture, REPO_ROOT } from '../helpers/paths.js';
import { postgresDatabase } from '../helpers/postgres-database.js';
import { venvBin } from '../helpers/python-env.mjs';
import { checkBackend, RUFF_RULES } from '../helpers/backend-checks.js';
import { clean, MUTATIONS } from '../helpers/resource-arbitraries.js';
import { batches, caseArbitrary, involved, payloadOf, type Payload } from '../helpers/resource-batches.js';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

/**
 * Random valid resource blocks (test/helpers/resource-arbitraries.ts, the payload-level
 * property's arbitraries), with refs to resources earlier in the same batch and hostile free
 * text, generated as features into real `init` backends, a chunk of them per backend in one
 * batch: a second run changes nothing, `check` finds no drift, and each backend passes ruff,
 * mypy, its own tests and its migrations. Random invalid blocks (one mutation each) are refused
 * through the binary, writing nothing.
 *
 * `npm test` runs a sample of 10 resources in one backend (on SQLite and PostgreSQL); `npm run
 * fuzz` sets FUZZ_RUNS=10000, which makes FUZZ_RUNS/50 resources in chunks of 25 (the first on
 * PostgreSQL too), each chunk in the next preset and at the next ruff line length (88, 79, 100,
 * 120), from a random seed. FUZZ_SEED replays a run;
 * a failure names its seed, shows the payloads involved and saves the chunk's batch under
 * test-results/resource-property/.
 */
const FUZZ_RUNS = process.env.FUZZ_RUNS === undefined ? undefined : Number(process.env.FUZZ_RUNS);
const RESOURCES = FUZZ_RUNS === undefined ? 10 : Math.max(10, Math.ceil(FUZZ_RUNS / 50));
const CHUNK = FUZZ_RUNS === undefined ? 10 : 25;
const SEED = Number(process.env.FUZZ_SEED ?? (FUZZ_RUNS === undefined ? 20260311 : Date.now() % 2 ** 31));
/** Invalid blocks: every mutation at least once, more under FUZZ_RUNS. */
const MUTATION_NAMES = Object.keys(MUTATIONS);
const INVALID = Math.max(MUTATION_NAMES.length, FUZZ_RUNS === undefined ? 0 : RESOURCES);
const SAVED = path.join(REPO_ROOT, 'test-results', 'resource-property');
/** The layout of each chunk's backend: init's default for the sample, each preset in turn under FUZZ_RUNS. */
const PRESETS = FUZZ_RUNS === undefined ? ['modules'] : ['modules', 'layered', 'features', 'endpoints', 'src-features'];
/** The ruff line length of each chunk's backend: init's (88) for the sample, then 79, 100 and 120 in turn under FUZZ_RUNS. */
const LINE_LENGTHS = FUZZ_RUNS === undefined ? [88] : [88, 79, 100, 120];

describe(`generated resources pass their checks (${RESOURCES} random resources in batches of ${CHUNK}, seed ${SEED})`, () => {
  const workspace = tempDir();
  /** A fresh init backend in each preset, copied for each chunk. */
  const backendIn = async (preset: string) => {
    const made = path.join(workspace, `pristine-${preset}`);
    if (!existsSync(made)) {
      const init = await petsage(['init', made, '--preset', preset]);
      expect(init.exitCode, init.stderr).toBe(0);
    }
    return made;
  };
  const samples = fc.sample(caseArbitrary, { numRuns: RESOURCES, seed: SEED });
  const chunks = batches(samples, CHUNK);

  /** Fails with the tool's output, the payloads it involves, and where the whole batch is saved for a replay. */
  function failure(label: string, batchName: string, payloads: readonly Payload[], output: string, preset = 'modules', lineLength = 88): string {
    mkdirSync(SAVED, { recursive: true });
    const saved = path.join(SAVED, `seed-${SEED}-${batchName}.json`);
    writeFileSync(saved, `${JSON.stringify(payloads, null, 2)}\n`);
    const shown = output.length > 6000 ? `...${output.slice(-6000)}` : output;
    return [
      `${label} failed (seed ${SEED}, ${batchName}):`,
      shown,
      `The payloads involved:`,
      JSON.stringify(involved(payloads, output), null, 2),
      `The batch is saved as ${path.relative(REPO_ROOT, saved)}; replay it with: petsage-build init b --preset ${preset}${lineLength === 88 ? '' : `, then [tool.ruff] line-length = ${lineLength} added to b/pyproject.toml,`} && petsage-build feature ${path.relative(REPO_ROOT, saved)} --target b`,
    ].join('\n');
  }

  chunks.forEach((payloads, chunk) => it(`chunk ${chunk} (${PRESETS[chunk % PRESETS.length]!}, line length ${LINE_LENGTHS[chunk % LINE_LENGTHS.length]!}): ${payloads.length} resources generate, the same again and with no drift, into a backend that passes ruff, mypy, pytest and alembic`, async () => {
    const root = path.join(workspace, `chunk-${chunk}`);
    const preset = PRESETS[chunk % PRESETS.length]!;
    cpSync(await backendIn(preset), root, { recursive: true });
    const lineLength = LINE_LENGTHS[chunk % LINE_LENGTHS.length]!;
    if (lineLength !== 88) appendFileSync(path.join(root, 'pyproject.toml'), `\n[tool.ruff]\nline-length = ${lineLength}\n`);
    const batch = path.join(workspace, `chunk-${chunk}.json`);
    writeFileSync(batch, JSON.stringify(payloads));
    const generated = await petsage(['feature', batch, '--target', root, '--quiet']);
    if (generated.exitCode !== 0) expect.fail(failure(`feature (exit ${generated.exitCode})`, `chunk-${chunk}`, payloads, generated.stderr, preset, lineLength));
    // Deterministic: the same batch again changes no byte, and `check` finds no drift.
    const before = snapshotTree(root);
    const again = await petsage(['feature', batch, '--target', root, '--quiet']);
    if (again.exitCode !== 0 || JSON.stringify(snapshotTree(root)) !== JSON.stringify(before)) expect.fail(failure('feature, run again,', `chunk-${chunk}`, payloads, `exit ${again.exitCode}\n${again.stderr}`, preset, lineLength));
    const check = await petsage(['check', '--target', root]);
    if (check.exitCode !== 0) expect.fail(failure('check', `chunk-${chunk}`, payloads, `${check.stdout}\n${check.stderr}`, preset, lineLength));

    const ok = async (tool: string, args: string[], env: Record<string, string> = {}) => {
      const result = await run(venvBin(tool), args, { cwd: root, env });
      if (result.exitCode !== 0) expect.fail(failure(`${tool} ${args.join(' ')}${/^postgres/.test(env.DATABASE_URL ?? env.TEST_DATABASE_URL ?? '') ? ' on PostgreSQL' : ''}`, `chunk-${chunk}`, payloads, `${result.stdout}\n${result.stderr}`, preset, lineLength));
    };
    const migrations = async (url: string) => {
      await ok('alembic', ['upgrade', 'head'], { DATABASE_URL: url });
      await ok('alembic', ['check'], { DATABASE_URL: url });
    };
    const pytest = ['-m', 'pytest', '-q', '-W', 'error', '-p', 'no:cacheprovider', '--maxfail=10'];
    await ok('ruff', ['format', '--check', '.']);
    await ok('ruff', ['check', '--extend-select', RUFF_RULES, '.']);
    await ok('mypy', []);
    await ok('python', pytest);
    await migrations(`sqlite:///${path.join(root, 'check.sqlite3')}`);
    // PostgreSQL for the first chunk of every run: its tests and its migrations.
    if (chunk === 0) {
      await ok('python', pytest, { TEST_DATABASE_URL: await postgresDatabase() });
      await migrations(await postgresDatabase());
    }
  }, 900_000));

  it(`${INVALID} invalid blocks (a valid one mutated once each) are refused with exit 2, writing nothing`, async () => {
    const target = path.join(workspace, 'invalid-target');
    cpSync(await backendIn('modules'), target, { recursive: true });
    const before = snapshotTree(target);
    const mutated = fc.sample(caseArbitrary, { numRuns: INVALID, seed: SEED + 1 }).map((sample, i) => {
      const mutation = MUTATION_NAMES[i % MUTATION_NAMES.length]!;
      // Tags after the valid ones', so that no feature name repeats in a batch.
      const payload = payloadOf(sample, RESOURCES + i, []);
      const resource = clean(payload.resource);
      MUTATIONS[mutation]!(resource);
      return { mutation, payload: { ...payload, resource: clean(resource) } };
    });
    // Each batch starts with a valid payload, which is not written either.
    const valid = chunks[0]![0]!;
    for (let start = 0; start < mutated.length; start += 20) {
      const cases = mutated.slice(start, start + 20);
      const payloads = [valid, ...cases.map(({ payload }) => payload)];
      const batch = path.join(workspace, `invalid-${start}.json`);
      writeFileSync(batch, JSON.stringify(payloads));
      const result = await petsage(['feature', batch, '--target', target]);
      if (result.exitCode !== 2) expect.fail(failure(`the invalid batch from ${start}: exit ${result.exitCode}, not 2`, `invalid-${start}`, payloads, result.stderr));
      expect(snapshotTree(target)).toEqual(before);
      const lines = result.stderr.split('\n').filter((line) => /^ {2}payloads\[\d+\]/.test(line));
      // Every mutated payload is refused for a problem in its resource block, and only those.
      cases.forEach(({ mutation, payload }, i) => {
        const refused = lines.filter((line) => line.startsWith(`  payloads[${i + 1}].`));
        expect(refused.length, `${mutation}: ${JSON.stringify(payload)}\n${result.stderr}`).toBeGreaterThan(0);
        for (const line of refused) expect(line, `${mutation}: ${JSON.stringify(payload)}`).toMatch(/^ {2}payloads\[\d+\]\.resource[.:[]/);
      });
      expect(lines.filter((line) => line.startsWith('  payloads[0].')), result.stderr).toEqual([]);
    }
  });

  it('unique fields that admit a single record (read-only with a default, an enum of one value, a range of one multiple) generate a backend that passes its checks (fixtures/resources/property/)', async () => {
    const target = path.join(workspace, 'one-record');
    cpSync(await backendIn('modules'), target, { recursive: true });
    const files = ['read_only_unique_default', 'unique_enum_of_one', 'unique_range_of_one'].map((name) => fixture(`resources/property/${name}.json`));
    const result = await petsage(['feature', ...files, '--target', target]);
    expect(result.exitCode, result.stderr).toBe(0);
    await checkBackend(target, postgresDatabase);
  }, 300_000);
});
