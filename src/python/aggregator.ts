import { conflict } from '../errors.js';
import type { AggregatorEdit, AggregatorFile } from './model.js';
import { applyInsertions, invalidPython, lineEnding, lineNumber, showRegion, type AddedText, type Insertion } from './edits.js';
import { bindingsOf, parseImport, type ImportStatement } from './imports.js';
import { wrapModuleList, type ListAddition } from './module-list.js';
import { LINE_LENGTH } from './format.js';
import { addToModuleList, after, arrange, includeText, moduleList, placeImport } from './placement.js';
import { collectionRefused, detectRouter, findRouterCollections, findRouterDefinitions, parseInclude, type Include } from './routers.js';
import { pythonProblems, scanPython, type LogicalLine } from './scan.js';

export interface PatchResult {
  text: string;
  changed: boolean;
  /** The router the feature was mounted on (configured or detected). */
  routerVar: string;
  /** Exactly what was added, so that `unpatchAggregator` can take it out again. */
  added: AddedText[];
}

export function analyse(source: string, edit: Pick<AggregatorEdit, 'file' | 'aggregatorPackage'>): AggregatorFile {
  const { lines, problems } = scanPython(source);
  if (problems[0]) throw invalidPython(edit.file, source, problems[0]);
  const topLevel = lines.filter((line) => line.indent === '');
  const imports = topLevel.flatMap((line) => parseImport(line) ?? []);
  const bindings = new Map<string, string>();
  for (const statement of imports) for (const [name, dotted] of bindingsOf(statement, edit.aggregatorPackage)) bindings.set(name, dotted);
  return {
    source,
    eol: lineEnding(source),
    lines,
    topLevel,
    imports,
    bindings,
    definitions: findRouterDefinitions(topLevel),
    includes: topLevel.flatMap((line) => parseInclude(line) ?? []),
  };
}

/** A name the file binds at top level: what an import binds it to (undefined for an assignment, function or class), and where. */
export interface TopLevelBinding {
  dotted: string | undefined;
  line: LogicalLine;
}

/** Statements whose first name is followed by `:` without binding it. */
const COLON_KEYWORDS = new Set(['else', 'try', 'finally', 'lambda']);

/**
 * Every name the file binds at top level, first binding first: imports, `x = ...`,
 * `x: T = ...`, functions and classes (the router variable among them).
 */
export function topLevelBindings(file: Pick<AggregatorFile, 'topLevel' | 'imports'>, packageName: string): Map<string, TopLevelBinding> {
  const bound = new Map<string, TopLevelBinding>();
  const bind = (name: string, dotted: string | undefined, line: LogicalLine) => {
    if (!bound.has(name)) bound.set(name, { dotted, line });
  };
  const imports = new Map(file.imports.map((statement) => [statement.line, statement]));
  for (const line of file.topLevel) {
    const statement = imports.get(line);
    if (statement) {
      for (const [name, dotted] of bindingsOf(statement, packageName)) bind(name, dotted, line);
      continue;
    }
    const [first, second, third] = line.tokens;
    if (first?.kind !== 'name') continue;
    if ((first.text === 'def' || first.text === 'class') && second?.kind === 'name') bind(second.text, undefined, line);
    else if (first.text === 'async' && second?.text === 'def' && third?.kind === 'name') bind(third.text, undefined, line);
    else if (second?.text === '=' || (second?.text === ':' && !COLON_KEYWORDS.has(first.text))) bind(first.text, undefined, line);
  }
  return bound;
}

/** The router features are mounted on: the configured one, or the one detected in the file. */
export function routerOf(file: AggregatorFile, edit: Pick<AggregatorEdit, 'file' | 'routerVar'>): string {
  return edit.routerVar ?? detectRouter(file.definitions, file.includes, edit.file, file.source, () => findRouterCollections(file.topLevel));
}

/**
 * The name a new import of the feature's router would bind: its module's leaf when the file
 * imports feature modules as a list, else the alias; undefined when the file already imports
 * or includes that router, so nothing new is bound.
 */
export function registrationName(file: AggregatorFile, edit: AggregatorEdit, routerVar: string): string | undefined {
  if (featureIncludes(file, edit, routerVar).length > 0 || boundRouter(file, edit) !== undefined) return undefined;
  return newImport(file, edit, file.includes.filter((include) => include.owner === routerVar)).name;
}

/** The name the file already binds to the feature's router, if any. */
const boundRouter = (file: AggregatorFile, edit: AggregatorEdit) => [...file.bindings].find(([, dotted]) => dotted === `${edit.routerModule}.router`)?.[0];

/** How a new import of the feature's router goes: into a module list (binding its leaf), or on a line of its own as the alias. */
function newImport(file: AggregatorFile, edit: AggregatorEdit, includes: AggregatorFile['includes']) {
  const list = moduleList(file, edit, includes);
  return { list, name: list ? edit.routerModule.split('.').at(-1)! : edit.alias };
}

/** `items.router` with `items` bound to `app.routes.items` is `app.routes.items.router`. */
export function resolve(expression: string, bindings: Map<string, string>): string {
  const [head, ...rest] = expression.split('.');
  const bound = bindings.get(head!);
  return bound === undefined ? expression : [bound, ...rest].join('.');
}

function definitionOf(file: AggregatorFile, routerVar: string, edit: AggregatorEdit): LogicalLine {
  const definition = file.definitions.find((candidate) => candidate.name === routerVar);
  if (definition) return definition.line;
  const collection = findRouterCollections(file.topLevel).find((candidate) => candidate.name === routerVar);
  if (collection) throw collectionRefused(collection, edit.file, file.source);
  throw conflict(`found no top-level \`${routerVar} = APIRouter(...)\` (or FastAPI(...)) to mount the feature on.`, {
    path: edit.file,
    hints: ['Set `router` (the variable) and `aggregator` (the file) under [tool.petsage] in pyproject.toml to point at the right place.'],
  });
}

/** Each file's includes by `owner resolved.target`, built once: a batch asks for every feature. */
const includeIndex = new WeakMap<AggregatorFile, Map<string, AggregatorFile['includes']>>();

/** The includes of `routerVar` that mount the feature's router, however it is imported. */
export function featureIncludes(file: AggregatorFile, edit: AggregatorEdit, routerVar: string): AggregatorFile['includes'] {
  let index = includeIndex.get(file);
  if (!index) {
    index = new Map();
    for (const include of file.includes) {
      const key = `${include.owner} ${resolve(include.target, file.bindings)}`;
      index.set(key, [...(index.get(key) ?? []), include]);
    }
    includeIndex.set(file, index);
  }
  return index.get(`${routerVar} ${edit.routerModule}.router`) ?? [];
}

/**
 * The prefix a feature's include gives: its segment on a router mounted under the API prefix,
 * the whole URL when features are included straight into the app.
 */
export function mountPrefix(file: AggregatorFile, edit: AggregatorEdit, routerVar: string): string {
  const onApp = file.definitions.find((candidate) => candidate.name === routerVar)?.callee === 'FastAPI';
  return onApp ? `${edit.apiPrefix.replace(/\/$/, '')}${edit.segment}` : edit.segment;
}

/**
 * The comments the patch may put above the feature's include: its title, or its URL path where
 * each sibling's comment gives its own (see includeText).
 */
export function includeComments(file: AggregatorFile, edit: AggregatorEdit, routerVar: string): string[] {
  return [`# ${edit.comment}`, `# ${mountPrefix(file, edit, routerVar)}`];
}

/** One feature's part of a patch: what was added for it, to take out again on remove. */
export interface FeaturePatch {
  changed: boolean;
  added: AddedText[];
}

export interface BatchPatchResult {
  text: string;
  changed: boolean;
  routerVar: string;
  /** In the order of the edits. */
  features: FeaturePatch[];
}

/**
 * What every feature of a batch is placed against, found once: a batch of n features into a file
 * of m includes would otherwise scan them n times (a re-run of 1,000: a million comparisons).
 */
interface Siblings {
  /** The includes into the feature's router, in file order. */
  includes: Include[];
  /** The first of them mounted at each prefix. */
  byPrefix: Map<string | undefined, Include>;
  /** Where the router is itself included into another: nothing may follow it. */
  composition: Include | undefined;
  /** The include a new one goes after. */
  lastInclude: Include | undefined;
}

function siblingsOf(file: AggregatorFile, routerVar: string, definition: LogicalLine): Siblings {
  const includes = file.includes.filter((include) => include.owner === routerVar);
  const byPrefix = new Map<string | undefined, Include>();
  for (const include of includes) if (!byPrefix.has(include.prefix)) byPrefix.set(include.prefix, include);
  const composition = file.includes.find((include) => include.target === routerVar && include.line.start > definition.start);
  const lastInclude = includes.filter((include) => !composition || include.line.start < composition.line.start).at(-1);
  return { includes, byPrefix, composition, lastInclude };
}

/** The insertions one feature needs, against the unpatched file. */
function featureInsertions(file: AggregatorFile, edit: AggregatorEdit, routerVar: string, definition: LogicalLine, siblings: Siblings, joinList: (statement: ImportStatement, addition: ListAddition) => void): Insertion[] {
  if (featureIncludes(file, edit, routerVar).length > 0) return [];
  const { source } = file;
  const prefix = mountPrefix(file, edit, routerVar);
  const { includes, composition, lastInclude } = siblings;
  // A prefix set in the routers' modules is not in sight here.
  const clash = edit.prefixInModule ? undefined : siblings.byPrefix.get(prefix);
  if (clash) {
    throw conflict(`\`${clash.target}\` is already mounted at "${prefix}".`, {
      path: `${edit.file}:${lineNumber(source, clash.line.start)}`,
      hints: ['Choose another feature name, or remove the existing include first.'],
    });
  }

  const insertions: Insertion[] = [];

  let target = boundRouter(file, edit);
  if (target === undefined) {
    const { list, name } = newImport(file, edit, includes);
    if (file.bindings.has(name)) {
      throw conflict(`the name \`${name}\` is already imported for something else.`, { path: edit.file, hints: ['Rename that import, or choose another feature name.'] });
    }
    const insertion = list ? addToModuleList(file, list, name) : placeImport(file, edit, definition, includes);
    if (list) joinList(list, { insertion, leaf: name });
    insertions.push(insertion);
    target = list ? `${name}.router` : edit.alias;
  }

  const include = includeText(file, edit, routerVar, target, prefix, includes);
  if (lastInclude) insertions.push(after(lastInclude.line, include, file.eol, false));
  else if (composition) insertions.push({ at: composition.line.start, text: `${include}${file.eol}`, blankAfter: true });
  else insertions.push(after(definition, include, file.eol, true));
  return insertions;
}

/**
 * Registers several features at once, from one reading of the file: the aggregator is patched
 * once per batch, never once per feature. Insertions that land at the same place keep the
 * features' order (or their sorted order, where the file is sorted), and share one blank line.
 * `analysed` is `source` already analysed, when the caller has it.
 */
export function patchAggregatorMany(source: string, edits: readonly AggregatorEdit[], analysed?: AggregatorFile): BatchPatchResult {
  const [first] = edits;
  if (!first) throw new Error('patchAggregatorMany needs at least one edit');
  const file = analysed ?? analyse(source, first);
  const routerVar = routerOf(file, first);
  const definition = definitionOf(file, routerVar, first);
  // The module lists the batch adds to, with the last feature joining each: it owns the wrapping.
  const lists = new Map<ImportStatement, { owner: number; additions: ListAddition[] }>();
  const siblings = siblingsOf(file, routerVar, definition);
  const perFeature = edits.map((edit, i) =>
    featureInsertions(file, edit, routerVar, definition, siblings, (statement, addition) => {
      const joined = lists.get(statement) ?? { owner: i, additions: [] };
      lists.set(statement, { owner: i, additions: [...joined.additions, addition] });
    }),
  );
  for (const [statement, { owner, additions }] of lists) perFeature[owner]!.push(...wrapModuleList(file, statement, additions, first.lineLength ?? LINE_LENGTH));
  const owners = new Map<Insertion, number>();
  perFeature.forEach((insertions, i) => insertions.forEach((insertion) => owners.set(insertion, i)));
  const insertions = arrange(perFeature.flat(), file.eol);
  if (insertions.length === 0) return { text: source, changed: false, routerVar, features: edits.map(() => ({ changed: false, added: [] })) };

  const { text, added } = applyInsertions(source, insertions);
  const broken = pythonProblems(text)[0];
  if (broken) {
    throw conflict(`the patched file would not be valid Python (${broken.message}); nothing was written.`, {
      path: `${first.file}:${lineNumber(text, broken.offset)}`,
      context: showRegion(text, broken.offset),
    });
  }
  const features = edits.map((): FeaturePatch => ({ changed: false, added: [] }));
  insertions.forEach((insertion, i) => {
    const feature = features[owners.get(insertion)!]!;
    feature.changed = true;
    feature.added.push(added[i]!);
  });
  return { text, changed: true, routerVar, features };
}

/** Registers one feature. A registration already there, however it is spelled, changes nothing. */
export function patchAggregator(source: string, edit: AggregatorEdit): PatchResult {
  const { text, changed, routerVar, features } = patchAggregatorMany(source, [edit]);
  return { text, changed, routerVar, added: features[0]!.added };
}

export { unpatchAggregator } from './edits.js';
export type { AggregatorEdit, AggregatorFile } from './model.js';
