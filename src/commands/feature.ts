import path from 'node:path';
import { resolveBlueprint } from '../blueprint/config.js';
import type { Blueprint } from '../blueprint/presets.js';
import { conflict } from '../errors.js';
import type { Reporter } from '../log.js';
import { decodePayload } from '../payload/decode.js';
import { readPayloadInput } from '../payload/input.js';
import { validatePayload, type Feature } from '../payload/schema.js';
import { planFeature, type Plan } from '../plan.js';
import { patchAggregator } from '../python/aggregator.js';
import { Renderer } from '../render.js';
import { resolveTarget } from '../target.js';
import { assertNoConflicts, commitChanges, StagedTree } from '../tree.js';

export interface FeatureOptions {
  cwd: string;
  target: string;
  builtin?: string;
  preset?: string;
  force: boolean;
  readStdin: () => Buffer;
  reporter: Reporter;
}

/** The renderer for a blueprint: the built-in feature templates under the project's overrides. */
export function rendererFor(root: string, blueprint: Blueprint): Renderer {
  return new Renderer('fastapi', path.join(root, blueprint.templates), blueprint.templates);
}

/** Renders the feature's files and patches the aggregator, all in the staged tree. */
export function stageFeature(tree: StagedTree, plan: Plan, renderer: Renderer, force: boolean): void {
  for (const file of plan.files) {
    tree.write(file.path, renderer.render(file.template, plan.context), { overwrite: force });
  }
  const edit = plan.aggregator;
  const source = tree.read(edit.file);
  if (source === undefined) {
    throw conflict(`${edit.file}: the aggregator does not exist, so the feature cannot be mounted.`, [
      'Set `aggregator` (the file) and `router` (the variable) under [tool.petsage] in pyproject.toml.',
    ]);
  }
  // Staged even when unchanged, so the report lists the aggregator either way.
  tree.write(edit.file, patchAggregator(source, edit).text, { overwrite: true });
}

export function runFeature(file: string | undefined, options: FeatureOptions): void {
  const input = readPayloadInput(file, options.builtin, options.cwd, options.readStdin);
  const feature: Feature = validatePayload(decodePayload(input.bytes, input.source), input.source);
  const root = resolveTarget(options.cwd, options.target);
  const { blueprint, origin } = resolveBlueprint(root, options.preset);
  const plan = planFeature(feature, blueprint);

  const tree = new StagedTree(root);
  stageFeature(tree, plan, rendererFor(root, blueprint), options.force);
  const changes = tree.changes();
  assertNoConflicts(changes);
  commitChanges(root, changes);

  const { reporter } = options;
  reporter.info(`Feature ${feature.names.snake}: layout "${blueprint.preset}" ${origin}.`);
  reporter.changes(changes);
  if (changes.every((change) => change.action === 'unchanged')) {
    reporter.info('Already up to date: nothing changed.');
  }
  reporter.info(`Endpoint: GET ${plan.context.url} (served by ${blueprint.app})`);
}
