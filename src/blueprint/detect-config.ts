import { invalidInput, PetsageError } from '../errors.js';
import { listed } from '../payload/text.js';
import { detectPreset } from './detect.js';
import { detectConventions } from './conventions.js';
import { isApiPrefix } from './validate.js';
import { aggregatorCandidates, chooseAggregator } from './find-aggregator.js';
import { appSpec, findApp, inferApiPrefix, inferSourceRoot, testFiles } from './infer-app.js';
import { artifactPaths, featureUnit, typicalUnits } from './infer-paths.js';
import { PRESETS, type ArtifactPaths } from './presets.js';
import { readProjectFiles } from './project-files.js';
import { PATH_KEYS } from './validate.js';

/** What `config --detect` found: the `[tool.petsage]` section, and what each value was read from. */
export interface DetectedConfig {
  section: Record<string, unknown>;
  /** The preset whose files the backend has, when one fits: the section is then just it. */
  preset?: string;
  /** One line per finding, for the output. */
  evidence: string[];
  /** What the reader should know: a value that could not be read, files left out. */
  notes: string[];
}

/** What the user said on the command line: the aggregator to take among several. */
export interface DetectChoice {
  aggregator?: string;
  router?: string;
}

/**
 * The preset whose optional keys fit: one with an `init` path for features that are packages,
 * one without for flat modules, at the right import root. Its other values are overridden.
 */
export function basePreset(sourceRoot: string, packages: boolean): string {
  if (sourceRoot === 'src') return packages ? 'src-features' : 'layered';
  return packages ? 'modules' : 'endpoints';
}

/** The section: the base preset, then every value that differs from it; the aggregator and router always, so the block says where features go. */
function sectionOver(preset: string, values: { source_root: string; app: string; api_prefix?: string; aggregator: string; router: string; paths: ArtifactPaths }): Record<string, unknown> {
  const base = PRESETS[preset]!;
  const paths = Object.fromEntries(PATH_KEYS.filter((key) => values.paths[key] !== undefined && values.paths[key] !== base.paths[key]).map((key) => [key, values.paths[key]]));
  return {
    preset,
    ...(values.source_root !== base.sourceRoot && { source_root: values.source_root }),
    ...(values.app !== base.app && { app: values.app }),
    ...(values.api_prefix !== undefined && values.api_prefix !== base.apiPrefix && { api_prefix: values.api_prefix }),
    aggregator: values.aggregator,
    router: values.router,
    ...(Object.keys(paths).length > 0 && { paths }),
  };
}

/** A preset whose files the backend has (see detect.ts), or undefined when none or several fit. */
function fittingPreset(root: string): DetectedConfig | undefined {
  try {
    const { blueprint, evidence } = detectPreset(root);
    // The prefix the app really mounts the API under, where it is not the preset's.
    const { apiPrefix } = detectConventions(root, blueprint);
    const section = { preset: blueprint.preset, ...(apiPrefix !== undefined && apiPrefix !== blueprint.apiPrefix && isApiPrefix(apiPrefix) && { api_prefix: apiPrefix }) };
    return { section, preset: blueprint.preset, evidence: [`layout "${blueprint.preset}" fits: ${evidence.join(' and ')}`], notes: [] };
  } catch (error) {
    if (error instanceof PetsageError) return undefined;
    throw error;
  }
}

/**
 * The config a backend needs, read from its code: the preset its files fit, else the aggregator
 * (the file that mounts the feature routers), its app, import root and URL prefix, and where the
 * features it mounts keep their files and tests. Reads only; exit 2 when it cannot tell.
 */
export function detectConfig(root: string, choice: DetectChoice = {}): DetectedConfig {
  const preset = choice.aggregator === undefined && choice.router === undefined ? fittingPreset(root) : undefined;
  if (preset) return preset;
  const files = readProjectFiles(root);
  const aggregator = chooseAggregator(files, aggregatorCandidates(files), choice);
  const units = typicalUnits(aggregator.includes.flatMap((include) => featureUnit(files, include) ?? []));
  if (units.length === 0) {
    throw invalidInput(`${aggregator.router} (line ${aggregator.line}) mounts no router of a feature module of the project, so the layout of features cannot be read from it.`, {
      path: aggregator.file,
      hints: ['Write the [tool.petsage] block yourself (README, "Project config"), or generate one feature by hand first.'],
    });
  }
  const app = findApp(files, aggregator);
  const sourceRoot = inferSourceRoot(files, [aggregator.analysed, app.analysed, ...testFiles(files)], aggregator.file);
  const prefix = inferApiPrefix(files, app, aggregator);
  const paths = artifactPaths(files, units, sourceRoot);
  const base = basePreset(sourceRoot, paths.init !== undefined);
  const section = sectionOver(base, { source_root: sourceRoot, app: appSpec(app, sourceRoot), ...(prefix && { api_prefix: prefix.value }), aggregator: aggregator.file, router: aggregator.router, paths });
  const notes = [...files.notes];
  if (!prefix) notes.push(`the URL prefix ${app.mount ? `${app.file} mounts ${aggregator.router} under` : 'of the API'} could not be read as a literal: the preset's "${PRESETS[base]!.apiPrefix}" applies; set api_prefix if the API is served elsewhere.`);
  return {
    section,
    evidence: [
      `aggregator: ${aggregator.file}, ${aggregator.router} (line ${aggregator.line}), mounting ${listed(units.map((unit) => unit.name))}`,
      `app: ${section.app ?? PRESETS[base]!.app} (${app.file}), import root "${sourceRoot}"`,
      ...(prefix ? [`api_prefix: ${JSON.stringify(prefix.value)}, from ${prefix.from}`] : []),
      `preset: "${base}", whose optional keys fit (${paths.init ? 'features are packages with an __init__.py' : 'features are modules'}); no preset's files fit as they are`,
    ],
    notes,
  };
}
