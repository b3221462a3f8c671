import path from 'node:path';
import type { Problem } from '../errors.js';
import { isUnder, relativePathProblem } from '../commit/safe-fs.js';
import { nearest, unknownName } from '../suggest.js';
import { PRESETS, type ArtifactPaths, type Blueprint, type ResourceLayout } from './presets.js';
import { isLineLength, isPythonFloor, LINE_LENGTH_RANGE, UTC_FLOOR } from './ruff.js';
import { isIdentifier } from './identifiers.js';
import { helperFolder, moduleName, ownDatabaseProblems } from './own-db.js';

export { isIdentifier };

/**
 * A blueprint's values become Python code (imports, module paths, URL strings) and file paths,
 * so they are checked as code and as paths, not as strings: whatever a config or a record says,
 * a blueprint that passes here generates importable modules at distinct paths in the project.
 */

export const PATH_KEYS: readonly (keyof ArtifactPaths)[] = ['schema', 'service', 'router', 'init', 'readme', 'test'];
/** Where the tool keeps its own state; no generated artifact may go there. */
export const STATE_DIR = '.petsage';

const API_PREFIX = /^(\/[A-Za-z0-9._~-]+)*$/;

/** "" or a URL path of plain segments (`/api/v1`), none of them `.` or `..`. */
export const isApiPrefix = (value: unknown): value is string => typeof value === 'string' && API_PREFIX.test(value) && !value.split('/').some((segment) => /^\.+$/.test(segment));
const PYTHON_COMMAND = /^[A-Za-z0-9._/+-]+$/;

export const isPreset = (name: unknown): name is string => typeof name === 'string' && Object.hasOwn(PRESETS, name);

/** What to say after "unknown preset": the closest preset when one is near (a typo), and every preset. */
export function presetChoices(name: unknown): string {
  const presets = Object.keys(PRESETS);
  const guess = typeof name === 'string' ? nearest(name, presets) : undefined;
  return `${guess ? `did you mean "${guess}"? The presets are` : 'choose one of'} ${presets.join(', ')}`;
}

/** `app/main.py` -> `app.main` checks: every directory a package name, the file a module name. */
function moduleProblem(file: string): string | undefined {
  const segments = file.replace(/\.py$/, '').split('/');
  const bad = segments.find((segment) => !isIdentifier(segment));
  return bad === undefined ? undefined : `"${bad}" is not a valid Python package or module name, so the file could not be imported`;
}

/** The path with a sample feature name, so that `{feature}` checks as a name. */
const sample = (template: string) => template.replaceAll('{feature}', 'feature');

/** A module file's path relative to the import root, or undefined when it lies outside it. */
function underRoot(file: string, sourceRoot: string): string | undefined {
  if (sourceRoot === '.') return file;
  return isUnder(file, sourceRoot) && file !== sourceRoot ? file.slice(sourceRoot.length + 1) : undefined;
}

/** Checks of one `paths.*` template; `key` names it in messages. */
function artifactProblems(kind: keyof ArtifactPaths | keyof ResourceLayout, template: string, blueprint: Blueprint, key: string): Problem[] {
  const bare = template.replaceAll('{feature}', 'feature');
  if (bare.includes('{') || bare.includes('}')) return [{ path: key, message: `"{" and "}" may only appear in {feature}` }];
  const problem = relativePathProblem(bare);
  if (problem) return [{ path: key, message: problem }];
  if (!template.includes('{feature}')) return [{ path: key, message: `must contain {feature}, so that each feature gets its own file` }];
  if (isUnder(template, STATE_DIR)) return [{ path: key, message: `must not lie under ${STATE_DIR}/, where petsage-build keeps its records` }];
  if (kind === 'readme') return template.endsWith('.md') ? [] : [{ path: key, message: 'must be a Markdown file ending in .md' }];
  if (kind === 'init' && path.posix.basename(template) !== '__init__.py') return [{ path: key, message: `must be an __init__.py` }];
  if (!template.endsWith('.py')) return [{ path: key, message: `must be a Python file ending in .py` }];
  // Tests are collected by pytest from anywhere; the module files are imported from the import root.
  const module = kind === 'test' ? template : underRoot(template, blueprint.sourceRoot);
  if (module === undefined) return [{ path: key, message: `must lie under source_root "${blueprint.sourceRoot}", the import root of the generated modules` }];
  const bad = moduleProblem(sample(module));
  return bad ? [{ path: key, message: bad }] : [];
}

/**
 * Every problem of a blueprint, one `key: message` line each; `key` spells a blueprint key the
 * way the source names it (`tool.petsage.api_prefix`, `blueprint.apiPrefix`).
 */
/** Where the tests read the API prefix from: names that become an import and an f-string, so Python names only. */
function prefixFromProblems(value: unknown, where: string): Problem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ path: where, message: 'must be {"module", "name", "attribute"}' }];
  const { module, name, attribute, ...extra } = value as Record<string, unknown>;
  return [
    ...Object.keys(extra).map((key) => ({ path: `${where}.${key}`, message: 'unknown key' })),
    ...(typeof module === 'string' && module.split('.').every(isIdentifier) ? [] : [{ path: `${where}.module`, message: 'must be a dotted Python module name' }]),
    ...[['name', name], ['attribute', attribute]].filter(([, text]) => typeof text !== 'string' || !isIdentifier(text)).map(([key]) => ({ path: `${where}.${key as string}`, message: 'must be a Python name' })),
  ];
}

/** `route_dependencies`: a list of `dotted.module:name`, each becoming an import and a `Depends(name)`. */
function routeDependencyProblems(value: unknown, where: string): Problem[] {
  if (!Array.isArray(value) || value.length > 16) return [{ path: where, message: 'must be a list of at most 16 "dotted.module:name" strings' }];
  return value.flatMap((entry, i) => {
    const [module, name, ...extra] = typeof entry === 'string' ? entry.split(':') : [];
    const valid = module !== undefined && module.split('.').every(isIdentifier) && name !== undefined && isIdentifier(name) && extra.length === 0;
    return valid ? [] : [{ path: `${where}[${i}]`, message: `must be "dotted.module:name", e.g. "app.api.deps:get_current_user"` }];
  });
}

/** A recorded mount (see siblings.ts): each of its four choices, where the prefix comes from, and nothing else. */
function mountProblems(mount: unknown, where: string): Problem[] {
  const choices: Record<string, readonly unknown[]> = { prefix: ['include', 'module'], tags: ['module', 'include'], tagStyle: ['title', 'kebab', 'snake'], onApp: [true, false] };
  if (typeof mount !== 'object' || mount === null || Array.isArray(mount)) return [{ path: where, message: 'must be an object' }];
  const value = mount as Record<string, unknown>;
  return [
    ...Object.keys(value).filter((name) => !Object.hasOwn(choices, name) && name !== 'prefixFrom' && name !== 'relativeImports').map((name) => ({ path: `${where}.${name}`, message: 'unknown key' })),
    ...(value.relativeImports === undefined || value.relativeImports === true ? [] : [{ path: `${where}.relativeImports`, message: 'must be true, or absent' }]),
    ...(value.prefixFrom === undefined ? [] : prefixFromProblems(value.prefixFrom, `${where}.prefixFrom`)),
    ...Object.entries(choices).filter(([name, allowed]) => !allowed.includes(value[name])).map(([name, allowed]) => ({ path: `${where}.${name}`, message: `must be one of ${allowed.map((choice) => JSON.stringify(choice)).join(', ')}` })),
  ];
}

export function blueprintProblems(blueprint: Blueprint, key: (name: string) => string): Problem[] {
  const problems: Problem[] = [];
  const { sourceRoot, app, apiPrefix, aggregator, router, templates, python, paths, lineLength, clientFixture } = blueprint;
  if (!isPreset(blueprint.preset)) problems.push({ path: key('preset'), message: `unknown preset; ${presetChoices(blueprint.preset)}` });

  const rootProblem = sourceRoot === '.' ? undefined : relativePathProblem(sourceRoot);
  if (rootProblem) problems.push({ path: key('sourceRoot'), message: rootProblem });

  const [appModule, appVar, ...extra] = typeof app === 'string' ? app.split(':') : [];
  if (typeof app !== 'string' || extra.length > 0 || appVar === undefined || !appModule!.split('.').every(isIdentifier) || !isIdentifier(appVar)) {
    problems.push({ path: key('app'), message: `must be "dotted.module:variable", e.g. "app.main:app"` });
  }
  if (!isApiPrefix(apiPrefix)) {
    problems.push({ path: key('apiPrefix'), message: `must be a URL path such as "/api/v1" (a leading "/", segments of letters, digits and "._~-"), or "" for none` });
  }
  if (router !== undefined && (typeof router !== 'string' || !isIdentifier(router))) problems.push({ path: key('router'), message: `must be a Python variable name` });
  if (python !== undefined && (typeof python !== 'string' || !PYTHON_COMMAND.test(python))) {
    problems.push({ path: key('python'), message: `must be a command or path without spaces, e.g. "python3" or ".venv/bin/python"` });
  }

  if (lineLength !== undefined && !isLineLength(lineLength)) {
    problems.push({ path: key('lineLength'), message: `must be a whole number from ${LINE_LENGTH_RANGE.min} to ${LINE_LENGTH_RANGE.max}` });
  }
  if (blueprint.pythonFloor !== undefined && !isPythonFloor(blueprint.pythonFloor)) {
    problems.push({ path: key('pythonFloor'), message: `must be a Python version from "3.${UTC_FLOOR}" on, such as "3.12", or absent` });
  }

  if (clientFixture !== undefined && clientFixture !== true) problems.push({ path: key('clientFixture'), message: 'must be true, or absent' });
  if (blueprint.mount !== undefined) problems.push(...mountProblems(blueprint.mount, key('mount')));
  if (blueprint.routeDependencies !== undefined) problems.push(...routeDependencyProblems(blueprint.routeDependencies, key('routeDependencies')));

  const templatesProblem = relativePathProblem(templates);
  if (templatesProblem) problems.push({ path: key('templates'), message: templatesProblem });
  else if (isUnder(templates, `${STATE_DIR}/features`)) problems.push({ path: key('templates'), message: `must not be ${STATE_DIR}/features, where the records are` });

  const aggregatorProblem = relativePathProblem(aggregator) ?? (aggregator.endsWith('.py') ? undefined : 'must be a Python file ending in .py');
  const aggregatorModule = aggregatorProblem || rootProblem ? undefined : underRoot(aggregator, sourceRoot);
  if (aggregatorProblem) problems.push({ path: key('aggregator'), message: `${aggregatorProblem}` });
  else if (!rootProblem && aggregatorModule === undefined) problems.push({ path: key('aggregator'), message: `must lie under source_root "${sourceRoot}"` });
  else if (aggregatorModule !== undefined && moduleProblem(aggregatorModule)) problems.push({ path: key('aggregator'), message: `${moduleProblem(aggregatorModule)}` });
  else if (isUnder(aggregator, STATE_DIR)) problems.push({ path: key('aggregator'), message: `must not lie under ${STATE_DIR}/` });

  if (typeof paths !== 'object' || paths === null) return [...problems, { path: key('paths'), message: `must be a table of artifact paths` }];
  for (const kind of Object.keys(paths)) {
    if (!(PATH_KEYS as readonly string[]).includes(kind)) problems.push({ path: key(`paths.${kind}`), message: `${unknownName(kind, PATH_KEYS, 'key')}` });
  }
  const seen = new Map<string, string>();
  for (const kind of PATH_KEYS) {
    const template = paths[kind];
    if (template === undefined) {
      if (kind !== 'init') problems.push({ path: key(`paths.${kind}`), message: `is missing` });
      continue;
    }
    if (rootProblem) continue;
    const found = artifactProblems(kind, template, blueprint, key(`paths.${kind}`));
    problems.push(...found);
    if (found.length > 0) continue;
    const other = seen.get(template);
    if (other) problems.push({ path: key(`paths.${kind}`), message: `is the same path as paths.${other}; each artifact needs its own file` });
    seen.set(template, kind);
  }
  if (paths.init !== undefined && typeof paths.router === 'string' && path.posix.dirname(paths.init) !== path.posix.dirname(paths.router)) {
    problems.push({ path: key('paths.init'), message: `must be the __init__.py beside paths.router (${path.posix.dirname(paths.router)}/__init__.py)` });
  }
  if (blueprint.resource !== undefined && !rootProblem) problems.push(...resourceLayoutProblems(blueprint.resource, blueprint, key));
  if (blueprint.db !== undefined) problems.push(...ownDatabaseLayoutProblems(blueprint, key));
  return problems;
}

/**
 * The backend's own database layer: its imports well formed, and petsage-build's helper module
 * (the resource layout's `db` folder) beside the base, where the config puts it.
 */
function ownDatabaseLayoutProblems(blueprint: Blueprint, key: (name: string) => string): Problem[] {
  const problems = ownDatabaseProblems(blueprint.db, key);
  const base = moduleName(blueprint.db?.base);
  if (blueprint.resource === undefined) problems.push({ path: key('db'), message: 'needs a layout that says where resources persist' });
  else if (problems.length === 0 && base && blueprint.resource.db !== helperFolder(base, blueprint.sourceRoot)) {
    problems.push({ path: key('resource.db'), message: `must be ${helperFolder(base, blueprint.sourceRoot)}, the folder of the base's module, with the database layer named under db` });
  }
  return problems;
}

const RESOURCE_FILE_KEYS = ['model', 'repository', 'dependencies'] as const;
const RESOURCE_KEYS: readonly string[] = [...RESOURCE_FILE_KEYS, 'db', 'migrations'];

/** Where resources persist: feature files as artifacts are, the database package importable, the migrations a folder of the project. */
function resourceLayoutProblems(layout: ResourceLayout, blueprint: Blueprint, key: (name: string) => string): Problem[] {
  if (typeof layout !== 'object' || layout === null) return [{ path: key('resource'), message: 'must be a table of resource paths' }];
  const problems: Problem[] = Object.keys(layout)
    .filter((name) => !RESOURCE_KEYS.includes(name))
    .map((name) => ({ path: key(`resource.${name}`), message: unknownName(name, RESOURCE_KEYS, 'key') }));
  for (const name of RESOURCE_KEYS) {
    if (typeof layout[name as keyof ResourceLayout] !== 'string') problems.push({ path: key(`resource.${name}`), message: 'must be a string' });
  }
  if (problems.length > 0) return problems;
  for (const kind of RESOURCE_FILE_KEYS) problems.push(...artifactProblems(kind, layout[kind], blueprint, key(`resource.${kind}`)));
  const dbProblem = relativePathProblem(layout.db);
  const dbModule = dbProblem ? undefined : underRoot(`${layout.db}/__init__.py`, blueprint.sourceRoot);
  if (dbProblem) problems.push({ path: key('resource.db'), message: dbProblem });
  else if (dbModule === undefined) problems.push({ path: key('resource.db'), message: `must lie under source_root "${blueprint.sourceRoot}"` });
  else if (moduleProblem(dbModule)) problems.push({ path: key('resource.db'), message: `${moduleProblem(dbModule)}` });
  const migrationsProblem = relativePathProblem(layout.migrations);
  if (migrationsProblem) problems.push({ path: key('resource.migrations'), message: migrationsProblem });
  for (const name of ['db', 'migrations'] as const) {
    if (isUnder(layout[name], STATE_DIR)) problems.push({ path: key(`resource.${name}`), message: `must not lie under ${STATE_DIR}/` });
  }
  return problems;
}
