import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { petsage, run } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { postgresDatabase } from '../helpers/postgres-database.js';
import { venvBin } from '../helpers/python-env.mjs';
import { validResource, type Json } from '../helpers/resource-arbitrary.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Random valid resource blocks (the payload property test's: any field types, constraints,
 * flags, operations and hostile text), each a feature whose refs name households: the generated
 * code, tests included, must pass every check. `RESOURCE_FUZZ=40` for more blocks,
 * `RESOURCE_FUZZ_SEED` for others; a block whose tests cannot get a value (a field that needs an
 * `example`) is refused by the tool, and skipped here.
 */
const COUNT = Number(process.env.RESOURCE_FUZZ ?? 8);
const SEED = Number(process.env.RESOURCE_FUZZ_SEED ?? 20260101);

async function ok(backend: string, tool: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  const result = await run(venvBin(tool), args, { cwd: backend, env });
  expect(result.exitCode, `${tool} ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
}

describe('random resource blocks', () => {
  it(`generate code whose checks pass (${COUNT} blocks, seed ${SEED})`, async () => {
    const backend = path.join(tempDir(), 'backend');
    const init = await petsage(['init', backend]);
    expect(init.exitCode, init.stderr).toBe(0);
    const households = await petsage(['feature', fixture('resources/reference/households.json'), '--target', backend]);
    expect(households.exitCode, households.stderr).toBe(0);
    const dir = tempDir();
    const blocks = fc.sample(validResource, { numRuns: COUNT, seed: SEED });
    let generated = 0;
    for (const [i, block] of blocks.entries()) {
      const resource = structuredClone(block) as Json;
      resource.name = `fz${i}`;
      for (const field of Object.values(resource.fields as Record<string, Json>)) if (field.type === 'ref') field.feature = 'households';
      const file = path.join(dir, `fuzz_${i}.json`);
      writeFileSync(file, JSON.stringify({ feature: `fuzz_${i}`, description: 'A random resource.', resource }));
      const result = await petsage(['feature', file, '--target', backend]);
      if (result.exitCode !== 0 && /give (the field an|their unique fields) `?example/.test(result.stderr)) continue;
      expect(result.exitCode, `${JSON.stringify(resource)}\n${result.stderr}`).toBe(0);
      generated += 1;
    }
    expect(generated).toBeGreaterThan(COUNT / 2);

    await ok(backend, 'ruff', ['format', '--check', '.']);
    await ok(backend, 'ruff', ['check', '--extend-select', 'FAST', '.']);
    await ok(backend, 'mypy', []);
    await ok(backend, 'python', ['-m', 'pytest', '-q', '-W', 'error', '-p', 'no:cacheprovider']);
    await ok(backend, 'python', ['-m', 'pytest', '-q', '-W', 'error', '-p', 'no:cacheprovider'], { TEST_DATABASE_URL: await postgresDatabase() });
    const url = `sqlite:///${path.join(backend, 'check.sqlite3')}`;
    await ok(backend, 'alembic', ['upgrade', 'head'], { DATABASE_URL: url });
    await ok(backend, 'alembic', ['check'], { DATABASE_URL: url });
  }, 600_000);
});
