import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectPreset } from '../../src/blueprint/detect.js';
import { PRESETS } from '../../src/blueprint/presets.js';
import { failure } from '../helpers/errors.js';
import { tempDir } from '../helpers/tmp.js';

/** A Python project (its pyproject.toml) with these files and folders. */
function layout(paths: string[]): string {
  const root = tempDir();
  writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "x"\n');
  for (const relative of paths) {
    const full = path.join(root, relative);
    if (relative.endsWith('/')) mkdirSync(full, { recursive: true });
    else {
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, '');
    }
  }
  return root;
}

const detectionFailure = (root: string) => failure(() => detectPreset(root));

describe('detectPreset', () => {
  // The README's layouts table, written out: what a user has on disk, and the preset it means.
  const LAYOUTS = [
    ['modules', 'app/api/v1/api.py', 'app/api/v1/modules/'],
    ['layered', 'src/petsage/main.py', 'src/petsage/routers/'],
    ['features', 'main.py', 'features/'],
    ['endpoints', 'app/api/v1/api.py', 'app/api/v1/endpoints/'],
    ['src-features', 'src/petsage/main.py', 'src/petsage/features/'],
    ['full-stack', 'app/api/main.py', 'app/api/routes/'],
  ] as const;

  it('knows a layout for every preset', () => {
    expect(LAYOUTS.map(([name]) => name).sort()).toEqual(Object.keys(PRESETS).sort());
  });

  it.each(LAYOUTS)('recognises %s from %s and %s, naming them as evidence', (name, aggregator, folder) => {
    const detection = detectPreset(layout([aggregator, folder]));
    expect(detection.blueprint.preset).toBe(name);
    expect(detection.blueprint).toEqual(PRESETS[name]);
    expect(detection.evidence).toEqual([aggregator, folder]);
  });

  it('does not take a file where the feature folder should be', () => {
    const error = detectionFailure(layout(['app/api/v1/api.py', 'app/api/v1/modules']));
    expect(error.message).toContain('matches no preset');
  });

  it('refuses a layout that fits several presets, listing what it found and the two lines to add', () => {
    const root = layout(['app/api/v1/api.py', 'app/api/v1/modules/', 'app/api/v1/endpoints/']);
    const error = detectionFailure(root);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('fits several presets: modules, endpoints');
    expect(error.details).toEqual([
      'Found: app/api/v1/api.py, app/api/v1/modules/, app/api/v1/endpoints/.',
      expect.stringContaining('petsage-build config --detect'),
      expect.stringContaining('add these two lines to pyproject.toml'),
      '  [tool.petsage]',
      '  preset = "modules"',
    ]);
  });

  it('refuses an empty project, saying what it looked for', () => {
    const error = detectionFailure(layout([]));
    expect(error.message).toContain('matches no preset');
    expect(error.details[0]).toMatch(/^Found none of: app\/api\/v1\/api\.py, app\/api\/v1\/modules\/, src\/petsage\/main\.py/);
  });

  it('says a folder with no pyproject.toml and no layout is not a backend, pointing at --target', () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'routers'));
    writeFileSync(path.join(root, 'main.py'), '');
    const error = detectionFailure(path.join(root, 'routers'));
    expect(error.exitCode).toBe(2);
    expect(error.path).toBe('--target');
    expect(error.text).toBe(`${path.join(root, 'routers')} is not a backend: it has no pyproject.toml and no layout petsage-build knows.`);
    expect(error.hints[0]).toContain("Point --target at the backend's own folder");
  });

  it('suggests the preset whose aggregator exists when its feature folder does not', () => {
    expect(detectionFailure(layout(['main.py'])).details.at(-1)).toBe('  preset = "features"');
  });
});
