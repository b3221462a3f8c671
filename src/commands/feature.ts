import path from 'node:path';
import { resolveBlueprint } from '../blueprint/config.js';
import type { Blueprint } from '../blueprint/presets.js';
import { commitChanges, recoverInterruptedCommit } from '../commit.js';
import { assertWritable } from '../containment.js';
import { printDryRun } from '../dry-run.js';
import { conflict } from '../errors.js';
import { withTargetLock } from '../lock.js';
import type { Reporter } from '../log.js';
import { decodePayload } from '../payload/decode.js';
import { readPayloadInput } from '../payload/input.js';
import { validatePayload, type Feature } from '../payload/schema.js';
import { planFeature, type Plan } from '../plan.js';
import { patchAggregator } from '../python/aggregator.js';
import { Renderer } from '../render.js';
import { resolveTarget } from '../target.js';
import { assertNoConflicts, StagedTree, type Change } from '../tree.js';

export interface FeatureOptions {
  cwd: string;
  target: string;
  builtin?: string;
  preset?: string;
  force: boolean;
  dryRun: boolean;
  /** Seconds to wait for another run's lock on the target. */
  wait: number;
  readStdin: () => Promise<Buffer>;
  reporter: Reporter;
}

/** The renderer for a blueprint: the built-in feature templates under the project's overrides. */
export function rendererFor(root: string, blueprint: Blueprint): Renderer {
  return new Renderer('fastapi', path.join(root, blueprint.templates), blueprint.templates);
}

/** Renders the feature's files: pure, so it runs before the lock is taken. */
function renderFeature(plan: Plan, renderer: Renderer): { path: string; content: string }[] {
  return plan.files.map((file) => ({ path: file.path, content: renderer.render(file.template, plan.context) }));
}

/** Stages the rendered files and the patched aggregator, read from disk now. */
function stageChanges(root: string, plan: Plan, rendered: readonly { path: string; content: string }[], force: boolean): Change[] {
  const tree = new StagedTree(root);
  for (const file of rendered) tree.write(file.path, file.content, { overwrite: force });
  const edit = plan.aggregator;
  const source = tree.read(edit.file);
  if (source === undefined) {
    throw conflict(`${edit.file}: the aggregator does not exist, so the feature cannot be mounted.`, [
      'Set `aggregator` (the file) and `router` (the variable) under [tool.petsage] in pyproject.toml.',
    ]);
  }
  // Staged even when unchanged, so the report lists the aggregator either way.
  tree.write(edit.file, patchAggregator(source, edit).text, { overwrite: true });
  const changes = tree.changes();
  for (const change of changes) if (change.action !== 'unchanged') assertWritable(root, change.path);
  return changes;
}

export async function runFeature(file: string | undefined, options: FeatureOptions): Promise<void> {
  const input = await readPayloadInput(file, options.builtin, options.cwd, options.readStdin);
  const feature: Feature = validatePayload(decodePayload(input.bytes, input.source), input.source);
  const root = resolveTarget(options.cwd, options.target);
  const { blueprint, origin } = resolveBlueprint(root, options.preset);
  const plan = planFeature(feature, blueprint);
  const rendered = renderFeature(plan, rendererFor(root, blueprint));
  const { reporter } = options;

  if (options.dryRun) {
    const changes = stageChanges(root, plan, rendered, options.force);
    await printDryRun(changes, reporter);
    assertNoConflicts(changes);
    return;
  }

  const changes = await withTargetLock(root, options.wait, async () => {
    const recovered = recoverInterruptedCommit(root);
    if (recovered) reporter.info(recovered);
    // The aggregator is read under the lock, so a concurrent run's registration is never lost.
    const staged = stageChanges(root, plan, rendered, options.force);
    assertNoConflicts(staged);
    await commitChanges(root, staged);
    return staged;
  });

  reporter.info(`Feature ${feature.names.snake}: layout "${blueprint.preset}" ${origin}.`);
  reporter.changes(changes);
  if (changes.every((change) => change.action === 'unchanged')) {
    reporter.info('Already up to date: nothing changed.');
  }
  reporter.info(`Endpoint: GET ${plan.context.url} (served by ${blueprint.app})`);
}
