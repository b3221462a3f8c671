import { invalidInput } from '../errors.js';
import type { Reporter } from '../output/reporter.js';
import { FEATURE_PATTERN } from '../payload/payload.js';
import { backendRecordNames, recordedFeaturesHint, recordPath } from '../record/record.js';
import { fileReport, type FeatureReport } from '../record/report.js';
import { resolveTarget } from '../target.js';
import { runTransaction } from '../commit/transaction.js';
import type { StagedTree } from '../commit/tree.js';
import { listed } from '../payload/text.js';

export interface ForgetOptions {
  cwd: string;
  target: string;
  wait: number;
  reporter: Reporter;
}

/**
 * The features named, each recorded, or exit 2 naming those that are not. The records are not
 * parsed: forgetting is how a team drops a record it no longer wants, a broken one included.
 */
function assertRecorded(root: string, features: readonly string[]): void {
  const invalid = features.filter((feature) => !FEATURE_PATTERN.test(feature));
  if (invalid.length > 0) throw invalidInput(`${listed(invalid.map((name) => JSON.stringify(name)))} ${invalid.length === 1 ? 'is not a feature name' : 'are not feature names'} (snake_case, as in the payload's "feature").`, { path: 'feature' });
  const known = backendRecordNames(root);
  const unknown = features.filter((feature) => !known.includes(feature));
  if (unknown.length > 0) {
    throw invalidInput(`no feature of that name is recorded in ${listed(unknown.map(recordPath))}; nothing was forgotten.`, {
      path: unknown.join(', '),
      hints: [recordedFeaturesHint(known, unknown)],
    });
  }
}

/**
 * Stops tracking features: deletes their records (`.petsage/features/<f>.json`) and nothing else,
 * so their files and registration become the project's own code, which `check`, `list` and
 * `remove` no longer know. All-or-nothing, through the same transaction as every writing command.
 */
export async function runForget(features: readonly string[], options: ForgetOptions): Promise<{ target: string; features: FeatureReport[] }> {
  const root = resolveTarget(options.cwd, options.target);
  const unique = [...new Set(features)];
  const stage = (tree: StagedTree) => {
    // Under the lock, after a killed run was settled: the records read are the ones there.
    assertRecorded(root, unique);
    for (const feature of unique) tree.remove(recordPath(feature));
  };
  const changes = await runTransaction({ root, wait: options.wait, dryRun: false, reporter: options.reporter, stage });
  options.reporter.info(`No longer tracking ${listed(unique)}; ${unique.length === 1 ? 'its files and registration are' : 'their files and registrations are'} yours now:`);
  options.reporter.changes(changes);
  const byPath = new Map(changes.map((change) => [change.path, change]));
  return { target: root, features: unique.map((feature) => ({ feature, files: byPath.has(recordPath(feature)) ? [fileReport(byPath.get(recordPath(feature))!)] : [] })) };
}
