import path from 'node:path';
import { FEATURE_PATTERN } from '../payload/naming.js';
import type { ArtifactPaths } from './presets.js';
import type { ImportedInclude } from './find-aggregator.js';
import { moduleFile, topPackageFolder } from './module-files.js';
import type { ProjectFiles } from './project-files.js';

/**
 * Where a backend keeps its features, read from the ones its aggregator mounts: a flat module
 * (`app/api/routes/items.py`) or a package (`app/users/router.py` with `__init__.py`), and what
 * lies beside them (schemas, services, a README) or in sibling folders, and where their tests are.
 */

/** One existing feature the aggregator mounts. */
export interface FeatureUnit {
  name: string;
  /** The folder that holds the features. */
  folder: string;
  /** A package of its own (`users/router.py`), or a flat module (`users.py`). */
  kind: 'package' | 'module';
  /** In a package: the router module's file name (`router.py`), and whether an `__init__.py` re-exports it. */
  routerFile?: string;
  hasInit?: boolean;
}

/** Module names that hold a feature's router inside its package, rather than naming the feature. */
const ROUTER_STEMS = new Set(['router', 'routes', 'routers', 'views', 'api', 'endpoints', 'controller']);

const join = (folder: string, ...rest: string[]) => (folder === '.' || folder === '' ? rest.join('/') : [folder, ...rest].join('/'));

/** The feature an include mounts: the module its router comes from, read as a package or a flat module. */
export function featureUnit(files: ProjectFiles, { dotted }: ImportedInclude): FeatureUnit | undefined {
  const cut = dotted.lastIndexOf('.');
  const module = cut > 0 ? moduleFile(files, dotted.slice(0, cut)) : undefined;
  if (!module) return undefined;
  const dir = path.posix.dirname(module.file);
  const stem = path.posix.basename(module.file, '.py');
  const unit: FeatureUnit = module.isPackage
    ? { name: path.posix.basename(dir), folder: path.posix.dirname(dir), kind: 'package', routerFile: routerFileIn(files, dir), hasInit: true }
    : ROUTER_STEMS.has(stem)
      ? { name: path.posix.basename(dir), folder: path.posix.dirname(dir), kind: 'package', routerFile: `${stem}.py`, hasInit: files.python.has(`${dir}/__init__.py`) }
      : { name: stem, folder: dir, kind: 'module' };
  const routerSource = files.python.get(unit.kind === 'package' && module.isPackage ? `${dir}/${unit.routerFile}` : module.file);
  const variable = unit.kind === 'package' && module.isPackage ? 'router' : dotted.slice(cut + 1);
  return FEATURE_PATTERN.test(unit.name) && routerSource !== undefined && servesRoutes(routerSource, variable) ? unit : undefined;
}

/**
 * Whether a module declares routes on `variable` (`@router.get(...)`, `router.add_api_route(...)`):
 * a feature does; an aggregator with no feature yet, mounted by the app, does not, and says
 * nothing of where features go.
 */
function servesRoutes(source: string, variable: string): boolean {
  const name = variable.replace(/[^\w]/g, '');
  return new RegExp(`@\\s*${name}\\s*\\.\\s*(get|post|put|patch|delete|head|options|trace|api_route|route|websocket)\\b|\\b${name}\\s*\\.\\s*(add_api_route|add_api_websocket_route|include_router)\\b`).test(source);
}

/** The router module of a package whose `__init__.py` is imported: `router.py` unless it uses another name. */
function routerFileIn(files: ProjectFiles, dir: string): string {
  const stem = [...ROUTER_STEMS].find((name) => files.python.has(`${dir}/${name}.py`));
  return `${stem ?? 'router'}.py`;
}

/** The most frequent of `values` (the first seen on a tie), or undefined for none. */
export function mostCommon<T>(values: readonly T[], key: (value: T) => string = String): T | undefined {
  const counts = new Map<string, { value: T; count: number }>();
  for (const value of values) {
    const entry = counts.get(key(value));
    if (entry) entry.count += 1;
    else counts.set(key(value), { value, count: 1 });
  }
  let best: { value: T; count: number } | undefined;
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
  return best?.value;
}

/** The units laid out the way most of them are: the others (a login module elsewhere) say nothing of where a new one goes. */
export function typicalUnits(units: readonly FeatureUnit[]): FeatureUnit[] {
  const shape = (unit: FeatureUnit) => `${unit.kind} ${unit.folder} ${unit.routerFile ?? ''} ${unit.hasInit ?? ''}`;
  const typical = mostCommon(units, shape);
  return typical ? units.filter((unit) => shape(unit) === shape(typical)) : [];
}

const SCHEMA_NAMES = ['schemas', 'schema', 'models'];
const SERVICE_NAMES = ['service', 'services', 'crud'];
const README_NAMES = ['README.md', 'readme.md'];

/** In a package: the first of `names` each feature has (`<name>.py`, or the file name itself), as most have it. */
function besideInPackage(files: ProjectFiles, units: readonly FeatureUnit[], names: readonly string[], fallback: string): string {
  const fileName = (name: string) => (name.includes('.') ? name : `${name}.py`);
  const found = units.flatMap((unit) => names.map(fileName).find((name) => name !== unit.routerFile && files.seen.has(join(unit.folder, unit.name, name))) ?? []);
  return join(units[0]!.folder, '{feature}', mostCommon(found) ?? fallback);
}

/**
 * For flat modules: a folder named like `names` beside the features' folder or one of its
 * parents, nearest first, holding `<feature>.py` for one of them (`app/schemas/items.py` for
 * `app/api/routes/items.py`); else `fallback` under the features' top package.
 */
function inSiblingFolder(files: ProjectFiles, units: readonly FeatureUnit[], names: readonly string[], fallback: string, sourceRoot: string): string {
  for (let parent = path.posix.dirname(units[0]!.folder); ; parent = path.posix.dirname(parent)) {
    const found = units.flatMap((unit) => names.find((name) => files.python.has(join(parent, name, `${unit.name}.py`))) ?? []);
    const name = mostCommon(found);
    if (name) return join(parent, name, '{feature}.py');
    if (parent === '.') break;
  }
  return join(topPackageFolder(units[0]!.folder, sourceRoot), fallback, '{feature}.py');
}

/** `<dir>/<name>` with each folder named for the feature templated: `tests/{feature}/test_{feature}.py`. */
function templated(file: string, feature: string, leaf: string): string {
  const dir = path.posix.dirname(file).split('/').map((segment) => (segment === feature ? '{feature}' : segment)).join('/');
  return join(dir, leaf);
}

/** Where most features' Markdown of their own is (`docs/features/items.md`), else `docs/features/`. */
function readmeOutside(files: ProjectFiles, units: readonly FeatureUnit[]): string {
  const found = [...files.seen].flatMap((file) => {
    const unit = units.find((candidate) => path.posix.basename(file) === `${candidate.name}.md`);
    return unit ? [templated(file, unit.name, '{feature}.md')] : [];
  });
  return mostCommon(found) ?? 'docs/features/{feature}.md';
}

/** Where most features' tests are (`tests/api/routes/test_items.py` -> `tests/api/routes/test_{feature}.py`), else `tests/test_{feature}.py`. */
function testPath(files: ProjectFiles, units: readonly FeatureUnit[]): string {
  const found = [...files.python.keys()].flatMap((file) => {
    const unit = units.find((candidate) => path.posix.basename(file) === `test_${candidate.name}.py`);
    return unit ? [templated(file, unit.name, 'test_{feature}.py')] : [];
  });
  return mostCommon(found) ?? 'tests/test_{feature}.py';
}

/** Every artifact path, with `{feature}`, from the typical units (at least one). */
export function artifactPaths(files: ProjectFiles, units: readonly FeatureUnit[], sourceRoot: string): ArtifactPaths {
  const [unit] = units as [FeatureUnit];
  const test = testPath(files, units);
  if (unit.kind === 'package') {
    return {
      schema: besideInPackage(files, units, SCHEMA_NAMES, 'schemas.py'),
      service: besideInPackage(files, units, SERVICE_NAMES, 'service.py'),
      router: join(unit.folder, '{feature}', unit.routerFile!),
      ...(unit.hasInit && { init: join(unit.folder, '{feature}', '__init__.py') }),
      readme: besideInPackage(files, units, README_NAMES, 'README.md'),
      test,
    };
  }
  return {
    schema: inSiblingFolder(files, units, SCHEMA_NAMES, 'schemas', sourceRoot),
    service: inSiblingFolder(files, units, SERVICE_NAMES, 'services', sourceRoot),
    router: join(unit.folder, '{feature}.py'),
    readme: readmeOutside(files, units),
    test,
  };
}
