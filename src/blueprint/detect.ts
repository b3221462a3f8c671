import { statSync } from 'node:fs';
import path from 'node:path';
import { invalidInput } from '../errors.js';
import { NO_THROW_IF_MISSING } from '../commit/safe-fs.js';
import { PRESETS, type Blueprint } from './presets.js';

export interface Detection {
  blueprint: Blueprint;
  /** The paths that made the preset fit, for the run's output. */
  evidence: string[];
}

/** The folder a preset puts feature routers in: the part of `paths.router` before `{feature}`. */
export const featureRoot = (blueprint: Blueprint) => blueprint.paths.router.slice(0, blueprint.paths.router.indexOf('{feature}'));

function kind(root: string, relative: string): 'file' | 'dir' | undefined {
  try {
    const stat = statSync(path.join(root, relative), NO_THROW_IF_MISSING);
    return stat === undefined ? undefined : stat.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

/**
 * Recognises the preset from the files that exist: its aggregator and its feature folder.
 * Exactly one must fit; otherwise the error lists what was found and the two lines to add.
 */
export function detectPreset(root: string): Detection {
  const presets = Object.values(PRESETS);
  const fits = presets.filter((preset) => kind(root, preset.aggregator) === 'file' && kind(root, featureRoot(preset)) === 'dir');
  if (fits.length === 1) {
    const [preset] = fits;
    return { blueprint: preset!, evidence: [preset!.aggregator, featureRoot(preset!)] };
  }
  // No pyproject.toml and no layout: most likely not the backend at all (a folder inside one, or
  // the wrong folder), which the config lines below would not fix.
  if (fits.length === 0 && kind(root, 'pyproject.toml') === undefined) {
    throw invalidInput(`${root} is not a backend: it has no pyproject.toml and no layout petsage-build knows.`, {
      path: '--target',
      hints: ["Point --target at the backend's own folder, the one with its pyproject.toml (it is the current folder when --target is left out), or create a backend with `petsage-build init <dir>`."],
    });
  }
  const looked = [...new Set(presets.flatMap((preset) => [preset.aggregator, featureRoot(preset)]))];
  const found = looked.filter((relative) => kind(root, relative) !== undefined);
  const suggestion = fits[0]?.preset ?? presets.find((preset) => found.includes(preset.aggregator))?.preset ?? 'modules';
  const what =
    fits.length === 0
      ? 'the project has no [tool.petsage] config and its layout matches no preset'
      : `the project has no [tool.petsage] config and its layout fits several presets: ${fits.map((preset) => preset.preset).join(', ')}`;
  throw invalidInput(`${what}.`, [
    found.length > 0 ? `Found: ${found.join(', ')}.` : `Found none of: ${looked.join(', ')}.`,
    'Run `petsage-build config --detect` to read the layout from the code (--write adds the config it prints),',
    'or, if it is one of the presets, say which: add these two lines to pyproject.toml (see the README for the other keys):',
    '  [tool.petsage]',
    `  preset = "${suggestion}"`,
  ]);
}
