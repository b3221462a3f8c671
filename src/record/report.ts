import type { Blueprint } from '../blueprint/presets.js';
import type { Feature } from '../payload/payload.js';
import type { Plan } from '../plan/plan.js';
import { sha256 } from '../data.js';
import { recordPath } from './record.js';
import type { Change, ChangeAction } from '../commit/tree.js';
import type { Problem } from '../errors.js';

/** One file in the JSON report. */
export interface FileReport {
  path: string;
  /** What the run did to it; `skipped` when the run was refused (a conflict) and wrote nothing. */
  action?: ChangeAction | 'skipped';
  /** `check` and `list`: current, edited, outdated or missing; `feature`: `edited` for a file edited by hand that the run kept. */
  state?: FileState;
  /** Of the content written (for a removed file, of the content it had; for `check`, on disk). */
  sha256?: string;
  /** `check`: an edited file whose render changed since it was generated, which `update` would merge in. */
  renderChanged?: true;
  /** `update`: a file merged with the user's edits, cleanly or with conflict markers to resolve. */
  merge?: 'clean' | 'markers';
}

/**
 * How a generated file compares with its record and a fresh render: `edited` by hand since it
 * was generated, `conflicted` (edited, and still holding the conflict markers `update
 * --conflicts=markers` wrote), `outdated` because the templates changed since, or `missing`.
 */
export type FileState = 'current' | 'edited' | 'conflicted' | 'outdated' | 'missing';

/** A feature's state: its worst file's, or `unregistered` when the aggregator (or the models registry) lost it. */
export type FeatureState = FileState | 'unregistered';

export interface FeatureReport {
  feature: string;
  endpoint?: string;
  files: FileReport[];
  aggregator?: FileReport;
  /** `list` and `check`: current, edited, conflicted, outdated, missing or unregistered: one vocabulary for files and features. */
  state?: FeatureState;
  /** `check`: whether the feature counts towards exit 5 (a feature only edited by hand does not, unless --strict). */
  drift?: boolean;
  /** `check`: what is wrong beyond the files, each with the file it is about (the aggregator, the models registry). */
  problems?: Problem[];
}

export const fileReport = (change: Change): FileReport => ({
  path: change.path,
  action: change.action,
  ...(change.editsKept && { state: 'edited' }),
  ...(change.merge && { merge: change.merge }),
  sha256: change.action === 'removed' ? sha256(change.previous!) : change.content.sha256,
});

/**
 * A refused run's report: what it would have created, updated or removed is `skipped`, as it
 * wrote nothing; conflicts and files already as they would be keep their action.
 */
export function skippedInReport(features: readonly FeatureReport[], files: readonly FileReport[] = []): void {
  const skip = (file: FileReport | undefined) => {
    if (file?.action !== undefined && file.action !== 'conflict' && file.action !== 'unchanged') file.action = 'skipped';
  };
  for (const feature of features) {
    feature.files.forEach(skip);
    skip(feature.aggregator);
  }
  files.forEach(skip);
}

/** What happened to each feature's files, its record and the aggregator. */
export function describeChanges(changes: readonly Change[], features: readonly { feature: Feature; plan: Plan }[], blueprint: Blueprint): FeatureReport[] {
  const byPath = new Map(changes.map((change) => [change.path, change]));
  const aggregatorChange = byPath.get(blueprint.aggregator);
  // One aggregator serves every feature of a batch: hash it once.
  const aggregator = aggregatorChange && fileReport(aggregatorChange);
  const ownFiles = (feature: Feature, plan: Plan) => [...plan.files.map((file) => file.path), recordPath(feature.names.snake)];
  // What the resources of a batch share, the models registry and a database layer added with
  // them, belongs to no one feature's plan: each resource lists it, as each lists the aggregator,
  // so that every file the run wrote is in the report.
  const owned = new Set([blueprint.aggregator, ...features.flatMap(({ feature, plan }) => ownFiles(feature, plan))]);
  const shared = changes.filter((change) => !owned.has(change.path)).map(fileReport);
  return features.map(({ feature, plan }) => ({
    feature: feature.names.snake,
    endpoint: plan.context.url,
    files: [
      ...ownFiles(feature, plan).flatMap((file) => {
        const change = byPath.get(file);
        return change ? [fileReport(change)] : [];
      }),
      ...(plan.context.r ? shared : []),
    ],
    ...(aggregator && { aggregator }),
  }));
}
