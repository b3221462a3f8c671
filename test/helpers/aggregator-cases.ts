import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { blueprintFromSection } from '../../src/blueprint/config.js';
import type { Blueprint } from '../../src/blueprint/presets.js';
import { validatePayload } from '../../src/payload/payload.js';
import { packageOf, planFeature } from '../../src/plan/plan.js';
import { analyse, routerOf } from '../../src/python/aggregator.js';
import { isDefaultMount, siblingMount } from '../../src/python/siblings.js';
import type { AggregatorEdit } from '../../src/python/aggregator.js';
import { fixture } from './paths.js';

/**
 * What a case's patch must register, written by hand in case.json (never derived from the
 * planner), for the Python oracle: the router, the module whose `router` is the feature's,
 * the include's prefix, and the aggregator's package where it uses relative imports.
 */
export interface Registration {
  router: string;
  module: string;
  /** Null when the feature's router sets its own prefix, as its siblings do. */
  prefix: string | null;
  /** The tags the include passes, as its siblings' includes do. */
  tags?: string[];
  package?: string;
}

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
  /** Undefined when the case expects `error`. */
  registers: Registration | undefined;
  edit: AggregatorEdit;
}

const CASES_DIR = fixture('aggregators');

function withMount(blueprint: Blueprint, source: string): Blueprint {
  const file = analyse(source, { file: blueprint.aggregator, aggregatorPackage: packageOf(blueprint.aggregator, blueprint.sourceRoot) });
  const mount = siblingMount(file, routerOf(file, { file: blueprint.aggregator, routerVar: blueprint.router }), () => undefined);
  return isDefaultMount(mount) ? blueprint : { ...blueprint, mount };
}

export function loadAggregatorCases(): AggregatorCase[] {
  return readdirSync(CASES_DIR)
    .sort()
    .map((name) => {
      const read = (file: string) => readFileSync(path.join(CASES_DIR, name, file), 'utf8');
      const { feature, config, error, registers } = JSON.parse(read('case.json')) as {
        feature: string;
        config: Record<string, unknown>;
        error?: string;
        registers?: Registration;
      };
      if (error === undefined && registers === undefined) throw new Error(`${name}/case.json: a case that patches must say what it registers`);
      // As the CLI reads it: how the aggregator's includes mount their features (the corpus has
      // no route modules, so a tag set in a module is never seen).
      const configured = blueprintFromSection(config);
      const input = read('input.py');
      const blueprint = error === undefined ? withMount(configured, input) : configured;
      const plan = planFeature(validatePayload({ feature, description: 'A feature.' }, name), blueprint);
      if (error === undefined && !existsSync(path.join(CASES_DIR, name, 'expected.py'))) throw new Error(`${name}: a case that patches needs expected.py`);
      const expected = error === undefined ? read('expected.py') : undefined;
      return { name, feature, config, blueprint, input, expected, error, registers, edit: plan.aggregator };
    });
}
