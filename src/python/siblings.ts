import { resolve } from './aggregator.js';
import type { AggregatorFile } from './model.js';
import { findRouterDefinitions, parseInclude, type Include } from './routers.js';
import { bracketContents, scanPython, splitTopLevel, stringValue, type LogicalLine, type Token } from './scan.js';

/**
 * How the features already in a backend are mounted, read from the aggregator's includes and
 * the route module of one of them, so that a new feature follows them: where its URL prefix and
 * its tags are set, and how a tag reads.
 */
export interface Mount {
  /** The prefix in each include (`include_router(x.router, prefix="/x")`), or in each module's `APIRouter(prefix="/x")`. */
  prefix: 'include' | 'module';
  /** The tags in each module's `APIRouter(tags=[...])`, or in each include. */
  tags: 'module' | 'include';
  /** A tag is the feature's title (`Pet Profiles`), its URL segment (`pet-profiles`) or its module name (`pet_profiles`). */
  tagStyle: 'title' | 'kebab' | 'snake';
  /** The routers hang straight on the FastAPI app, so a prefix in a module carries the API prefix too. */
  onApp: boolean;
  /**
   * The siblings' modules import each other relatively (`from .schemas import Item`), so that
   * they work under whichever import root runs them (`app.` for the server, `src.app.` for the
   * tests): the feature's modules do too.
   */
  relativeImports?: true;
  /**
   * The app mounts the aggregator's router under a settings value (`prefix=settings.API_V1_STR`,
   * `settings` imported from `app.core.config`): the tests build their URLs from it.
   */
  prefixFrom?: PrefixSource;
}

/** `from <module> import <name>`, then `<name>.<attribute>`. */
export interface PrefixSource {
  module: string;
  name: string;
  attribute: string;
}

/** How the app mounts the aggregator's router: under a literal prefix, under a settings value, or neither that can be read. */
export interface ApiMount {
  literal?: string;
  from?: PrefixSource;
}

/**
 * What the app mounts the aggregator's router under, wherever the include is (at the top level,
 * or inside an app factory on a local app): `prefix="/api"`, no prefix (""), or an attribute of
 * an imported name (`prefix=settings.API_V1_STR`). Undefined when the app does not include it.
 */
export function apiMount(app: AggregatorFile, router: string): ApiMount | undefined {
  for (const line of app.lines) {
    const include = parseInclude(line);
    if (!include || resolve(include.target, app.bindings) !== router) continue;
    const value = includeKeyword(include, 'prefix');
    if (value === undefined) return { literal: '' };
    if (value.length === 1 && value[0]!.kind === 'string') {
      const literal = stringValue(value[0]!);
      return literal === undefined ? {} : { literal };
    }
    if (value.length !== 3 || value[0]!.kind !== 'name' || value[1]!.text !== '.' || value[2]!.kind !== 'name') return {};
    const imported = app.bindings.get(value[0]!.text);
    const dot = imported?.lastIndexOf('.') ?? -1;
    if (imported === undefined || dot < 1) return {};
    return { from: { module: imported.slice(0, dot), name: imported.slice(dot + 1), attribute: value[2]!.text } };
  }
  return undefined;
}

export const DEFAULT_MOUNT: Mount = { prefix: 'include', tags: 'module', tagStyle: 'title', onApp: false };

/** A mount that generates what a default backend always got (whether its routers hang on the app aside): nothing to record. */
export const isDefaultMount = (mount: Mount) =>
  mount.prefix === DEFAULT_MOUNT.prefix && mount.tags === DEFAULT_MOUNT.tags && mount.tagStyle === DEFAULT_MOUNT.tagStyle && !mount.prefixFrom && !mount.relativeImports;

/** The keyword arguments of a call on `line`, from the bracket at `open`: name -> value tokens. */
function keywords(line: LogicalLine, open: number): Map<string, Token[]> {
  const found = new Map<string, Token[]>();
  for (const arg of splitTopLevel(bracketContents(line.tokens, open))) {
    if (arg[0]?.kind === 'name' && arg[1]?.text === '=') found.set(arg[0].text, arg.slice(2));
  }
  return found;
}

const INCLUDE_OPEN = 3;

/** The tokens of one keyword argument of an include (`prefix=settings.API_V1_STR`), if it passes it. */
export const includeKeyword = (include: Include, name: string): Token[] | undefined => keywords(include.line, INCLUDE_OPEN).get(name);

/** The first string of a `["x", ...]` value. */
function firstTag(value: readonly Token[] | undefined): string | undefined {
  if (!value || value[0]?.text !== '[') return undefined;
  const token = value[1];
  return token?.kind === 'string' ? stringValue(token) : undefined;
}

/** How a tag reads, against the module it tags: `pet-profiles` for `app.api.routes.pet_profiles` is its URL segment. */
function styleOf(tag: string, moduleLeaf: string): Mount['tagStyle'] | undefined {
  // One word reads the same either way: the URL's spelling, as a tag names a group of URLs.
  if (tag === moduleLeaf.replaceAll('_', '-')) return 'kebab';
  if (tag === moduleLeaf) return 'snake';
  if (/^[A-Z]/.test(tag)) return 'title';
  return undefined;
}

/** The `APIRouter(...)` keyword arguments of a route module's `router`, read from its source. */
export function moduleRouterKeywords(source: string): Map<string, Token[]> | undefined {
  const { lines, problems } = scanPython(source);
  if (problems.length > 0) return undefined;
  const definition = findRouterDefinitions(lines.filter((line) => line.indent === '')).find((candidate) => candidate.name === 'router');
  if (!definition) return undefined;
  const open = definition.line.tokens.findIndex((token) => token.text === '(');
  return keywords(definition.line, open);
}

/**
 * The mount the siblings of `routerVar` share. No sibling, or siblings that disagree, keep the
 * default: the prefix at include time and a title tag in the module. `readModule` gives a route
 * module's source by its dotted name; `readRouterModule` the source that defines its `router`,
 * for the tags a module sets (a package's router module, when its `__init__.py` re-exports it).
 */
export function siblingMount(
  file: AggregatorFile,
  routerVar: string,
  readModule: (dotted: string) => string | undefined,
  readRouterModule: (dotted: string) => string | undefined = readModule,
): Mount {
  const onApp = file.definitions.find((candidate) => candidate.name === routerVar)?.callee === 'FastAPI';
  const siblings = file.includes.filter((include: Include) => include.owner === routerVar);
  if (siblings.length === 0) return { ...DEFAULT_MOUNT, onApp };
  const args = siblings.map((include) => keywords(include.line, INCLUDE_OPEN));
  const prefix = args.every((keyword) => !keyword.has('prefix')) ? 'module' : 'include';
  const tags = args.every((keyword) => keyword.has('tags')) ? 'include' : 'module';
  const modules = siblings.map((include) => resolve(include.target, file.bindings).replace(/\.router$/, ''));
  const firstSource = readModule(modules[0]!);
  // Relative imports, from the first sibling's module (a package's __init__.py re-exporting its router).
  const relativeImports = /^from \.+[A-Za-z_ ]/m.test(firstSource ?? '');
  // The tag style, from the first sibling whose tag is found where the siblings set it.
  let tagStyle: Mount['tagStyle'] | undefined;
  for (const [i, dotted] of modules.entries()) {
    const leaf = dotted.split('.').at(-1)!;
    const source = tags === 'module' ? readRouterModule(dotted) : undefined;
    const tag = tags === 'include' ? firstTag(args[i]!.get('tags')) : source === undefined ? undefined : firstTag(moduleRouterKeywords(source)?.get('tags'));
    tagStyle = tag === undefined ? undefined : styleOf(tag, leaf);
    if (tagStyle) break;
  }
  return { prefix, tags, tagStyle: tagStyle ?? 'title', onApp, ...(relativeImports && { relativeImports: true as const }) };
}
