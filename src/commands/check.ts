import { printDiff } from '../commit/dry-run.js';
import { aggregatorReader, featureDrift, registryReader } from '../record/drift.js';
import type { Reporter } from '../output/reporter.js';
import { readRecords } from '../record/record.js';
import type { FeatureReport } from '../record/report.js';
import { resolveTarget } from '../target.js';
import { warnIfInterrupted } from '../commit/write.js';
import type { Renderer } from '../render/renderer.js';
import { rendererFor } from './feature.js';

const EXPLAIN = {
  edited: 'edited by hand since it was generated',
  outdated: 'the templates changed since it was generated',
  missing: 'missing',
} as const;

/**
 * Re-renders every recorded feature and compares, like `prettier --check`: the result says
 * whether anything drifted (exit 5), and why, with a short diff per file.
 */
export async function runCheck(options: { cwd: string; target: string; reporter: Reporter }) {
  const { reporter } = options;
  const root = resolveTarget(options.cwd, options.target);
  warnIfInterrupted(root, reporter);
  const records = readRecords(root);
  const features: FeatureReport[] = [];
  let drift = false;
  // Read once for every feature they serve: the aggregators, and each override folder's renderer.
  const aggregators = aggregatorReader(root);
  const registries = registryReader(root);
  const renderers = new Map<string, Renderer>();
  for (const valid of records.values()) {
    const { record } = valid;
    const { templates } = record.blueprint;
    if (!renderers.has(templates)) renderers.set(templates, rendererFor(root, record.blueprint));
    const result = featureDrift(root, valid, renderers.get(templates)!, aggregators, registries);
    const drifted = result.files.filter((file) => file.state !== 'current');
    const lost = result.unregistered || result.unregisteredModel !== undefined;
    drift ||= drifted.length > 0 || lost;
    const state = lost ? 'unregistered' : (drifted[0]?.state ?? 'current');
    features.push({ feature: result.feature, state, files: result.files.map(({ path, state: fileState, sha256 }) => ({ path, state: fileState, ...(sha256 && { sha256 }) })) });
    if (drifted.length === 0 && !lost) {
      reporter.info(`${result.feature}: current`);
      continue;
    }
    reporter.finding(`${result.feature}: drifted`);
    if (result.unregistered) reporter.finding(`  ${record.aggregator.file}: no longer registers the feature`);
    if (result.unregisteredModel !== undefined) reporter.finding(`  ${result.unregisteredModel}: no longer imports the feature's model, so Alembic would drop its table`);
    for (const file of drifted) {
      reporter.finding(`  ${file.path}: ${EXPLAIN[file.state as keyof typeof EXPLAIN]}`);
      if (file.disk !== undefined) await printDiff(file.path, file.disk, file.fresh, reporter, 20);
    }
  }
  if (records.size === 0) reporter.info('No recorded features: nothing to check.');
  else reporter.info(drift ? 'Drift found: regenerate with --force, or run `petsage-build remove` and generate again.' : 'Every recorded feature is current.');
  return { target: root, features, drift };
}
