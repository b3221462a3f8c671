import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBackend } from '../helpers/backend-checks.js';
import { petsage } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const OPERATIONS = ['create', 'list', 'get', 'update', 'delete'] as const;

/**
 * One resource per non-empty subset of the operations (31), all with the same fields: a unique
 * filterable-or-not string, an enum filter, optional decimal and datetime, a float with a
 * default, a read-only and a write-only field, and a ref to households, required or nullable;
 * int and uuid ids in turn.
 */
function subsetPayloads(dir: string): string[] {
  const files: string[] = [];
  for (let mask = 1; mask < 2 ** OPERATIONS.length; mask += 1) {
    const chosen = OPERATIONS.filter((_, i) => mask & (1 << i));
    const letters = chosen.map((operation) => operation[0]).join('');
    const payload = {
      feature: `subset_${letters}`,
      description: `A resource with the operations ${chosen.join(', ')}.`,
      resource: {
        name: `item_${letters}`,
        operations: chosen,
        id: mask % 2 === 1 ? 'int' : 'uuid',
        fields: {
          title: { type: 'str', min_length: 1, max_length: 30, unique: true, filterable: mask % 3 === 0 },
          level: { type: 'enum', values: ['low', 'high'], filterable: true },
          score: { type: 'decimal', max_digits: 5, decimal_places: 1, ge: 0, required: false, nullable: true },
          ratio: { type: 'float', ge: 0, le: 1, default: 0.5 },
          seen: { type: 'datetime', required: false, nullable: true },
          counter: { type: 'int', default: 0, read_only: true },
          secret: { type: 'str', max_length: 10, required: false, nullable: true, write_only: true },
          household_id: { type: 'ref', feature: 'households', filterable: mask % 2 === 0, ...(mask % 4 === 0 ? { required: false, nullable: true } : {}) },
        },
      },
    };
    const file = path.join(dir, `${payload.feature}.json`);
    writeFileSync(file, JSON.stringify(payload, null, 2));
    files.push(file);
  }
  return files;
}

describe('a resource with some of the operations', () => {
  it('generates, for every subset, code that is formatted, lint-clean, typed, and whose tests pass', async () => {
    const backend = path.join(tempDir(), 'backend');
    const payloads = subsetPayloads(tempDir());
    // And a resource whose long names and values ruff lays out in every way it has.
    for (const args of [['init', backend], ['feature', fixture('resources/reference/households.json'), fixture('resources/long_values.json'), ...payloads, '--target', backend]]) {
      const result = await petsage(args);
      expect(result.exitCode, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    }
    await checkBackend(backend);
  }, 600_000);
});
