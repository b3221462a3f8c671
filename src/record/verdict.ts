import { counted } from '../data.js';
import type { Problem } from '../errors.js';
import type { FeatureDrift } from './drift.js';
import type { FeatureState, FileState } from './report.js';
import { recordPath } from './record.js';
import type { RuffSettings } from '../blueprint/ruff.js';
import { codeStyle } from '../python/code-style.js';

/**
 * What `check` makes of a feature's drift. A file edited since it was generated is the user's:
 * listed, never drift, unless `--strict` asks for today's byte-exact comparison. What is broken
 * or stale is drift: a generated file missing, one unedited but no longer what the templates
 * make (`outdated`), one still holding `update`'s conflict markers (`conflicted`), and a
 * registration lost or no longer mounting the feature as generated.
 */
export interface Verdict {
  /** The worst thing found, in the order of WORST. */
  state: FeatureState;
  /** Whether the feature counts towards exit 5. */
  drift: boolean;
  /** What is wrong beyond its files: the aggregator's or the models registry's registration. */
  problems: Problem[];
}

/** The states, worst first: a feature is reported by its worst. */
const WORST: readonly FeatureState[] = ['unregistered', 'conflicted', 'missing', 'outdated', 'edited', 'current'];

/** Whether a file in this state is drift. */
export const isDrift = (state: FileState, strict: boolean) => state === 'missing' || state === 'outdated' || state === 'conflicted' || (strict && state === 'edited');

export function verdictOf(result: FeatureDrift, aggregatorFile: string, strict: boolean): Verdict {
  const problems: Problem[] = [];
  if (result.registration) problems.push({ path: aggregatorFile, message: result.registration });
  if (result.unregisteredModel !== undefined) problems.push({ path: result.unregisteredModel, message: "no longer registers the feature's model as generated, with its import and its name in __all__: without the import Alembic would drop its table, without the name ruff reports the import unused" });
  const states = new Set<FeatureState>(result.files.map((file) => file.state));
  if (problems.length > 0) states.add('unregistered');
  // Its files are as generated, for a parent that is no longer as recorded: stale, as after a template change.
  for (const parent of result.olderParents ?? []) {
    problems.push({
      path: recordPath(result.feature),
      message: `was generated for another version of ${parent} than the one recorded now (its tests store rows of it): \`petsage-build update ${result.feature}\` re-renders it`,
    });
    states.add('outdated');
  }
  // Laid out for other ruff settings than the backend's now: ruff format would change its files.
  for (const change of result.restyled ?? []) {
    problems.push({ path: recordPath(result.feature), message: `was laid out for ${change}: \`petsage-build update ${result.feature}\` lays it out anew` });
    states.add('outdated');
  }
  const state = WORST.find((candidate) => states.has(candidate)) ?? 'current';
  const drift = problems.length > 0 || result.files.some((file) => isDrift(file.state, strict));
  return { state, drift, problems };
}

/**
 * What differs between the ruff settings a feature was generated for (its record's blueprint)
 * and the backend's now, in what they make of the code (codeStyle): the line length, and UTC's
 * spelling, which the Python floor decides. E.g. `ruff line-length 88, and the backend's is 100
 * now`; a floor raised from 3.11 to 3.12 changes nothing generated, so it is no drift.
 */
export function styleChanges(recorded: { lineLength?: number; pythonFloor?: string }, now: RuffSettings): string[] {
  const [was, is] = [codeStyle(recorded), codeStyle(now)];
  const changes: string[] = [];
  if (was.lineLength !== is.lineLength) changes.push(`ruff line-length ${was.lineLength}, and the backend's is ${is.lineLength} now`);
  const floor = (value: string | undefined) => (value === undefined ? 'below 3.11' : value);
  if (was.utc !== is.utc) changes.push(`a Python floor ${floor(recorded.pythonFloor)}, and the backend's is ${floor(now.pythonFloor)} now`);
  return changes;
}

/** How many files or features of each kind a run found, for its closing line. */
export interface Tally {
  conflicted: number;
  missing: number;
  outdated: number;
  edited: number;
  unregistered: number;
  /** Resources that keep an older payload of one they refer to. */
  behind: number;
  /** Features laid out for other ruff settings than the backend's. */
  restyled: number;
  /** Files edited by hand whose render changed since: `update` has something to merge into them. */
  toMerge: number;
}

/**
 * The run's last line: what to do about what was found. It never suggests --force for a file
 * edited by hand (that would throw the edit away); an outdated file is re-rendered by `update`.
 */
export function closingLine(tally: Tally, strict: boolean): string {
  const yours = `${counted(tally.edited, 'file')} edited by hand ${tally.edited === 1 ? 'is' : 'are'} yours`;
  const steps: string[] = [];
  if (tally.conflicted > 0) steps.push(`resolve the conflict markers left in ${counted(tally.conflicted, 'file')}`);
  if (tally.outdated > 0) steps.push('re-render outdated files with `petsage-build update`');
  if (tally.behind > 0) steps.push(`re-render ${counted(tally.behind, 'resource')} generated for another version of one ${tally.behind === 1 ? 'it refers' : 'they refer'} to with \`petsage-build update\``);
  if (tally.restyled > 0) steps.push(`lay out ${counted(tally.restyled, 'feature')} generated for other ruff settings anew with \`petsage-build update\``);
  if (tally.missing > 0) steps.push('restore missing files from version control, or re-render them with `petsage-build update`');
  if (tally.unregistered > 0) steps.push('put each registration back as it was generated (by hand; `petsage-build update <feature>` restores one that is gone)');
  if (strict && tally.edited > 0) steps.push(`${yours}: keep the edits (check without --strict accepts them), or restore the files from version control`);
  if (steps.length > 0) return `Drift found: ${steps.join('; ')}.`;
  const merge = tally.toMerge === 0 ? '' : `; the templates or the payload changed for ${tally.toMerge === tally.edited ? (tally.edited === 1 ? 'it' : 'them') : `${tally.toMerge} of them`} since, which \`petsage-build update\` merges in`;
  if (tally.edited > 0) return `No drift: ${yours} and not compared (check --strict compares them too)${merge}.`;
  return 'Every recorded feature is current.';
}
