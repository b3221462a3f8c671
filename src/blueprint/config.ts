import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { invalidInput } from '../errors.js';
import { DEFAULT_PRESET, PRESETS, type ArtifactPaths, type Blueprint } from './presets.js';

export interface ResolvedBlueprint {
  blueprint: Blueprint;
  /** Where the layout came from, for the run's output. */
  origin: string;
}

const SCALAR_KEYS = { source_root: 'sourceRoot', app: 'app', api_prefix: 'apiPrefix', aggregator: 'aggregator', router: 'router', templates: 'templates' } as const;
const PATH_KEYS: readonly (keyof ArtifactPaths)[] = ['schema', 'service', 'router', 'init', 'readme', 'test'];
const FILE_KEYS = new Set(['source_root', 'aggregator', 'templates']);

/** A path the config gives must stay inside the target. */
function checkRelativePath(key: string, value: string, problems: string[]): void {
  if (path.isAbsolute(value) || path.win32.isAbsolute(value) || value.split(/[\\/]/).includes('..')) {
    problems.push(`tool.petsage.${key}: must be a relative path inside the project, without ".."`);
  }
}

function readSection(pyproject: string, file: string): Record<string, unknown> | undefined {
  let document: Record<string, unknown>;
  try {
    document = parseToml(pyproject) as Record<string, unknown>;
  } catch (error) {
    throw invalidInput(`${file}: is not valid TOML: ${(error as Error).message.split('\n')[0]}`);
  }
  const tool = document.tool as Record<string, unknown> | undefined;
  return tool?.petsage as Record<string, unknown> | undefined;
}

/** A `[tool.petsage]` section over its preset; every problem is reported at once (exit 2). */
export function blueprintFromSection(section: Record<string, unknown>, presetOverride?: string): Blueprint {
  const problems: string[] = [];
  const presetName = presetOverride ?? (section.preset === undefined ? DEFAULT_PRESET : section.preset);
  const preset = typeof presetName === 'string' ? PRESETS[presetName] : undefined;
  if (!preset) {
    throw invalidInput(`tool.petsage.preset: unknown preset ${JSON.stringify(presetName)}; choose one of ${Object.keys(PRESETS).join(', ')}`);
  }
  const blueprint: Blueprint = { ...preset, paths: { ...preset.paths } };
  for (const [key, value] of Object.entries(section)) {
    if (key === 'preset') continue;
    if (key === 'paths' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [artifact, artifactPath] of Object.entries(value)) {
        if (!PATH_KEYS.includes(artifact as keyof ArtifactPaths)) {
          problems.push(`tool.petsage.paths.${artifact}: unknown key; known keys are ${PATH_KEYS.join(', ')}`);
        } else if (typeof artifactPath !== 'string') {
          problems.push(`tool.petsage.paths.${artifact}: must be a string`);
        } else {
          checkRelativePath(`paths.${artifact}`, artifactPath, problems);
          blueprint.paths[artifact as keyof ArtifactPaths] = artifactPath;
        }
      }
    } else if (key in SCALAR_KEYS) {
      if (typeof value !== 'string') problems.push(`tool.petsage.${key}: must be a string`);
      else {
        if (FILE_KEYS.has(key)) checkRelativePath(key, value, problems);
        blueprint[SCALAR_KEYS[key as keyof typeof SCALAR_KEYS]] = value;
      }
    } else {
      problems.push(`tool.petsage.${key}: unknown key; known keys are preset, ${Object.keys(SCALAR_KEYS).join(', ')}, paths`);
    }
  }
  if (problems.length > 0) throw invalidInput('pyproject.toml: [tool.petsage] is invalid.', problems);
  // The preset's router variable belongs to the preset's aggregator: another file's is detected.
  if (section.aggregator !== undefined && section.router === undefined && section.aggregator !== preset.aggregator) {
    blueprint.router = undefined;
  }
  return blueprint;
}

/** The target's layout: its `[tool.petsage]` section over a preset, or the default preset. */
export function resolveBlueprint(targetRoot: string, presetOverride?: string): ResolvedBlueprint {
  const file = path.join(targetRoot, 'pyproject.toml');
  const section = existsSync(file) ? readSection(readFileSync(file, 'utf8'), 'pyproject.toml') : undefined;
  const blueprint = blueprintFromSection(section ?? {}, presetOverride);
  const origin = section ? 'pyproject.toml [tool.petsage]' : 'the default layout (no [tool.petsage] in pyproject.toml)';
  return { blueprint, origin: presetOverride ? '--preset' : origin };
}
