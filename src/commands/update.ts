import { counted } from '../data.js';
import { invalidInput } from '../errors.js';
import type { Reporter } from '../output/reporter.js';
import { validateBatch } from '../payload/batch.js';
import { readPayloadInputs } from '../payload/input.js';
import { FEATURE_PATTERN, type Feature } from '../payload/payload.js';
import { loadDiff3 } from '../record/merge.js';
import { MergingWriter } from '../record/merge-writes.js';
import { readRecord, recordedFeaturesHint, recordNames } from '../record/record.js';
import type { FeatureReport } from '../record/report.js';
import { resolveTarget } from '../target.js';
import { generateFeatures } from './feature.js';

export type ConflictMode = 'stop' | 'markers';

export interface UpdateOptions {
  cwd: string;
  target: string;
  builtin?: string;
  dryRun: boolean;
  verify: boolean;
  conflicts: ConflictMode;
  wait: number;
  readStdin: (limit: number) => Promise<Buffer>;
  reporter: Reporter;
}

/**
 * A bare snake_case word names a recorded feature; anything else (a path with a dot or a slash,
 * `-` for stdin) is a payload file. A payload file named like a feature is passed as `./name`.
 */
export const isFeatureName = (arg: string) => FEATURE_PATTERN.test(arg);

/**
 * The features to update: the payloads given (each must be of a recorded feature), the
 * recorded features named, or every recorded feature when nothing is given. A recorded payload
 * was validated as any payload when its record was read.
 */
async function featuresToUpdate(root: string, args: readonly string[], options: UpdateOptions): Promise<Feature[]> {
  const names = args.filter(isFeatureName);
  const files = args.filter((arg) => !isFeatureName(arg));
  const recorded = new Set(recordNames(root));
  const fromPayloads = files.length > 0 || options.builtin !== undefined ? validateBatch(await readPayloadInputs(files, options.builtin, options.cwd, options.readStdin)) : [];
  const named = names.length === 0 && fromPayloads.length === 0 ? [...recorded] : names;
  const unknown = [...named, ...fromPayloads.map((feature) => feature.names.snake)].filter((name) => !recorded.has(name));
  const twice = fromPayloads.filter((feature) => named.includes(feature.names.snake)).map((feature) => feature.names.snake);
  if (unknown.length > 0 || twice.length > 0 || new Set(named).size !== named.length) {
    throw invalidInput('update brings changes into features generated before; nothing was written.', {
      path: 'features',
      problems: [
        ...unknown.map((name) => ({ path: name, message: 'is not a recorded feature (generate it first with `petsage-build feature`)' })),
        ...[...new Set([...twice, ...named.filter((name, i) => named.indexOf(name) !== i)])].map((name) => ({ path: name, message: 'is given twice' })),
      ],
      hints: [recordedFeaturesHint([...recorded], unknown)],
    });
  }
  return [...fromPayloads, ...named.map((name) => readRecord(root, name)!.feature)];
}

/**
 * Re-renders recorded features with the current templates (and a new payload, when given) and
 * brings the result in all or nothing: unedited files are replaced, edited ones merged three
 * ways with what was generated last time. Conflicting merges stop the run (exit 3, every hunk
 * listed) unless `--conflicts=markers`.
 */
export async function runUpdate(args: readonly string[], options: UpdateOptions): Promise<{ target: string; features: FeatureReport[] }> {
  const root = resolveTarget(options.cwd, options.target);
  const features = await featuresToUpdate(root, args, options);
  const { reporter } = options;
  if (features.length === 0) {
    reporter.info('No recorded features: nothing to update.');
    return { target: root, features: [] };
  }
  const markers = options.conflicts === 'markers';
  // A dry run shows the merge, markers and all, then says whether the real run would stop.
  const writer = new MergingWriter(await loadDiff3(), markers || options.dryRun);
  // Refused with the rest of the run's conflicts, so that --json reports every file of a refused run.
  const result = await generateFeatures(root, features, { ...options, writer: writer.write, bringAlong: true, ...(!markers && { refuse: () => writer.assertMerged() }) });
  if (writer.merged.length > 0) reporter.info(`Merged with your edits: ${writer.merged.join(', ')}.`);
  if (writer.relaidOut.length > 0) reporter.info(`Rendered anew, as only their layout had changed (a formatter's, no edit to keep): ${writer.relaidOut.join(', ')}.`);
  for (const [folder, lineLength] of writer.revisionsLaidOutBefore) {
    reporter.warn(`${folder}: revisions are never rewritten (a database may be at one), so they stay laid out for the line length they were written at: \`ruff format ${folder}\` lays them out for line-length ${lineLength}.`);
  }
  if (markers && writer.marked.length > 0) {
    reporter.warn(`${counted(writer.marked.length, 'file')} ${options.dryRun ? 'would get' : 'got'} conflict markers to resolve by hand: ${writer.marked.join(', ')}.`);
  }
  return result;
}
