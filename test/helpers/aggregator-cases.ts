import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { blueprintFromSection } from '../../src/blueprint/config.js';
import type { Blueprint } from '../../src/blueprint/presets.js';
import { validatePayload } from '../../src/payload/schema.js';
import { planFeature } from '../../src/plan/plan.js';
import type { AggregatorEdit } from '../../src/python/aggregator.js';
import { fixture } from './paths.js';

/** One corpus case: an aggregator, the `[tool.petsage]` that points at it, and the expected result. */
export interface AggregatorCase {
  name: string;
  feature: string;
  /** The `[tool.petsage]` section, as TOML-ready data. */
  config: Record<string, unknown>;
  blueprint: Blueprint;
  input: string;
  /** The patched file, or undefined when the case expects `error`. */
  expected: string | undefined;
  /** Part of the message of the exit-3 error the case expects. */
  error: string | undefined;
  edit: AggregatorEdit;
}

const CASES_DIR = fixture('aggregators');

export function loadAggregatorCases(): AggregatorCase[] {
  return readdirSync(CASES_DIR)
    .sort()
    .map((name) => {
      const read = (file: string) => readFileSync(path.join(CASES_DIR, name, file), 'utf8');
      const { feature, config, error } = JSON.parse(read('case.json')) as { feature: string; config: Record<string, unknown>; error?: string };
      const blueprint = blueprintFromSection(config);
      const plan = planFeature(validatePayload({ feature, description: 'A feature.' }, name), blueprint);
      const expected = error === undefined && existsSync(path.join(CASES_DIR, name, 'expected.py')) ? read('expected.py') : undefined;
      return { name, feature, config, blueprint, input: read('input.py'), expected, error, edit: plan.aggregator };
    });
}
