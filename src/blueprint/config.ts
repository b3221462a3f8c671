import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { invalidInput } from '../errors.js';
import { detectPreset } from './detect.js';
import { DEFAULT_PRESET, PRESETS, type ArtifactPaths, type Blueprint } from './presets.js';

export interface ResolvedBlueprint {
  blueprint: Blueprint;
  /** Where the layout came from, for the run's output: `from pyproject.toml [tool.petsage]`. */
  origin: string;
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
const PATH_KEYS: readonly (keyof ArtifactPaths)[] = ['schema', 'service', 'router', 'init', 'readme', 'test'];
const FILE_KEYS = new Set(['source_root', 'aggregator', 'templates']);

/** A path the config gives must stay inside the target. */
function pathProblem(value: string): string | undefined {
  if (path.isAbsolute(value) || path.win32.isAbsolute(value) || value.split(/[\\/]/).includes('..')) {
    return 'must be a relative path inside the project, without ".."';
  }
  return undefined;
}

const isTable = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function readPyprojectSection(text: string): Record<string, unknown> | undefined {
  let document: Record<string, unknown>;
  try {
    document = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw invalidInput(`pyproject.toml: is not valid TOML: ${(error as Error).message.split('\n')[0]}`);
  }
  const section = isTable(document.tool) ? document.tool.petsage : undefined;
  if (section !== undefined && !isTable(section)) throw invalidInput('pyproject.toml: tool.petsage must be a table.');
  return section;
}

function readJsonConfig(text: string): Record<string, unknown> {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw invalidInput(`petsage.config.json: is not valid JSON (${(error as Error).message}).`);
  }
  if (!isTable(config)) throw invalidInput('petsage.config.json: must hold a JSON object with the [tool.petsage] keys.');
  return config;
}

/** A `[tool.petsage]` section over its preset; every problem is reported at once (exit 2). */
export function blueprintFromSection(section: Record<string, unknown>, presetOverride?: string, source: ConfigSource = PYPROJECT): Blueprint {
  const problems: string[] = [];
  const key = (name: string) => `${source.keyPrefix}${name}`;
  const presetName = presetOverride ?? (section.preset === undefined ? DEFAULT_PRESET : section.preset);
  const preset = typeof presetName === 'string' ? PRESETS[presetName] : undefined;
  if (!preset) {
    const where = presetOverride === undefined ? `${source.file}: ${key('preset')}` : '--preset';
    throw invalidInput(`${where}: unknown preset ${JSON.stringify(presetName)}; choose one of ${Object.keys(PRESETS).join(', ')}.`);
  }
  const blueprint: Blueprint = { ...preset, paths: { ...preset.paths } };
  for (const [name, value] of Object.entries(section)) {
    if (name === 'preset') continue;
    if (name === 'paths' && isTable(value)) {
      for (const [artifact, artifactPath] of Object.entries(value)) {
        const pathKey = key(`paths.${artifact}`);
        if (!PATH_KEYS.includes(artifact as keyof ArtifactPaths)) {
          problems.push(`${pathKey}: unknown key; known keys are ${PATH_KEYS.join(', ')}`);
        } else if (typeof artifactPath !== 'string') {
          problems.push(`${pathKey}: must be a string`);
        } else if (pathProblem(artifactPath)) {
          problems.push(`${pathKey}: ${pathProblem(artifactPath)}`);
        } else if (!artifactPath.includes('{feature}')) {
          problems.push(`${pathKey}: must contain {feature}, so that each feature gets its own file`);
        } else {
          blueprint.paths[artifact as keyof ArtifactPaths] = artifactPath;
        }
      }
    } else if (name in SCALAR_KEYS) {
      if (typeof value !== 'string') problems.push(`${key(name)}: must be a string`);
      else if (FILE_KEYS.has(name) && pathProblem(value)) problems.push(`${key(name)}: ${pathProblem(value)}`);
      else blueprint[SCALAR_KEYS[name as keyof typeof SCALAR_KEYS]] = value;
    } else {
      problems.push(`${key(name)}: unknown key; known keys are preset, ${Object.keys(SCALAR_KEYS).join(', ')}, paths`);
    }
  }
  // The init re-exports the router of its own package: it goes where the router goes.
  const { init, router } = blueprint.paths;
  if (init !== undefined && path.posix.dirname(init) !== path.posix.dirname(router)) {
    if (isTable(section.paths) && section.paths.init !== undefined) {
      problems.push(`${key('paths.init')}: must be the __init__.py beside paths.router (${path.posix.dirname(router)}/__init__.py)`);
    } else {
      delete blueprint.paths.init;
    }
  }
  if (problems.length > 0) throw invalidInput(`${source.file}: the petsage config is invalid.`, problems);
  // The preset's router variable belongs to the preset's aggregator: another file's is detected.
  if (section.aggregator !== undefined && section.router === undefined && section.aggregator !== preset.aggregator) {
    blueprint.router = undefined;
  }
  return blueprint;
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The project's petsage config section and where it came from, if it has one. */
export function readConfig(targetRoot: string): { section: Record<string, unknown>; source: ConfigSource } | undefined {
  const pyproject = readIfExists(path.join(targetRoot, PYPROJECT.file));
  const fromToml = pyproject === undefined ? undefined : readPyprojectSection(pyproject);
  const json = readIfExists(path.join(targetRoot, JSON_CONFIG.file));
  const fromJson = json === undefined ? undefined : readJsonConfig(json);
  if (fromToml && fromJson) {
    throw invalidInput('the petsage config is in both pyproject.toml [tool.petsage] and petsage.config.json; keep one of them.');
  }
  if (fromToml) return { section: fromToml, source: PYPROJECT };
  return fromJson ? { section: fromJson, source: JSON_CONFIG } : undefined;
}

/**
 * The target's layout: its config (`[tool.petsage]` in pyproject.toml, or petsage.config.json)
 * over a preset, `--preset` winning over the file's; without config, the detected preset.
 */
export function resolveBlueprint(targetRoot: string, presetOverride?: string): ResolvedBlueprint {
  const { section, source } = readConfig(targetRoot) ?? {};
  const over = presetOverride === undefined ? '' : ` with --preset ${presetOverride}`;
  if (section && source) {
    const where = source === PYPROJECT ? 'pyproject.toml [tool.petsage]' : source.file;
    return { blueprint: blueprintFromSection(section, presetOverride, source), origin: `from ${where}${over}` };
  }
  if (presetOverride !== undefined) return { blueprint: blueprintFromSection({}, presetOverride), origin: 'from --preset' };
  const { blueprint, evidence } = detectPreset(targetRoot);
  return { blueprint, origin: `detected from ${evidence.join(' and ')}` };
}
