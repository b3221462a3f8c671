import { topPackageFolder } from './module-files.js';
import type { Blueprint, ResourceLayout } from './presets.js';

/**
 * The backend's folder that plays the preset's package: one of the same name on the way to its
 * features (`src/app` for the preset's `app`, where the import root is the project's folder and
 * the code imports `src.app...`), else its top package.
 */
function counterpart(file: string, sourceRoot: string, presetFolder: string): string {
  const name = presetFolder.split('/').at(-1)!;
  const segments = file.split('/');
  const skip = sourceRoot === '.' ? 0 : sourceRoot.split('/').length;
  const at = segments.indexOf(name, skip);
  return at >= 0 && at < segments.length - 1 ? segments.slice(0, at + 1).join('/') : topPackageFolder(file, sourceRoot);
}

/**
 * A resource's model, repository, dependencies and database layer in the backend's own package:
 * the preset lays them out under its package (`app/`, `src/petsage/`), and a backend whose
 * features live in another one (a layout `config --detect` read: `src/myapi/routers/`) gets the
 * same layout under that one (`src/myapi/tables/`), where its modules import each other; a folder
 * named as the preset's package on the way to the features is taken for it (`src/app/`). The
 * migrations folder stays where the preset puts it, beside `alembic.ini`.
 */
export function resourceLayoutIn(blueprint: Blueprint, preset: Blueprint): ResourceLayout | undefined {
  const layout = blueprint.resource;
  if (!layout || !preset.resource) return layout;
  const from = topPackageFolder(preset.paths.router, preset.sourceRoot);
  const to = counterpart(blueprint.paths.router, blueprint.sourceRoot, from);
  if (from === to) return layout;
  const moved = (file: string) => (file === from || file.startsWith(`${from}/`) ? `${to}${file.slice(from.length)}` : file);
  return { ...layout, model: moved(layout.model), repository: moved(layout.repository), dependencies: moved(layout.dependencies), db: moved(layout.db) };
}
