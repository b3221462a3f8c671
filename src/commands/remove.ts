import { conflict, invalidInput } from '../errors.js';
import type { Reporter } from '../output/reporter.js';
import { FEATURE_PATTERN } from '../payload/payload.js';
import { removeRegistration } from '../python/registration.js';
import { readRecord, recordedFileOnDisk, recordNames, recordPath } from '../record/record.js';
import { fileReport } from '../record/report.js';
import { resolveTarget } from '../target.js';
import { runTransaction } from '../commit/transaction.js';
import type { StagedTree } from '../commit/tree.js';
import { counted } from '../data.js';

export interface RemoveOptions {
  cwd: string;
  target: string;
  force: boolean;
  wait: number;
  reporter: Reporter;
}

/**
 * Stages the removal: what is deleted comes from a fresh plan of the recorded payload, and what
 * is cut from the aggregator must be this feature's registration, recognised structurally.
 */
function stageRemoval(root: string, feature: string, tree: StagedTree, options: RemoveOptions): string {
  const valid = readRecord(root, feature);
  if (!valid) {
    const known = recordNames(root);
    throw invalidInput(`no feature of that name is recorded in ${recordPath(feature)}.`, {
      path: feature,
      hints: [known.length > 0 ? `Recorded features: ${known.join(', ')}` : 'No feature is recorded in this target.'],
    });
  }
  const { record, plan } = valid;
  const recorded = new Map(record.files.map((file) => [file.path, file.sha256]));
  const files = plan.files.map((file) => ({ path: file.path, sha256: recorded.get(file.path) }));
  const edited = files.filter((file) => recordedFileOnDisk(root, file).state === 'edited');
  if (edited.length > 0 && !options.force) {
    throw conflict(`${counted(edited.length, 'file')} ${edited.length === 1 ? 'was' : 'were'} edited since generated; nothing was removed.`, {
      path: feature,
      problems: edited.map((file) => ({ path: file.path, message: 'edited' })),
      hints: ['Keep your changes elsewhere, or pass --force to remove them anyway.'],
    });
  }
  for (const file of files) tree.remove(file.path);
  const { file: aggregatorFile, routerVar, added } = record.aggregator;
  const aggregator = tree.read(aggregatorFile);
  if (aggregator !== undefined && added.length > 0) {
    const removal = removeRegistration(aggregator, added, { ...plan.aggregator, routerVar });
    if (removal.ok) tree.write(aggregatorFile, removal.text, { overwrite: true });
    else if (removal.reason === 'foreign') {
      throw conflict(`what it says was added to ${aggregatorFile} is not this feature's registration; nothing was removed.`, {
        path: recordPath(feature),
        problems: removal.problems,
        hints: ['Restore the record from version control, or take the registration out by hand.'],
      });
    } else if (!options.force) {
      throw removal.error;
    } else options.reporter.warn(`${aggregatorFile}: the registration was edited; left it as it is.`);
  }
  tree.remove(recordPath(feature));
  return aggregatorFile;
}

/**
 * Deletes a feature's generated files, its record and its registration, all-or-nothing like a
 * generate. What is deleted comes from a fresh plan of the recorded payload, and what is cut
 * from the aggregator must be this feature's registration, recognised structurally: the record
 * is evidence (hashes, what was added), never a list of things to delete. The aggregator gets
 * back the bytes it had before the feature was added when nothing else changed. A file edited
 * since it was generated stops the removal (exit 3) unless --force.
 */
export async function runRemove(feature: string, options: RemoveOptions) {
  if (!FEATURE_PATTERN.test(feature)) {
    throw invalidInput(`${JSON.stringify(feature)} is not a feature name (snake_case, as in the payload's "feature").`, { path: 'feature' });
  }
  const root = resolveTarget(options.cwd, options.target);
  let aggregatorFile: string | undefined;
  const stage = (tree: StagedTree) => {
    aggregatorFile = stageRemoval(root, feature, tree, options);
  };
  const changes = await runTransaction({ root, wait: options.wait, dryRun: false, reporter: options.reporter, stage });

  options.reporter.info(`Removed feature ${feature}:`);
  options.reporter.changes(changes);
  // Like a generate's report: the feature's own files, and the aggregator apart.
  const aggregator = changes.find((change) => change.path === aggregatorFile);
  const files = changes.filter((change) => change !== aggregator).map(fileReport);
  return { target: root, features: [{ feature, files, ...(aggregator && { aggregator: fileReport(aggregator) }) }] };
}
