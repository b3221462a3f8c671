import { printDiff } from '../commit/dry-run.js';
import { aggregatorReader, featureDrift, registryReader, type FeatureDrift } from '../record/drift.js';
import type { Reporter } from '../output/reporter.js';
import { olderParentsKept, readBackendRecords } from '../record/record.js';
import type { FeatureReport } from '../record/report.js';
import { closingLine, isDrift, styleChanges, verdictOf, type Tally, type Verdict } from '../record/verdict.js';
import { currentRuffSettings } from '../blueprint/config.js';
import { resolveTarget } from '../target.js';
import { JOURNAL_FILE, warnIfInterrupted } from '../commit/write.js';
import { waitForWriters } from '../commit/lock.js';
import type { Renderer } from '../render/renderer.js';
import { rendererFor } from './feature.js';

const EXPLAIN = {
  edited: 'edited by hand since it was generated',
  conflicted: 'still holds conflict markers (the last update\'s, or a merge\'s); resolve them',
  outdated: 'the templates or the payload changed since it was generated',
  missing: 'missing',
} as const;

/** Which side of a drift diff is which: `-` lines are the file as it is, `+` what the templates make. */
const SIDES = ['on disk', 'fresh render'] as const;

export interface CheckOptions {
  cwd: string;
  target: string;
  /** Today's byte-exact comparison: a file edited by hand is drift too. */
  strict?: boolean;
  /** Seconds to wait for a run in progress on the target (none by default). */
  wait?: number;
  reporter: Reporter;
}

/** Prints one feature: what is drift as findings (shown with --quiet), with a diff per file; edits as information. */
async function printFeature(result: FeatureDrift, verdict: Verdict, strict: boolean, reporter: Reporter): Promise<void> {
  if (verdict.state === 'current') return reporter.info(`${result.feature}: current`);
  if (!verdict.drift) reporter.info(`${result.feature}: edited (yours)`);
  else reporter.finding(`${result.feature}: drifted`);
  for (const problem of verdict.problems) reporter.finding(`  ${problem.path}: ${problem.message}`);
  for (const file of result.files) {
    if (file.state === 'current') continue;
    const line = `  ${file.path}: ${EXPLAIN[file.state]}${file.renderChanged ? '; the templates or the payload changed since too, which `petsage-build update` merges into it' : ''}`;
    if (!isDrift(file.state, strict)) {
      reporter.info(line);
      continue;
    }
    reporter.finding(line);
    if (file.disk !== undefined) await printDiff(file.path, file.disk, file.fresh, reporter, 20, SIDES);
  }
}

/**
 * Re-renders every recorded feature and compares, like `prettier --check`. Files edited by hand
 * are the user's: listed, not drift (unless --strict). Drift (exit 5) is what is broken or stale:
 * a generated file missing or outdated, a registration lost or no longer mounting the feature, a
 * resource generated for another version of one it refers to.
 */
export async function runCheck(options: CheckOptions) {
  const { reporter } = options;
  const strict = options.strict === true;
  const root = resolveTarget(options.cwd, options.target);
  // A run in progress is not an interrupted one: its commit is read once it is done.
  await waitForWriters(root, options.wait ?? 0);
  // A half-written tree is not one to vouch for: drift until a writing command settles it.
  const interrupted = warnIfInterrupted(root, reporter);
  const records = readBackendRecords(root);
  const features: FeatureReport[] = [];
  const tally: Tally = { conflicted: 0, missing: 0, outdated: 0, edited: 0, unregistered: 0, behind: 0, restyled: 0, toMerge: 0 };
  // What the files would be laid out for now: a changed line-length makes ruff format change them.
  const ruffNow = records.size > 0 ? currentRuffSettings(root) : {};
  // Each recorded payload as JSON, to compare with the versions other records keep of it.
  const payloads = new Map([...records].map(([name, valid]) => [name, JSON.stringify(valid.feature.payload)]));
  // Read once for every feature they serve: the aggregators, and each override folder's renderer.
  const aggregators = aggregatorReader(root);
  const registries = registryReader(root);
  const renderers = new Map<string, Renderer>();
  for (const valid of records.values()) {
    const { record } = valid;
    const { templates } = record.blueprint;
    if (!renderers.has(templates)) renderers.set(templates, rendererFor(root, record.blueprint));
    const olderParents = olderParentsKept(record, (name) => payloads.get(name));
    const restyled = styleChanges(record.blueprint, ruffNow);
    const result: FeatureDrift = {
      ...featureDrift(root, valid, renderers.get(templates)!, aggregators, registries, strict),
      ...(olderParents.length > 0 && { olderParents }),
      ...(restyled.length > 0 && { restyled }),
    };
    const verdict = verdictOf(result, record.aggregator.file, strict);
    for (const file of result.files) if (file.state !== 'current') tally[file.state] += 1;
    tally.toMerge += result.files.filter((file) => file.state === 'edited' && file.renderChanged).length;
    if (result.registration || result.unregisteredModel !== undefined) tally.unregistered += 1;
    if (olderParents.length > 0) tally.behind += 1;
    if (restyled.length > 0) tally.restyled += 1;
    features.push({
      feature: result.feature,
      state: verdict.state,
      drift: verdict.drift,
      files: result.files.map(({ path, state, sha256, renderChanged }) => ({ path, state, ...(sha256 && { sha256 }), ...(renderChanged && { renderChanged }) })),
      ...(verdict.problems.length > 0 && { problems: verdict.problems }),
    });
    await printFeature(result, verdict, strict, reporter);
  }
  if (records.size === 0) reporter.info('No recorded features: nothing to check.');
  else reporter.info(closingLine(tally, strict));
  if (interrupted) reporter.finding(`${JOURNAL_FILE}: a run was interrupted mid-commit, so what was checked may be half of it: drift until the next feature, update, remove, init or templates eject settles it.`);
  return { target: root, features, drift: interrupted || features.some((feature) => feature.drift), ...(interrupted && { interrupted: true as const }) };
}
