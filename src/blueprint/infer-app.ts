import { invalidInput } from '../errors.js';
import { resolve } from '../python/aggregator.js';
import type { AggregatorFile } from '../python/model.js';
import { parseInclude, type Include } from '../python/routers.js';
import { scanLogicalLines, stringValue, type Token } from '../python/scan.js';
import { includeKeyword } from '../python/siblings.js';
import { analysed, mountedCandidate, type AggregatorCandidate } from './find-aggregator.js';
import { dottedModule, isTestFile, moduleFile, SOURCE_ROOTS, type SourceRoot } from './module-files.js';
import type { ProjectFiles } from './project-files.js';

/**
 * The app around the aggregator, read from the code: the import root its modules are imported
 * from, the FastAPI app that serves it, and the URL prefix the app mounts it under.
 */

/**
 * Each absolute import of a file, as the modules it may name: `from app.api.routes import items`
 * names `app.api.routes` or, in a namespace package, `app.api.routes.items`. Relative imports say
 * nothing of the root.
 */
const absoluteImports = (file: AggregatorFile) =>
  file.imports.flatMap((statement) => {
    if (statement.kind === 'import') return statement.names.map((name) => [name.name]);
    return statement.module.startsWith('.') ? [] : [[statement.module, ...statement.names.map((name) => `${statement.module}.${name.name}`)]];
  });

/**
 * `.` or `src`: the root under which the project's own absolute imports resolve to files, asked
 * of the aggregator first, then of the app module, then of the tests (which import the app the
 * way the project runs it). Relative imports say nothing; with no evidence at all, `.`.
 */
export function inferSourceRoot(files: ProjectFiles, evidence: readonly (AggregatorFile | undefined)[], aggregator: string): SourceRoot {
  for (const file of evidence) {
    if (!file) continue;
    const votes = (root: SourceRoot) => absoluteImports(file).filter((modules) => modules.some((module) => moduleFile(files, module, [root]))).length;
    const [atRoot, inSrc] = SOURCE_ROOTS.map(votes) as [number, number];
    if (atRoot + inSrc === 0) continue;
    return inSrc > atRoot && aggregator.startsWith('src/') ? 'src' : '.';
  }
  return '.';
}

/** The tests, read as the patcher reads code, for what they import. */
export const testFiles = (files: ProjectFiles) => [...files.python].filter(([file]) => isTestFile(file)).map(([file, source]) => analysed(file, source));

/** A FastAPI app: its file, variable, and the include that mounts the aggregator's router, when it does. */
export interface AppFound {
  file: string;
  variable: string;
  analysed: AggregatorFile;
  mount?: Include;
}

/**
 * The FastAPI app that serves the aggregator: the aggregator itself when it is the app, else the
 * app that includes its router, else the project's only app. None, or several that do not
 * mount it, is exit 2 naming them.
 */
export function findApp(files: ProjectFiles, aggregator: AggregatorCandidate): AppFound {
  if (aggregator.callee === 'FastAPI') return { file: aggregator.file, variable: aggregator.router, analysed: aggregator.analysed };
  const apps: AppFound[] = [];
  for (const [file, source] of files.python) {
    if (isTestFile(file) || !source.includes('FastAPI')) continue;
    const parsed = analysed(file, source);
    for (const definition of parsed?.definitions ?? []) {
      if (definition.callee !== 'FastAPI') continue;
      const mount = parsed!.includes.find((include) => include.owner === definition.name && mountedCandidate(files, resolve(include.target, parsed!.bindings), [aggregator]));
      apps.push({ file, variable: definition.name, analysed: parsed!, ...(mount && { mount }) });
    }
  }
  if (apps.length === 0) apps.push(...factoryApps(files, aggregator));
  const mounting = apps.filter((app) => app.mount);
  if (mounting.length === 1) return mounting[0]!;
  if (mounting.length === 0 && apps.length === 1) return apps[0]!;
  const listed = (mounting.length > 1 ? mounting : apps).map((app) => ({ path: app.file, message: `${app.variable} = FastAPI(...)` }));
  throw invalidInput(`could not tell which FastAPI app serves ${aggregator.router} in ${aggregator.file}: ${listed.length === 0 ? 'the project creates none' : 'several could'}.`, {
    path: '.',
    ...(listed.length > 0 && { problems: listed }),
    hints: ['Write the [tool.petsage] block yourself, with `app = "<module>:<variable>"` (README, "Project config").'],
  });
}

/**
 * Apps made by a factory in their module (`app = create_app()`, with `def create_app()` there
 * creating the FastAPI app and including routers into it, on a local variable).
 */
function factoryApps(files: ProjectFiles, aggregator: AggregatorCandidate): AppFound[] {
  const apps: AppFound[] = [];
  for (const [file, source] of files.python) {
    if (isTestFile(file) || !source.includes('FastAPI(')) continue;
    const parsed = analysed(file, source);
    if (!parsed) continue;
    const factories = new Set(parsed.topLevel.filter((line) => line.tokens[0]?.text === 'def').map((line) => line.tokens[1]?.text));
    const mount = parsed.lines.map(parseInclude).find((include) => include && mountedCandidate(files, resolve(include.target, parsed.bindings), [aggregator]));
    for (const line of parsed.topLevel) {
      const [name, equals, callee, open] = line.tokens;
      if (name?.kind === 'name' && equals?.text === '=' && callee !== undefined && factories.has(callee.text) && open?.text === '(') apps.push({ file, variable: name.text, analysed: parsed, ...(mount && { mount }) });
    }
  }
  return apps;
}

/** `app.main:app` for the app found, under the import root. */
export const appSpec = (app: AppFound, root: SourceRoot) => `${dottedModule(app.file, root)}:${app.variable}`;

/** What the prefix was read from, for the output. */
export interface PrefixFound {
  value: string;
  from: string;
}

/** The literal a module gives `name` (`API_V1_STR: str = "/api/v1"` in a settings class, or `PREFIX = "/api"`), first one wins. */
export function literalIn(source: string, name: string): string | undefined {
  for (const { tokens } of scanLogicalLines(source)) {
    if (tokens[0]?.text !== name) continue;
    const equals = tokens.findIndex((token) => token.text === '=');
    const value = tokens.slice(equals + 1);
    if (equals > 0 && (tokens[1]?.text === '=' || tokens[1]?.text === ':') && value.length === 1 && value[0]!.kind === 'string') return stringValue(value[0]!);
  }
  return undefined;
}

/** A prefix written as an imported name (`API_PREFIX`) or an attribute of one (`settings.API_V1_STR`): the literal its module gives it. */
function importedLiteral(files: ProjectFiles, value: readonly Token[], bindings: Map<string, string>): PrefixFound | undefined {
  const isName = value.length === 1 && value[0]!.kind === 'name';
  const isAttribute = value.length === 3 && value[0]!.kind === 'name' && value[1]!.text === '.' && value[2]!.kind === 'name';
  const imported = isName || isAttribute ? bindings.get(value[0]!.text) : undefined;
  if (imported === undefined) return undefined;
  const cut = imported.lastIndexOf('.');
  const module = cut > 0 ? moduleFile(files, imported.slice(0, cut)) : undefined;
  const literal = module && literalIn(files.python.get(module.file)!, value.at(-1)!.text);
  return literal === undefined ? undefined : { value: literal, from: `${value.map((token) => token.text).join('')}, as ${module!.file} sets it` };
}

/**
 * The URL prefix of the API: the prefix the app mounts the aggregator's router under (a string,
 * or a constant or settings attribute whose default the imported module writes as a string; no
 * prefix is ""); for features mounted straight on the app, the folder their includes' prefixes
 * share (`/api/v1` of `/api/v1/items`). Undefined when it cannot be read (computed at run time).
 */
export function inferApiPrefix(files: ProjectFiles, app: AppFound, aggregator: AggregatorCandidate): PrefixFound | undefined {
  if (app.mount) {
    const value = includeKeyword(app.mount, 'prefix');
    if (value === undefined) return { value: '', from: `${app.file} includes ${aggregator.router} without a prefix` };
    if (app.mount.prefix !== undefined) return { value: app.mount.prefix, from: app.file };
    return importedLiteral(files, value, app.analysed.bindings);
  }
  if (aggregator.callee !== 'FastAPI') return undefined;
  const parents = aggregator.includes.map(({ include }) => include.prefix?.replace(/\/[^/]*$/, ''));
  const [first] = parents;
  return first !== undefined && parents.every((parent) => parent === first) ? { value: first, from: `the prefixes of the includes in ${aggregator.file}` } : undefined;
}
