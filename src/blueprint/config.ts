import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { isPlainObject } from '../data.js';
import { invalidInput, type Problem } from '../errors.js';
import { detectPreset } from './detect.js';
import { readRuffSettings, type RuffSettings } from './ruff.js';
import { providesClientFixture } from './conftest.js';
import { checkJsonKeys } from '../payload/json-keys.js';
import { readContainedText } from '../commit/safe-fs.js';
import { unknownName } from '../suggest.js';
import { DEFAULT_PRESET, PRESETS, type ArtifactPaths, type Blueprint } from './presets.js';
import { blueprintProblems, isApiPrefix, isPreset, PATH_KEYS, presetChoices } from './validate.js';
import { helperFolder, moduleName, parentModule, type OwnDatabase } from './own-db.js';
import { checkOwnDatabase } from './own-db-files.js';
import { resourceLayoutIn } from './resource-packages.js';
import { assertSupportedStack, declaredPins, type StackNeed } from './stack.js';
import { detectConventions } from './conventions.js';
import { resolveRouteDependencies } from './route-dependencies.js';
import { isDefaultMount } from '../python/siblings.js';

export interface ResolvedBlueprint {
  blueprint: Blueprint;
  /** Where the layout came from, for the run's output: `from pyproject.toml [tool.petsage]`. */
  origin: string;
  /** How messages name the config's keys: `tool.petsage.` in pyproject.toml (and without config), none in petsage.config.json. */
  keyPrefix: string;
}

/** Where a config section came from: its file and how its keys are named in messages. */
interface ConfigSource {
  file: string;
  keyPrefix: string;
}

const PYPROJECT: ConfigSource = { file: 'pyproject.toml', keyPrefix: 'tool.petsage.' };
const JSON_CONFIG: ConfigSource = { file: 'petsage.config.json', keyPrefix: '' };

const SCALAR_KEYS = {
  source_root: 'sourceRoot',
  app: 'app',
  api_prefix: 'apiPrefix',
  aggregator: 'aggregator',
  router: 'router',
  templates: 'templates',
  python: 'python',
} as const;
const TOP_KEYS = ['preset', ...Object.keys(SCALAR_KEYS), 'paths', 'db', 'route_dependencies'];
/** Blueprint fields by the config key that sets them, for messages about a whole blueprint. */
const CONFIG_KEY_OF: Record<string, string> = { ...Object.fromEntries(Object.entries(SCALAR_KEYS).map(([configKey, field]) => [field, configKey])), routeDependencies: 'route_dependencies' };


function parsePyproject(text: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw invalidInput(`is not valid TOML: ${(error as Error).message.split('\n')[0]}`, { path: 'pyproject.toml' });
  }
}

function readPyprojectSection(document: Record<string, unknown>): Record<string, unknown> | undefined {
  const tool = Object.hasOwn(document, 'tool') ? document.tool : undefined;
  const section = isPlainObject(tool) && Object.hasOwn(tool, 'petsage') ? tool.petsage : undefined;
  if (section !== undefined && !isPlainObject(section)) throw invalidInput('must be a table.', { path: 'pyproject.toml', problems: [{ path: 'tool.petsage', message: 'must be a table' }] });
  return section;
}

function readJsonConfig(text: string): Record<string, unknown> {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw invalidInput(`is not valid JSON (${(error as Error).message}).`, { path: 'petsage.config.json' });
  }
  if (!isPlainObject(config)) throw invalidInput('must hold a JSON object with the [tool.petsage] keys.', { path: 'petsage.config.json' });
  const duplicates = checkJsonKeys(text, 8);
  if (duplicates.length > 0) throw invalidInput('the petsage config is invalid.', { path: 'petsage.config.json', problems: duplicates });
  return config;
}

/**
 * A `[tool.petsage]` section over its preset. Every value is checked as what it becomes (a
 * module path, a variable, a URL, a file), and every problem is reported at once (exit 2).
 */
export function blueprintFromSection(section: Record<string, unknown>, presetOverride?: string, source: ConfigSource = PYPROJECT): Blueprint {
  const problems: Problem[] = [];
  const key = (name: string) => `${source.keyPrefix}${name}`;
  const presetName = presetOverride ?? (Object.hasOwn(section, 'preset') ? section.preset : DEFAULT_PRESET);
  if (!isPreset(presetName)) {
    const message = `unknown preset ${JSON.stringify(presetName)}; ${presetChoices(presetName)}.`;
    if (presetOverride !== undefined) throw invalidInput(message, { path: '--preset' });
    throw invalidInput(message, { path: key('preset') });
  }
  const preset = PRESETS[presetName]!;
  const blueprint: Blueprint = { ...preset, paths: { ...preset.paths } };
  for (const [name, value] of Object.entries(section)) {
    if (name === 'preset') continue;
    if (name === 'paths') {
      if (!isPlainObject(value)) {
        problems.push({ path: key('paths'), message: `must be a table of artifact paths` });
        continue;
      }
      for (const [artifact, artifactPath] of Object.entries(value)) {
        if (!(PATH_KEYS as readonly string[]).includes(artifact)) problems.push({ path: key(`paths.${artifact}`), message: `${unknownName(artifact, PATH_KEYS, 'key')}` });
        else if (typeof artifactPath !== 'string') problems.push({ path: key(`paths.${artifact}`), message: `must be a string` });
        else blueprint.paths[artifact as keyof ArtifactPaths] = artifactPath;
      }
    } else if (name === 'route_dependencies') {
      // Checked with the whole blueprint below; resolved to the callables by resolveBlueprint.
      blueprint.routeDependencies = value as string[];
    } else if (name === 'db') {
      // Checked with the whole blueprint below, as a record's is; the files it names, by layoutOf.
      blueprint.db = value as OwnDatabase;
    } else if (Object.hasOwn(SCALAR_KEYS, name)) {
      if (typeof value !== 'string') problems.push({ path: key(name), message: `must be a string` });
      else blueprint[SCALAR_KEYS[name as keyof typeof SCALAR_KEYS]] = value;
    } else {
      problems.push({ path: key(name), message: `${unknownName(name, TOP_KEYS, 'key')}` });
    }
  }
  // The init re-exports the router of its own package: it goes where the router goes.
  const { init, router } = blueprint.paths;
  const initGiven = isPlainObject(section.paths) && Object.hasOwn(section.paths, 'init');
  if (init !== undefined && !initGiven && path.posix.dirname(init) !== path.posix.dirname(router)) delete blueprint.paths.init;
  // The preset's router variable belongs to the preset's aggregator: another file's is detected.
  if (Object.hasOwn(section, 'aggregator') && !Object.hasOwn(section, 'router') && section.aggregator !== preset.aggregator) {
    blueprint.router = undefined;
  }
  // A resource's own modules go to the package the features are in, laid out as the preset lays them.
  blueprint.resource = resourceLayoutIn(blueprint, preset);
  // With the backend's own database layer, petsage-build's one module goes beside its base.
  const base = blueprint.db && moduleName(blueprint.db.base);
  if (base && parentModule(base.module) !== '' && blueprint.resource) blueprint.resource = { ...blueprint.resource, db: helperFolder(base, blueprint.sourceRoot) };
  // A preset as it is, the common case, is known good: its checks would only cost start-up time.
  const presetAsIs = Object.keys(section).every((name) => name === 'preset');
  if (!presetAsIs) problems.push(...blueprintProblems(blueprint, (field) => key(CONFIG_KEY_OF[field] ?? field)));
  if (problems.length > 0) throw invalidInput('the petsage config is invalid.', { path: source.file, problems });
  return blueprint;
}

// Strict: a config that is not UTF-8 is refused (exit 3) rather than read with U+FFFD in its values.

/** The project's petsage config section and where it came from, if it has one, and its pyproject.toml. */
export function readConfig(targetRoot: string): { section?: Record<string, unknown>; source?: ConfigSource; pyproject?: Record<string, unknown> } {
  const text = readContainedText(targetRoot, PYPROJECT.file);
  const pyproject = text === undefined ? undefined : parsePyproject(text);
  const fromToml = pyproject === undefined ? undefined : readPyprojectSection(pyproject);
  const json = readContainedText(targetRoot, JSON_CONFIG.file);
  const fromJson = json === undefined ? undefined : readJsonConfig(json);
  if (fromToml && fromJson) {
    throw invalidInput('the petsage config is in both pyproject.toml [tool.petsage] and petsage.config.json; keep one of them.', { path: 'petsage.config.json' });
  }
  if (fromToml) return { section: fromToml, source: PYPROJECT, pyproject };
  return fromJson ? { section: fromJson, source: JSON_CONFIG, ...(pyproject && { pyproject }) } : { ...(pyproject && { pyproject }) };
}

/** Ruff's settings in the target as they are now: what `check` compares a record's layout with. */
export function currentRuffSettings(targetRoot: string): RuffSettings {
  const text = readContainedText(targetRoot, PYPROJECT.file);
  return readRuffSettings(targetRoot, text === undefined ? undefined : parsePyproject(text));
}

/**
 * A configured app must be a module of the project: `os:system` has the right shape, but the
 * generated tests would drive something that is not the app.
 */
function assertAppExists(root: string, blueprint: Blueprint, where: string): void {
  const [appModule] = blueprint.app.split(':') as [string];
  const base = `${blueprint.sourceRoot === '.' ? '' : `${blueprint.sourceRoot}/`}${appModule.split('.').join('/')}`;
  const candidates = [`${base}.py`, `${base}/__init__.py`];
  if (!candidates.some((file) => existsSync(path.join(root, file)))) {
    throw invalidInput(`the module ${appModule} is not in the project (looked for ${candidates.join(' and ')}).`, {
      path: where,
      hints: ['Set it to the module:variable of your FastAPI app, e.g. "app.main:app".'],
    });
  }
}

/**
 * The target's layout: its config (`[tool.petsage]` in pyproject.toml, or petsage.config.json)
 * over a preset, `--preset` winning over the file's; without config, the detected preset. With
 * `stackNeeds` (a command that generates code), the backend's declared stack is checked first,
 * and the way its features are mounted is read.
 */
export function resolveBlueprint(targetRoot: string, presetOverride?: string, stackNeeds?: readonly StackNeed[]): ResolvedBlueprint {
  const { section, source, pyproject } = readConfig(targetRoot);
  // Before the layout: a backend that cannot run the code hears that first, config or not.
  if (stackNeeds) assertSupportedStack(declaredPins(targetRoot, pyproject), stackNeeds);
  const laidOut = layoutOf(targetRoot, section, source, presetOverride);
  // A copy: a detected layout is the preset itself, which what the target says must not change.
  const resolved = { ...laidOut, blueprint: { ...laidOut.blueprint } };
  const { lineLength, pythonFloor } = readRuffSettings(targetRoot, pyproject);
  if (lineLength !== undefined) resolved.blueprint.lineLength = lineLength;
  if (pythonFloor !== undefined) resolved.blueprint.pythonFloor = pythonFloor;
  if (providesClientFixture(targetRoot, resolved.blueprint)) resolved.blueprint.clientFixture = true;
  if (resolved.blueprint.routeDependencies) resolved.blueprint.routeDependencies = resolveRouteDependencies(targetRoot, resolved.blueprint, `${resolved.keyPrefix}route_dependencies`);
  if (stackNeeds) {
    // A new feature follows how the backend's features are mounted; the records keep it.
    const { mount, apiPrefix } = detectConventions(targetRoot, resolved.blueprint);
    // The prefix the app really mounts the API under, unless the config says it.
    const configured = section !== undefined && Object.hasOwn(section, 'api_prefix');
    if (apiPrefix !== undefined && !configured && apiPrefix !== resolved.blueprint.apiPrefix && isApiPrefix(apiPrefix)) resolved.blueprint.apiPrefix = apiPrefix;
    if (!isDefaultMount(mount)) resolved.blueprint.mount = mount;
  }
  return resolved;
}

function layoutOf(targetRoot: string, section: Record<string, unknown> | undefined, source: ConfigSource | undefined, presetOverride?: string): ResolvedBlueprint {
  const over = presetOverride === undefined ? '' : ` with --preset ${presetOverride}`;
  if (section && source) {
    const where = source === PYPROJECT ? 'pyproject.toml [tool.petsage]' : source.file;
    const blueprint = blueprintFromSection(section, presetOverride, source);
    if (Object.hasOwn(section, 'app')) assertAppExists(targetRoot, blueprint, `${source.keyPrefix}app`);
    if (blueprint.db && blueprint.resource) {
      const migrations = checkOwnDatabase(targetRoot, { ...blueprint, db: blueprint.db }, (name) => `${source.keyPrefix}${name}`, source.file);
      blueprint.resource = { ...blueprint.resource, migrations };
    }
    return { blueprint, origin: `from ${where}${over}`, keyPrefix: source.keyPrefix };
  }
  if (presetOverride !== undefined) return { blueprint: blueprintFromSection({}, presetOverride), origin: 'from --preset', keyPrefix: PYPROJECT.keyPrefix };
  const { blueprint, evidence } = detectPreset(targetRoot);
  return { blueprint, origin: `detected from ${evidence.join(' and ')}`, keyPrefix: PYPROJECT.keyPrefix };
}
