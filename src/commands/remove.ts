import { readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { commitChanges, recoverInterruptedCommit } from '../commit.js';
import { conflict, invalidInput } from '../errors.js';
import { withTargetLock } from '../lock.js';
import type { Reporter } from '../log.js';
import { unpatchAggregator } from '../python/aggregator.js';
import { readRecords, recordedFileOnDisk, recordPath } from '../record.js';
import { fileReport } from '../report.js';
import { resolveTarget } from '../target.js';
import { StagedTree } from '../tree.js';

export interface RemoveOptions {
  cwd: string;
  target: string;
  force: boolean;
  wait: number;
  reporter: Reporter;
}

/** Removes directories the removal left empty, from `dir` up to (not including) the root. */
function pruneEmptyDirs(root: string, dir: string): void {
  for (let current = path.join(root, dir); path.relative(root, current) !== '' && !path.relative(root, current).startsWith('..'); current = path.dirname(current)) {
    try {
      if (readdirSync(current).length > 0) return;
      rmdirSync(current);
    } catch {
      return;
    }
  }
}

/**
 * Deletes a feature's generated files, its record and its registration, all-or-nothing like a
 * generate. The aggregator gets back the bytes it had before the feature was added when nothing
 * else changed. A file edited since it was generated stops the removal (exit 3) unless --force.
 */
export async function runRemove(feature: string, options: RemoveOptions) {
  const root = resolveTarget(options.cwd, options.target);
  const changes = await withTargetLock(root, options.wait, async () => {
    const recovered = recoverInterruptedCommit(root);
    if (recovered) options.reporter.info(recovered);
    const records = readRecords(root);
    const record = records.get(feature);
    if (!record) {
      const known = [...records.keys()];
      throw invalidInput(`remove ${feature}: no feature of that name is recorded in ${recordPath(feature)}.`, [
        known.length > 0 ? `Recorded features: ${known.join(', ')}` : 'No feature is recorded in this target.',
      ]);
    }
    const tree = new StagedTree(root);
    const edited = record.files.filter((file) => recordedFileOnDisk(root, file).state === 'edited');
    if (edited.length > 0 && !options.force) {
      throw conflict(`remove ${feature}: ${edited.length} file(s) were edited since they were generated; nothing was removed.`, [
        ...edited.map((file) => `${file.path}: edited`),
        'Keep your changes elsewhere, or pass --force to remove them anyway.',
      ]);
    }
    for (const file of record.files) tree.remove(file.path);
    const aggregator = tree.read(record.aggregator.file);
    if (aggregator !== undefined && record.aggregator.added.length > 0) {
      try {
        tree.write(record.aggregator.file, unpatchAggregator(aggregator, record.aggregator.added, record.aggregator.file).text, { overwrite: true });
      } catch (error) {
        if (!options.force) throw error;
        options.reporter.warn(`${record.aggregator.file}: the registration was edited; left it as it is.`);
      }
    }
    tree.remove(recordPath(feature));
    const staged = tree.changes();
    await commitChanges(root, staged);
    return staged;
  });
  for (const change of changes) if (change.action === 'removed') pruneEmptyDirs(root, path.dirname(change.path));

  options.reporter.info(`Removed feature ${feature}:`);
  options.reporter.changes(changes);
  return { target: root, features: [{ feature, files: changes.map(fileReport) }] };
}
