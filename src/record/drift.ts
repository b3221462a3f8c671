import { sha256 as sha256Of } from '../data.js';
import type { Plan } from '../plan/plan.js';
import { analyse, featureIncludes, type AggregatorEdit, type AggregatorFile } from '../python/aggregator.js';
import { recordedFileOnDisk, type FeatureRecord, type ValidRecord } from './record.js';
import { mountProblem } from '../python/mount.js';
import type { Renderer } from '../render/renderer.js';
import { renderPlanned } from '../render/planned.js';
import type { FileState } from './report.js';
import { StagedTree } from '../commit/tree.js';
import { targetText } from '../commit/safe-fs.js';
import type { Blueprint, ResourceLayout } from '../blueprint/presets.js';
import type { Feature } from '../payload/payload.js';
import { modelsRegistry, registryEntry, registryFile } from '../plan/db-layer.js';
import { registeredIn, type RegistryEntry } from '../python/registry.js';

export interface FileDrift {
  path: string;
  state: FileState;
  /** On disk, when the file exists. */
  sha256?: string;
  disk?: string;
  fresh: string;
  /**
   * Edited (or conflicted), and its fresh render is not the one recorded: the templates or the
   * payload changed since, which `update` would merge into it. Not drift: the file is the user's.
   */
  renderChanged?: true;
}

export interface FeatureDrift {
  feature: string;
  plan: Plan;
  files: FileDrift[];
  /** Why the aggregator no longer mounts the feature as generated, when it does not. */
  registration?: string;
  /** A resource's model is no longer in the models registry, which Alembic's environment imports. */
  unregisteredModel?: string;
  /** The resources this one refers to whose records changed since its own kept their payloads (see olderParentsKept). */
  olderParents?: string[];
  /** How the backend's ruff settings changed since the feature was laid out for them (see styleChanges). */
  restyled?: string[];
}

/**
 * Compares a recorded feature with the disk and with a fresh render of its payload: record
 * hash against file tells a hand edit, file against fresh render a template change.
 */
/** The aggregators of a target, each read and analysed once however many features it mounts. */
export function aggregatorReader(root: string): (file: string, edit: AggregatorEdit) => AggregatorFile | undefined {
  const tree = new StagedTree(root);
  const analysed = new Map<string, AggregatorFile | undefined>();
  return (file, edit) => {
    if (!analysed.has(file)) {
      const source = tree.read(file);
      analysed.set(file, source === undefined ? undefined : analyse(source, edit));
    }
    return analysed.get(file);
  };
}

/**
 * The models registries of a target, each read once however many resources it imports: the
 * registry's path and whether it still registers a resource, or its expected path when it is gone.
 */
export function registryReader(root: string): (feature: Feature, blueprint: Blueprint, layout: ResourceLayout) => string | undefined {
  const tree = new StagedTree(root);
  const read = new Map<string, { file: string; registered?: (entry: RegistryEntry) => boolean }>();
  return (feature, blueprint, layout) => {
    const expected = blueprint.db?.models ?? registryFile(layout);
    if (!read.has(expected)) {
      const registry = modelsRegistry({ ...blueprint, resource: layout }, (file) => tree.read(file));
      read.set(expected, registry === undefined ? { file: expected } : { file: registry.file, registered: registeredIn(registry.source) });
    }
    const { file, registered } = read.get(expected)!;
    return registered?.(registryEntry(feature, blueprint, layout)) ? undefined : file;
  };
}

export function featureDrift(root: string, { record, feature, plan }: ValidRecord, renderer: Renderer, aggregators = aggregatorReader(root), registries = registryReader(root), readEdited = false): FeatureDrift {
  const recorded = new Map(record.files.map((file) => [file.path, file.sha256]));
  const files = plan.files.map((file): FileDrift => {
    const fresh = renderPlanned(file, plan.context, renderer);
    const { state, bytes, sha256 } = recordedFileOnDisk(root, { path: file.path, sha256: recorded.get(file.path) });
    // An edited file is the user's: read as text only to be shown (check --strict). Its diff is
    // shown as text, so a file that is not UTF-8 is then refused (exit 3), never shown with U+FFFD.
    const disk = bytes === undefined || ((state === 'edited' || state === 'conflicted') && !readEdited) ? undefined : targetText(bytes, file.path);
    // As recorded, yet not what the templates make now: they changed since. Not a resource's
    // create revision, which update never rewrites (a database may be at it): as recorded, it is
    // current whatever the templates or the line length make of it now.
    const drifted: FileState = state === 'current' && disk !== fresh && file.path !== plan.migration?.path ? 'outdated' : state;
    // Hashed only for the rare edited file, so that check can say update has work for it.
    const renderChanged = (state === 'edited' || state === 'conflicted') && file.path !== plan.migration?.path && sha256Of(fresh) !== recorded.get(file.path);
    return { path: file.path, state: drifted, ...(sha256 && { sha256 }), ...(disk !== undefined && { disk }), fresh, ...(renderChanged && { renderChanged: true as const }) };
  });
  const registration = registrationProblem(aggregators(record.aggregator.file, plan.aggregator), record, plan);
  const layout = feature.resource ? record.blueprint.resource : undefined;
  const unregisteredModel = layout && registries(feature, record.blueprint, layout);
  return { feature: feature.names.snake, plan, files, ...(registration && { registration }), ...(unregisteredModel && { unregisteredModel }) };
}

/**
 * What is wrong with the feature's registration: a registration the patch added must still mount
 * the feature as it was generated (structurally: see mountProblem); one that was there before the
 * feature was generated (nothing recorded as added) is the user's, and only has to be there.
 */
function registrationProblem(aggregator: AggregatorFile | undefined, record: FeatureRecord, plan: Plan): string | undefined {
  const { routerVar, added } = record.aggregator;
  if (aggregator === undefined) return 'no longer registers the feature (the file is missing)';
  if (added.length > 0) return mountProblem(aggregator, plan.aggregator, routerVar);
  return featureIncludes(aggregator, plan.aggregator, routerVar).length === 0 ? 'no longer registers the feature' : undefined;
}
